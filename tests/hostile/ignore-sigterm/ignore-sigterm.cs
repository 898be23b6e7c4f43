// Refuses the polite request to stop (SIGTERM, and Ctrl-C's SIGINT), then spins.
using System.Runtime.InteropServices;

using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
Console.Write("[0.0s] ignoring SIGTERM and spinning\n");
while (true) { }
