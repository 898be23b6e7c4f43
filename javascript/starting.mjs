// Starting in JavaScript: calling an async function runs its body at once, synchronously, up to
// its first await; only then does the call return a Promise. There is no separate "start".
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const inStock = { tea: true, milk: true, coffee: false };
const log = (message) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)}s] ${message}`);

async function brew(drink, seconds) {
  log(`order: ${drink}: body starts`);
  // Thrown before the first await, yet the call does not throw: the Promise it returns rejects.
  if (!inStock[drink]) throw new Error(`out of ${drink}`);
  await sleep(seconds * 1000);
  log(`${drink}: finished`);
}

log("1. call brew(tea), then await it");
const tea = brew("tea", 0.3); // the body has already run up to its first await
log("order: main: the call returned a Promise");
log("order: main: awaits tea");
await tea;

log("2. start brew(milk) without awaiting it, await it 0.1s later");
// cheat sheet: start-a-task
const milk = brew("milk", 0.2); // calling is starting: no create_task needed
// end cheat sheet
log("order: main: the call returned a Promise");
log("order: main: waits 0.1s for something else");
// cheat sheet: start-a-task
await sleep(100);
await milk;
// end cheat sheet

log("3. call brew(coffee), which fails before its first await");
const coffee = brew("coffee", 0.1);
log("order: main: the call returned, no exception yet");
try {
  await coffee; // handled in time: had main awaited a timer first, Node would crash (unhandled rejection)
} catch (error) {
  log(`coffee: failed: ${error.message}`);
}
