#!/bin/sh
# bench-argus.sh - time our argus and Debian's argus on the same generated pcap.
#
#   B=build-dir [PACKETS=5000000] [FLOWS=200000] sh bench/bench-argus.sh
#
# Generates (once, deterministically) a pcap of PACKETS packets with FLOWS
# concurrent conversations (TCP with handshakes and closes, UDP, ICMP,
# IPv6) with bench/gen-pcap, reads it once so it is in the page cache, then
# runs `argus -r big.pcap -w out` for ours (best of 3) and Debian's (once,
# it is slow) and prints packets per second of CPU time and peak memory.
# Both are run with -X (no config file); Debian's output file is removed
# first (its -w appends).
. "$(dirname "$0")/common.sh"
PACKETS=${PACKETS:-5000000}
FLOWS=${FLOWS:-200000}
pcap="$WORK/gen-$PACKETS-$FLOWS.pcap"
[ -s "$pcap" ] || "$B/bench/gen-pcap" -n "$PACKETS" -f "$FLOWS" -o "$pcap"
cat "$pcap" > /dev/null
echo "input: $pcap ($PACKETS packets, $FLOWS concurrent conversations, $(du -Lm "$pcap" | cut -f1) MiB)"

rm -f "$WORK/ours.argus"
r=$(best_of 3 "$B/argus/argus" -X -r "$pcap" -w "$WORK/ours.argus")
report "our argus -r big.pcap -w out" "$PACKETS" "$r"
echo "  records written: $(du -m "$WORK/ours.argus" | cut -f1) MiB"

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
