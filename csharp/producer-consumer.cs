// Producer and consumer in C#: a bounded Channel<T> is a buffer with back-pressure.
// With FullMode.Wait, WriteAsync waits while the channel is full; ReadAllAsync ends
// once the writer has called Complete() and every item has been read.
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

const int Shelf = 2; // shelf places
const double Bake = 0.1, Pack = 0.5; // seconds per loaf to bake / pack
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "five-loaves" the oven bakes five loaves, and loaves 4 and 5 both find the shelf full.
var loaves = Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "five-loaves" ? 5 : 4;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.1s", never "0,1s"
var clock = Stopwatch.StartNew();

// cheat sheet: bounded-queue
var shelf = Channel.CreateBounded<int>(new BoundedChannelOptions(Shelf)
{
    FullMode = BoundedChannelFullMode.Wait, // the default; DropOldest/DropNewest/DropWrite lose items instead
    // end cheat sheet
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
            // cheat sheet: bounded-queue
            await shelf.WriteAsync(loaf); // completes when the packer has taken a loaf
            // end cheat sheet
            Log($"loaf {loaf} on the shelf after waiting {(clock.Elapsed - waiting).TotalSeconds:F1}s");
        }
        Log("oven: finished");
    }
    finally
    {
        shelf.Complete(); // no sentinel needed, and it takes no place on the shelf
    }
}

async Task Packer(ChannelReader<int> shelf)
{
    // cheat sheet: bounded-queue
    await foreach (var loaf in shelf.ReadAllAsync())
    // end cheat sheet
    {
        await Task.Delay(TimeSpan.FromSeconds(Pack));
        Log($"packed loaf {loaf}");
    }
    Log("packer: finished");
}

// Oven and Packer resume on thread-pool threads; Console.Write is thread-safe, and every line
// is printed whole by one call.
void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
