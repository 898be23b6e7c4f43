// Aborts: SIGABRT, the way a C library gives up.
console.log("[0.0s] aborting");
process.abort();
