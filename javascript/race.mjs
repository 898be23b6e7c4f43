// A race in JavaScript: Promise.race settles with the first promise to settle; the
// losers keep running, because a promise cannot be stopped from outside. An
// AbortController, whose signal every download listens to, stops them.
import { setTimeout as sleep } from "node:timers/promises";

const mirrors = { eu: 0.2, us: 0.4, asia: 0.6 }; // how long each mirror takes to answer
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function download(mirror, duration, signal) {
  await sleep(duration * 1000, undefined, { signal }); // rejects with an AbortError when aborted
  log(`${mirror}: finished`);
  return mirror;
}

async function race(number, cancelLosers) {
  const began = seconds();
  log(`race ${number}: ` + (cancelLosers ? "cancel the losers" : "leave the losers alone"));
  const controller = new AbortController();
  const names = Object.keys(mirrors);
  const downloads = names.map((mirror) => {
    log(`${mirror}: started`);
    return download(mirror, mirrors[mirror], controller.signal);
  });
  // Promise.race settles with the first to settle, even a rejection;
  // Promise.any would wait for the first to fulfil.
  // cheat sheet: first-to-finish
  log(`race ${number}: ${await Promise.race(downloads)} won`);
  if (cancelLosers) controller.abort(); // the winner has settled: the abort reaches only the losers
  // end cheat sheet
  const outcomes = await Promise.allSettled(downloads); // only to show what the losers do
  outcomes.forEach((outcome, i) => { // the losers stop at one instant: report them in order
    if (outcome.status === "rejected" && outcome.reason.name === "AbortError") log(`${names[i]}: cancelled`);
  });
  log(`race ${number}: all downloads over after ${(seconds() - began).toFixed(1)}s`);
}

await race(1, false);
await race(2, true);
