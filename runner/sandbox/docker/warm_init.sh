# PID 1 of a warm container: waits, and so reaps the processes that examples leave to it (a program's
# orphans, killed after it, would stay zombies otherwise). exec_wrapper.sh's `kill -1` ends its sleep too.
trap 'exit 0' TERM; while :; do sleep 3600 & wait; done
