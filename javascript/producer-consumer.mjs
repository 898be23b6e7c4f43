// Producer and consumer in JavaScript: Node's built-in bounded buffer is a Web Stream (a
// highWaterMark, and `await writer.ready`); here is a small bounded queue that shows how such
// waiting works. put() waits while it is full, which holds a fast producer back to the pace of
// a slow consumer; iterating it with `for await` ends once it is closed and empty.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "five-loaves" the oven bakes five loaves, and loaves 4 and 5 both find the shelf full.
const LOAVES = process.env.ROSETTA_SCENARIO === "five-loaves" ? 5 : 4;
const SHELF = 2, BAKE = 0.1, PACK = 0.5; // shelf places, seconds per loaf to bake / pack
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

class BoundedQueue {
  #items = [];
  #takers = []; // resolve functions of consumers waiting for an item
  #putters = []; // ... and of producers waiting for a free place
  #closed = false;
  constructor(capacity) { this.capacity = capacity; }
  get full() { return this.#items.length >= this.capacity; }

  async put(item) {
    // `while`, not `if`: a woken producer must look again, another may have been quicker.
    while (this.full) await new Promise((resolve) => this.#putters.push(resolve));
    this.#items.push(item);
    this.#takers.shift()?.();
  }

  close() { // no more items: waiting consumers wake up and find the end
    this.#closed = true;
    for (const wake of this.#takers.splice(0)) wake();
  }

  async *[Symbol.asyncIterator]() {
    for (;;) {
      while (this.#items.length === 0) {
        if (this.#closed) return;
        await new Promise((resolve) => this.#takers.push(resolve));
      }
      const item = this.#items.shift();
      this.#putters.shift()?.(); // a place came free: let one waiting producer in
      yield item;
    }
  }
}

async function oven(shelf) {
  try {
    for (let loaf = 1; loaf <= LOAVES; loaf++) {
      await sleep(BAKE * 1000);
      if (shelf.full) { // only to show the back-pressure: put() alone would wait just the same
        log(`loaf ${loaf} baked, the shelf is full (${SHELF} loaves): the oven waits`);
        const waiting = seconds();
        // cheat sheet: bounded-queue
        await shelf.put(loaf);
        // end cheat sheet
        log(`loaf ${loaf} on the shelf after waiting ${(seconds() - waiting).toFixed(1)}s`);
      } else {
        await shelf.put(loaf);
        log(`loaf ${loaf} on the shelf`);
      }
    }
    log("oven: finished");
  } finally {
    shelf.close(); // also when baking fails, or the packer would wait for ever
  }
}

async function packer(shelf) {
  // cheat sheet: bounded-queue
  for await (const loaf of shelf) {
  // end cheat sheet
    await sleep(PACK * 1000);
    log(`packed loaf ${loaf}`);
  }
  log("packer: finished");
}

// cheat sheet: bounded-queue
const shelf = new BoundedQueue(SHELF);
// end cheat sheet
log(`oven: started (a loaf every ${BAKE}s)`);
log(`packer: started (a loaf every ${PACK}s)`);
await Promise.all([oven(shelf), packer(shelf)]);
log(`all ${LOAVES} loaves packed after ${seconds().toFixed(1)}s`);
