// Bytes that are not UTF-8, and control characters that would steer a terminal:
// clear the screen, set the window title, ring the bell, overwrite the line.
using System.Text;

// Latin-1 turns each character into the one byte with its code, exactly as written.
byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

using var stdout = Console.OpenStandardOutput();
foreach (var line in new[]
{
    "[0.0s] plain text first\n",
    "not UTF-8: \u00ff\u00fe\u00c3(\n",
    "escape sequences: \u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b[31mred\u001b[0m\n",
    "bell \u0007 backspace \u0008 carriage return \r NUL \u0000 delete \u007f\n",
    "C1 control: \u00c2\u009b31m\n",
    "[0.0s] done\n",
})
{
    stdout.Write(Bytes(line));
}
