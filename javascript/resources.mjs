// Resources in JavaScript (Node 24+): `await using` closes each connection when its block ends,
// last opened first, and awaits each close before an error thrown in the block goes on.
import { setTimeout as sleep } from "node:timers/promises";

const STEP = 100; // opening, a query and closing take 0.1s each
const start = performance.now();
const log = (message) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)}s] ${message}`);
// The checker also runs this program in the scenario (ROSETTA_SCENARIO) "search-fails-to-open":
// opening search fails, and closing takes 0.3 s.
const searchFails = process.env.ROSETTA_SCENARIO === "search-fails-to-open";
const closing = searchFails ? 300 : STEP; // milliseconds a close takes

// A simulated connection. `await using` calls its [Symbol.asyncDispose]() when the block ends,
// however it ends.
class Connection {
  constructor(name, { queryFails = false, closeFails = false } = {}) {
    Object.assign(this, { name, queryFails, closeFails });
  }

  static async open(name, options) {
    log(`${name}: started opening`);
    await sleep(STEP);
    if (searchFails && name === "search") { // no connection comes back, so `await using` has none to close
      log(`${name}: opening failed: connection reset`);
      throw new Error("connection reset");
    }
    log(`${name}: open`);
    return new Connection(name, options);
  }

  async query() {
    await sleep(STEP);
    if (this.queryFails) {
      log(`${this.name}: query failed: connection reset`);
      throw new Error("connection reset");
    }
    log(`${this.name}: query answered`);
  }

  async [Symbol.asyncDispose]() {
    await sleep(closing);
    if (this.closeFails) {
      log(`${this.name}: closing failed: socket gone`);
      throw new Error("socket gone");
    }
    log(`${this.name}: finished closing`);
  }
}

log("1. open db, cache and search; the query on cache fails");
try {
  // A connection is registered for closing once it is open: when search fails to open (the
  // scenario "search-fails-to-open"), only cache and db are closed.
  // cheat sheet: async-cleanup
  await using db = await Connection.open("db");
  await using cache = await Connection.open("cache", { queryFails: true });
  // end cheat sheet
  await using search = await Connection.open("search");
  await db.query();
  await cache.query();
  await search.query(); // never runs
} catch (error) { // reached only after every close has been awaited
  log(`1. caught "${error.message}" after every connection had closed`);
}

log("2. open mail; its query fails, and then its closing fails too");
try {
  await using mail = await Connection.open("mail", { queryFails: true, closeFails: true });
  await mail.query();
} catch (error) {
  // Both errors are kept: the close's in .error, the query's in .suppressed.
  log(`2. caught a ${error.name}: .error "${error.error.message}", ` +
    `.suppressed "${error.suppressed.message}"`);
}
