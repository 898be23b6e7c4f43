// Refuses the polite request to stop (SIGTERM, and Ctrl-C's SIGINT), then spins.
process.on("SIGTERM", () => {});
process.on("SIGINT", () => {});
console.log("[0.0s] ignoring SIGTERM and spinning");
while (true) {}
