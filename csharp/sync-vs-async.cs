// Sync vs async in C#: Thread.Sleep holds a thread for the whole wait; await Task.Delay holds
// none. A console app has no event loop: the heartbeat runs on thread-pool threads, so it keeps
// ticking even while the main code blocks - the blocked thread is the price, not a frozen program.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.4s", never "0,4s"
var clock = Stopwatch.StartNew();
(string Name, double Seconds)[] downloads = [("weather", 0.2), ("news", 0.6), ("sports", 1.0)];
const double Beat = 0.4; // the heartbeat ticks every 0.4s, 0.2s away from every download

Log($"blocking: {downloads.Length} downloads one after the other, heartbeat every {Beat}s");
var timer = new PeriodicTimer(TimeSpan.FromSeconds(Beat));
var beat = Heartbeat("blocking", timer);
var begin = clock.Elapsed;
foreach (var (name, seconds) in downloads)
{
    Log($"{name}: started");
    DownloadBlocking(name, seconds); // this thread waits; the heartbeat ticks on another one
}
Log($"blocking: done after {(clock.Elapsed - begin).TotalSeconds:F1}s, the sum of the downloads");
timer.Dispose(); // stops the heartbeat: WaitForNextTickAsync returns false
await beat;

Log($"awaiting: {downloads.Length} downloads at once, heartbeat every {Beat}s");
timer = new PeriodicTimer(TimeSpan.FromSeconds(Beat));
beat = Heartbeat("awaiting", timer);
begin = clock.Elapsed;
foreach (var (name, _) in downloads) Log($"{name}: started");
await Task.WhenAll(downloads.Select(d => Download(d.Name, d.Seconds)));
Log($"awaiting: done after {(clock.Elapsed - begin).TotalSeconds:F1}s, the longest download");
timer.Dispose();
await beat;

void DownloadBlocking(string name, double seconds)
{
    Thread.Sleep(TimeSpan.FromSeconds(seconds)); // blocks the calling thread for the whole wait
    Log($"{name}: finished");
}

async Task Download(string name, double seconds)
{
    await Task.Delay(TimeSpan.FromSeconds(seconds)); // no thread is held while the timer runs
    Log($"{name}: finished");
}

async Task Heartbeat(string phase, PeriodicTimer timer)
{
    while (await timer.WaitForNextTickAsync()) Log($"heartbeat: tick ({phase})");
}

// Continuations run on pool threads: one lock keeps each line whole and in time order.
void Log(string message)
{
    lock (clock) Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
}
