// A server in C#: HttpListener hands out requests one by one, and the accept loop below starts a
// handler for each. A handler runs on the loop's thread until its first real await: one that
// awaits (/slow) frees the loop at once; one that computes first (/cpu) holds it until it is done,
// unless Task.Run moves the work to the thread pool.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

const double Slow = 0.6, Cpu = 0.6, Later = 0.2; // /slow awaits 0.6s, /cpu computes 0.6s, /fast is due 0.2s later
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.6s", never "0,6s"
var clock = new Stopwatch();

// HttpListener cannot listen on port 0: ask the OS for a free port first.
var probe = new TcpListener(IPAddress.Loopback, 0);
probe.Start();
var port = ((IPEndPoint)probe.LocalEndpoint).Port;
probe.Stop();
using var listener = new HttpListener();
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Start();
var serving = Serve(listener);

using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
// The clock starts once the server has answered a first request, as a load test does: the first
// request pays a one-off cost (.NET compiles HttpListener's and HttpClient's code, JIT).
await Get("/fast");
clock.Start();
Log("server: listening on 127.0.0.1 (on a port the OS chose) and answering");
foreach (var (number, other, path, what) in new[]
{
    (1, "slow", "/slow", $"awaits {Slow}s"),
    (2, "cpu", "/cpu", $"computes {Cpu}s on the loop"),
    (3, "cpu", "/cpu-off-loop", $"computes {Cpu}s off the loop"),
})
{
    Log($"{number}. {path} {what}; /fast is due {Later}s after it");
    await Task.WhenAll(Request(other, path), Fast());
}
listener.Stop(); // the pending GetContextAsync fails: the accept loop ends
await serving;

async Task Serve(HttpListener listener)
{
    while (listener.IsListening)
    {
        HttpListenerContext context;
        try
        {
            context = await listener.GetContextAsync();
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException
                                      && !listener.IsListening) // Stop() was called
        {
            return;
        }
        _ = Handle(context); // runs Handle at once, on this thread, up to its first real await
    }
}

async Task Handle(HttpListenerContext context)
{
    switch (context.Request.Url!.AbsolutePath)
    {
        case "/slow":
            await Task.Delay(TimeSpan.FromSeconds(Slow)); // waiting: the loop goes on accepting
            break;
        case "/cpu":
            Crunch(Cpu); // computing before any await: the accept loop waits until it returns
            break;
        case "/cpu-off-loop":
            await Task.Run(() => Crunch(Cpu)); // a pool thread computes; the loop goes on at once
            break;
        case "/fast":
            break;
        default:
            context.Response.StatusCode = 404;
            break;
    }
    context.Response.Close();
}

async Task Get(string path)
{
    using var response = await client.GetAsync(path);
    response.EnsureSuccessStatusCode();
}

async Task Request(string name, string path)
{
    Log($"{name}: started");
    await Get(path);
    Log($"{name}: finished");
}

async Task Fast()
{
    var due = clock.Elapsed + TimeSpan.FromSeconds(Later);
    await Task.Delay(TimeSpan.FromSeconds(Later)); // a timer: it fires on a pool thread, on time
    await Get("/fast");
    var late = Math.Max(0, (clock.Elapsed - due).TotalSeconds); // a timer may fire a little early: never "-0.0s"
    Log($"fast: finished {late:F1}s after it was due");
}

// CPU-bound work that runs for a fixed time on the clock, so it lasts as long on any machine.
void Crunch(double seconds)
{
    var until = clock.Elapsed + TimeSpan.FromSeconds(seconds);
    while (clock.Elapsed < until) { }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
