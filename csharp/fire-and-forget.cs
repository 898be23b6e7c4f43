// Fire and forget in C#: a Task that faults while nobody awaits it fails without a word. Only
// when the garbage collector finalizes it does TaskScheduler.UnobservedTaskException hear of it,
// and even then the program goes on (unlike an exception thrown from an async void method).
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.4s", never "0,4s"
var clock = Stopwatch.StartNew();
string? heard = null;
TaskScheduler.UnobservedTaskException += (_, e) =>
{
    heard = e.Exception.InnerException?.Message; // raised on the finalizer thread, not ours
    e.SetObserved();
};

Log("wrong way: start report, keep no reference, never await it");
Log("report: started");
_ = Save(0.2, fails: true); // the discard drops the only reference to the task
await Task.Delay(TimeSpan.FromSeconds(0.6)); // at 0.2s the report faults and nobody is told
GC.Collect(); // forced here to make the point; normally this happens whenever the GC runs
GC.WaitForPendingFinalizers();
Log($"unobserved: report failed: {heard ?? "(not collected yet)"}; nothing was said until the garbage collector "
    + "raised TaskScheduler.UnobservedTaskException");

Log("right way: keep a handle on each one and observe how it ends");
var begin = clock.Elapsed;
List<Task> background = [Observe("report", Save(0.2, fails: true)), Observe("backup", Save(0.4, fails: false))];
// cheat sheet: fire-and-forget
await Task.WhenAll(background); // before leaving, wait for whatever still runs
// end cheat sheet
Log($"right way: every outcome seen after {(clock.Elapsed - begin).TotalSeconds:F1}s");

async Task Save(double seconds, bool fails)
{
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    if (fails) throw new IOException("disk full");
}

async Task Observe(string name, Task work)
{
    Log($"{name}: started");
    // cheat sheet: fire-and-forget
    try
    {
        await work; // awaiting a faulted task is what marks its exception as seen
        Log($"{name}: finished");
    }
    catch (Exception error) // a supervisor reports every failure, whatever its type
    {
        Log($"{name}: failed: {error.Message}");
    }
    // end cheat sheet
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
