// Sync vs async in JavaScript: a blocking wait holds the one thread that runs every timer and
// promise callback, so the heartbeat never gets a turn; an awaited timer leaves the thread free.
import { setTimeout as sleep, setInterval as every } from "node:timers/promises";

const downloads = [["weather", 0.2], ["news", 0.6], ["sports", 1.0]]; // name, seconds
const BEAT = 0.4; // the heartbeat ticks every 0.4s, 0.2s away from every download
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

// JavaScript has no blocking sleep on purpose. Atomics.wait on a SharedArrayBuffer is the one
// way to block the thread, and it stands in here for any synchronous call (readFileSync, a CPU loop).
const blocker = new Int32Array(new SharedArrayBuffer(4));
function downloadBlocking(name, duration) {
  Atomics.wait(blocker, 0, 0, duration * 1000); // nobody ever notifies: it just times out
  log(`${name}: finished`);
}

async function download(name, duration) {
  await sleep(duration * 1000); // the thread goes back to the event loop while the timer runs
  log(`${name}: finished`);
}

async function heartbeat(phase, signal) {
  try {
    for await (const _ of every(BEAT * 1000, undefined, { signal })) log(`heartbeat: tick (${phase})`);
  } catch (error) {
    if (error.name !== "AbortError") throw error; // stopped: that is how a heartbeat ends
  }
}

log(`blocking: ${downloads.length} downloads one after the other, heartbeat every ${BEAT}s`);
let stop = new AbortController();
let beat = heartbeat("blocking", stop.signal); // its timer is set, but a tick needs the thread
let begin = seconds();
for (const [name, duration] of downloads) {
  log(`${name}: started`);
  downloadBlocking(name, duration); // no await anywhere: the event loop never runs
}
log(`blocking: done after ${(seconds() - begin).toFixed(1)}s, the sum of the downloads`);
stop.abort(); // stopped before its first tick could run: the heartbeat printed nothing
await beat;

log(`awaiting: ${downloads.length} downloads at once, heartbeat every ${BEAT}s`);
stop = new AbortController();
beat = heartbeat("awaiting", stop.signal);
begin = seconds();
for (const [name] of downloads) log(`${name}: started`);
await Promise.all(downloads.map(([name, duration]) => download(name, duration)));
log(`awaiting: done after ${(seconds() - begin).toFixed(1)}s, the longest download`);
stop.abort();
await beat;
