// LESSON_TITLE in C#: a stub that runs; replace it with the lesson's example.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.2s", never "0,2s"
var clock = Stopwatch.StartNew();

await Step("LESSON_SLUG", 0.2);

async Task Step(string name, double seconds)
{
    Log($"{name}: started");
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Log($"{name}: finished");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
