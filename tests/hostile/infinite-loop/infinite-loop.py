# A loop that never ends and never waits: only a kill from outside stops it.
print("[0.0s] spinning forever", flush=True)
while True:
    pass
