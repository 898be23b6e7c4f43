// The kitchen in C#: the sequential dinner is right; the concurrent dinner is not
// concurrent yet. Make it ready after the longest chain of steps, not after the sum of the steps.
using System.Diagnostics;
using System.Globalization;

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-water" the water boils for 0.9 s, longer than chopping then simmering (0.3 + 0.4 s).
// Leave this part as it is.
var slowWater = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "slow-water";
var boil = slowWater ? 0.9 : 0.5; // seconds the water takes to boil
var longestChain = slowWater ? "boil" : "chop then simmer"; // the chain of steps that takes longest
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

Log("sequential dinner");
var begin = clock.Elapsed;
await Step("water", "boil", boil); // nothing else happens until the water boils
await MakeSauce();
var sequential = clock.Elapsed - begin;
Log($"sequential dinner ready after {sequential.TotalSeconds:F1}s: the sum of the steps");

Log("concurrent dinner");
begin = clock.Elapsed;
// TODO: the water needs nothing, so it can boil while the sauce is made: this dinner should be
// ready after its longest chain of steps (chop, then simmer; in "slow-water", the water), not
// after the sum of the steps.
await Step("water", "boil", boil);
await MakeSauce();
var concurrent = clock.Elapsed - begin;
Log($"concurrent dinner ready after {concurrent.TotalSeconds:F1}s: the longest chain, {longestChain}");
Log($"cooking concurrently saved {(sequential - concurrent).TotalSeconds:F1}s");

async Task MakeSauce()
{
    await Step("vegetables", "chop", 0.3);
    await Step("sauce", "simmer", 0.4); // the sauce needs the chopped vegetables
}

async Task Step(string name, string verb, double seconds)
{
    Log($"{name}: started ({verb}, {seconds}s)");
    await Task.Delay(TimeSpan.FromSeconds(seconds)); // a timer stands in for the waiting
    Log($"{name}: finished"); // runs on a thread-pool thread: console apps have no event loop
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
