// Retry in C#: each try gets a CancellationTokenSource linked to the user's token and cancelled
// after its own deadline (CancelAfter); an exception filter tells the two apart. A failed try waits
// longer before the next one (back-off), and the user's token stops the whole thing - also in the
// middle of a back-off.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

const int Tries = 3;
const double PerTry = 0.3, Backoff = 0.2, CancelAfter = 0.8; // back-off: 0.2s, then 0.4s
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.3s", never "0,3s"
var api = new HttpClient { BaseAddress = new Uri(Environment.GetEnvironmentVariable("API_URL") ?? "http://127.0.0.1:8080") };
// The clock starts once the API has answered a first request: the first request JIT-compiles
// HttpClient's and the JSON code, a one-off cost that a try's deadline would count.
using (await api.GetAsync("/health")) { }
var clock = Stopwatch.StartNew();

Log($"1. a forecast: up to {Tries} tries of at most {PerTry}s, {Backoff}s apart, then {2 * Backoff}s");
var answer = await GetForecast(CancellationToken.None); // a token nobody cancels
Log($"1. the forecast, after the API counted {answer.Calls} calls with this request's key");

Log($"2. the same again, and the user cancels after {CancelAfter}s");
using var user = new CancellationTokenSource();
var retrying = GetForecast(user.Token);
await Task.Delay(TimeSpan.FromSeconds(CancelAfter));
Log("user: cancel");
await user.CancelAsync(); // the back-off's Task.Delay throws TaskCanceledException
try
{
    await retrying;
}
catch (OperationCanceledException)
{
    Log("2. no forecast: the user cancelled it");
}

async Task<Forecast> GetForecast(CancellationToken userToken)
{
    // One key for every try of this request: the server can tell a retry from a new request.
    var path = $"/flaky?key={Guid.NewGuid():N}&ms=100";
    var problem = "";
    for (var attempt = 1; attempt <= Tries; attempt++)
    {
        Log($"try {attempt}: started");
        // This try's own deadline, linked to the user's token: either one cancels the request.
        using (var tryToken = CancellationTokenSource.CreateLinkedTokenSource(userToken))
        {
            tryToken.CancelAfter(TimeSpan.FromSeconds(PerTry));
            try
            {
                var forecast = await api.GetFromJsonAsync(path, ForecastJson.Default.Forecast, tryToken.Token);
                Log($"try {attempt}: finished");
                return forecast!;
            }
            // Both cancellations throw OperationCanceledException: the filter lets the user's pass.
            catch (OperationCanceledException) when (!userToken.IsCancellationRequested)
            {
                problem = $"timeout after {PerTry}s";
            }
            catch (HttpRequestException error) when (error.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                problem = "failed: HTTP 503"; // "try again later"; a 404 would deserve no retry
            }
        }
        if (attempt < Tries)
        {
            var delay = Backoff * Math.Pow(2, attempt - 1); // exponential back-off (real clients add random jitter)
            Log($"try {attempt}: {problem}, next try in {delay}s");
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), userToken); // only the user's token: no deadline here
            }
            catch (OperationCanceledException)
            {
                Log("retry: cancelled during the back-off");
                throw;
            }
        }
    }
    throw new HttpRequestException($"no answer in {Tries} tries, the last one: {problem}");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

record Forecast(string Key, int Calls);

// File-based apps default to native AOT, which turns reflection-based JSON off: a source-generated
// context works everywhere. Web defaults bind {"key": "...", "calls": 3} case-insensitively.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Forecast))]
partial class ForecastJson : JsonSerializerContext;
