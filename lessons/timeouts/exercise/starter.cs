// Deadlines in C#: the report and the backup each get 0.3 s. The report's deadline
// should stop the work; the backup's should only stop the waiting, and the work goes on.
using System.Diagnostics;
using System.Globalization;

const double Needs = 0.5, Deadline = 0.3;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"report: started (needs {Needs}s, deadline {Deadline}s)");
var report = Work("report");
try
{
    // TODO: when time is up, the report itself must stop, not only the waiting for it.
    await report.WaitAsync(TimeSpan.FromSeconds(Deadline));
}
catch (TimeoutException)
{
    Log("report: timeout, the work was stopped");
}

Log($"backup: started (needs {Needs}s, deadline {Deadline}s)");
var backup = Work("backup");
try
{
    await backup.WaitAsync(TimeSpan.FromSeconds(Deadline));
}
catch (TimeoutException)
{
    Log("backup: timeout, stopped waiting but the work goes on");
}
await backup;
Log($"done after {clock.Elapsed.TotalSeconds:F1}s");

async Task Work(string name)
{
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(Needs));
        Log($"{name}: finished");
    }
    catch (OperationCanceledException)
    {
        Log($"{name}: cancelled");
        throw;
    }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
