// A server in JavaScript: node:http calls the handler of every request on the one JS thread.
// A handler that awaits (/slow) lets the others run; one that computes (/cpu) holds the
// thread, and the whole program, until it returns - unless a worker computes.
import { once } from "node:events";
import { createServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const SLOW = 0.6, CPU = 0.6, LATER = 0.2; // /slow awaits, /cpu computes, /fast is due 0.2s later
const clock = () => performance.timeOrigin + performance.now(); // ms, one clock for all threads
let start = clock();
const seconds = () => (clock() - start) / 1000;
const log = (message) => console.log(`[${seconds().toFixed(1)}s] ${message}`);

// CPU-bound work until a time on the clock: as long on any machine.
function crunch(until) {
  while (clock() < until);
}

async function handle(request, response) {
  const until = clock() + CPU * 1000;
  if (request.url === "/slow") {
    await sleep(SLOW * 1000); // waiting: the thread serves the others meanwhile
  } else if (request.url === "/cpu") {
    crunch(until); // computing: no other callback runs, not even a timer
  } else if (request.url === "/cpu-off-loop") {
    // A worker has its own thread and event loop; here it loads this same file again.
    // It takes milliseconds to start: it gets the deadline, not a duration.
    const worker = new Worker(new URL(import.meta.url), { workerData: until });
    await once(worker, "message"); // rejects if the worker throws
  } else if (request.url !== "/fast") {
    response.statusCode = 404;
  }
  response.end();
}

async function get(port, path) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  await response.body?.cancel(); // an unread body would pin the connection
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
}

async function request(port, name, path) {
  log(`${name}: started`);
  await get(port, path);
  log(`${name}: finished`);
}

async function fast(port) {
  const due = seconds() + LATER;
  await sleep(LATER * 1000); // a timer: it fires only when the thread is free
  await get(port, "/fast");
  const late = Math.max(0, seconds() - due); // a timer may fire a bit early
  log(`fast: finished ${late.toFixed(1)}s after it was due`);
}

if (isMainThread) {
  // Port 0: the OS chooses a free port. The client shares the thread with the server.
  const server = createServer(handle).listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  // The clock starts once the server has answered, as a load test does: the first
  // fetch pays a one-off cost (Node loads its HTTP client, undici).
  await get(port, "/fast");
  start = clock();
  log("server: listening on 127.0.0.1 (on a port the OS chose) and answering");
  for (const [number, other, path, what] of [
    [1, "slow", "/slow", `awaits ${SLOW}s`],
    [2, "cpu", "/cpu", `computes ${CPU}s on the loop`],
    [3, "cpu", "/cpu-off-loop", `computes ${CPU}s off the loop`],
  ]) {
    log(`${number}. ${path} ${what}; /fast is due ${LATER}s after it`);
    await Promise.all([request(port, other, path), fast(port)]);
  }
  server.close(); // stops listening; closes idle keep-alive connections (Node 19+)
} else {
  crunch(workerData);
  parentPort.postMessage("done");
}
