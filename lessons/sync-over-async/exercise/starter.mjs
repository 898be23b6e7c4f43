// Sync over async in JavaScript: no call blocks until a promise settles, because it can settle
// only on this same thread, once the running code has returned. A loop that spins waiting for it
// spins for ever; this one gives up after a timeout, so the program sees that it is stuck. Step 1
// shows it on purpose; step 2 is meant to get the answer.
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const seconds = (since = start) => ((performance.now() - since) / 1000).toFixed(1);
const log = (message) => console.log(`[${seconds()}s] ${message}`);

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "click-while-waiting" the answer takes 0.4 s, and at 0.7 s a click needs this same thread.
// Leave this part as it is.
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

// For sync code: the answer if it comes within `timeout` seconds, else the fallback - never a hang.
function answerOr(fallback, timeout = 1) {
  try {
    return fetchBlocking(timeout);
  } catch (error) {
    if (error.name !== "TimeoutError") throw error;
    return fallback;
  }
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
const answer = answerOr(0); // a second is plenty for an answer due in 0.2s
log(`answer ${answer} after ${seconds(began)}s`);
