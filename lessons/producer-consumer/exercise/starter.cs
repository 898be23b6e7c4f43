// Producer and consumer in C#: the oven writes loaves into a channel and the packer reads them
// until the oven completes it - but nothing holds the oven back. The shelf has room for two
// loaves: when it is full, the oven must wait for the packer.
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

const int Shelf = 2; // shelf places
const double Bake = 0.1, Pack = 0.5; // seconds per loaf to bake / pack
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "five-loaves" the oven bakes five loaves, and loaves 4 and 5 both find the shelf full.
// Leave this part as it is.
var loaves = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "five-loaves" ? 5 : 4;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.1s", never "0,1s"
var clock = Stopwatch.StartNew();

// TODO: the shelf holds Shelf loaves. Why does TryWrite never find it full?
var shelf = Channel.CreateUnbounded<int>(new UnboundedChannelOptions
{
    SingleWriter = true,
    SingleReader = true,
});
Log($"oven: started (a loaf every {Bake}s)");
Log($"packer: started (a loaf every {Pack}s)");
await Task.WhenAll(Oven(shelf.Writer), Packer(shelf.Reader));
Log($"all {loaves} loaves packed after {clock.Elapsed.TotalSeconds:F1}s");

async Task Oven(ChannelWriter<int> shelf)
{
    try
    {
        for (var loaf = 1; loaf <= loaves; loaf++)
        {
            await Task.Delay(TimeSpan.FromSeconds(Bake));
            if (shelf.TryWrite(loaf)) // room on the shelf: written without waiting
            {
                Log($"loaf {loaf} on the shelf");
                continue;
            }
            Log($"loaf {loaf} baked, the shelf is full ({Shelf} loaves): the oven waits");
            var waiting = clock.Elapsed;
            await shelf.WriteAsync(loaf);
            Log($"loaf {loaf} on the shelf after waiting {(clock.Elapsed - waiting).TotalSeconds:F1}s");
        }
        Log("oven: finished");
    }
    finally
    {
        shelf.Complete(); // no more loaves: ReadAllAsync ends after the last one
    }
}

async Task Packer(ChannelReader<int> shelf)
{
    await foreach (var loaf in shelf.ReadAllAsync())
    {
        await Task.Delay(TimeSpan.FromSeconds(Pack));
        Log($"packed loaf {loaf}");
    }
    Log("packer: finished");
}

// Oven and Packer resume on thread-pool threads; Console.Write is thread-safe, and every line
// is printed whole by one call.
void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
