// The kitchen: the water's promise is kept but never awaited; the dinner waits for the sauce alone.
// Right while the sauce takes longest; when the water is slower, the dinner is "ready" before the
// water is, which boils on after the last line.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-water" the water boils for 0.9 s, longer than chopping then simmering (0.3 + 0.4 s).
// Leave this part as it is.
const SLOW_WATER = process.env.ROSETTA_SCENARIO === "slow-water";
const BOIL = SLOW_WATER ? 0.9 : 0.5; // seconds the water takes to boil
const LONGEST_CHAIN = SLOW_WATER ? "boil" : "chop then simmer"; // the chain of steps that takes longest
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
await step("water", "boil", BOIL); // nothing else happens until the water boils
await makeSauce();
const sequential = seconds() - begin;
log(`sequential dinner ready after ${sequential.toFixed(1)}s: the sum of the steps`);

log("concurrent dinner");
begin = seconds();
const water = step("water", "boil", BOIL); // already boiling when step() returns
await makeSauce(); // the sauce takes longest, so the water is done by now: or is it?
const concurrent = seconds() - begin;
log(`concurrent dinner ready after ${concurrent.toFixed(1)}s: the longest chain, ${LONGEST_CHAIN}`);
log(`cooking concurrently saved ${(sequential - concurrent).toFixed(1)}s`);
