// A race in C#: each download observes a token of its own; race 2 cancels all but the winner's.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
(string Mirror, double Seconds)[] mirrors = [("eu", 0.2), ("us", 0.4), ("asia", 0.6)];

await Race(1, cancelLosers: false);
await Race(2, cancelLosers: true);
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "linger"
// the program stays 1 s after its last line, so that a download still running would show.
// Leave this part as it is.
if (Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "linger") await Task.Delay(1000);

async Task Race(int number, bool cancelLosers)
{
    var began = clock.Elapsed;
    Log($"race {number}: " + (cancelLosers ? "cancel the losers" : "leave the losers alone"));
    var sources = mirrors.Select(_ => new CancellationTokenSource()).ToList();
    var downloads = new List<Task<string>>();
    foreach (var ((mirror, seconds), source) in mirrors.Zip(sources))
    {
        Log($"{mirror}: started");
        downloads.Add(Download(mirror, seconds, source.Token));
    }
    var first = await Task.WhenAny(downloads);
    Log($"race {number}: {await first} won");
    if (cancelLosers)
    {
        foreach (var (download, source) in downloads.Zip(sources))
        {
            if (download != first) source.Cancel();
        }
    }
    try
    {
        await Task.WhenAll(downloads); // only to show what the losers do
    }
    catch (OperationCanceledException) // the cancelled losers: reported below
    {
    }
    // The losers stop at one instant, on pool threads in any order: report them in order.
    foreach (var (mirror, download) in mirrors.Select(m => m.Mirror).Zip(downloads))
    {
        if (download.IsCanceled) Log($"{mirror}: cancelled");
    }
    foreach (var source in sources) source.Dispose();
    Log($"race {number}: all downloads over after {(clock.Elapsed - began).TotalSeconds:F1}s");
}

async Task<string> Download(string mirror, double seconds, CancellationToken token)
{
    await Task.Delay(TimeSpan.FromSeconds(seconds), token);
    Log($"{mirror}: finished");
    return mirror;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
