// A race in JavaScript: ask three mirrors for the same file and take the first answer.
// Race 1 leaves the losers alone on purpose; race 2 should not.
import { setTimeout as sleep } from "node:timers/promises";

const mirrors = { eu: 0.2, us: 0.4, asia: 0.6 }; // how long each mirror takes to answer
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function download(mirror, duration) {
  await sleep(duration * 1000);
  log(`${mirror}: finished`);
  return mirror;
}

async function race(number, cancelLosers) {
  const began = seconds();
  log(`race ${number}: ` + (cancelLosers ? "cancel the losers" : "leave the losers alone"));
  const names = Object.keys(mirrors);
  const downloads = names.map((mirror) => {
    log(`${mirror}: started`);
    return download(mirror, mirrors[mirror]);
  });
  log(`race ${number}: ${await Promise.race(downloads)} won`);
  // TODO: race 2 (cancelLosers) must not leave the losers running for nobody.
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
