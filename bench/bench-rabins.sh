#!/bin/sh
# bench-rabins.sh - how fast rabins bins and ragraph draws, against Debian's
# rabins on the same traffic.
#   sh bench/bench-rabins.sh [COUNT]        (default 5000000 records)
# Headline rates use COUNT records from tests/gen/ragen (one record a
# millisecond: COUNT / 60000 one-minute bins).  For Debian's rabins, one
# synthetic pcap (bench/gen-pcap) is run through our argus and Debian's, and
# each rabins bins its own records of it.  Times are CPU seconds (user +
# system, best of a few runs).  ragraph draws a day of one-second bins (86400
# records, one a second) with ten series plus "other"; its time is wall clock.
. "$(dirname "$0")/common.sh"
N=${1:-5000000}

[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/bins.argus"
cat "$WORK/bins.argus" > /dev/null	# into the page cache
echo "ragen records: $N ($(($(stat -c %s "$WORK/bins.argus") / N)) bytes each)"
echo "groups of -M time 1m -m proto dport: $("$B/rabins/rabins" -M time 1m -m proto dport -L -1 -s proto -r "$WORK/bins.argus" | wc -l)"
report "ours: rabins -M time 1m -m proto dport" "$N" \
	"$(best_of 3 "$B/rabins/rabins" -q -M time 1m -m proto dport -r "$WORK/bins.argus")"
report "ours: rabins -B 1m -M time 1m -m proto dport (streaming)" "$N" \
	"$(best_of 3 "$B/rabins/rabins" -q -B 1m -M time 1m -m proto dport -r "$WORK/bins.argus")"
report "ours: rabins -M time 1m -m proto dport -w /dev/null" "$N" \
	"$(best_of 3 "$B/rabins/rabins" -M time 1m -m proto dport -w /dev/null -r "$WORK/bins.argus")"
report "ours: rabins -M time 1s -m proto" "$N" \
	"$(best_of 3 "$B/rabins/rabins" -q -M time 1s -m proto -r "$WORK/bins.argus")"
report "ours: rabins -B 10s -M time 1m (per flow)" "$N" \
	"$(best_of 2 "$B/rabins/rabins" -q -B 10s -M time 1m -r "$WORK/bins.argus")"

"$B/tests/gen/ragen" -n 86400 -s 5 -g 1000000 -w "$WORK/day1s.argus"
best=""
for _ in 1 2 3; do
	t0=$(date +%s.%N)
	"$B/ragraph/ragraph" bytes dport -N 10 -M 1s -r "$WORK/day1s.argus" -w "$WORK/day.png"
	t1=$(date +%s.%N)
	s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b - a}')
	if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$s; fi
done
echo "ours: ragraph bytes dport -N 10 -M 1s, a day of 1 s bins (86400 bins, 11 series):" \
	"$(best_of 3 "$B/ragraph/ragraph" bytes dport -N 10 -M 1s -r "$WORK/day1s.argus" -w "$WORK/day.png" |
	   cut -d' ' -f1)s CPU, ${best}s wall clock (the best of three; wall clock counts waiting for a busy CPU)"

command -v /usr/bin/rabins >/dev/null && [ -x "$B/bench/gen-pcap" ] && [ -x "$B/argus/argus" ] || {
	echo "(Debian argus and rabins, our argus or bench/gen-pcap missing: Debian comparison skipped)"
	exit 0
}
[ -f "$WORK/big.pcap" ] || "$B/bench/gen-pcap" -o "$WORK/big.pcap"
rm -f "$WORK/debian.argus" "$WORK/ours.argus"
/usr/sbin/argus -X -r "$WORK/big.pcap" -w "$WORK/debian.argus"
"$B/argus/argus" -X -r "$WORK/big.pcap" -w "$WORK/ours.argus"
M=$(/usr/bin/ra -X -n -L -1 -r "$WORK/debian.argus" -s stime | wc -l)
O=$("$B/ra/ra" -L -1 -r "$WORK/ours.argus" -s stime | wc -l)
echo "big.pcap: Debian argus $M records, our argus $O records"
report "ours on our records: rabins -M time 1m -m proto dport" "$O" \
	"$(best_of 3 "$B/rabins/rabins" -q -M time 1m -m proto dport -r "$WORK/ours.argus")"
report "Debian rabins -M time 1m -m proto dport" "$M" \
	"$(best_of 1 /usr/bin/rabins -X -M time 1m -m proto dport -w /dev/null -r "$WORK/debian.argus")"
