// The kitchen in JavaScript: the sequential dinner is right; the concurrent dinner is not
// concurrent yet. Make it ready after the longest step, not after the sum of the steps.
import { setTimeout as sleep } from "node:timers/promises";

const steps = [["water", "boil", 0.6], ["vegetables", "chop", 0.3], ["sauce", "simmer", 0.4]];
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function cook(name, duration) {
  await sleep(duration * 1000); // a timer stands in for real waiting, such as a network call
  log(`${name}: finished`);
}

log("sequential dinner");
let begin = seconds();
for (const [name, verb, duration] of steps) {
  log(`${name}: started (${verb}, ${duration}s)`);
  await cook(name, duration); // nothing else happens until this step is done
}
const sequential = seconds() - begin;
log(`sequential dinner ready after ${sequential.toFixed(1)}s: the sum of the steps`);

log("concurrent dinner");
begin = seconds();
for (const [name, verb, duration] of steps) log(`${name}: started (${verb}, ${duration}s)`);
// TODO: every step was started above, so the dinner should be ready after the longest one.
for (const [name, , duration] of steps) {
  await cook(name, duration);
}
const concurrent = seconds() - begin;
log(`concurrent dinner ready after ${concurrent.toFixed(1)}s: the longest step`);
log(`cooking concurrently saved ${(sequential - concurrent).toFixed(1)}s`);
