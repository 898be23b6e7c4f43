# Aborts: SIGABRT, the way a C library gives up.
import os

print("[0.0s] aborting", flush=True)
os.abort()
