// Gather in C#: ask three weather stations and list their answers in the order asked.
// The answers come back in the right order, but not at once.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.6s", never "0,6s"
var clock = Stopwatch.StartNew();
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "oslo-first" Oslo answers first, after 0.1 s, then Cairo after 0.3 s, and Lima last, after 0.5 s.
// Leave this part as it is.
(string Name, double Delay, int Celsius)[] stations =
    Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "oslo-first"
        ? [("oslo", 0.1, -3), ("lima", 0.5, 19), ("cairo", 0.3, 31)]
        : [("oslo", 0.3, -3), ("lima", 0.1, 19), ("cairo", 0.2, 31)];

Log($"asking {stations.Length} weather stations at once");
// TODO: ask all three at once; the results must still be in the order asked.
var results = new List<int>();
foreach (var station in stations)
{
    Log($"{station.Name}: started");
    results.Add(await Temperature(station));
}
var answers = string.Join(", ", stations.Zip(results, (station, celsius) => $"{station.Name} {celsius} C"));
Log($"results in the order asked: {answers}");
var everything = stations.Sum(station => station.Delay);
Log($"all {results.Count} answers after {clock.Elapsed.TotalSeconds:F1}s: the slowest station, not the sum {everything:F1}s");

async Task<int> Temperature((string Name, double Delay, int Celsius) station)
{
    await Task.Delay(TimeSpan.FromSeconds(station.Delay));
    Log($"{station.Name}: finished ({station.Celsius} C)");
    return station.Celsius;
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
