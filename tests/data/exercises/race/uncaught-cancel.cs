// A typical wrong solution: the losers are cancelled, and then awaited with nothing to catch their cancellation.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
(string Mirror, double Seconds)[] mirrors = [("eu", 0.2), ("us", 0.4), ("asia", 0.6)];

await Race(1, cancelLosers: false);
await Race(2, cancelLosers: true);

async Task Race(int number, bool cancelLosers)
{
    var began = clock.Elapsed;
    Log($"race {number}: " + (cancelLosers ? "cancel the losers" : "leave the losers alone"));
    using var cts = new CancellationTokenSource();
    var downloads = new List<Task<string>>();
    foreach (var (mirror, seconds) in mirrors)
    {
        Log($"{mirror}: started");
        downloads.Add(Download(mirror, seconds, cts.Token));
    }
    // WhenAny hands back the finished task itself (a faulted one counts as finished too);
    // awaiting it gives its result or rethrows its exception.
    // cheat sheet: first-to-finish
    var first = await Task.WhenAny(downloads);
    Log($"race {number}: {await first} won");
    if (cancelLosers) await cts.CancelAsync(); // .NET 8+; the winner is done, so only the losers stop
    // end cheat sheet
    await Task.WhenAll(downloads); // throws TaskCanceledException once a loser is cancelled
    // The losers stop at one instant, on pool threads in any order: report them in order.
    foreach (var (mirror, download) in mirrors.Select(m => m.Mirror).Zip(downloads))
    {
        if (download.IsCanceled) Log($"{mirror}: cancelled");
    }
    Log($"race {number}: all downloads over after {(clock.Elapsed - began).TotalSeconds:F1}s");
}

async Task<string> Download(string mirror, double seconds, CancellationToken token)
{
    // Task.Delay throws TaskCanceledException when the token is cancelled, and the
    // exception leaving this method makes the task Canceled rather than Faulted.
    await Task.Delay(TimeSpan.FromSeconds(seconds), token);
    Log($"{mirror}: finished");
    return mirror;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
