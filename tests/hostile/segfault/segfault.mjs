// JavaScript cannot read a bad address, so the program sends itself the signal the kernel
// would send: SIGSEGV, which Node does not handle.
console.log("[0.0s] sending itself SIGSEGV");
process.kill(process.pid, "SIGSEGV");
setTimeout(() => console.log("[0.0s] never printed"), 1000);
