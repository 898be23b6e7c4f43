// The kitchen in C#: awaiting one task after another is sequential; starting every
// task first and then awaiting Task.WhenAll runs them concurrently.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.6s", never "0,6s"
var clock = Stopwatch.StartNew();
(string Name, string Verb, double Seconds)[] steps =
    [("water", "boil", 0.6), ("vegetables", "chop", 0.3), ("sauce", "simmer", 0.4)];

Log("sequential dinner");
var begin = clock.Elapsed;
foreach (var (name, verb, seconds) in steps)
{
    Log($"{name}: started ({verb}, {seconds}s)");
    await Cook(name, seconds); // nothing else happens until this step is done
}
var sequential = clock.Elapsed - begin;
Log($"sequential dinner ready after {sequential.TotalSeconds:F1}s: the sum of the steps");

Log("concurrent dinner");
begin = clock.Elapsed;
foreach (var (name, verb, seconds) in steps) Log($"{name}: started ({verb}, {seconds}s)");
// Each Cook(...) call returns a task that is already running (a "hot" task);
// Task.WhenAll only waits for all of them.
await Task.WhenAll(steps.Select(step => Cook(step.Name, step.Seconds)));
var concurrent = clock.Elapsed - begin;
Log($"concurrent dinner ready after {concurrent.TotalSeconds:F1}s: the longest step");
Log($"cooking concurrently saved {(sequential - concurrent).TotalSeconds:F1}s");

async Task Cook(string name, double seconds)
{
    Thread.Sleep(TimeSpan.FromSeconds(seconds)); // the step takes time
    Log($"{name}: finished"); // runs on a thread-pool thread: console apps have no event loop
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
