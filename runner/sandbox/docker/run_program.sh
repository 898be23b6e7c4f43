# Start, time and stop the program given as the arguments ("$@"): the part that every sandbox's wrapper
# shares (wrapper.sh in a fresh container, exec_wrapper.sh in a warm one). Leaves behind rc (the
# program's exit code), s and e (/proc/uptime at its start and end) and stall (the CPU pressure over the
# run, in microseconds, empty when unknown: runner/sandbox/noise.py says why) - the container's own where
# cgroup v2 keeps one, else the machine's.
# SIGTERM (the host's timeout) makes it kill every other process and report; a host SIGKILL follows if
# it does not. The program runs in the background so that `wait` can be interrupted by the trap;
# `env --default-signal` undoes the SIGINT/SIGQUIT ignoring that sh gives background commands.
trap 'kill -KILL -1 2>/dev/null; stopped=1' TERM
reset=; env --default-signal=INT,QUIT true 2>/dev/null && reset="env --default-signal=INT,QUIT"
pressure() { p=; for f in /sys/fs/cgroup/cpu.pressure /proc/pressure/cpu; do [ -r $f ] || continue
  while read -r kind _ _ _ total; do [ "$kind" = some ] && p=${total#total=}; done < $f 2>/dev/null
  [ -n "$p" ] && return; done; }
pressure; p0=$p
read s _ < /proc/uptime
$reset "$@" &
program=$!
wait $program 2>/dev/null; rc=$?
if [ -n "$stopped" ]; then wait $program 2>/dev/null; again=$?; [ $again -ne 127 ] && rc=$again; fi
read e _ < /proc/uptime
pressure; stall=; [ -n "$p0" ] && [ -n "$p" ] && stall=$(( p - p0 ))
