// A race in C#: Task.WhenEach hands over the downloads as they finish; the first is the
// winner, and race 2 cancels the rest.
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
    using var losers = new CancellationTokenSource();
    var downloads = mirrors.Select(m =>
    {
        Log($"{m.Mirror}: started");
        return Download(m.Mirror, m.Seconds, losers.Token);
    }).ToList();
    await foreach (var first in Task.WhenEach(downloads))
    {
        Log($"race {number}: {await first} won");
        break;
    }
    if (cancelLosers) await losers.CancelAsync();
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
    Log($"race {number}: all downloads over after {(clock.Elapsed - began).TotalSeconds:F1}s");
}

async Task<string> Download(string mirror, double seconds, CancellationToken token)
{
    await Task.Delay(TimeSpan.FromSeconds(seconds), token);
    Log($"{mirror}: finished");
    return mirror;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
