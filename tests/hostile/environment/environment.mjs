// Prints the names of the environment variables it was given, and whether the tests' secret is one.
const names = Object.keys(process.env).sort();
console.log(`[0.0s] environment: ${names.join(" ")}`);
console.log(`[0.0s] secret: ${"ASYNC_ROSETTA_SECRET" in process.env ? "found" : "not found"}`);
