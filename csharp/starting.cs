// Starting in C#: calling an async method runs its body at once, on the caller's thread, up to
// its first await that has to wait; the call then returns a Task that is already running ("hot").
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.1s", never "0,1s"
var clock = Stopwatch.StartNew();
var inStock = new Dictionary<string, bool> { ["tea"] = true, ["milk"] = true, ["coffee"] = false };

Log("1. call brew(tea), then await it");
var tea = Brew("tea", 0.3); // the body has already run up to its first await that waits
Log("order: main: the call returned a Task");
Log("order: main: awaits tea");
await tea;

Log("2. start brew(milk) without awaiting it, await it 0.1s later");
// cheat sheet: start-a-task
var milk = Brew("milk", 0.2); // calling is starting; Task.Run would start it on another thread
// end cheat sheet
Log("order: main: the call returned a Task");
Log("order: main: waits 0.1s for something else");
// cheat sheet: start-a-task
await Task.Delay(TimeSpan.FromSeconds(0.1));
await milk;
// end cheat sheet

Log("3. call brew(coffee), which fails before its first await");
var coffee = Brew("coffee", 0.1);
Log("order: main: the call returned, no exception yet");
try
{
    await coffee; // the exception was stored in the Task; await rethrows it
}
catch (InvalidOperationException error)
{
    Log($"coffee: failed: {error.Message}");
}

async Task Brew(string drink, double seconds)
{
    Log($"order: {drink}: body starts");
    // Thrown before the first await, yet the call does not throw: the returned Task is faulted.
    if (!inStock[drink]) throw new InvalidOperationException($"out of {drink}");
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Log($"{drink}: finished"); // runs on a thread-pool thread: console apps have no event loop
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
