# Prints the names of the environment variables it was given, and whether the tests' secret is one.
import os

print(f"[0.0s] environment: {' '.join(sorted(os.environ))}")
print(f"[0.0s] secret: {'found' if 'ASYNC_ROSETTA_SECRET' in os.environ else 'not found'}", flush=True)
