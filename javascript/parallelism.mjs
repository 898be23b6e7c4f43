// Parallelism in JavaScript: two CPU-bound steps in two workers run side by side on two cores.
// Each Worker has its own thread, V8 isolate and event loop; here it loads this same file again.
import { once } from "node:events";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const STEP = 0.5; // one step: as many numbers as one thread can test for primes in 0.5s
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
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
  for (; n < below && performance.now() < until; n++) isPrime(n);
  return n;
}

async function inAWorker(below) {
  const worker = new Worker(new URL(import.meta.url), { workerData: below });
  const [tested] = await once(worker, "message"); // rejects if the worker throws
  return tested;
}

function report(number, began) {
  // Compare with one step, rounded: a busy machine stretches CPU time, but not 1 into 2.
  const steps = Math.round((seconds() - began) / STEP);
  const verdict = steps === 1 ? "in parallel" : "one at a time";
  log(`${number}. both finished in about the time of ${steps} step${steps === 1 ? "" : "s"}: ${verdict}`);
}

if (isMainThread) {
  log(`1. one step on one thread: the numbers it can test for primes in ${STEP}s`);
  const below = testNumbers(Infinity, performance.now() + STEP * 1000); // on the main thread: it waits anyway
  log("1. one step: finished");

  log("2. two such steps at once, off the main thread");
  const began = seconds();
  // Each worker takes some milliseconds to start: small beside a 0.5s step.
  await Promise.all([inAWorker(below), inAWorker(below)]);
  report(2, began);
} else {
  parentPort.postMessage(testNumbers(workerData));
}
