// Parallelism in JavaScript: two CPU-bound steps in two workers run side by side on two cores.
// Each Worker has its own thread, V8 isolate and event loop; here it loads this same file again.
import { once } from "node:events";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const STEP = 0.5; // one step: as many numbers as one thread can test for primes in 0.5s
const clock = () => performance.timeOrigin + performance.now(); // ms, one clock for all threads
const start = clock();
const seconds = () => (clock() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

function isPrime(n) {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

// CPU-bound work: test 2, 3, 4, ... for primes, up to `below` or until the clock passes `until`.
// Returns the first number it did not test.
function testNumbers(below, until = Infinity) {
  let n = 2;
  for (; n < below && clock() < until; n++) isPrime(n);
  return n;
}

// The work in a worker of its own. Starting one takes some milliseconds, in one step and in two.
async function inAWorker(job) {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const [tested] = await once(worker, "message"); // rejects if the worker throws
  return tested;
}

function finished(began) {
  // Compared with one step and rounded: a little load stretches the time, not 1 step into 2.
  const steps = Math.round((seconds() - began) / STEP);
  const verdict = steps === 1 ? "in parallel" : "one at a time";
  return `finished in about the time of ${steps} step${steps === 1 ? "" : "s"}: ${verdict}`;
}

if (isMainThread) {
  log(`1. one step: started (one thread tests numbers for primes for ${STEP}s)`);
  const below = await inAWorker({ below: Infinity, until: clock() + STEP * 1000 });
  log("1. one step: finished");

  log("2. two such steps: started, at once, off the main thread");
  const began = seconds();
  await Promise.all([inAWorker({ below }), inAWorker({ below })]);
  log(`2. two such steps: ${finished(began)}`);
} else {
  parentPort.postMessage(testNumbers(workerData.below, workerData.until));
}
