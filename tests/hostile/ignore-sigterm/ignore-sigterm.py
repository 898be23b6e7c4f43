# Refuses the polite request to stop (SIGTERM, and Ctrl-C's SIGINT), then spins.
import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
print("[0.0s] ignoring SIGTERM and spinning", flush=True)
while True:
    pass
