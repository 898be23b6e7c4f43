// At most N at a time in C#: a channel holds Limit places; a download reads one to start and
// writes it back when it ends.
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

const int Limit = 2;
(string Name, double Seconds)[] downloads = [("cat.jpg", 0.4), ("dog.jpg", 0.6), ("owl.jpg", 0.4), ("fox.jpg", 0.4)];
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.4s", never "0,4s"
var clock = Stopwatch.StartNew();
var running = 0; // continuations run on pool threads: change it with Interlocked only
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "cat-fails"
// the server resets cat.jpg's connection after 0.1 s. Leave this part as it is.
var fails = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "cat-fails" ? "cat.jpg" : null;

Log($"{downloads.Length} downloads, at most {Limit} at a time");
var places = Channel.CreateUnbounded<int>();
for (var place = 0; place < Limit; place++) places.Writer.TryWrite(place);
await Task.WhenAll(downloads.Select(d => Download(d.Name, d.Seconds)));
var oneByOne = downloads.Sum(d => d.Seconds);
var allAtOnce = downloads.Max(d => d.Seconds);
Log($"all done after {clock.Elapsed.TotalSeconds:F1}s (one at a time: {oneByOne:F1}s, all at once: {allAtOnce:F1}s)");

async Task Download(string name, double seconds)
{
    var queued = clock.Elapsed;
    try
    {
        var place = await places.Reader.ReadAsync(); // waits while every place is taken
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
        finally
        {
            places.Writer.TryWrite(place); // an unbounded channel always takes it
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
