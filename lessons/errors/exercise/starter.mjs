// Errors in JavaScript: Promise.all rejects with the first reason and the other promises
// run on. Order 1 is right; order 2 should stop the others at the first failure.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "out-of-stock" the stock check fails first, after 0.2 s, and the card is charged after 0.4 s.
// Leave this part as it is.
const steps = process.env.ROSETTA_SCENARIO === "out-of-stock"
  ? [["shipping", 0.6, "no courier"], ["stock", 0.2, "out of stock"], ["card", 0.4, null]]
  : [["shipping", 0.6, "no courier"], ["stock", 0.4, null], ["card", 0.2, "card declined"]];
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function step(name, duration, failure) {
  await sleep(duration * 1000);
  if (failure) {
    log(`${name}: failed: ${failure}`);
    throw new Error(failure);
  }
  log(`${name}: finished`);
}

function startAll() {
  return steps.map(([name, duration, failure]) => {
    log(`${name}: started`);
    return step(name, duration, failure); // already running when it returns
  });
}

log("order 1: let the others run");
let jobs = startAll();
try {
  await Promise.all(jobs);
} catch (error) { // rejected at the first failure; later rejections are absorbed, not unhandled
  log(`order 1: failed: ${error.message}`);
}
// allSettled waits for every promise and never rejects.
const outcomes = await Promise.allSettled(jobs);
const reasons = outcomes.filter((o) => o.status === "rejected").map((o) => o.reason.message);
log(`order 1: every failure: ${reasons.join(", ")}`);

log("order 2: stop the others at the first failure");
jobs = startAll();
try {
  await Promise.all(jobs);
} catch (error) {
  // TODO: a step has failed (the card; in "out-of-stock", the stock check): the others must stop now.
  // Wait for the steps to end, and report those that were cancelled (an AbortError), in order.
  (await Promise.allSettled(jobs)).forEach((outcome, i) => {
    if (outcome.status === "rejected" && outcome.reason.name === "AbortError") log(`${steps[i][0]}: cancelled`);
  });
  log(`order 2: failed: ${error.message}`);
}
