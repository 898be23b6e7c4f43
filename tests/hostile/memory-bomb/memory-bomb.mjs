// Takes memory and never gives it back, 50 MB at a time, until something stops it.
console.log("[0.0s] allocating without end");
const blocks = [];
while (true) blocks.push(Buffer.alloc(50_000_000, 1));
