// Fetching in JavaScript: Node 18+ has a global fetch. Awaiting one request after another
// takes the sum of the delays; starting them all and awaiting Promise.all takes the slowest.
const API_URL = process.env.API_URL ?? "http://127.0.0.1:8080";
const stations = { oslo: 500, lima: 100, cairo: 300 }; // how long the API takes to answer, in ms

class HttpError extends Error {} // the server answered, but with an error status

async function getJson(path) {
  const response = await fetch(new URL(path, API_URL));
  // fetch rejects only when there is no answer at all (a TypeError) or its signal is aborted (with
  // the signal's reason): a 404 or a 503 is a perfectly good response, so check the status by hand.
  if (!response.ok) {
    await response.body?.cancel(); // an unread body pins the connection until garbage collection
    throw new HttpError(`HTTP ${response.status}`);
  }
  return response.json(); // reading the body is a second await
}

// Warm-up: the first fetch loads Node's HTTP client (undici), a one-off cost like start-up,
// so all three examples start the clock after one request. It comes after `class HttpError`:
// a class cannot be used before its line has run (a failed warm-up would throw a ReferenceError).
await getJson("/delay?ms=0&name=warm-up");
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

// part: fetch-a-station
async function fetchStation(station, ms) {
  const answer = await getJson(`/delay?ms=${ms}&name=${station}`);
  log(`${station}: finished (the API says it waited ${answer.ms} ms)`);
}
// end part

const entries = Object.entries(stations);

// part: one-after-another
log("one after another");
for (const [station, ms] of entries) {
  log(`${station}: started (the API needs ${(ms / 1000).toFixed(1)}s)`);
  await fetchStation(station, ms); // the next request is not even sent until this one answers
}
const sequential = seconds();
log(`one after another: ${entries.length} answers after ${sequential.toFixed(1)}s, the sum of the delays`);
// end part

// part: all-at-once
log("all at once");
for (const [station, ms] of entries) log(`${station}: started (the API needs ${(ms / 1000).toFixed(1)}s)`);
// Each call sends its request at once (async functions start eagerly); Promise.all only waits.
await Promise.all(entries.map(([station, ms]) => fetchStation(station, ms)));
const concurrent = seconds() - sequential;
log(`all at once: ${entries.length} answers after ${concurrent.toFixed(1)}s, the slowest request`);
// end part

// part: an-error-status
log("berlin: started (the API answers 503 after 0.1s)");
try {
  await getJson("/delay?ms=100&name=berlin&status=503");
} catch (error) {
  if (!(error instanceof HttpError)) throw error; // no answer at all is another story
  log(`berlin: failed: ${error.message}`);
}
// end part
log(`done after ${seconds().toFixed(1)}s`);
