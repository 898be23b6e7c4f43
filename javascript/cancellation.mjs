// Cancellation in JavaScript: nothing can interrupt a running promise. An AbortSignal
// is passed down to every step; the steps check it or hand it to APIs that accept it.
import { setTimeout as sleep } from "node:timers/promises";

const CHUNKS = 5, CHUNK = 0.4, STOP_AT = 1.0;
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-cleanup" removing the partial file takes 0.6 s, so a cleanup that does not wait shows.
const CLEANUP = process.env.ROSETTA_SCENARIO === "slow-cleanup" ? 0.6 : 0.2;
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function writeChunk(number, signal) {
  await sleep(CHUNK * 1000, undefined, { signal }); // rejects with Node's AbortError when aborted
  log(`export: chunk ${number} written`);
}

async function exportFile(signal) {
  let chunk = 0;
  try {
    for (chunk = 1; chunk <= CHUNKS; chunk++) {
      signal.throwIfAborted(); // code that takes no signal (CPU work) stops only where it looks
      await writeChunk(chunk, signal);
    }
    log("export: finished");
  } catch (error) {
    // Node's AbortError from the timer, or the DOMException from throwIfAborted(): both are named so.
    if (error.name === "AbortError") log(`export: cancelled during chunk ${chunk}`);
    throw error;
  // cheat sheet: cleanup-on-cancel
  } finally {
    // The signal is aborted: handing it to the cleanup would abort the cleanup at once.
    await sleep(CLEANUP * 1000);
    log("export: cleanup done, partial file removed");
  }
  // end cheat sheet
}

log(`export: started (${CHUNKS} chunks of ${CHUNK}s)`);
// cheat sheet: cancel
const controller = new AbortController();
const exporting = exportFile(controller.signal);
// end cheat sheet
await sleep(STOP_AT * 1000);
log("main: stop the export");
// cheat sheet: cancel
controller.abort(); // listeners run now; the export continues at its next microtask
try {
  await exporting; // settles after the cleanup in finally
} catch (error) {
  if (error.name !== "AbortError") throw error;
  log("main: the export was cancelled and cleaned up");
}
// end cheat sheet
