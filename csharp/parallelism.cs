// Parallelism in C#: two CPU-bound steps moved to the thread pool with Task.Run run side by side
// on two cores. The pool starts with as many threads as the machine has cores.
using System.Diagnostics;
using System.Globalization;

const double Step = 0.5; // one step: as many numbers as one thread can test for primes in 0.5s
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"1. one step on one thread: the numbers it can test for primes in {Step}s");
var below = await Task.Run(() => TestNumbers(long.MaxValue, clock.Elapsed + TimeSpan.FromSeconds(Step)));
Log("1. one step: finished");

Log("2. two such steps at once, off the main thread");
var began = clock.Elapsed;
await Task.WhenAll(Task.Run(() => TestNumbers(below, TimeSpan.MaxValue)), Task.Run(() => TestNumbers(below, TimeSpan.MaxValue)));
Report(2, began);

static bool IsPrime(long n)
{
    if (n < 2) return false;
    for (long d = 2; d * d <= n; d++)
        if (n % d == 0) return false;
    return true;
}

// CPU-bound work: test 2, 3, 4, ... for primes, up to `below` or until the clock passes `until`.
// Returns the first number it did not test.
long TestNumbers(long below, TimeSpan until)
{
    long n = 2;
    for (; n < below && clock.Elapsed < until; n++) IsPrime(n);
    return n;
}

void Report(int number, TimeSpan began)
{
    // Compare with one step, rounded: a busy machine stretches CPU time, but not 1 into 2.
    var steps = (int)Math.Round((clock.Elapsed - began).TotalSeconds / Step);
    var verdict = steps == 1 ? "in parallel" : "one at a time";
    Log($"{number}. both finished in about the time of {steps} step{(steps == 1 ? "" : "s")}: {verdict}");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
