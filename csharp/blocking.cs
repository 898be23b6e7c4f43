// Blocking in C#: a CPU-bound call inside an async method holds the thread that runs it. A
// console app has no event loop, so timers go on ticking on other pool threads; Task.Run moves
// the work to a pool thread so that the caller, too, is free while it runs.
using System.Diagnostics;
using System.Globalization;

var tick = TimeSpan.FromSeconds(0.1); // the ticker should tick every 0.1s
var step = TimeSpan.FromSeconds(0.5); // the CPU step takes 0.5s
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

await Phase(1, "CPU work called straight from async code", () =>
{
    Crunch(step); // a plain call: the caller's thread does nothing else until it returns
    return Task.CompletedTask;
});
// cheat sheet: offload-blocking
await Phase(2, "CPU work moved to another thread", () => Task.Run(() => Crunch(step)));
// end cheat sheet

async Task Phase(int number, string title, Func<Task> crunchStep)
{
    Log($"{number}. {title}");
    var ticks = new List<TimeSpan>();
    using var timer = new PeriodicTimer(tick);
    var ticker = Tick(timer, ticks);
    Log($"ticker: started (a tick every {tick.TotalSeconds}s)");
    await Task.Delay(2 * tick);
    Log($"crunch: started ({step.TotalSeconds}s of CPU)");
    var began = clock.Elapsed;
    await crunchStep();
    Log("crunch: finished");
    await Task.Delay(2 * tick); // give a late tick the chance to arrive
    timer.Dispose(); // the ticker's pending wait returns false: a stop without an exception
    await ticker; // after this, reading ticks is safe: the ticker wrote them on pool threads
    Log("ticker: finished");
    // The longest wait for a tick once the step began. Earlier ticks do not count, so a tick due
    // at the very moment the step starts cannot change the answer.
    TimeSpan[] times = [began, .. ticks.Where(t => t > began)];
    var silent = times.Zip(times.Skip(1), (earlier, later) => later - earlier).Max();
    var verdict = silent > 3 * tick ? "the ticker froze" : "the ticker kept ticking";
    Log($"{number}. longest time without a tick {silent.TotalSeconds:F1}s: {verdict}");
}

async Task Tick(PeriodicTimer timer, List<TimeSpan> ticks)
{
    while (await timer.WaitForNextTickAsync()) // each tick may resume on a different pool thread
        ticks.Add(clock.Elapsed);
}

// CPU-bound work that runs for a fixed time on the clock, so it lasts as long on any machine.
void Crunch(TimeSpan duration)
{
    var until = clock.Elapsed + duration;
    while (clock.Elapsed < until) { }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
