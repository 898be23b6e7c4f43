# PID 1 of a compiler server's container: reaps what builds leave to it, and ends the container after
# IDLE seconds (its first argument) in which no build started or ended (each touches /work/last).
idle=$1
trap 'exit 0' TERM
touch /work/last
while :; do
  sleep 5 & wait $!
  [ $(( $(date +%s) - $(stat -c %Y /work/last) )) -lt "$idle" ] || exit 0
done
