// Cancellation in C#: nothing can interrupt a running task. A CancellationToken is
// passed down to every step; the steps check it or hand it to APIs that observe it.
using System.Diagnostics;
using System.Globalization;

const int Chunks = 5;
const double Chunk = 0.4, StopAt = 1.0;
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-cleanup" removing the partial file takes 0.6 s, so a cleanup that does not wait shows.
var cleanup = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "slow-cleanup" ? 0.6 : 0.2;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();

Log($"export: started ({Chunks} chunks of {Chunk}s)");
// cheat sheet: cancel
using var cts = new CancellationTokenSource();
var exporting = Export(cts.Token);
// end cheat sheet
await Task.Delay(TimeSpan.FromSeconds(StopAt));
Log("main: stop the export");
// cheat sheet: cancel
await cts.CancelAsync(); // .NET 8+: runs the token's callbacks without blocking this thread
try
{
    await exporting; // completes after the cleanup in finally
}
catch (OperationCanceledException)
{
    Log("main: the export was cancelled and cleaned up");
}
// end cheat sheet

async Task WriteChunk(int number, CancellationToken token)
{
    await Task.Delay(TimeSpan.FromSeconds(Chunk), token); // throws TaskCanceledException when cancelled
    Log($"export: chunk {number} written");
}

async Task Export(CancellationToken token)
{
    var chunk = 0;
    try
    {
        for (chunk = 1; chunk <= Chunks; chunk++)
        {
            token.ThrowIfCancellationRequested(); // code that takes no token (CPU work) stops only where it looks
            await WriteChunk(chunk, token);
        }
        Log("export: finished");
    }
    catch (OperationCanceledException)
    {
        Log($"export: cancelled during chunk {chunk}");
        throw; // the task ends Canceled, and the caller sees OperationCanceledException
    }
    // cheat sheet: cleanup-on-cancel
    finally
    {
        // The token is cancelled: passing it to the cleanup would cancel the cleanup at once.
        await Task.Delay(TimeSpan.FromSeconds(cleanup));
        Log("export: cleanup done, partial file removed");
    }
    // end cheat sheet
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
