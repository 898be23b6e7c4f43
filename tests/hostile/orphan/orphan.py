# Leaves a child behind: a process in a session of its own (out of reach of a kill of the
# parent's process group) that sleeps on, holding stdout, after its parent has exited.
import subprocess

subprocess.Popen(["sleep", "987"], start_new_session=True)
print("[0.0s] parent: exiting; a child sleeps on", flush=True)
