# One build in a compiler server's container: an exec of this script, as user 1000, with the job's name,
# the source's file name, its text in base64 (at most one argument's worth) and the build's time limit in
# seconds, then the build command.
# The source goes to /work/jobs/JOB/src, the program to /work/jobs/JOB/build (the build script sees
# JOB_ROOT, the folder the program will see as /job). The compiler's words go to stderr; on success the
# program's files go to stdout as a tar in base64. The job's folder is removed after, whatever happened.
job=/work/jobs/$1 name=$2 text=$3 limit=$4; shift 4
touch /work/last
mkdir -p "$job/src" "$job/build" && printf '%s' "$text" | base64 -d > "$job/src/$name" || exit 125
JOB_ROOT=$job timeout -s KILL "$limit" "$@" >&2
rc=$?
[ "$rc" -ne 0 ] || tar -cf - -C "$job/build" . | base64 || rc=125
rm -rf "$job"
touch /work/last
exit "$rc"
