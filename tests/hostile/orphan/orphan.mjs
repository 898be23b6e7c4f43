// Leaves a child behind: a detached process (a session of its own, out of reach of a kill of the
// parent's process group) that sleeps on, holding stdout, after its parent has exited.
import { spawn } from "node:child_process";

spawn("sleep", ["987"], { detached: true, stdio: "inherit" }).unref();
console.log("[0.0s] parent: exiting; a child sleeps on");
