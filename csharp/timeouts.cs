// Deadlines in C#: a CancellationTokenSource with a delay stops work that observes its
// token; Task.WaitAsync with a timeout stops only the waiting, and the task runs on.
using System.Diagnostics;
using System.Globalization;

const double Needs = 0.5, Deadline = 0.3;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"report: started (needs {Needs}s, deadline {Deadline}s)");
// cheat sheet: timeout
using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(Deadline)))
{
    try
    {
        await Work("report", deadline.Token);
    }
    catch (OperationCanceledException) // Task.Delay throws TaskCanceledException, a subclass
    {
        Log("report: timeout, the work was stopped");
    }
}
// end cheat sheet

Log($"backup: started (needs {Needs}s, deadline {Deadline}s)");
var backup = Work("backup", CancellationToken.None); // a hot task: it runs whether anyone waits or not
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

async Task Work(string name, CancellationToken token)
{
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(Needs), token); // observes the token
        Log($"{name}: finished");
    }
    catch (OperationCanceledException)
    {
        Log($"{name}: cancelled");
        throw;
    }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
