// LESSON_TITLE in JavaScript: a stub that runs; replace it with the lesson's example.
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const log = (message) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)}s] ${message}`);

async function step(name, seconds) {
  log(`${name}: started`);
  await sleep(seconds * 1000);
  log(`${name}: finished`);
}

await step("LESSON_SLUG", 0.2);
