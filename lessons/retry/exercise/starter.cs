// Retry in C#: a token source per try, linked to the
// user's token and cancelled after its deadline
// (CancelAfter), a growing pause between tries, and the
// user's token must stop it all - pauses too.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

const int Tries = 3;
const double PerTry = 0.4, Backoff = 0.3; // seconds
// In the scenario "early-cancel" (ROSETTA_SCENARIO), the
// user cancels during try 2. Leave this part as it is.
var cancelAfter = Environment.GetEnvironmentVariable(
    "ROSETTA_SCENARIO") == "early-cancel" ? 0.6 : 1.1;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.3s", not "0,3s"
var api = new HttpClient { BaseAddress = new Uri(Environment.GetEnvironmentVariable("API_URL") ?? "http://127.0.0.1:8080") };
// A first request pays one-off costs (JIT): the clock starts after it.
await api.GetStringAsync("/health");
var clock = Stopwatch.StartNew();

Log($"1. a forecast: up to {Tries} tries of at most {PerTry}s, {Backoff}s apart, then {2 * Backoff}s");
var answer = await GetForecast(CancellationToken.None); // a token nobody cancels
Log($"1. the forecast, after the API counted {answer["calls"]} calls with this request's key");

Log($"2. the same again, and the user cancels after {cancelAfter}s");
using var user = new CancellationTokenSource();
var retrying = GetForecast(user.Token);
await Task.Delay(TimeSpan.FromSeconds(cancelAfter));
Log("user: cancel");
await user.CancelAsync();
try
{
    await retrying;
}
catch (OperationCanceledException)
{
    Log("2. no forecast: the user cancelled it");
}

async Task<JsonNode> GetForecast(CancellationToken userToken)
{
    // One key for every try: a retry is no new request.
    var path = $"/flaky?key={Guid.NewGuid():N}&ms=100";
    var problem = "";
    for (var attempt = 1; attempt <= Tries; attempt++)
    {
        Log($"try {attempt}: started");
        // Cancelled by the user or by its deadline:
        using var tryToken = CancellationTokenSource.CreateLinkedTokenSource(userToken);
        tryToken.CancelAfter(TimeSpan.FromSeconds(PerTry));
        try
        {
            var forecast = JsonNode.Parse(await api.GetStringAsync(path, tryToken.Token))!;
            Log($"try {attempt}: finished");
            return forecast;
        }
        // Both throw; the filter lets the user's pass.
        catch (OperationCanceledException) when (!userToken.IsCancellationRequested)
        {
            problem = $"timeout after {PerTry}s";
        }
        catch (HttpRequestException error) when (error.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            problem = "HTTP 503"; // a 404 deserves no retry
        }
        if (attempt == Tries) break;
        var delay = Backoff * Math.Pow(2, attempt - 1);
        Log($"try {attempt}: failed: {problem}, next try in {delay}s");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(delay));
        }
        catch (OperationCanceledException)
        {
            Log("retry: cancelled during the back-off");
            throw;
        }
    }
    throw new HttpRequestException($"no answer in {Tries} tries, the last one: {problem}");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
