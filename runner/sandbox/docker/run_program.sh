# Start, time and stop the program given as the arguments ("$@"): the part that every sandbox's wrapper
# shares (wrapper.sh in a fresh container, exec_wrapper.sh in a warm one). Leaves behind rc (the
# program's exit code), s and e (/proc/uptime at its start and end) and stall (the CPU pressure over the
# run, in microseconds, empty when unknown: runner/sandbox/noise.py says why) - the container's own where
# cgroup v2 keeps one, else the machine's - and what the machine's CPUs did over the run: work (clock
# ticks spent working, steal included), ticks (all ticks, idle too), cpus (how many) from /proc/stat,
# which a container shares with its machine, and own (the container's own CPU time, in microseconds, from
# its cgroup, v2 or v1): the rest is other work's (noise.others_ms).
# SIGTERM (the host's timeout) makes it kill every other process and report; a host SIGKILL follows if
# it does not. The program runs in the background so that `wait` can be interrupted by the trap;
# `env --default-signal` undoes the SIGINT/SIGQUIT ignoring that sh gives background commands.
trap 'kill -KILL -1 2>/dev/null; stopped=1' TERM
reset=; env --default-signal=INT,QUIT true 2>/dev/null && reset="env --default-signal=INT,QUIT"
pressure() { p=; for f in /sys/fs/cgroup/cpu.pressure /proc/pressure/cpu; do [ -r $f ] || continue
  while read -r kind _ _ _ total; do [ "$kind" = some ] && p=${total#total=}; done < $f 2>/dev/null
  [ -n "$p" ] && return; done; }
machine() { read -r _ u n y i w q sq st _ < /proc/stat; work=$((u + n + y + q + sq + st)); all=$((work + i + w))
  own=; if [ -r /sys/fs/cgroup/cpu.stat ]; then
    while read -r key value; do [ "$key" = usage_usec ] && own=$value; done < /sys/fs/cgroup/cpu.stat
  elif [ -r /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then read -r own < /sys/fs/cgroup/cpuacct/cpuacct.usage
    own=$((own / 1000)); fi; }
pressure; p0=$p
machine; work0=$work all0=$all own0=$own
read s _ < /proc/uptime
$reset "$@" &
program=$!
wait $program 2>/dev/null; rc=$?
if [ -n "$stopped" ]; then wait $program 2>/dev/null; again=$?; [ $again -ne 127 ] && rc=$again; fi
read e _ < /proc/uptime
pressure; stall=; [ -n "$p0" ] && [ -n "$p" ] && stall=$(( p - p0 ))
machine; work=$((work - work0)) ticks=$((all - all0))
if [ -n "$own0" ] && [ -n "$own" ]; then own=$((own - own0)); else own=; fi
cpus=0; while read -r name _; do case $name in cpu) ;; cpu[0-9]*) cpus=$((cpus + 1)) ;; *) break ;; esac
  done < /proc/stat
cpu="work=$work ticks=$ticks cpus=$cpus own=$own"
