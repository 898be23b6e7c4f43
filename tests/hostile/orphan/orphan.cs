// Leaves a child behind: a shell that starts `sleep` in the background and exits at once, so that
// the sleep is nobody's child (a double fork); it sleeps on, holding stdout, after its parent has exited.
using System.Diagnostics;

var shell = new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 987 &" } };
Process.Start(shell)!.WaitForExit();
Console.Write("[0.0s] parent: exiting; a child sleeps on\n");
