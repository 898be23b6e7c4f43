// Sync over async in JavaScript: the helper lets .then() set the answer and sleeps as long as the
// answer takes here, 0.2 s - a time written in by hand instead of waiting for the answer itself.
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

// The answer, set by .then() once it is there: 0.2 s should be enough.
async function answerOr(fallback) {
  let answer = fallback;
  fetchAnswer().then((value) => (answer = value));
  await sleep(200); // the answer is due in 0.2 s
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
const answer = await answerOr(0);
log(`answer ${answer} after ${seconds(began)}s`);
