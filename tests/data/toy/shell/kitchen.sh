# The kitchen in POSIX shell: `&` starts a step in the background, `wait` waits for all of them.
start=$(date +%s%N)
tenths() { echo $(( ($(date +%s%N) - $1 + 50000000) / 100000000 )); }
say() { t=$(tenths "$start"); printf '[%d.%ds] %s\n' $((t / 10)) $((t % 10)) "$*"; }
step() { say "$1: started ($2, $3s)"; sleep "$3"; say "$1: finished"; }
sauce() { step vegetables chop 0.3; step sauce simmer 0.4; }  # the sauce needs the chopped vegetables
seconds() { t=$(tenths "$1"); printf '%d.%ds' $((t / 10)) $((t % 10)); }

say "sequential dinner"
begin=$(date +%s%N)
step water boil 0.5
sauce
sequential=$(tenths "$begin")
say "sequential dinner ready after $(seconds "$begin"): the sum of the steps"

say "concurrent dinner"
begin=$(date +%s%N)
step water boil 0.5 &
sauce &
wait
concurrent=$(tenths "$begin")
say "concurrent dinner ready after $(seconds "$begin"): the longest chain, chop then simmer"
saved=$((sequential - concurrent))
say "cooking concurrently saved $((saved / 10)).$((saved % 10))s"
