// Resources in JavaScript (Node 24+): three connections, and the query on the second one fails.
// Every connection must be closed - last opened first, each close awaited - before the error is
// reported.
import { setTimeout as sleep } from "node:timers/promises";

const STEP = 100; // opening, a query and closing take 0.1s each
const start = performance.now();
const log = (message) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)}s] ${message}`);
// The checker also runs this program in the scenario (ROSETTA_SCENARIO) "search-fails-to-open":
// opening search fails, and closing takes 0.3 s. Leave this part as it is.
const searchFails = process.env.ROSETTA_SCENARIO === "search-fails-to-open";
const closing = searchFails ? 300 : STEP; // milliseconds a close takes

// A simulated connection: close() it, or let `await using` call its [Symbol.asyncDispose]().
class Connection {
  constructor(name, { queryFails = false, closeFails = false } = {}) {
    Object.assign(this, { name, queryFails, closeFails });
  }

  static async open(name, options) {
    log(`${name}: started opening`);
    await sleep(STEP);
    if (searchFails && name === "search") {
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

  async close() {
    await sleep(closing);
    if (this.closeFails) {
      log(`${this.name}: closing failed: socket gone`);
      throw new Error("socket gone");
    }
    log(`${this.name}: finished closing`);
  }

  [Symbol.asyncDispose]() {
    return this.close();
  }
}

log("1. open db, cache and search; the query on cache fails");
const opened = [];
try {
  for (const name of ["db", "cache", "search"]) {
    opened.push(await Connection.open(name, { queryFails: name === "cache" }));
  }
  const [db, cache, search] = opened;
  await db.query();
  await cache.query();
  await search.query(); // never runs
} catch (error) {
  log(`1. caught "${error.message}" after every connection had closed`);
} finally {
  opened.forEach(async (connection) => await connection.close());
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
