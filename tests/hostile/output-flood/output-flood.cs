// 100 MB of output: a million numbered lines of 100 bytes.
Console.Write("[0.0s] flooding\n");
var filler = new string('x', 80);
for (var i = 0; i < 1_000_000; i++)
{
    Console.Out.Write($"line {i,12} {filler}\n");
}
