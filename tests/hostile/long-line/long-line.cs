// One line of 10 MB that never ends with a newline.
Console.Out.Write("[0.0s] one endless line: " + new string('y', 10_000_000));
Console.Out.Flush();
