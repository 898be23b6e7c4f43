// Waits for something that never comes. The timer keeps Node alive: a bare
// never-settling Promise would not, and Node would simply exit.
console.log("[0.0s] waiting forever");
await new Promise((resolve) => setTimeout(resolve, 2 ** 31 - 1));
