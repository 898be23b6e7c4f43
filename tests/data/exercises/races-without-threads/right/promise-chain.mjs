// Races without threads in JavaScript: each withdrawal is chained after the one before it on a
// promise kept per account, so they run in turn.
import { setTimeout as sleep } from "node:timers/promises";

// The kit's checker runs this program in scenarios too,
// named in ROSETTA_SCENARIO: in "bob-first" Bob comes
// first, and Alice after him. Leave this part as it is.
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

const turns = new WeakMap(); // account -> the promise of its latest withdrawal

function withdrawInTurn(account, who, amount) {
  const previous = turns.get(account) ?? Promise.resolve();
  const mine = previous.then(() => withdraw(account, who, amount));
  turns.set(account, mine.catch(() => {})); // a failed withdrawal must not stop the next
  return mine;
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
