// Debugging and testing async code in C#.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture =
    CultureInfo.InvariantCulture; // "0.1s"
var clock = Stopwatch.StartNew();

Log("1. test: a 10s deadline, a silent server");
Log("virtual time: our own TimeProvider");
var time = new TestClock();
var real = clock.Elapsed;
var never = new TaskCompletionSource<string>();
var got = PriceOrTimeoutAsync(never.Task, time);
time.Advance(TimeSpan.FromSeconds(10)); // now
if (await got != "timeout")
    throw new Exception("no timeout");
var (v, r) = (time.Now, clock.Elapsed - real);
Log($"1. passed: timeout after {v.TotalSeconds:F1}s of"
    + $" virtual time, {r.TotalSeconds:F1}s of real time");

Log("2. a query fails three awaits deep");
try { await HandleOrderAsync(7); }
catch (KeyNotFoundException error)
{
    // "at Program.<Main>$(String[] args)" ...
    var names = $"{new StackTrace(error, false)}"
        .Split("at ")[1..]
        .Select(at => at[..at.IndexOf('(')]);
    Log("trace, innermost first: "
        + string.Join(", ", names));
    Log($"2. caught \"{error.Message}\"; "
        + $"{names.Count()} of 5 levels traced");
}

// The code under test; WaitAsync stops waiting.
async Task<string> PriceOrTimeoutAsync(
    Task<string> answer, TimeProvider time)
{
    var limit = TimeSpan.FromSeconds(10);
    try { return await answer.WaitAsync(limit, time); }
    catch (TimeoutException) { return "timeout"; }
}
async Task<string> FetchRowAsync(int row)
{
    await Task.Delay(100); // the stack unwinds
    throw new KeyNotFoundException(
        $"row {row} not found");
}
// Not async: hands the task on and is gone.
Task<string> FindRowAsync(int row) =>
    FetchRowAsync(row);
async Task<string> LoadCustomerAsync(int row) =>
    await FindRowAsync(row);
async Task<string> HandleOrderAsync(int row) =>
    await LoadCustomerAsync(row);
void Log(string message) => Console.Write(
    $"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

// Our FakeTimeProvider (that one is on NuGet):
// time moves in Advance. One-shot, one thread.
sealed class TestClock : TimeProvider
{
    public readonly List<Alarm> Alarms = [];
    public TimeSpan Now { get; private set; }
    public override ITimer CreateTimer(
        TimerCallback callback, object? state,
        TimeSpan due, TimeSpan period)
    {
        var alarm = new Alarm(this, () => callback(state));
        alarm.Change(due, period);
        return alarm;
    }
    public void Advance(TimeSpan by)
    {
        var end = Now + by;
        while (Alarms.Where(a => a.Due <= end)
            .MinBy(a => a.Due) is { } next)
        {
            Now = next.Due; // earliest first
            next.Dispose();
            next.Fire();
        }
        Now = end;
    }
}
sealed class Alarm(TestClock clock, Action fire)
    : ITimer
{
    public TimeSpan Due;
    public void Fire() => fire();
    public bool Change(TimeSpan due, TimeSpan period)
    {
        if (period > TimeSpan.Zero) // periodic
            throw new NotSupportedException();
        Dispose();
        Due = clock.Now + due;
        if (due != Timeout.InfiniteTimeSpan)
            clock.Alarms.Add(this);
        return true;
    }
    public void Dispose() => clock.Alarms.Remove(this);
    public ValueTask DisposeAsync()
        { Dispose(); return default; }
}
