// A process bomb: start sleeping child processes without end, ignoring every failure.
// Only the sandbox's limit on processes and threads (pids) keeps it from taking the machine.
import { spawn } from "node:child_process";

console.log("[0.0s] spawning without end");
function more() {
  spawn("sleep", ["1000"], { stdio: "ignore" }).on("error", () => {}); // the limit: try again
  setImmediate(more);
}
more();
