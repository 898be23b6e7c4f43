// Resources in C#: three connections, and the query on the second one fails. Every connection must
// be closed - last opened first, each close awaited - before the error is reported.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.1s", never "0,1s"
var clock = Stopwatch.StartNew();

Log("1. open db, cache and search; the query on cache fails");
await using var db = await Connection.OpenAsync("db", Log);
await using var cache = await Connection.OpenAsync("cache", Log, queryFails: true);
await using var search = await Connection.OpenAsync("search", Log);
try
{
    await db.QueryAsync();
    await cache.QueryAsync();
    await search.QueryAsync(); // never runs
}
catch (IOException error)
{
    Log($"1. caught \"{error.Message}\" after every connection had closed");
}

Log("2. open mail; its query fails, and then its closing fails too");
try
{
    await using var mail = await Connection.OpenAsync("mail", Log, queryFails: true, closeFails: true);
    await mail.QueryAsync();
}
catch (IOException error)
{
    // DisposeAsync's exception replaced the query's, as one thrown in a finally block does.
    var inner = error.InnerException?.Message ?? "none";
    Log($"2. caught \"{error.Message}\"; the query's error is lost (InnerException: {inner})");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

// A simulated connection: opening, a query and closing take 0.1s each.
sealed class Connection(string name, Action<string> log, bool queryFails, bool closeFails) : IAsyncDisposable
{
    static readonly TimeSpan Step = TimeSpan.FromSeconds(0.1);
    // The checker also runs this program in the scenario (ROSETTA_SCENARIO) "search-fails-to-open":
    // opening search fails, and closing takes 0.3 s. Leave this part as it is.
    static readonly bool SearchFails = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "search-fails-to-open";
    static readonly TimeSpan Closing = SearchFails ? TimeSpan.FromSeconds(0.3) : Step;

    public static async Task<Connection> OpenAsync(string name, Action<string> log,
                                                   bool queryFails = false, bool closeFails = false)
    {
        log($"{name}: started opening");
        await Task.Delay(Step);
        if (SearchFails && name == "search")
        {
            log($"{name}: opening failed: connection reset");
            throw new IOException("connection reset");
        }
        log($"{name}: open");
        return new Connection(name, log, queryFails, closeFails);
    }

    public async Task QueryAsync()
    {
        await Task.Delay(Step);
        if (queryFails)
        {
            log($"{name}: query failed: connection reset");
            throw new IOException("connection reset");
        }
        log($"{name}: query answered");
    }

    // `await using` calls this when the scope ends, however it ends.
    public async ValueTask DisposeAsync()
    {
        await Task.Delay(Closing);
        if (closeFails)
        {
            log($"{name}: closing failed: socket gone");
            throw new IOException("socket gone");
        }
        log($"{name}: finished closing");
    }
}
