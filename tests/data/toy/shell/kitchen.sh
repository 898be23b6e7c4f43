# The kitchen in POSIX shell: `&` starts a step in the background, `wait` waits for all of them.
start=$(date +%s%N)
tenths() { echo $(( ($(date +%s%N) - $1 + 50000000) / 100000000 )); }
say() { t=$(tenths "$start"); printf '[%d.%ds] %s\n' $((t / 10)) $((t % 10)) "$*"; }
step() { sleep "$2"; say "$1: finished"; }
seconds() { t=$(tenths "$1"); printf '%d.%ds' $((t / 10)) $((t % 10)); }

say "sequential dinner"
begin=$(date +%s%N)
say "water: started (boil, 0.6s)"; step water 0.6
say "vegetables: started (chop, 0.3s)"; step vegetables 0.3
say "sauce: started (simmer, 0.4s)"; step sauce 0.4
sequential=$(tenths "$begin")
say "sequential dinner ready after $(seconds "$begin"): the sum of the steps"

say "concurrent dinner"
begin=$(date +%s%N)
say "water: started (boil, 0.6s)"; step water 0.6 &
say "vegetables: started (chop, 0.3s)"; step vegetables 0.3 &
say "sauce: started (simmer, 0.4s)"; step sauce 0.4 &
wait
concurrent=$(tenths "$begin")
say "concurrent dinner ready after $(seconds "$begin"): the longest step"
saved=$((sequential - concurrent))
say "cooking concurrently saved $((saved / 10)).$((saved % 10))s"
