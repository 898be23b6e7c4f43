// At most N at a time in JavaScript: a limiter, in the way of p-limit, runs a function when a
// place is free; download() runs its transfer through it.
import { setTimeout as sleep } from "node:timers/promises";

const LIMIT = 2;
const downloads = { "cat.jpg": 0.4, "dog.jpg": 0.6, "owl.jpg": 0.4, "fox.jpg": 0.4 }; // seconds each
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);
let running = 0; // one thread: a plain counter is safe between awaits
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "cat-fails"
// the server resets cat.jpg's connection after 0.1 s. Leave this part as it is.
const fails = process.env.ROSETTA_SCENARIO === "cat-fails" ? "cat.jpg" : null;

async function transfer(name, duration) { // the download's work, as the server does it
  if (name === fails) {
    await sleep(100);
    log(`${name}: failed: connection reset`);
    throw new Error(`${name}: connection reset`);
  }
  await sleep(duration * 1000);
}

function limiter(places) {
  let active = 0;
  const waiting = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return async (work) => {
    if (active >= places) await new Promise((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      next();
    }
  };
}

const limit = limiter(LIMIT);

async function download(name, duration) {
  const queued = seconds();
  try {
    await limit(async () => {
      running += 1;
      log(`${name}: started (${running} running, waited ${(seconds() - queued).toFixed(1)}s)`);
      try {
        await transfer(name, duration);
        log(`${name}: finished`);
      } finally {
        running -= 1;
      }
    });
  } catch {
    // transfer() has reported it; the other downloads go on
  }
}

const names = Object.keys(downloads);
log(`${names.length} downloads, at most ${LIMIT} at a time`);
await Promise.all(names.map((name) => download(name, downloads[name])));
const durations = Object.values(downloads);
const oneByOne = durations.reduce((sum, d) => sum + d, 0), allAtOnce = Math.max(...durations);
log(`all done after ${seconds().toFixed(1)}s (one at a time: ${oneByOne.toFixed(1)}s, all at once: ${allAtOnce.toFixed(1)}s)`);
