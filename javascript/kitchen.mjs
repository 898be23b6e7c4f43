// The kitchen in JavaScript: awaiting one step after another is sequential; starting the water
// and the sauce, then awaiting Promise.all, lets the water boil while the sauce is made. One cook,
// one thread: the steps overlap only because each of them waits.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-water" the water boils for 0.9 s, longer than chopping then simmering (0.3 + 0.4 s).
const SLOW_WATER = process.env.ROSETTA_SCENARIO === "slow-water";
const BOIL = SLOW_WATER ? 0.9 : 0.5; // seconds the water takes to boil
const LONGEST_CHAIN = SLOW_WATER ? "boil" : "chop then simmer"; // the chain of steps that takes longest
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

// part: step
async function step(name, verb, duration) {
  log(`${name}: started (${verb}, ${duration}s)`);
  await sleep(duration * 1000); // a timer stands in for the waiting; the cook is free meanwhile
  log(`${name}: finished`);
}
// end part

// part: sauce
async function makeSauce() {
  await step("vegetables", "chop", 0.3);
  await step("sauce", "simmer", 0.4); // the sauce needs the chopped vegetables
}
// end part

// part: sequential
log("sequential dinner");
let begin = seconds();
await step("water", "boil", BOIL); // nothing else happens until the water boils
await makeSauce();
const sequential = seconds() - begin;
log(`sequential dinner ready after ${sequential.toFixed(1)}s: the sum of the steps`);
// end part

// part: concurrent
log("concurrent dinner");
begin = seconds();
// Each call is already running when it returns its promise; Promise.all only waits for both.
await Promise.all([step("water", "boil", BOIL), makeSauce()]);
const concurrent = seconds() - begin;
log(`concurrent dinner ready after ${concurrent.toFixed(1)}s: the longest chain, ${LONGEST_CHAIN}`);
// end part
log(`cooking concurrently saved ${(sequential - concurrent).toFixed(1)}s`);
