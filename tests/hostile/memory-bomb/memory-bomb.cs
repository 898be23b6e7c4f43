// Takes memory and never gives it back, 50 MB at a time, until something stops it.
Console.Write("[0.0s] allocating without end\n");
var blocks = new List<byte[]>();
while (true)
{
    var block = new byte[50_000_000];
    Array.Fill(block, (byte)1); // touch every page, so that the memory is really used
    blocks.Add(block);
}
