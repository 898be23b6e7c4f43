// A thread bomb: start threads that never end, ignoring every failure.
// Only the sandbox's limit on processes and threads (pids) keeps it from taking the machine.
Console.Write("[0.0s] starting threads without end\n");
while (true)
{
    try
    {
        new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true }.Start();
    }
    catch (Exception)
    {
        // the limit is reached: try again
    }
}
