# One line of 10 MB that never ends with a newline.
import sys

sys.stdout.write("[0.0s] one endless line: " + "y" * 10_000_000)
sys.stdout.flush()
