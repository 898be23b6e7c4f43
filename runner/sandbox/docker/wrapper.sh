# PID 1 of every fresh sandbox: runs the program (its command is the arguments), then reports on stderr,
# in a line that starts with $MARK, what it measured: the program's exit code and wall time (from
# /proc/uptime, in centiseconds), the container's peak memory and how many times the pids limit refused
# a new process or thread (from the container's own cgroup, v2 or v1), and the CPU pressure over the run.
# After the program it uses shell builtins only, so that it can still report when a bomb has used up
# every pid.
#include run_program.sh
peak=; for f in /sys/fs/cgroup/memory.peak /sys/fs/cgroup/memory/memory.max_usage_in_bytes; do
  if [ -r "$f" ]; then read -r peak < "$f"; break; fi; done
refused=; for f in /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events; do
  if [ -r "$f" ]; then while read -r key value; do [ "$key" = max ] && refused=$value; done < "$f"; break; fi; done
printf '\n%s rc=%s cs=%s peak=%s pidsmax=%s stall=%s %s\n' "$MARK" "$rc" "$(( ${e%.*}${e#*.} - ${s%.*}${s#*.} ))" \
  "$peak" "$refused" "$stall" "$cpu" >&2
exit $rc
