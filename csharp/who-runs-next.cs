// Who runs next in C#: a console app has no event loop. Awaiting a task that has already finished
// goes straight on, on the same thread, without leaving the method; a timer's callback runs on a
// thread-pool thread, so it waits for nobody to yield.
using System.Diagnostics;
using System.Globalization;

const int Awaits = 1000;
var step = TimeSpan.FromMicroseconds(200); // 1000 awaits of work that takes 0.2 ms and never waits: 0.2s in all
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.2s", never "0,2s"
var clock = Stopwatch.StartNew();
var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

Log("main: sets a timer due at 0.0s");
var due = clock.Elapsed;
// Due at once, never again. Keep the reference (`using var`): a Timer nobody holds can be collected.
using var timer = new Timer(_ =>
{
    Log($"timer: fired {(clock.Elapsed - due).TotalSeconds:F1}s late"); // on a thread-pool thread
    fired.SetResult();
}, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
Log($"main: {Awaits} awaits of work that never waits ({(step * Awaits).TotalSeconds:F1}s of CPU in all)");
for (var n = 1; n <= Awaits; n++)
{
    await Work(until: step * n); // the task is finished: the await goes straight on, on this thread
}
Log($"main: {Awaits} awaits done; the timer {(fired.Task.IsCompleted ? "has run" : "has not run")}");
Log("main: one real yield");
await Task.Yield(); // with no SynchronizationContext, the rest of main is queued to the thread pool
Log($"main: back; the timer {(fired.Task.IsCompleted ? "has run" : "has not run yet")}");
await fired.Task; // a yield is not a wait: to be sure the timer has run, wait for it
Log("main: awaited the timer itself: it has run");

// CPU work that returns a task already finished, as a cache hit or a buffered read does.
Task Work(TimeSpan until)
{
    while (clock.Elapsed < until) { }
    return Task.CompletedTask;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
