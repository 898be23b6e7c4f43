// Reads memory at address zero in native code (libc's strlen): the kernel kills the process with
// SIGSEGV. (In managed code .NET would turn the fault into a NullReferenceException instead.)
using System.Runtime.InteropServices;

Console.Write("[0.0s] reading address zero\n");
Native.strlen(IntPtr.Zero);
Console.Write("[0.0s] never printed\n");

static class Native
{
    [DllImport("libc")]
    public static extern nint strlen(nint text);
}
