# Wrong: Bob is held back by a pause written for him by name: right while Alice comes first, but
# when Bob comes first he pauses, and both read 100 when Alice comes: an update is lost.
import asyncio
import os
import time
from dataclasses import dataclass, field

# The kit's checker runs this program in scenarios too,
# named in ROSETTA_SCENARIO: in "bob-first" Bob comes
# first, and Alice after him. Leave this part as it is.
CUSTOMERS = [("alice", 70), ("bob", 50)]
if os.environ.get("ROSETTA_SCENARIO") == "bob-first":
    CUSTOMERS = [("bob", 50), ("alice", 70)]
start = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - start:.1f}s] {message}", flush=True)


@dataclass
class Account:
    balance: int
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # guards balance across awaits


async def withdraw(account: Account, who: str, amount: int) -> int:
    balance = account.balance
    log(f"{who}: reads balance {balance}")
    if balance < amount:
        log(f"{who}: failed: {balance} is not enough")
        return 0
    await asyncio.sleep(0.4)  # stands for a call to the bank's approval service; other tasks run here
    account.balance = balance - amount  # computed from what was read before the await
    log(f"{who}: finished, writes balance {account.balance}")
    return amount


async def withdraw_in_turn(account: Account, who: str, amount: int) -> int:
    if who == "bob":
        # Bob comes 0.2s after Alice, whose approval takes 0.4s: 0.2s more, and she has written.
        await asyncio.sleep(0.2)
    return await withdraw(account, who, amount)


async def phase(number: int, title: str, withdrawal) -> None:
    log(f"{number}. {title}")
    account = Account(balance=100)
    (first, first_amount), (second, second_amount) = CUSTOMERS
    log(f"{first}: started, wants {first_amount}")
    early = asyncio.create_task(withdrawal(account, first, first_amount))
    await asyncio.sleep(0.2)  # the second comes to the other cash machine 0.2s later
    log(f"{second}: started, wants {second_amount}")
    late = asyncio.create_task(withdrawal(account, second, second_amount))
    paid = await early + await late
    verdict = "every update counted" if account.balance == 100 - paid else "an update was lost"
    log(f"{number}. paid out {paid} from 100, balance now {account.balance}: {verdict}")


async def main() -> None:
    global start
    start = time.perf_counter()
    await phase(1, "two withdrawals from one account, no lock", withdraw)
    await phase(2, "the same, one at a time: a lock around read, approval and write", withdraw_in_turn)


asyncio.run(main())
