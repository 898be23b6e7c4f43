// A loop that never ends and never waits: only a kill from outside stops it.
Console.Write("[0.0s] spinning forever\n");
while (true) { }
