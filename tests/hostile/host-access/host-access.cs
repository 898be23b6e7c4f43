// Looks for the host from inside the sandbox: writes outside /tmp and the working folder,
// the processes /proc shows, and any environment there that holds the tests' secret.
foreach (var folder in new[] { "/", "/etc", "/usr", "/job", "/job/src", "/tmp", "." })
{
    try
    {
        File.WriteAllText(Path.Combine(folder, "hostile-probe"), "x");
        Console.Write($"[0.0s] write {folder}: allowed\n");
    }
    catch (Exception error) when (error is IOException or UnauthorizedAccessException)
    {
        Console.Write($"[0.0s] write {folder}: refused\n");
    }
}

var names = new SortedSet<string>(StringComparer.Ordinal);
var secrets = 0;
foreach (var dir in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
{
    try
    {
        names.Add(File.ReadAllText($"{dir}/comm").Trim());
        if (File.ReadAllText($"{dir}/environ").Contains("ASYNC_ROSETTA_SECRET")) secrets++;
    }
    catch (Exception error) when (error is IOException or UnauthorizedAccessException)
    {
        // gone already, or not ours to read
    }
}
Console.Write($"[0.0s] processes: {string.Join(" ", names)}\n");
Console.Write($"[0.0s] secret: {(secrets > 0 ? "found" : "not found")}\n");
