// A server in C#: the accept loop starts a handler per request, which runs on the loop's thread
// up to its first real await: one that computes first holds the loop, unless Task.Run moves it.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

const double Slow = 0.6, Cpu = 0.6, Later = 0.2; // seconds
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // "0.6s", not "0,6s"
var clock = new Stopwatch();

// HttpListener cannot take port 0: ask the OS for one (a small race).
var probe = new TcpListener(IPAddress.Loopback, 0);
probe.Start();
var port = ((IPEndPoint)probe.LocalEndpoint).Port;
probe.Stop();
using var listener = new HttpListener();
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Start();
var serving = Serve();

using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
// A first request pays one-off costs (JIT): the clock starts after it.
await client.GetStringAsync("/fast");
clock.Start();
Log("server: listening on 127.0.0.1 (on a port the OS chose) and answering");
(int, string, string, string)[] rounds = [
    (1, "slow", "/slow", $"awaits {Slow}s"),
    (2, "cpu", "/cpu", $"computes {Cpu}s on the loop"),
    (3, "cpu", "/cpu-off-loop", $"computes {Cpu}s off the loop")];
foreach (var (number, other, path, what) in rounds)
{
    Log($"{number}. {path} {what}; /fast is due {Later}s after it");
    await Task.WhenAll(Request(other, path), Fast());
}
listener.Stop(); // Serve's GetContextAsync throws
await serving;

async Task Serve()
{
    try
    {
        while (true) _ = Handle(await listener.GetContextAsync()); // not awaited
    }
    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { } // Stop()
}

async Task Handle(HttpListenerContext context)
{
    var path = context.Request.Url!.AbsolutePath;
    if (path == "/slow")
        await Task.Delay(TimeSpan.FromSeconds(Slow)); // waiting: the loop accepts on
    else if (path == "/cpu")
        Crunch(Cpu); // computing before any await: the accept loop waits for it
    else if (path == "/cpu-off-loop")
        await Task.Run(() => Crunch(Cpu)); // a pool thread computes; the loop is free
    else if (path != "/fast")
        context.Response.StatusCode = 404;
    context.Response.Close();
}

async Task Request(string name, string path)
{
    Log($"{name}: started");
    await client.GetStringAsync(path); // throws on 4xx, 5xx
    Log($"{name}: finished");
}

async Task Fast()
{
    var due = clock.Elapsed + TimeSpan.FromSeconds(Later);
    await Task.Delay(TimeSpan.FromSeconds(Later));
    await client.GetStringAsync("/fast");
    var late = Math.Max(0, (clock.Elapsed - due).TotalSeconds); // a timer may fire a bit early
    Log($"fast: finished {late:F1}s after it was due");
}

void Crunch(double seconds)
{
    var until = clock.Elapsed + TimeSpan.FromSeconds(seconds);
    while (clock.Elapsed < until) { }
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");
