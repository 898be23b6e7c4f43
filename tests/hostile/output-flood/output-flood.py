# 100 MB of output: a million numbered lines of 100 bytes.
import sys

print("[0.0s] flooding", flush=True)
filler = "x" * 80
for i in range(1_000_000):
    sys.stdout.write(f"line {i:>12} {filler}\n")
