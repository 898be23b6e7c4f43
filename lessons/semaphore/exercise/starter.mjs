// At most N at a time in JavaScript: the server takes two downloads at once, but this program
// starts all four and lets all four run. Node has no semaphore built in: write a small one, so
// that all four still start at once and no more than two run.
import { setTimeout as sleep } from "node:timers/promises";

const LIMIT = 2;
const downloads = { "cat.jpg": 0.4, "dog.jpg": 0.6, "owl.jpg": 0.4, "fox.jpg": 0.4 }; // seconds each
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);
let running = 0; // one thread: a plain counter is safe between awaits

async function download(name, duration) {
  const queued = seconds();
  // TODO: at most LIMIT downloads may be past this point at once; the others wait here.
  running += 1;
  log(`${name}: started (${running} running, waited ${(seconds() - queued).toFixed(1)}s)`);
  await sleep(duration * 1000);
  running -= 1;
  log(`${name}: finished`);
}

const names = Object.keys(downloads);
log(`${names.length} downloads, at most ${LIMIT} at a time`);
await Promise.all(names.map((name) => download(name, downloads[name])));
const durations = Object.values(downloads);
const oneByOne = durations.reduce((sum, d) => sum + d, 0), allAtOnce = Math.max(...durations);
log(`all done after ${seconds().toFixed(1)}s (one at a time: ${oneByOne.toFixed(1)}s, all at once: ${allAtOnce.toFixed(1)}s)`);
