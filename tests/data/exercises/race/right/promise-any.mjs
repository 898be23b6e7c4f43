// A race in JavaScript: Promise.any takes the first download to succeed; race 2 then aborts the
// shared signal, which only the losers still listen to.
import { setTimeout as sleep } from "node:timers/promises";

const mirrors = { eu: 0.2, us: 0.4, asia: 0.6 }; // how long each mirror takes to answer
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function download(mirror, duration, signal) {
  await sleep(duration * 1000, undefined, { signal });
  log(`${mirror}: finished`);
  return mirror;
}

async function race(number, cancelLosers) {
  const began = seconds();
  log(`race ${number}: ` + (cancelLosers ? "cancel the losers" : "leave the losers alone"));
  const names = Object.keys(mirrors);
  const controller = new AbortController();
  const downloads = names.map((mirror) => {
    log(`${mirror}: started`);
    return download(mirror, mirrors[mirror], controller.signal);
  });
  log(`race ${number}: ${await Promise.any(downloads)} won`);
  if (cancelLosers) controller.abort();
  const outcomes = await Promise.allSettled(downloads); // only to show what the losers do
  outcomes.forEach((outcome, i) => { // the losers stop at one instant: report them in order
    if (outcome.status === "rejected" && outcome.reason.name === "AbortError") log(`${names[i]}: cancelled`);
  });
  log(`race ${number}: all downloads over after ${(seconds() - began).toFixed(1)}s`);
}

await race(1, false);
await race(2, true);
// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in "linger"
// the program stays 1 s after its last line, so that a download still running would show.
// Leave this part as it is.
if (process.env.ROSETTA_SCENARIO === "linger") await sleep(1000);
