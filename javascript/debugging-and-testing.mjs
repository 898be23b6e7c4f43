// Debugging and testing async code in JavaScript.
import assert from "node:assert/strict";
import { mock } from "node:test";
import timers from "node:timers/promises"; // mock.timers can replace timers.setTimeout, not a named import

const start = performance.now();
const seconds = (since = start) => ((performance.now() - since) / 1000).toFixed(1);
const log = (message) => console.log(`[${seconds()}s] ${message}`);

// The code under test: the price, or "timeout" after 10 s.
async function priceOrTimeout(answer) {
  let timer;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, 10_000, "timeout")));
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer); // or it keeps the process alive for 10 s
  }
}

async function fetchRow(row) {
  await timers.setTimeout(100); // the call stack unwinds here
  throw new Error(`row ${row} not found`);
}

function findRow(row) {
  return fetchRow(row); // not async: hands the promise on and is gone
}

async function loadCustomer(row) {
  return await findRow(row); // `return await`, not `return`: this function stays in the trace
}

async function handleOrder(row) {
  return await loadCustomer(row);
}

// The frames of error.stack without their places: "at async handleOrder (file:///…:26:10)" becomes
// "async handleOrder"; the module's own code has no name, only its URL: "async debugging-and-testing.mjs".
const frames = (error) => error.stack.split("\n").filter((line) => line.startsWith("    at "))
  .map((line) => line.slice(7).replace(/ \(.*\)$/, "").replace(/file:\S*\/([^/]+?)(:\d+)*$/, "$1"));

log("1. test: a 10s deadline, a silent server");
// In a test file: the body of test("...", async (t) => { ... }), with t.mock.timers.
log("virtual time: node:test's mock.timers, moved by tick()");
mock.timers.enable({ apis: ["setTimeout", "Date"] }); // Date.now() reads the virtual clock
const began = Date.now(), real = performance.now();
const price = priceOrTimeout(new Promise(() => {})); // a server that never answers
mock.timers.tick(10_000); // runs every timer due in the next 10 s, at once
assert.equal(await price, "timeout");
log(`1. passed: timeout after ${((Date.now() - began) / 1000).toFixed(1)}s of virtual time, ` +
  `${seconds(real)}s of real time`);
mock.timers.reset(); // the real timers again (t.mock.timers does this when a test ends)

log("2. a query fails three awaits deep");
try {
  await handleOrder(7);
} catch (error) {
  const names = frames(error);
  log(`trace, innermost first: ${names.join(", ")}`);
  log(`2. caught "${error.message}"; ${names.length} of 5 levels traced`);
}
