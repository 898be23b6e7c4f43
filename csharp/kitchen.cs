// The kitchen in C#: awaiting one step after another is sequential; starting the water and the
// sauce, then awaiting Task.WhenAll, lets the water boil while the sauce is made. No step holds a
// thread while it waits: the steps overlap because they wait, not because threads work side by side.
using System.Diagnostics;
using System.Globalization;

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-water" the water boils for 0.9 s, longer than chopping then simmering (0.3 + 0.4 s).
var slowWater = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "slow-water";
var boil = slowWater ? 0.9 : 0.5; // seconds the water takes to boil
var longestChain = slowWater ? "boil" : "chop then simmer"; // the chain of steps that takes longest
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
var clock = Stopwatch.StartNew();

// part: sequential
Log("sequential dinner");
var begin = clock.Elapsed;
await Step("water", "boil", boil); // nothing else happens until the water boils
await MakeSauce();
var sequential = clock.Elapsed - begin;
Log($"sequential dinner ready after {sequential.TotalSeconds:F1}s: the sum of the steps");
// end part

// part: concurrent
Log("concurrent dinner");
begin = clock.Elapsed;
// Each call returns a task that is already running (a "hot" task); Task.WhenAll only waits for both.
await Task.WhenAll(Step("water", "boil", boil), MakeSauce());
var concurrent = clock.Elapsed - begin;
Log($"concurrent dinner ready after {concurrent.TotalSeconds:F1}s: the longest chain, {longestChain}");
// end part
Log($"cooking concurrently saved {(sequential - concurrent).TotalSeconds:F1}s");

// part: sauce
async Task MakeSauce()
{
    await Step("vegetables", "chop", 0.3);
    await Step("sauce", "simmer", 0.4); // the sauce needs the chopped vegetables
}
// end part

// part: step
async Task Step(string name, string verb, double seconds)
{
    Log($"{name}: started ({verb}, {seconds}s)");
    await Task.Delay(TimeSpan.FromSeconds(seconds)); // a timer stands in for the waiting
    Log($"{name}: finished"); // runs on a thread-pool thread: console apps have no event loop
}
// end part

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
