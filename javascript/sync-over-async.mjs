// Sync over async in JavaScript: no call blocks until a promise settles, because it can settle
// only on this same thread, once the running code has returned. A loop that spins waiting for it
// spins for ever; this one gives up after a timeout, so the program sees that it is stuck.
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const seconds = (since = start) => ((performance.now() - since) / 1000).toFixed(1);
const log = (message) => console.log(`[${seconds()}s] ${message}`);

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "click-while-waiting" the answer takes 0.4 s, and at 0.7 s a click needs this same thread.
const click = process.env.ROSETTA_SCENARIO === "click-while-waiting";
const delay = click ? 400 : 200; // milliseconds until the answer
if (click) setTimeout(log, 700, "a click, handled on the same thread"); // runs when the thread is free

async function fetchAnswer() {
  await sleep(delay); // stands for I/O: only the event loop can wake it up
  return 42;
}

// Sync code that needs an async answer: starts fetchAnswer() and spins until it is there.
function fetchBlocking(timeout) {
  let settled = false, answer;
  fetchAnswer().then((value) => {
    settled = true; // a promise callback: it can run only after fetchBlocking has returned
    answer = value;
  });
  const deadline = performance.now() + timeout * 1000;
  while (!settled) {
    if (performance.now() > deadline) throw new DOMException("no answer in time", "TimeoutError");
  }
  return answer;
}

log("1. block until the answer is there");
let began = performance.now();
try {
  fetchBlocking(0.5);
} catch (error) {
  if (error.name !== "TimeoutError") throw error;
  log(`stuck after ${seconds(began)}s: the answer needs the thread that is waiting for it`);
}

log("2. await the answer");
began = performance.now();
const answer = await fetchAnswer(); // this module's code is suspended; the thread is free for the timer
log(`answer ${answer} after ${seconds(began)}s`);
