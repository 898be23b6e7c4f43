// The kitchen in JavaScript: the sequential dinner is right; the concurrent dinner is not
// concurrent yet. Make it ready after the longest chain of steps, not after the sum of the steps.
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
// TODO: the water needs nothing, so it can boil while the sauce is made: this dinner should be
// ready after its longest chain of steps (chop, then simmer; in "slow-water", the water), not
// after the sum of the steps.
await step("water", "boil", BOIL);
await makeSauce();
const concurrent = seconds() - begin;
log(`concurrent dinner ready after ${concurrent.toFixed(1)}s: the longest chain, ${LONGEST_CHAIN}`);
log(`cooking concurrently saved ${(sequential - concurrent).toFixed(1)}s`);
