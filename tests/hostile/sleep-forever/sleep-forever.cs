// Waits for something that never comes, using no CPU at all.
Console.Write("[0.0s] waiting forever\n");
await Task.Delay(Timeout.Infinite);
