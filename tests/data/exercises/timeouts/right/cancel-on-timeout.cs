// Deadlines in C#: WaitAsync gives up waiting at the deadline; then the report's token is
// cancelled and the report awaited until it has stopped.
using System.Diagnostics;
using System.Globalization;

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slower" the work needs 0.9 s and the deadlines are 0.6 s, so that times written in by hand show.
// Leave this as it is.
var (needs, deadlineAfter) = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "slower"
    ? (0.9, 0.6) : (0.5, 0.3);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"report: started (needs {needs}s, deadline {deadlineAfter}s)");
using var stop = new CancellationTokenSource();
var report = Work("report", stop.Token);
try
{
    await report.WaitAsync(TimeSpan.FromSeconds(deadlineAfter));
}
catch (TimeoutException)
{
    await stop.CancelAsync();
    try
    {
        await report;
    }
    catch (OperationCanceledException)
    {
        Log("report: timeout, the work was stopped");
    }
}

Log($"backup: started (needs {needs}s, deadline {deadlineAfter}s)");
var backup = Work("backup");
try
{
    await backup.WaitAsync(TimeSpan.FromSeconds(deadlineAfter));
}
catch (TimeoutException)
{
    Log("backup: timeout, stopped waiting but the work goes on");
}
await backup;
Log($"done after {clock.Elapsed.TotalSeconds:F1}s");

async Task Work(string name, CancellationToken token = default)
{
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(needs), token);
        Log($"{name}: finished");
    }
    catch (OperationCanceledException)
    {
        Log($"{name}: cancelled");
        throw;
    }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
