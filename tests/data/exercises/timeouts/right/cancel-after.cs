// Deadlines in C#: CancelAfter cancels the report's token when time is up, and the report stops
// where it waits.
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
using var deadline = new CancellationTokenSource();
deadline.CancelAfter(TimeSpan.FromSeconds(deadlineAfter));
try
{
    await Work("report", deadline.Token);
}
catch (OperationCanceledException)
{
    Log("report: timeout, the work was stopped");
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
