// Cancellation in JavaScript: each chunk's wait is a timer of its own that an abort clears,
// rejecting with the signal's reason (an AbortError).
import { setTimeout as sleep } from "node:timers/promises";

const CHUNKS = 5, CHUNK = 0.4, STOP_AT = 1.0;
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "slow-cleanup" removing the partial file takes 0.6 s, so a cleanup that does not wait shows.
// Leave this as it is.
const CLEANUP = process.env.ROSETTA_SCENARIO === "slow-cleanup" ? 0.6 : 0.2;
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

function writeChunk(number, signal) {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      log(`export: chunk ${number} written`);
      resolve();
    }, CHUNK * 1000);
    signal.addEventListener("abort", stop, { once: true });
  });
}

async function exportFile(signal) {
  let chunk = 0;
  try {
    for (chunk = 1; chunk <= CHUNKS; chunk++) {
      signal.throwIfAborted();
      await writeChunk(chunk, signal);
    }
    log("export: finished");
  } catch (error) {
    if (error.name === "AbortError") log(`export: cancelled during chunk ${chunk}`);
    throw error;
  } finally {
    await sleep(CLEANUP * 1000);
    log("export: cleanup done, partial file removed");
  }
}

log(`export: started (${CHUNKS} chunks of ${CHUNK}s)`);
const controller = new AbortController();
const exporting = exportFile(controller.signal);
await sleep(STOP_AT * 1000);
log("main: stop the export");
controller.abort();
try {
  await exporting;
  log("main: the export finished");
} catch (error) {
  if (error.name !== "AbortError") throw error;
  log("main: the export was cancelled and cleaned up");
}
