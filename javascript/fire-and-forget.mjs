// Fire and forget in JavaScript: a promise that rejects with no handler attached is an
// "unhandled rejection", and since Node 15 that crashes the whole process with exit code 1.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function save(duration, fails) {
  await sleep(duration * 1000);
  if (fails) throw new Error("disk full");
}

// Attaching both handlers at once, when the work starts, is what makes a rejection "handled".
// cheat sheet: fire-and-forget
function observe(name, promise) {
  log(`${name}: started`);
  return promise.then(
    () => log(`${name}: finished`),
    (error) => log(`${name}: failed: ${error.message}`),
  );
}
// end cheat sheet

if (process.argv[2] === "--forget") {
  // The wrong way, in a child process of this same file, because it takes the process down.
  save(0.2, true); // the promise is dropped: nobody can ever handle its rejection
  await sleep(600); // never ends: at 0.2s Node prints the error and exits with code 1
} else {
  log("wrong way: start report, keep no reference, never await it");
  log("report: started");
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--forget"],
    { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = ""; // where the dying child writes the error and its stack trace
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  // Give it the same 0.6s as the other languages, or longer if the child starts slowly.
  const [[code]] = await Promise.all([once(child, "close"), sleep(600)]);
  const reason = stderr.match(/^Error: (.*)$/m)?.[1];
  log(`unobserved: report failed: ${reason}; the unhandled rejection crashed the process (a child of this one) with exit code ${code}`);

  log("right way: keep a handle on each one and observe how it ends");
  const begin = seconds();
  const background = [observe("report", save(0.2, true)), observe("backup", save(0.4, false))];
  // cheat sheet: fire-and-forget
  await Promise.allSettled(background); // before leaving, wait for whatever still runs
  // end cheat sheet
  log(`right way: every outcome seen after ${(seconds() - begin).toFixed(1)}s`);
}
