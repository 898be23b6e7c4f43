// Who runs next in JavaScript: one thread. Every await gives way, but only to the microtask queue
// (promise callbacks); a timer that is already due waits until the microtasks run out and the
// event loop gets a turn.
import { setImmediate } from "node:timers/promises";

const AWAITS = 1000, STEP = 0.2; // 1000 awaits of work that takes 0.2 ms and never waits: 0.2s in all
const start = performance.now();
const seconds = (since = start) => ((performance.now() - since) / 1000).toFixed(1);
const log = (message) => console.log(`[${seconds()}s] ${message}`);

// CPU work with no await inside: the call runs it, and the promise it returns is already fulfilled.
async function work(until) {
  while (performance.now() < until);
}

let fired = false;
log("main: sets a timer due at 0.0s");
const due = performance.now();
const timer = new Promise((resolve) => {
  setTimeout(() => {
    log(`timer: fired ${seconds(due)}s late`);
    fired = true;
    resolve();
  }, 0);
});
log(`main: ${AWAITS} awaits of work that never waits (${(AWAITS * STEP / 1000).toFixed(1)}s of CPU in all)`);
for (let n = 1; n <= AWAITS; n++) {
  await work(start + n * STEP); // waits one microtask: promise callbacks may run, timers may not
}
log(`main: ${AWAITS} awaits done; the timer ${fired ? "has run" : "has not run"}`);
log("main: one real yield");
// setImmediate hands the event loop a turn: it comes back in the loop's check phase. Whether the
// due timer (timers phase) runs first depends on the phase the loop is in when it is called.
await setImmediate();
log(`main: back; the timer ${fired ? "has run" : "has not run yet"}`);
await timer; // a yield is not a wait: to be sure the timer has run, wait for it
log("main: awaited the timer itself: it has run");
