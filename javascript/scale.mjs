// Ten thousand tasks in JavaScript: each call to an async function is a promise and a suspended
// function on the one JavaScript thread. Nothing holds a thread while it sleeps.
import { setTimeout as sleep } from "node:timers/promises";

const TASKS = 10_000, NAP = 0.5;
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function nap(number) {
  await sleep(NAP * 1000); // Node keeps the timers of one duration in one list: adding one is cheap
  return number;
}

log(`${TASKS} tasks: started (each sleeps ${NAP}s)`);
// Each nap(n) runs at once up to its await, so by the time Promise.all gets the array
// every timer is already set.
const answers = await Promise.all(Array.from({ length: TASKS }, (_, n) => nap(n)));
log(`${answers.length} tasks: finished`);
const took = seconds();
log(`${TASKS} sleeps of ${NAP}s overlapped: ${took.toFixed(1)}s in all, not ${(TASKS * NAP).toFixed(1)}s`);
