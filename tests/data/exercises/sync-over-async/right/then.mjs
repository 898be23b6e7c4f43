// Sync over async in JavaScript: step 2 goes on in a .then() callback, which runs once the answer
// is there; the module awaits the chain.
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const seconds = (since = start) => ((performance.now() - since) / 1000).toFixed(1);
const log = (message) => console.log(`[${seconds()}s] ${message}`);

async function fetchAnswer() {
  await sleep(200); // stands for I/O: only the event loop can wake it up
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
await fetchAnswer().then((answer) => log(`answer ${answer} after ${seconds(began)}s`));
