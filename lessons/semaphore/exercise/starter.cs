// At most N at a time in C#: the server takes two downloads at once, so this program downloads
// in batches of two - and each batch waits for its slowest download. Start all four at once, and
// let no more than two run: a place that comes free should go to the next download at once.
using System.Diagnostics;
using System.Globalization;

const int Limit = 2;
(string Name, double Seconds)[] downloads = [("cat.jpg", 0.4), ("dog.jpg", 0.6), ("owl.jpg", 0.4), ("fox.jpg", 0.4)];
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.4s", never "0,4s"
var clock = Stopwatch.StartNew();
var running = 0; // continuations run on pool threads: change it with Interlocked only
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "cat-fails"
// the server resets cat.jpg's connection after 0.1 s. Leave this part as it is.
var fails = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "cat-fails" ? "cat.jpg" : null;

Log($"{downloads.Length} downloads, at most {Limit} at a time");
// TODO: never more than Limit at once - but here owl and fox wait for dog, the slowest of the
// first batch, although a place is free from 0.4 s.
foreach (var batch in downloads.Chunk(Limit))
{
    await Task.WhenAll(batch.Select(d => Download(d.Name, d.Seconds)));
}
var oneByOne = downloads.Sum(d => d.Seconds);
var allAtOnce = downloads.Max(d => d.Seconds);
Log($"all done after {clock.Elapsed.TotalSeconds:F1}s (one at a time: {oneByOne:F1}s, all at once: {allAtOnce:F1}s)");

async Task Download(string name, double seconds)
{
    var queued = clock.Elapsed;
    try
    {
        var now = Interlocked.Increment(ref running);
        Log($"{name}: started ({now} running, waited {(clock.Elapsed - queued).TotalSeconds:F1}s)");
        try
        {
            await Transfer(name, seconds);
            Log($"{name}: finished");
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }
    catch (IOException)
    {
        // Transfer has reported it; the other downloads go on
    }
}

async Task Transfer(string name, double seconds) // the download's work, as the server does it
{
    if (name == fails)
    {
        await Task.Delay(TimeSpan.FromSeconds(0.1));
        Log($"{name}: failed: connection reset");
        throw new IOException($"{name}: connection reset");
    }
    await Task.Delay(TimeSpan.FromSeconds(seconds));
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
