#!/bin/sh
# bench-argus.sh - time our argus and Debian's argus on the same generated pcap.
#
#   B=build-dir [PACKETS=5000000] [FLOWS=200000] [WORKERS="1 2 4"] [RUNS=3] sh bench/bench-argus.sh
#
# Generates (once, deterministically) a pcap of PACKETS packets with FLOWS
# concurrent conversations (TCP with handshakes and closes, UDP, ICMP,
# IPv6) with bench/gen-pcap, reads it once so it is in the page cache, then
# runs `argus -r big.pcap -w out` for ours (best of 3) and Debian's (once,
# it is slow) and prints packets per second of CPU time and peak memory.
# Both are run with -X (no config file); Debian's output file is removed
# first (its -w appends).  Ours is run once more per worker count in
# WORKERS (-W n), RUNS times each, and reported by CPU time and by wall
# time (with threads, packets per second of wall time is what counts),
# best and median.
. "$(dirname "$0")/common.sh"
PACKETS=${PACKETS:-5000000}
FLOWS=${FLOWS:-200000}
pcap="$WORK/gen-$PACKETS-$FLOWS.pcap"
[ -s "$pcap" ] || "$B/bench/gen-pcap" -n "$PACKETS" -f "$FLOWS" -o "$pcap"
cat "$pcap" > /dev/null
echo "input: $pcap ($PACKETS packets, $FLOWS concurrent conversations, $(du -Lm "$pcap" | cut -f1) MiB)"

rm -f "$WORK/ours.argus"
r=$(best_of 3 "$B/argus/argus" -X -W 1 -r "$pcap" -w "$WORK/ours.argus")
report "our argus -W 1 -r big.pcap -w out" "$PACKETS" "$r"
echo "  records written: $(du -m "$WORK/ours.argus" | cut -f1) MiB"

# Worker threads: wall and CPU seconds of each run, then best and median.
for n in ${WORKERS:-1 2 4}; do
	: > "$WORK/.runs"
	for _ in $(seq "${RUNS:-3}"); do
		/usr/bin/time -f '%e %U %S' -o "$WORK/.time" "$B/argus/argus" -X -W "$n" -r "$pcap" \
			-w "$WORK/ours.argus" >/dev/null
		cat "$WORK/.time" >> "$WORK/.runs"
	done
	sort -n "$WORK/.runs" | awk -v n="$n" -v p="$PACKETS" '
		{ wall[NR] = $1; cpu[NR] = $2 + $3 }
		END {
			m = int((NR + 1) / 2)
			printf "our argus -W %-2d  wall: best %6.2f M/s median %6.2f M/s   CPU: %6.2f M/s (median run %.2fs wall, %.2fs CPU)\n",
				n, p / wall[1] / 1e6, p / wall[m] / 1e6, p / cpu[m] / 1e6, wall[m], cpu[m]
		}'
done

if [ -x /usr/sbin/argus ]; then
	rm -f "$WORK/debian.argus"
	r=$(cpu_seconds /usr/sbin/argus -X -r "$pcap" -w "$WORK/debian.argus")
	report "Debian argus 3.0.8 -r big.pcap -w out" "$PACKETS" "$r"
	echo "  records written: $(du -m "$WORK/debian.argus" | cut -f1) MiB"
	rm -f "$WORK/debian.argus"
else
	echo "Debian's argus is not installed: only ours was timed"
fi
rm -f "$WORK/ours.argus"
