// The kitchen with Promise.allSettled: it waits for both, whatever happens to either.
import { setTimeout as sleep } from "node:timers/promises";

const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function step(name, verb, duration) {
  log(`${name}: started (${verb}, ${duration}s)`);
  await sleep(duration * 1000); // a timer stands in for the waiting; the cook is free meanwhile
  log(`${name}: finished`);
}

async function makeSauce() {
  await step("vegetables", "chop", 0.3);
  await step("sauce", "simmer", 0.4); // the sauce needs the chopped vegetables
}

log("sequential dinner");
let begin = seconds();
await step("water", "boil", 0.5); // nothing else happens until the water boils
await makeSauce();
const sequential = seconds() - begin;
log(`sequential dinner ready after ${sequential.toFixed(1)}s: the sum of the steps`);

log("concurrent dinner");
begin = seconds();
const dishes = [step("water", "boil", 0.5), makeSauce()];
await Promise.allSettled(dishes);
const concurrent = seconds() - begin;
log(`concurrent dinner ready after ${concurrent.toFixed(1)}s: the longest chain, chop then simmer`);
log(`cooking concurrently saved ${(sequential - concurrent).toFixed(1)}s`);
