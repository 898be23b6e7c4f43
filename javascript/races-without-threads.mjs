// Races without threads in JavaScript: one thread, and still a lost update. A withdrawal reads the
// balance, awaits an approval and writes the balance it computed before the await: whatever another
// call wrote meanwhile is overwritten. Node has no async lock built in; the one below is six lines.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too,
// named in ROSETTA_SCENARIO: in "bob-first" Bob comes
// first, and Alice after him.
const [[first, firstAmount], [second, secondAmount]] =
  process.env.ROSETTA_SCENARIO === "bob-first"
    ? [["bob", 50], ["alice", 70]]
    : [["alice", 70], ["bob", 50]];
const start = performance.now();
const log = (message) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)}s] ${message}`);

// A mutex made of promises: each lock() waits for the release of the one before it, in turn.
class Mutex {
  #last = Promise.resolve(); // settles when the latest holder releases
  async lock() {
    const previous = this.#last;
    let release;
    this.#last = new Promise((resolve) => (release = resolve));
    await previous;
    return release; // call it in a `finally`, or every later lock() waits for ever
  }
}

class Account {
  mutex = new Mutex(); // guards balance across awaits
  constructor(balance) { this.balance = balance; }
}

async function withdraw(account, who, amount) {
  const balance = account.balance;
  log(`${who}: reads balance ${balance}`);
  if (balance < amount) {
    log(`${who}: failed: ${balance} is not enough`);
    return 0;
  }
  await sleep(400); // stands for a call to the bank's approval service; other code runs here
  account.balance = balance - amount; // computed from what was read before the await
  log(`${who}: finished, writes balance ${account.balance}`);
  return amount;
}

async function withdrawInTurn(account, who, amount) {
  const release = await account.mutex.lock(); // the next withdrawal waits here until this one has written
  try {
    return await withdraw(account, who, amount);
  } finally {
    release();
  }
}

async function phase(number, title, withdrawal) {
  log(`${number}. ${title}`);
  const account = new Account(100);
  log(`${first}: started, wants ${firstAmount}`);
  const early = withdrawal(account, first, firstAmount);
  await sleep(200); // the second comes to the other cash machine 0.2s later
  log(`${second}: started, wants ${secondAmount}`);
  const late = withdrawal(account, second, secondAmount);
  const paid = (await early) + (await late);
  const verdict = account.balance === 100 - paid ? "every update counted" : "an update was lost";
  log(`${number}. paid out ${paid} from 100, balance now ${account.balance}: ${verdict}`);
}

await phase(1, "two withdrawals from one account, no lock", withdraw);
await phase(2, "the same, one at a time: a lock around read, approval and write", withdrawInTurn);
