// Parallelism in C#: two CPU-bound steps moved to the thread pool with Task.Run run side by side
// on two cores. The pool starts with as many threads as the machine has cores.
using System.Diagnostics;
using System.Globalization;

const double Step = 0.5; // one step: as many numbers as one thread can test for primes in 0.5s
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log($"1. one step: started (one thread tests numbers for primes for {Step}s)");
var below = await Task.Run(() => TestNumbers(long.MaxValue, clock.Elapsed + TimeSpan.FromSeconds(Step)));
Log("1. one step: finished");

Log("2. two such steps: started, at once, off the main thread");
var began = clock.Elapsed;
await Task.WhenAll(Task.Run(() => TestNumbers(below, TimeSpan.MaxValue)),
                   Task.Run(() => TestNumbers(below, TimeSpan.MaxValue)));
Log($"2. two such steps: {Finished(began)}");

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

string Finished(TimeSpan began)
{
    // Compared with one step and rounded: a little load stretches the time, not 1 step into 2.
    var steps = (int)Math.Round((clock.Elapsed - began).TotalSeconds / Step);
    var verdict = steps == 1 ? "in parallel" : "one at a time";
    return $"finished in about the time of {steps} step{(steps == 1 ? "" : "s")}: {verdict}";
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
