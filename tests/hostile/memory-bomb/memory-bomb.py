# Takes memory and never gives it back, 50 MB at a time, until something stops it.
print("[0.0s] allocating without end", flush=True)
blocks = []
while True:
    blocks.append(bytearray(50_000_000))
