// The kitchen in JavaScript: awaiting one call after another is sequential;
// starting every call first and then awaiting Promise.all runs them concurrently.
const steps = [["water", "boil", 0.6], ["vegetables", "chop", 0.3], ["sauce", "simmer", 0.4]];
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function cook(name, duration) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, duration * 1000); // the step takes time
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
// Each cook(...) call is already running when it returns its promise;
// Promise.all only waits for all of them.
await Promise.all(steps.map(([name, , duration]) => cook(name, duration)));
const concurrent = seconds() - begin;
log(`concurrent dinner ready after ${concurrent.toFixed(1)}s: the longest step`);
log(`cooking concurrently saved ${(sequential - concurrent).toFixed(1)}s`);
