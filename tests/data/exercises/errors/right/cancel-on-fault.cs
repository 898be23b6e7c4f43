// Errors: each job is wrapped so that its failure cancels the token the others observe.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "out-of-stock" the stock check fails first, after 0.2 s, and the card is charged after 0.4 s.
// Leave this part as it is.
(string Name, double Seconds, string? Failure)[] steps =
    Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "out-of-stock"
        ? [("shipping", 0.6, "no courier"), ("stock", 0.2, "out of stock"), ("card", 0.4, null)]
        : [("shipping", 0.6, "no courier"), ("stock", 0.4, null), ("card", 0.2, "card declined")];

Log("order 1: let the others run");
var all = Task.WhenAll(StartAll(CancellationToken.None));
try
{
    await all;
}
catch (StepFailed error) // only after every task has finished: WhenAll does not fail fast
{
    Log($"order 1: failed: {error.Message}");
}
// await threw only the first exception; the task's AggregateException holds them all.
Log($"order 1: every failure: {string.Join(", ", all.Exception!.InnerExceptions.Select(e => e.Message))}");

Log("order 2: stop the others at the first failure");
using var cts = new CancellationTokenSource();
var jobs = StartAll(cts.Token).Select(async job =>
{
    try
    {
        await job;
    }
    catch (StepFailed)
    {
        await cts.CancelAsync(); // the siblings stop where they wait
        throw;
    }
}).ToArray();
try
{
    await Task.WhenAll(jobs);
}
catch (StepFailed error)
{
    foreach (var (step, job) in steps.Zip(jobs))
    {
        if (job.IsCanceled) Log($"{step.Name}: cancelled");
    }
    Log($"order 2: failed: {error.Message}");
}

Task[] StartAll(CancellationToken token) =>
    steps.Select(s => { Log($"{s.Name}: started"); return Step(s.Name, s.Seconds, s.Failure, token); }).ToArray();

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

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

class StepFailed(string reason) : Exception(reason);
