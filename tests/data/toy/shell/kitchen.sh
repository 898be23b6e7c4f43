# The kitchen in POSIX shell: `&` starts a step in the background, `wait` waits for all of them.
# Each time stamp costs one fork (date): a busy machine makes a fork slow.
start=$(date +%s%N)
tenths() { now=$(date +%s%N); t=$(( (now - $1 + 50000000) / 100000000 )); }  # sets $t
say() { tenths "$start"; printf '[%d.%ds] %s\n' $((t / 10)) $((t % 10)) "$*"; }
cook() { sleep "$2"; say "$1: finished"; }
step() { say "$1: started ($2, $3s)"; cook "$1" "$3"; }

say "sequential dinner"
begin=$(date +%s%N)
step water boil 0.5
step vegetables chop 0.3
step sauce simmer 0.4
tenths "$begin"; sequential=$t
say "sequential dinner ready after $((t / 10)).$((t % 10))s: the sum of the steps"

say "concurrent dinner"
begin=$(date +%s%N)
# Each start is said here, before its `&`, so that the lines come in this order.
say "water: started (boil, 0.5s)"; cook water 0.5 &
say "vegetables: started (chop, 0.3s)"; { cook vegetables 0.3; step sauce simmer 0.4; } &  # the sauce needs them
wait
tenths "$begin"; concurrent=$t
say "concurrent dinner ready after $((t / 10)).$((t % 10))s: the longest chain, chop then simmer"
saved=$((sequential - concurrent))
say "cooking concurrently saved $((saved / 10)).$((saved % 10))s"
