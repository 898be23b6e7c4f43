// A loop that never ends and never yields: no timer, no signal handler can run in this thread.
console.log("[0.0s] spinning forever");
while (true) {}
