// Blocking in JavaScript: a CPU-bound call holds the only JS thread, so no timer, I/O or promise
// callback runs until it returns; a worker thread (this same file, loaded again) keeps it free.
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const TICK = 0.1, STEP = 0.5; // the ticker should tick every 0.1s; the CPU step takes 0.5s
const clock = () => performance.timeOrigin + performance.now(); // ms, the same clock in every thread
const start = clock();
const seconds = () => (clock() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

// CPU-bound work that runs until a time on the clock, so it lasts as long on any machine.
function crunch(until) {
  while (clock() < until);
}

async function tick(ticks, signal) {
  try {
    for (;;) {
      await sleep(TICK * 1000, undefined, { signal });
      ticks.push(clock());
    }
  } catch (error) {
    if (error.name !== "AbortError") throw error;
  }
}

async function phase(number, title, step) {
  log(`${number}. ${title}`);
  const ticks = [], stop = new AbortController();
  const ticker = tick(ticks, stop.signal);
  log(`ticker: started (a tick every ${TICK}s)`);
  await sleep(2 * TICK * 1000);
  log(`crunch: started (${STEP}s of CPU)`);
  const began = clock();
  await step(began + STEP * 1000);
  log("crunch: finished");
  await sleep(2 * TICK * 1000); // give a late tick the chance to arrive
  stop.abort();
  await ticker;
  log("ticker: finished");
  // The longest wait for a tick once the step began. Earlier ticks do not count, so a tick due
  // at the very moment the step starts cannot change the answer.
  const times = [began, ...ticks.filter((t) => t > began)];
  const silent = Math.max(...times.slice(1).map((t, i) => (t - times[i]) / 1000));
  const verdict = silent > 3 * TICK ? "the ticker froze" : "the ticker kept ticking";
  log(`${number}. longest time without a tick ${silent.toFixed(1)}s: ${verdict}`);
}

async function onTheMainThread(until) {
  crunch(until); // a plain call: until it returns, no other callback can run
}

async function inAWorker(until) {
  // A worker has its own JS thread and event loop; it takes some milliseconds to start,
  // which is why it gets the deadline rather than a duration.
  // cheat sheet: offload-blocking
  const worker = new Worker(new URL(import.meta.url), { workerData: { until } });
  await once(worker, "message"); // rejects if the worker throws
  // end cheat sheet
}

if (isMainThread) {
  await phase(1, "CPU work called straight from async code", onTheMainThread);
  await phase(2, "CPU work moved to another thread", inAWorker);
} else {
  crunch(workerData.until);
  parentPort.postMessage("done");
}
