// Ten thousand tasks in C#: each call to an async method is a Task and a state machine on the
// heap. No thread waits while they sleep; the thread pool runs their continuations.
using System.Diagnostics;
using System.Globalization;

const int Tasks = 10_000;
var nap = TimeSpan.FromSeconds(0.5);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"{Tasks} tasks: started (each sleeps {nap.TotalSeconds}s)");
// Each Nap(n) runs at once up to its await and returns a hot task; WhenAll only waits for them.
int[] answers = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(Nap));
Log($"{answers.Length} tasks: finished");
var took = clock.Elapsed.TotalSeconds;
Log($"{Tasks} sleeps of {nap.TotalSeconds}s overlapped: {took:F1}s in all, not {Tasks * nap.TotalSeconds:F1}s");

async Task<int> Nap(int number)
{
    await Task.Delay(nap); // a timer; the state machine is boxed on the heap only now, when it waits
    return number;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
