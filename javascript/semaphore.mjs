// At most N at a time in JavaScript: there is no semaphore built in, so here is a small
// one. acquire() resolves at once while a place is free, otherwise when release() hands
// one over; release() belongs in a `finally`, or a failed task keeps its place for ever.
import { setTimeout as sleep } from "node:timers/promises";

const LIMIT = 2;
const downloads = { "cat.jpg": 0.4, "dog.jpg": 0.6, "owl.jpg": 0.4, "fox.jpg": 0.4 }; // seconds each
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);
let running = 0; // one thread: a plain counter is safe between awaits
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "cat-fails"
// the server resets cat.jpg's connection after 0.1 s.
const fails = process.env.ROSETTA_SCENARIO === "cat-fails" ? "cat.jpg" : null;

class Semaphore {
  #free;
  #waiting = []; // resolve functions, first come first served
  constructor(limit) { this.#free = limit; }

  async acquire() {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise((resolve) => this.#waiting.push(resolve));
  }

  release() {
    // Hand the place straight to the next waiter, so that no newcomer can slip in before it.
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

async function transfer(name, duration) { // the download's work, as the server does it
  if (name === fails) {
    await sleep(100);
    log(`${name}: failed: connection reset`);
    throw new Error(`${name}: connection reset`);
  }
  await sleep(duration * 1000);
}

async function download(gate, name, duration) {
  const queued = seconds();
  try {
    // cheat sheet: limit-concurrency
    await gate.acquire();
    try {
    // end cheat sheet
      running += 1;
      log(`${name}: started (${running} running, waited ${(seconds() - queued).toFixed(1)}s)`);
      await transfer(name, duration);
      log(`${name}: finished`);
    // cheat sheet: limit-concurrency
    } finally {
      running -= 1;
      gate.release();
    }
    // end cheat sheet
  } catch {
    // transfer() has reported it; the other downloads go on
  }
}

const names = Object.keys(downloads);
log(`${names.length} downloads, at most ${LIMIT} at a time`);
// cheat sheet: limit-concurrency
const gate = new Semaphore(LIMIT);
// end cheat sheet
// Every call starts at once and runs up to acquire(): the semaphore, not the caller, holds two back.
await Promise.all(names.map((name) => download(gate, name, downloads[name])));
const durations = Object.values(downloads);
const oneByOne = durations.reduce((sum, d) => sum + d, 0), allAtOnce = Math.max(...durations);
log(`all done after ${seconds().toFixed(1)}s (one at a time: ${oneByOne.toFixed(1)}s, all at once: ${allAtOnce.toFixed(1)}s)`);
