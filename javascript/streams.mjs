// Streams in JavaScript: an async generator (`async function*`) produces values as they
// arrive, `for await` consumes them. Leaving the loop early (break, return, throw) calls
// the generator's return(), so its `finally` runs - and is awaited - before the loop ends.
import { setTimeout as sleep } from "node:timers/promises";

const EVERY = 0.2, CLOSING = 0.2, WARM = 22; // seconds between readings, seconds to disconnect, degrees C
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function* sensor() {
  log("sensor: started"); // runs at the first next(), not when sensor() is called
  try {
    for (let celsius = 18; ; celsius += 2) { // an endless stream: the consumer decides when to stop
      await sleep(EVERY * 1000);
      yield celsius;
    }
  } finally {
    // return() resumes the generator at its `yield` as if it said `return`; awaiting here is fine.
    log(`sensor: finally block runs, closing the connection (${CLOSING}s)`);
    await sleep(CLOSING * 1000);
    log("sensor: finished (connection closed)");
  }
}

// Unlike an async function, calling an async generator function runs none of its body.
const readings = sensor();
log("stream created: no reading taken yet");
let count = 0;
// cheat sheet: async-iteration
for await (const celsius of readings) {
  count += 1;
  if (celsius >= WARM) {
    log(`reading ${count}: ${celsius} C, warm enough: break`);
    break; // for await calls readings.return() and waits for the promise it returns
  }
  log(`reading ${count}: ${celsius} C`);
}
// end cheat sheet
log(`after the loop: ${count} readings, and the sensor is already closed`);
