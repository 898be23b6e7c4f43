# Tries to reach this machine through the Docker bridge's gateway, and lists its network interfaces.
# The tests listen at HOST:PORT and point these two constants at their listener.
import socket

HOST, PORT = "172.17.0.1", 47999

print("[0.0s] interfaces:", " ".join(sorted(name for _, name in socket.if_nameindex())), flush=True)
try:
    socket.create_connection((HOST, PORT), timeout=2).close()
    print("[0.0s] connect: reached", flush=True)
except OSError as exc:
    print(f"[0.0s] connect: blocked ({exc.strerror or 'timed out'})", flush=True)
