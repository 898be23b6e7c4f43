// Fails fast: .NET writes the reason to stderr and aborts the process (SIGABRT).
Console.Write("[0.0s] aborting\n");
Environment.FailFast("the example gives up");
