# Looks for the host from inside the sandbox: writes outside /tmp and the working folder,
# the processes /proc shows, and any environment there that holds the tests' secret.
import os

for folder in ("/", "/etc", "/usr", "/job", "/job/src", "/tmp", "."):
    try:
        with open(os.path.join(folder, "hostile-probe"), "w") as probe:
            probe.write("x")
        print(f"[0.0s] write {folder}: allowed")
    except OSError:
        print(f"[0.0s] write {folder}: refused")

pids = [name for name in os.listdir("/proc") if name.isdigit()]
names, secrets = set(), 0
for pid in pids:
    try:
        with open(f"/proc/{pid}/comm") as comm:
            names.add(comm.read().strip())
        with open(f"/proc/{pid}/environ", "rb") as environ:
            secrets += b"ASYNC_ROSETTA_SECRET" in environ.read()
    except OSError:
        pass  # gone already, or not ours to read
print(f"[0.0s] processes: {' '.join(sorted(names))}")
print(f"[0.0s] secret: {'found' if secrets else 'not found'}", flush=True)
