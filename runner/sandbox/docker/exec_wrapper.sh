# An example in a warm container: an exec of this script, as user 1000, with the run's name first, then
# the example's files as pairs of path and base64 text up to a `--` (written under /work/RUN.files: an
# exec's arguments cost nothing, a copy through the API some 90 ms), then the command. It does what
# wrapper.sh does, in a working folder of its own (/work/RUN, removed after), and counts the memory
# limit's kills and the pids limit's refusals as differences (the counters are the container's). After
# the program it kills every process left but PID 1 (`kill -1` spares init and itself) and empties /tmp,
# so that the next example finds nothing of this one. Its own PID is in /work/RUN.pid: the host stops it
# through that on a timeout.
job=$1; shift
echo $$ > "/work/$job.pid"
files="/work/$job.files"
#include write_files.sh
mkdir "/work/$job" && cd "/work/$job" || exit 125
count() { for f in "$@"; do if [ -r "$f" ]; then while read -r key value; do [ "$key" = "$k" ] && echo "$value";
  done < "$f"; return; fi; done; echo 0; }
k=oom_kill; oom0=$(count /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control)
k=max; pids0=$(count /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events)
# The host may read this exec's output only from some moment after it began (runner/sandbox/docker/warm.py):
# say READY until it has read one and created /work/RUN.go, which names the process that wrote it; once that
# process is gone, the program starts.
tries=0
until [ -e "/work/$job.go" ]; do
  [ $tries -lt 400 ] || exit 125
  printf '%s ready\n' "$MARK"; tries=$((tries + 1)); sleep 0.02
done
read -r go < "/work/$job.go"
while [ -n "$go" ] && [ -d "/proc/$go" ]; do sleep 0.01; done
#include run_program.sh
kill -KILL -1 2>/dev/null
k=oom_kill; oom=$(( $(count /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control) - oom0 ))
k=max; refused=$(( $(count /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events) - pids0 ))
cd /; rm -rf "/work/$job" "/work/$job.files" "/work/$job.pid" "/work/$job.go" /tmp/* /tmp/.[!.]* 2>/dev/null
printf '\n%s rc=%s cs=%s oom=%s pidsmax=%s stall=%s %s\n' "$MARK" "$rc" "$(( ${e%.*}${e#*.} - ${s%.*}${s#*.} ))" \
  "$oom" "$refused" "$stall" "$cpu" >&2
exit $rc
