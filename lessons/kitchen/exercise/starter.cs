// The kitchen in C#: the sequential dinner is right; the concurrent dinner is not
// concurrent yet. Make it ready after the longest step, not after the sum of the steps.
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
// TODO: every step was started above, so the dinner should be ready after the longest one.
var cooking = steps.Select(step => Cook(step.Name, step.Seconds)); // async methods return hot tasks
foreach (var dish in cooking)
{
    await dish;
}
var concurrent = clock.Elapsed - begin;
Log($"concurrent dinner ready after {concurrent.TotalSeconds:F1}s: the longest step");
Log($"cooking concurrently saved {(sequential - concurrent).TotalSeconds:F1}s");

async Task Cook(string name, double seconds)
{
    await Task.Delay(TimeSpan.FromSeconds(seconds)); // a timer stands in for real waiting
    Log($"{name}: finished"); // runs on a thread-pool thread: console apps have no event loop
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
