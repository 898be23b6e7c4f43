// Races without threads in C#: no two pieces of code run at the same time here, and still an
// update is lost. A withdrawal reads the balance, awaits an approval and writes the balance it
// computed before the await: whatever another call wrote meanwhile is overwritten.
// SemaphoreSlim(1, 1) makes read, await and write one step.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();

await Phase(1, "two withdrawals from one account, no lock", Withdraw);
await Phase(2, "the same, one at a time: a lock around read, approval and write", WithdrawInTurn);

async Task<int> Withdraw(Account account, string who, int amount)
{
    var balance = account.Balance;
    Log($"{who}: reads balance {balance}");
    if (balance < amount)
    {
        Log($"{who}: failed: {balance} is not enough");
        return 0;
    }
    await Task.Delay(TimeSpan.FromSeconds(0.4)); // stands for a call to the bank's approval service
    account.Balance = balance - amount; // computed from what was read before the await
    Log($"{who}: finished, writes balance {account.Balance}");
    return amount;
}

async Task<int> WithdrawInTurn(Account account, string who, int amount)
{
    // `lock (account) { ... await ... }` does not compile (CS1996): a lock belongs to a thread, and
    // after an await the method may go on on another one. SemaphoreSlim belongs to no thread.
    lock (account) // the next withdrawal waits here until this one has written
    {
        return await Withdraw(account, who, amount);
    }
}

async Task Phase(int number, string title, Func<Account, string, int, Task<int>> withdrawal)
{
    Log($"{number}. {title}");
    var account = new Account(100);
    Log("alice: started, wants 70");
    var alice = withdrawal(account, "alice", 70);
    await Task.Delay(TimeSpan.FromSeconds(0.2)); // bob comes to the other cash machine 0.2s later
    Log("bob: started, wants 50");
    var bob = withdrawal(account, "bob", 50);
    var paid = await alice + await bob;
    var verdict = account.Balance == 100 - paid ? "every update counted" : "an update was lost";
    Log($"{number}. paid out {paid} from 100, balance now {account.Balance}: {verdict}");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

sealed class Account(int balance)
{
    public int Balance { get; set; } = balance;
    public SemaphoreSlim Gate { get; } = new(1, 1); // guards Balance across awaits
}
