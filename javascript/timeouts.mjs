// Deadlines in JavaScript: nothing can stop a promise from outside. An AbortSignal
// stops work that accepts it; Promise.race against a timer only stops the waiting.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slower" the work needs 0.9 s and the deadlines are 0.6 s, so that times written in by hand show.
const [NEEDS, DEADLINE] = process.env.ROSETTA_SCENARIO === "slower" ? [0.9, 0.6] : [0.5, 0.3];
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function work(name, signal) {
  try {
    await sleep(NEEDS * 1000, undefined, { signal });
    log(`${name}: finished`);
  } catch (error) {
    if (signal?.aborted) log(`${name}: cancelled`); // ask the signal: the error's name depends on the API
    throw error;
  }
}

log(`report: started (needs ${NEEDS}s, deadline ${DEADLINE}s)`);
// cheat sheet: timeout
const deadline = AbortSignal.timeout(DEADLINE * 1000); // aborts with a DOMException named TimeoutError
try {
  await work("report", deadline);
} catch (error) {
  // end cheat sheet
  // The timer of node:timers/promises rejects with Node's AbortError (its cause: the TimeoutError);
  // fetch would reject with the TimeoutError itself. Whichever it is, the signal says it was the deadline.
  // cheat sheet: timeout
  if (!deadline.aborted) throw error;
  log("report: timeout, the work was stopped");
}
// end cheat sheet

log(`backup: started (needs ${NEEDS}s, deadline ${DEADLINE}s)`);
const backup = work("backup"); // no signal: nothing can stop it
const stopTimer = new AbortController();
const timer = sleep(DEADLINE * 1000, "timeout", { signal: stopTimer.signal });
timer.catch(() => {}); // an aborted timer rejects; nobody needs to hear about it
if ((await Promise.race([backup, timer])) === "timeout") {
  log("backup: timeout, stopped waiting but the work goes on");
} else {
  stopTimer.abort(); // finished in time: stop the timer, or it keeps the process alive
}
await backup;
log(`done after ${seconds().toFixed(1)}s`);
