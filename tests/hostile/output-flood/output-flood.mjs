// 100 MB of output: a million numbered lines of 100 bytes.
// Writing to a pipe, Node queues what the reader has not taken yet: a loop that never waits for
// "drain" would hold all 100 MB in memory (and end as oom in the sandbox, not output_limit).
import { once } from "node:events";

console.log("[0.0s] flooding");
const filler = "x".repeat(80);
for (let i = 0; i < 1_000_000; i++) {
  if (!process.stdout.write(`line ${String(i).padStart(12)} ${filler}\n`)) {
    await once(process.stdout, "drain");
  }
}
