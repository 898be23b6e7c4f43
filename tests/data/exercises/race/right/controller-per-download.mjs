// A race in JavaScript: every download has a controller of its own; race 2 aborts all but the
// winner's.
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
  const controllers = names.map(() => new AbortController());
  const downloads = names.map((mirror, i) => {
    log(`${mirror}: started`);
    return download(mirror, mirrors[mirror], controllers[i].signal);
  });
  const winner = await Promise.race(downloads);
  log(`race ${number}: ${winner} won`);
  if (cancelLosers) {
    names.forEach((mirror, i) => {
      if (mirror !== winner) controllers[i].abort();
    });
  }
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
