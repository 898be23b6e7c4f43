// Streams in C#: an async iterator (IAsyncEnumerable<T> + yield return) produces values
// as they arrive, `await foreach` consumes them. Leaving the loop early disposes the
// enumerator: DisposeAsync runs the iterator's `finally`, and the loop awaits it.
using System.Diagnostics;
using System.Globalization;

const double Every = 0.2, Closing = 0.2; // seconds between readings, seconds to disconnect
const int Warm = 22; // degrees C
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.2s", never "0,2s"
var clock = Stopwatch.StartNew();

// Unlike an async method, calling an async iterator runs none of its body: it starts at the
// first MoveNextAsync, which `await foreach` makes.
var readings = Sensor();
Log("stream created: no reading taken yet");
var count = 0;
// cheat sheet: async-iteration
await foreach (var celsius in readings)
{
    count++;
    if (celsius >= Warm)
    {
        Log($"reading {count}: {celsius} C, warm enough: break");
        break; // await foreach then awaits the enumerator's DisposeAsync()
    }
    Log($"reading {count}: {celsius} C");
}
// end cheat sheet
Log($"after the loop: {count} readings, and the sensor is already closed");

async IAsyncEnumerable<int> Sensor()
{
    Log("sensor: started");
    try
    {
        for (var celsius = 18; ; celsius += 2) // an endless stream: the consumer decides when to stop
        {
            await Task.Delay(TimeSpan.FromSeconds(Every));
            yield return celsius;
        }
    }
    finally
    {
        // DisposeAsync resumes the iterator here; `await` is allowed in this finally, `yield` is not.
        Log($"sensor: finally block runs, closing the connection ({Closing}s)");
        await Task.Delay(TimeSpan.FromSeconds(Closing));
        Log("sensor: finished (connection closed)");
    }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
