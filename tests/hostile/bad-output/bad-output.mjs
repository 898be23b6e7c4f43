// Bytes that are not UTF-8, and control characters that would steer a terminal:
// clear the screen, set the window title, ring the bell, overwrite the line.
const text = (s) => Buffer.from(s, "latin1"); // one byte per character, exactly as written
process.stdout.write(Buffer.concat([
  text("[0.0s] plain text first\n"),
  text("not UTF-8: \xff\xfe\xc3(\n"),
  text("escape sequences: \x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31mred\x1b[0m\n"),
  text("bell \x07 backspace \x08 carriage return \r NUL \x00 delete \x7f\n"),
  text("C1 control: \xc2\x9b31m\n"),
  text("[0.0s] done\n"),
]));
