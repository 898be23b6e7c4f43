// Fetching in C#: one shared HttpClient and GetFromJsonAsync. Awaiting one request after
// another takes the sum of the delays; starting them all and awaiting Task.WhenAll the slowest.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.5s", never "0,5s"
// One client for the whole program: it pools connections. A client per request (in a using
// block) leaves sockets behind in TIME_WAIT and can exhaust them under load.
var api = new HttpClient { BaseAddress = new Uri(Environment.GetEnvironmentVariable("API_URL") ?? "http://127.0.0.1:8080") };
// Warm-up: the first request of a program loads and compiles (JIT) HttpClient's connection code
// and the JSON code: a one-off 0.1-0.2 s that is no part of what this lesson times, the requests.
// Node's first fetch pays the same (loading undici), so all three examples start the clock after one.
await api.GetFromJsonAsync("/delay?ms=0&name=warm-up", AnswerJson.Default.Answer);
var clock = Stopwatch.StartNew();
(string Name, int Ms)[] stations = [("oslo", 500), ("lima", 100), ("cairo", 300)]; // how long the API takes, in ms

// part: one-after-another
Log("one after another");
foreach (var (name, ms) in stations)
{
    Log($"{name}: started (the API needs {ms / 1000.0:F1}s)");
    await Fetch(name, ms); // the next request is not even sent until this one answers
}
var sequential = clock.Elapsed;
Log($"one after another: {stations.Length} answers after {sequential.TotalSeconds:F1}s, the sum of the delays");
// end part

// part: all-at-once
Log("all at once");
foreach (var (name, ms) in stations) Log($"{name}: started (the API needs {ms / 1000.0:F1}s)");
// Each Fetch(...) call sends its request at once (a "hot" task); Task.WhenAll only waits.
await Task.WhenAll(stations.Select(station => Fetch(station.Name, station.Ms)));
var concurrent = clock.Elapsed - sequential;
Log($"all at once: {stations.Length} answers after {concurrent.TotalSeconds:F1}s, the slowest request");
// end part

// part: an-error-status
Log("berlin: started (the API answers 503 after 0.1s)");
try
{
    // GetFromJsonAsync (like GetStringAsync) checks the status and throws on 4xx/5xx.
    await api.GetFromJsonAsync("/delay?ms=100&name=berlin&status=503", AnswerJson.Default.Answer);
}
catch (HttpRequestException error) when (error.StatusCode is { } status) // GetAsync would not throw
{
    Log($"berlin: failed: HTTP {(int)status}");
}
// end part
Log($"done after {clock.Elapsed.TotalSeconds:F1}s");

// part: fetch-a-station
async Task Fetch(string name, int ms)
{
    var answer = await api.GetFromJsonAsync($"/delay?ms={ms}&name={name}", AnswerJson.Default.Answer);
    Log($"{name}: finished (the API says it waited {answer!.Ms} ms)"); // on a thread-pool thread
}
// end part

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

record Answer(string Name, int Ms);

// File-based apps default to native AOT, which turns reflection-based JSON off: a source-generated
// context works everywhere. Web defaults bind {"name": "oslo", "ms": 500} case-insensitively.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Answer))]
partial class AnswerJson : JsonSerializerContext;
