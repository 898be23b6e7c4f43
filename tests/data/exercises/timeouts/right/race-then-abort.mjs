// Deadlines in JavaScript: the waiting is a race against the deadline as before; when the
// deadline wins, the report is aborted and waited for until it has stopped.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slower" the work needs 0.9 s and the deadlines are 0.6 s, so that times written in by hand show.
// Leave this as it is.
const [NEEDS, DEADLINE] = process.env.ROSETTA_SCENARIO === "slower" ? [0.9, 0.6] : [0.5, 0.3];
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function work(name, signal) {
  try {
    await sleep(NEEDS * 1000, undefined, { signal });
    log(`${name}: finished`);
  } catch (error) {
    if (error.name === "AbortError") log(`${name}: cancelled`);
    throw error;
  }
}

// The promise's value, or "timeout" when `ms` pass first.
async function withDeadline(promise, ms) {
  const deadline = new AbortController();
  const timer = sleep(ms, "timeout", { signal: deadline.signal });
  timer.catch(() => {}); // an aborted timer rejects; nobody needs to hear about it
  try {
    return await Promise.race([promise, timer]);
  } finally {
    deadline.abort(); // stop the timer, or it keeps the process alive
  }
}

log(`report: started (needs ${NEEDS}s, deadline ${DEADLINE}s)`);
const stopReport = new AbortController();
const report = work("report", stopReport.signal);
if ((await withDeadline(report, DEADLINE * 1000)) === "timeout") {
  stopReport.abort();
  await report.catch(() => {}); // it rejects with the AbortError once it has stopped
  log("report: timeout, the work was stopped");
}

log(`backup: started (needs ${NEEDS}s, deadline ${DEADLINE}s)`);
const backup = work("backup");
if ((await withDeadline(backup, DEADLINE * 1000)) === "timeout") {
  log("backup: timeout, stopped waiting but the work goes on");
}
await backup;
log(`done after ${seconds().toFixed(1)}s`);
