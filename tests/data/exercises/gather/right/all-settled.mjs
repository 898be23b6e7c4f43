// Promise.allSettled waits for every promise and keeps the order of its input; each outcome holds
// its value (or the reason it failed).
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too, named in ROSETTA_SCENARIO: in
// "oslo-first" Oslo answers first, after 0.1 s, then Cairo after 0.3 s, and Lima last, after 0.5 s.
// Leave this part as it is.
const stations = process.env.ROSETTA_SCENARIO === "oslo-first"
  ? { oslo: [0.1, -3], lima: [0.5, 19], cairo: [0.3, 31] }
  : { oslo: [0.3, -3], lima: [0.1, 19], cairo: [0.2, 31] }; // delay, temperature
const start = performance.now();
const seconds = () => (performance.now() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

async function temperature(station) {
  const [delay, celsius] = stations[station];
  await sleep(delay * 1000);
  log(`${station}: finished (${celsius} C)`);
  return celsius;
}

const names = Object.keys(stations);
log(`asking ${names.length} weather stations at once`);
for (const station of names) log(`${station}: started`);
const outcomes = await Promise.allSettled(names.map((station) => temperature(station)));
const results = outcomes.map((outcome) => outcome.value);
const answers = names.map((station, i) => `${station} ${results[i]} C`).join(", ");
log(`results in the order asked: ${answers}`);
const everything = Object.values(stations).reduce((sum, [delay]) => sum + delay, 0);
log(`all ${results.length} answers after ${seconds().toFixed(1)}s: the slowest station, not the sum ${everything.toFixed(1)}s`);
