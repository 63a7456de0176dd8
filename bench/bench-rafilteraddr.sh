#!/bin/sh
# bench-rafilteraddr.sh - how fast rafilteraddr loads an address file and
# matches records against it, against Debian's rafilteraddr.
#   sh bench/bench-rafilteraddr.sh [COUNT] [ENTRIES]   (default 5000000 records, 100000 entries)
# Records come from tests/gen/ragen; the address file holds ENTRIES /32s,
# /24s and a-b ranges (a third each) spread over 10.0.0.0/8 and 172.16/12,
# plus IPv6 /64s, so about half the records match.
. "$(dirname "$0")/common.sh"
N=${1:-5000000}
E=${2:-100000}

[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/fa.argus"
awk -v e="$E" 'BEGIN {
	for (i = 0; i < e; i++) {
		a = int(i / 65536) % 256; b = int(i / 256) % 256; c = i % 256
		if (i % 3 == 0) printf "10.%d.%d.%d\n", b, c, a
		else if (i % 3 == 1) printf "172.%d.%d.0/24\n", 16 + a % 16, b
		else printf "10.%d.%d.1-10.%d.%d.99\n", c, b, c, b
	}
	printf "2001:db8::/64\n"
}' > "$WORK/addresses.txt"
cat "$WORK/fa.argus" > /dev/null
echo "records: $N; address file: $E entries"
report "ours: rafilteraddr -f, load and stop at the first match" 1 "$(best_of 3 "$B/rafilteraddr/rafilteraddr" -q -N 1 -f "$WORK/addresses.txt" -r "$WORK/fa.argus")"
report "ours: rafilteraddr -q -f" "$N" "$(best_of 3 "$B/rafilteraddr/rafilteraddr" -q -f "$WORK/addresses.txt" -r "$WORK/fa.argus")"
report "ours: ra -q (reading alone)" "$N" "$(best_of 3 "$B/ra/ra" -q -r "$WORK/fa.argus")"
echo "matched: $("$B/rafilteraddr/rafilteraddr" -f "$WORK/addresses.txt" -r "$WORK/fa.argus" -L -1 -s seq | wc -l) of $N"

if [ -x /usr/bin/rafilteraddr ] && command -v argus >/dev/null && [ -x "$B/bench/gen-pcap" ]; then
	[ -f "$WORK/big.pcap" ] || "$B/bench/gen-pcap" -o "$WORK/big.pcap"
	rm -f "$WORK/debian.argus"
	argus -X -r "$WORK/big.pcap" -w "$WORK/debian.argus"
	M=$(/usr/bin/ra -X -n -L -1 -r "$WORK/debian.argus" -s stime | wc -l)
	grep -v : "$WORK/addresses.txt" > "$WORK/addresses4.txt"
	report "Debian rafilteraddr -q -f (IPv4 entries)" "$M" "$(best_of 1 /usr/bin/rafilteraddr -X -q -f "$WORK/addresses4.txt" -r "$WORK/debian.argus")"
fi
