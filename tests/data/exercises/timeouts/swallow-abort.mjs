// Deadlines in JavaScript: nothing can stop a promise from outside. An AbortSignal
// stops work that accepts it; Promise.race against a timer only stops the waiting.
import { setTimeout as sleep } from "node:timers/promises";

const NEEDS = 0.5, DEADLINE = 0.3;
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function work(name, signal) {
  try {
    await sleep(NEEDS * 1000, undefined, { signal });
    log(`${name}: finished`);
  } catch (error) {
    if (error.name === "AbortError") log(`${name}: cancelled`);
    else throw error;
  }
}

log(`report: started (needs ${NEEDS}s, deadline ${DEADLINE}s)`);
try {
  // The timer from node:timers/promises listens to the signal and rejects with an AbortError.
  await work("report", AbortSignal.timeout(DEADLINE * 1000));
} catch (error) {
  if (error.name !== "AbortError") throw error;
  log("report: timeout, the work was stopped");
}

log(`backup: started (needs ${NEEDS}s, deadline ${DEADLINE}s)`);
const backup = work("backup"); // no signal: nothing can stop it
const deadline = new AbortController();
const timer = sleep(DEADLINE * 1000, "timeout", { signal: deadline.signal });
timer.catch(() => {}); // an aborted timer rejects; nobody needs to hear about it
if ((await Promise.race([backup, timer])) === "timeout") {
  log("backup: timeout, stopped waiting but the work goes on");
} else {
  deadline.abort(); // finished in time: stop the timer, or it keeps the process alive
}
await backup;
log(`done after ${seconds().toFixed(1)}s`);
