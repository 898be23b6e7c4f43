# A fork bomb: every process forks again, forever, and shrugs off every failure.
# Only the sandbox's limit on processes and threads (pids) keeps it from taking the machine.
import os

print("[0.0s] forking without end", flush=True)
while True:
    try:
        os.fork()
    except OSError:
        pass  # the limit is reached: try again
