# Bytes that are not UTF-8, and control characters that would steer a terminal:
# clear the screen, set the window title, ring the bell, overwrite the line.
import sys

sys.stdout.buffer.write(
    b"[0.0s] plain text first\n"
    b"not UTF-8: \xff\xfe\xc3(\n"
    b"escape sequences: \x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31mred\x1b[0m\n"
    b"bell \x07 backspace \x08 carriage return \r NUL \x00 delete \x7f\n"
    b"C1 control: \xc2\x9b31m\n"
    b"[0.0s] done\n"
)
