// Races without threads in C#: the whole withdrawal is written between WaitAsync and the
// Release in finally.
using System.Diagnostics;
using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
// The kit's checker runs this program in scenarios too,
// named in ROSETTA_SCENARIO: in "bob-first" Bob comes
// first, and Alice after him. Leave this part as it is.
var ((first, firstAmount), (second, secondAmount)) =
    Environment.GetEnvironmentVariable("ROSETTA_SCENARIO") == "bob-first"
        ? (("bob", 50), ("alice", 70))
        : (("alice", 70), ("bob", 50));

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
    await account.Gate.WaitAsync();
    try
    {
        var balance = account.Balance;
        Log($"{who}: reads balance {balance}");
        if (balance < amount)
        {
            Log($"{who}: failed: {balance} is not enough");
            return 0;
        }
        await Task.Delay(TimeSpan.FromSeconds(0.4)); // the approval: the gate stays shut across it
        account.Balance = balance - amount;
        Log($"{who}: finished, writes balance {account.Balance}");
        return amount;
    }
    finally
    {
        account.Gate.Release();
    }
}

async Task Phase(int number, string title, Func<Account, string, int, Task<int>> withdrawal)
{
    Log($"{number}. {title}");
    var account = new Account(100);
    Log($"{first}: started, wants {firstAmount}");
    var early = withdrawal(account, first, firstAmount);
    await Task.Delay(TimeSpan.FromSeconds(0.2)); // the second comes to the other cash machine 0.2s later
    Log($"{second}: started, wants {secondAmount}");
    var late = withdrawal(account, second, secondAmount);
    var paid = await early + await late;
    var verdict = account.Balance == 100 - paid ? "every update counted" : "an update was lost";
    Log($"{number}. paid out {paid} from 100, balance now {account.Balance}: {verdict}");
}

void Log(string message) => Console.Write($"[{clock.Elapsed.TotalSeconds:F1}s] {message}\n");

sealed class Account(int balance)
{
    public int Balance { get; set; } = balance;
    public SemaphoreSlim Gate { get; } = new(1, 1); // guards Balance across awaits
}
