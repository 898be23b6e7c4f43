// Sync over async in C#: the helper is async now and awaits the answer with a deadline
// (WaitAsync), and step 2 awaits it.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();
var timeout = TimeSpan.FromSeconds(0.5);
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "click-while-waiting" the answer takes 0.4 s, and at 0.7 s a click needs the context's thread.
// Leave this part, and the click, as they are.
var click = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "click-while-waiting";
var delay = TimeSpan.FromSeconds(click ? 0.4 : 0.2); // until the answer

SingleThreadContext.Run(async () =>
{
    if (click) _ = ClickAsync(); // the scenario's click
    Log("1. block until the answer is there");
    var began = clock.Elapsed;
    var fetch = FetchAsync();
    if (!fetch.Wait(timeout)) // blocks the context's only thread: the continuation queued for it waits too
        Log($"stuck after {(clock.Elapsed - began).TotalSeconds:F1}s: the answer needs the thread that is waiting for it");

    Log("2. await the answer");
    began = clock.Elapsed;
    var answer = await AnswerOrAsync(0);
    Log($"answer {answer} after {(clock.Elapsed - began).TotalSeconds:F1}s");

    Log("3. block again, on async code that uses ConfigureAwait(false)");
    began = clock.Elapsed;
    fetch = FetchAnywhereAsync();
    if (fetch.Wait(timeout)) // no deadlock: nothing needs this thread, though it does nothing meanwhile
        Log($"3. answer {fetch.Result} after {(clock.Elapsed - began).TotalSeconds:F1}s, the thread blocked all along");
});

// The answer if it comes within a second, else the fallback - never a hang.
async Task<int> AnswerOrAsync(int fallback)
{
    try
    {
        return await FetchAsync().WaitAsync(TimeSpan.FromSeconds(1));
    }
    catch (TimeoutException)
    {
        return fallback;
    }
}

async Task<int> FetchAsync()
{
    await Task.Delay(delay); // stands for I/O; resumes on the caller's context
    return 42;
}

// The scenario's click at 0.7 s: its handler resumes on the context's thread, once that thread is free.
async Task ClickAsync()
{
    await Task.Delay(TimeSpan.FromSeconds(0.7));
    Log("a click, handled on the same thread");
}

async Task<int> FetchAnywhereAsync()
{
    // Library code: it needs no particular thread, so it says so and resumes on a pool thread.
    await Task.Delay(TimeSpan.FromSeconds(0.2)).ConfigureAwait(false);
    return 42;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

// One thread runs every callback posted to it, one after another: what a UI thread does.
sealed class SingleThreadContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> queue = [];

    public override void Post(SendOrPostCallback callback, object? state) => queue.Add((callback, state));

    // Runs `work` on the calling thread with this context installed, until the task it returns ends.
    public static void Run(Func<Task> work)
    {
        var previous = Current;
        var context = new SingleThreadContext();
        SetSynchronizationContext(context);
        try
        {
            var task = work();
            task.ContinueWith(_ => context.queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context.queue.GetConsumingEnumerable())
                callback(state);
            task.GetAwaiter().GetResult(); // rethrows what the work threw
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
