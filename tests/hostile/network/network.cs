// Tries to reach this machine through the Docker bridge's gateway, and lists its network interfaces.
// The tests listen at Host:Port and point these two constants at their listener.
using System.Net.NetworkInformation;
using System.Net.Sockets;

const string Host = "172.17.0.1";
const int Port = 47999;

var names = NetworkInterface.GetAllNetworkInterfaces().Select(nic => nic.Name).Order();
Console.Write($"[0.0s] interfaces: {string.Join(" ", names)}\n");
using var client = new TcpClient();
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
try
{
    await client.ConnectAsync(Host, Port, deadline.Token);
    Console.Write("[0.0s] connect: reached\n");
}
catch (SocketException error)
{
    Console.Write($"[0.0s] connect: blocked ({error.SocketErrorCode})\n");
}
catch (OperationCanceledException)
{
    Console.Write("[0.0s] connect: blocked (timed out)\n");
}
