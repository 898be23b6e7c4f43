// Retry in JavaScript: each try listens to the user's
// signal and its own deadline at once (AbortSignal.any),
// a growing pause between tries, and the user's signal
// must stop it all - also in the middle of a pause.
import { setTimeout as sleep } from "node:timers/promises";

const API_URL = process.env.API_URL ?? "http://127.0.0.1:8080";
const TRIES = 3, PER_TRY = 0.4, BACKOFF = 0.3; // seconds
// In the scenario "early-cancel" (ROSETTA_SCENARIO), the
// user cancels during try 2. Leave this part as it is.
const CANCEL_AFTER = process.env.ROSETTA_SCENARIO
  === "early-cancel" ? 0.6 : 1.1;
let start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

class HttpError extends Error {} // the server answered, but with an error status

async function getJson(path, signal) {
  const response = await fetch(new URL(path, API_URL), { signal }); // rejects with signal.reason
  if (!response.ok) {
    await response.body?.cancel(); // an unread body would pin the connection
    throw new HttpError(`HTTP ${response.status}`);
  }
  return response.json(); // the signal still applies while the body arrives
}

async function getForecast(signal) {
  // One key for all tries: the server can tell a retry from a new request.
  const path = `/flaky?key=${crypto.randomUUID()}&ms=100`;
  let problem;
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    log(`try ${attempt}: started`);
    try {
      // Either signal stops the try; the reason says which: TimeoutError from the
      // deadline, AbortError from the user.
      const answer = await getJson(path, AbortSignal.any([signal, AbortSignal.timeout(PER_TRY * 1000)]));
      log(`try ${attempt}: finished`);
      return answer;
    } catch (error) {
      if (error.name === "TimeoutError") problem = `timeout after ${PER_TRY}s`;
      else if (error instanceof HttpError) problem = error.message; // a 503
      else throw error; // the user's AbortError, or no answer at all: no retry
    }
    if (attempt < TRIES) {
      const delay = BACKOFF * 2 ** (attempt - 1);
      log(`try ${attempt}: failed: ${problem}, next try in ${delay}s`);
      try {
        await sleep(delay * 1000);
      } catch (error) {
        if (error.name === "AbortError") log("retry: cancelled during the back-off");
        throw error;
      }
    }
  }
  throw new Error(`no answer in ${TRIES} tries, the last one: ${problem}`);
}

await getJson("/health"); // the first fetch loads undici: the clock starts after it
start = performance.now();
log(`1. a forecast: up to ${TRIES} tries of at most ${PER_TRY}s, ${BACKOFF}s apart, then ${2 * BACKOFF}s`);
const answer = await getForecast(new AbortController().signal); // a signal nobody aborts
log(`1. the forecast, after the API counted ${answer.calls} calls with this request's key`);

log(`2. the same again, and the user cancels after ${CANCEL_AFTER}s`);
const user = new AbortController();
const retrying = getForecast(user.signal);
await sleep(CANCEL_AFTER * 1000);
log("user: cancel");
user.abort();
try {
  await retrying;
} catch (error) {
  if (error.name !== "AbortError") throw error;
  log("2. no forecast: the user cancelled it");
}
