// Prints the names of the environment variables it was given, and whether the tests' secret is one.
using System.Collections;

var names = Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal);
Console.Write($"[0.0s] environment: {string.Join(" ", names)}\n");
var found = Environment.GetEnvironmentVariable("ASYNC_ROSETTA_SECRET") is not null;
Console.Write($"[0.0s] secret: {(found ? "found" : "not found")}\n");
