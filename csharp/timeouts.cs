// Deadlines in C#: a CancellationTokenSource with a delay stops work that observes its
// token; Task.WaitAsync with a timeout stops only the waiting, and the task runs on.
using System.Diagnostics;
using System.Globalization;

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slower" the work needs 0.9 s and the deadlines are 0.6 s, so that times written in by hand show.
var (needs, deadlineAfter) = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "slower"
    ? (0.9, 0.6) : (0.5, 0.3);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"report: started (needs {needs}s, deadline {deadlineAfter}s)");
// cheat sheet: timeout
using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(deadlineAfter)))
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

Log($"backup: started (needs {needs}s, deadline {deadlineAfter}s)");
var backup = Work("backup", CancellationToken.None); // a hot task: it runs whether anyone waits or not
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

async Task Work(string name, CancellationToken token)
{
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(needs), token); // observes the token
        Log($"{name}: finished");
    }
    catch (OperationCanceledException)
    {
        Log($"{name}: cancelled");
        throw;
    }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
