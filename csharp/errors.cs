// Errors in C#: Task.WhenAll waits for every task, even after one faults; await rethrows
// the first exception and .Exception.InnerExceptions holds all of them. Nothing is
// cancelled unless the tasks share a CancellationToken that you cancel.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "out-of-stock" the stock check fails first, after 0.2 s, and the card is charged after 0.4 s.
(string Name, double Seconds, string? Failure)[] steps =
    Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "out-of-stock"
        ? [("shipping", 0.6, "no courier"), ("stock", 0.2, "out of stock"), ("card", 0.4, null)]
        : [("shipping", 0.6, "no courier"), ("stock", 0.4, null), ("card", 0.2, "card declined")];

// part: let-the-others-run
Log("order 1: let the others run");
// cheat sheet: every-error
var all = Task.WhenAll(StartAll(CancellationToken.None));
// end cheat sheet
try
{
    await all;
}
catch (StepFailed error) // only after every task has finished: WhenAll does not fail fast
{
    Log($"order 1: failed: {error.Message}");
}
// cheat sheet: every-error
// await threw only the first exception; the task's AggregateException holds them all - for
// WhenAll(Task[]), in the order the tasks faulted (on .NET 10; WhenAll<T> keeps the array's order).
Log($"order 1: every failure: {string.Join(", ", all.Exception!.InnerExceptions.Select(e => e.Message))}");
// end cheat sheet
// end part

// part: stop-the-others
Log("order 2: stop the others at the first failure");
using var cts = new CancellationTokenSource();
var jobs = StartAll(cts.Token);
await foreach (var done in Task.WhenEach(jobs)) // .NET 9+: the tasks in the order they finish
{
    if (done.IsFaulted)
    {
        await cts.CancelAsync(); // the siblings stop because they observe this token
        break;
    }
}
try
{
    await Task.WhenAll(jobs); // faulted beats cancelled: this throws the failed step's exception
}
catch (StepFailed error)
{
    // The siblings stopped at one instant, on pool threads in any order: report them in order.
    foreach (var (step, job) in steps.Zip(jobs))
    {
        if (job.IsCanceled) Log($"{step.Name}: cancelled");
    }
    Log($"order 2: failed: {error.Message}");
}
// end part

Task[] StartAll(CancellationToken token) =>
    steps.Select(s => { Log($"{s.Name}: started"); return Step(s.Name, s.Seconds, s.Failure, token); }).ToArray();

// part: step
async Task Step(string name, double seconds, string? failure, CancellationToken token)
{
    // A cancelled token makes Task.Delay throw; the exception leaves this method and
    // the task ends Canceled, not Faulted.
    await Task.Delay(TimeSpan.FromSeconds(seconds), token);
    if (failure is not null)
    {
        Log($"{name}: failed: {failure}");
        throw new StepFailed(failure);
    }
    Log($"{name}: finished");
}
// end part

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

class StepFailed(string reason) : Exception(reason);
