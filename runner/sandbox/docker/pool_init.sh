# PID 1 of a sandbox started ahead of time (runner/sandbox/docker/pool.py). It waits, up to IDLE seconds
# (its first argument), for one line on stdin from the run that takes it: the run's environment as
# NAME=VALUE words up to a `--`, then the files and command as wrapper_with_files.sh takes them, each word
# quoted for the shell by the kit. The line comes through the attach that also carries the output, so the
# program cannot print before the kit reads it. Then the container is a fresh sandbox like any other.
line=$(timeout "$1" head -n 1) || exit 0
[ -n "$line" ] || exit 0
eval "set -- $line"
while [ "$1" != -- ]; do export "$1" || exit 125; shift; done; shift
#include wrapper_with_files.sh
