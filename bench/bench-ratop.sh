#!/bin/sh
# bench-ratop.sh - whether ratop keeps up with 1M records a second and 1M live
# groups while it ranks twice a second, on one core (taskset -c 0: its input
# thread and its screen loop share it).
#   sh bench/bench-ratop.sh [GROUPS]        (default 1000000)
# Input: GROUPS distinct flows from tests/gen/ragen, sent GROUPS records at a
# time through a pipe (a live input: rates over the window, ranking every
# 0.5 s).  ratop runs in plain mode printing the top 40 rows every interval,
# what a screen of 40 lines shows.  Measured:
#   1. intake at full speed: GROUPS records as fast as a pipe gives them;
#   2. a tick at GROUPS live groups: CPU over 10 s of ticks with no input,
#      less the intake's, per tick;
#   3. paced input: the flows sent PASSES times over at 1M records a second
#      (10 slices a second), so the table holds GROUPS live groups while
#      records keep arriving; ratop's CPU share of one core over the run, and
#      the records-per-second figure its own header gave last;
#   4. -M max=GROUPS/10: the table bounded, the smallest evicted every tick.
. "$(dirname "$0")/common.sh"
N=${1:-1000000}
PASSES=${PASSES:-5}
R="taskset -c 0 $B/ratop/ratop"

[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/top.argus"
cat "$WORK/top.argus" > /dev/null
size=$(stat -c %s "$WORK/top.argus")
echo "ragen records: $N distinct flows ($((size / N)) bytes each)"

# 1. intake
t=$(cpu_seconds sh -c "cat '$WORK/top.argus' | $R -r - -M idle=1h -N 40")
/usr/bin/time -f '%e' -o "$WORK/.wall" sh -c "cat '$WORK/top.argus' | $R -r - -M idle=1h -N 40 > /dev/null"
wall=$(cat "$WORK/.wall")
report "ratop: intake through a pipe (CPU)" "$N" "$t"
echo "ratop: intake through a pipe, wall clock: $(rate "$N" "$wall") M/s ($wall s)"

# 2. ticks at N groups
t2=$(cpu_seconds sh -c "(cat '$WORK/top.argus'; sleep 10) | $R -r - -M idle=1h -N 40")
awk -v a="${t%% *}" -v b="${t2%% *}" -v n="$N" 'BEGIN{ per = (b - a) / 20;
	printf "ratop: one tick (scan, rates, sort, top rows) at %d groups: %.1f ms CPU; %.0f%% of a core at 2 a second\n",
		n, per * 1000, per * 200 }'

# 3. paced: PASSES x N records at 1M a second
pace() {	# the file PASSES times, a tenth of a second's worth (100k records) per slice, on time
	python3 -c '
import sys, time
path, passes, slice_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = sys.stdout.buffer
t = time.monotonic()
for _ in range(passes):
    with open(path, "rb") as f:
        while True:
            b = f.read(slice_bytes)
            if not b:
                break
            out.write(b)
            out.flush()
            t += 0.1
            d = t - time.monotonic()
            if d > 0:
                time.sleep(d)
' "$WORK/top.argus" "$PASSES" "$((size / N * 100000))"
}
start=$(date +%s.%N)
pace | /usr/bin/time -f '%U %S %M' -o "$WORK/.time" $R -r - -M idle=1h -N 40 > "$WORK/.paced"
end=$(date +%s.%N)
last=$(grep '^ratop' "$WORK/.paced" | tail -2 | head -1)
awk -v s="$start" -v e="$end" -v n="$N" -v p="$PASSES" '{ cpu = $1 + $2;
	printf "ratop: paced, %d records over %d live groups in %.1f s (%.2f M/s offered): %.2f s CPU, %.0f%% of one core, %.0f MiB max RSS\n",
		n * p, n, e - s, n * p / (e - s) / 1e6, cpu, 100 * cpu / (e - s), $3 / 1024 }' "$WORK/.time"
echo "ratop: its header near the end: $(echo "$last" | grep -o 'records [0-9]* ([0-9]*/s)  groups [0-9]*')"

# 4. bounded
t4=$(cpu_seconds sh -c "cat '$WORK/top.argus' '$WORK/top.argus' | $R -r - -M idle=1h max=$((N / 10)) -N 40")
report "ratop -M max=$((N / 10)): intake of 2 x $N records (CPU)" "$((2 * N))" "$t4"
