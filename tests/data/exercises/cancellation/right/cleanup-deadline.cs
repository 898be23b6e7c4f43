// Cancellation in C#: the cleanup gets a token of its own, a deadline of 5 s, instead of the
// export's cancelled one.
using System.Diagnostics;
using System.Globalization;

const int Chunks = 5;
const double Chunk = 0.4, StopAt = 1.0;
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-cleanup" removing the partial file takes 0.6 s, so a cleanup that does not wait shows.
// Leave this as it is.
var cleanup = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "slow-cleanup" ? 0.6 : 0.2;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();

Log($"export: started ({Chunks} chunks of {Chunk}s)");
using var cts = new CancellationTokenSource();
var exporting = Export(cts.Token);
await Task.Delay(TimeSpan.FromSeconds(StopAt));
Log("main: stop the export");
await cts.CancelAsync();
try
{
    await exporting;
    Log("main: the export finished");
}
catch (OperationCanceledException)
{
    Log("main: the export was cancelled and cleaned up");
}

async Task WriteChunk(int number, CancellationToken token)
{
    await Task.Delay(TimeSpan.FromSeconds(Chunk), token);
    Log($"export: chunk {number} written");
}

async Task Export(CancellationToken token)
{
    var chunk = 0;
    try
    {
        for (chunk = 1; chunk <= Chunks; chunk++)
        {
            token.ThrowIfCancellationRequested();
            await WriteChunk(chunk, token);
        }
        Log("export: finished");
    }
    catch (OperationCanceledException)
    {
        Log($"export: cancelled during chunk {chunk}");
        throw;
    }
    finally
    {
        using var cleanupDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(cleanup), cleanupDeadline.Token);
        Log("export: cleanup done, partial file removed");
    }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
