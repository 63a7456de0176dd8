#!/bin/sh
# bench-filter.sh - how fast ra filters, against Debian's ra and nfdump.
#   sh bench/bench-filter.sh [COUNT]        (default 5000000 records)
# The issue's figure: ra -q - 'tcp and dst port 80 and src net 10.0.0.0/8'
# over COUNT records from tests/gen/ragen, in records a second of CPU time
# (user + system, best of 3), next to ra -q with no filter (the reader's
# share) and bench/bench-filter (flt_match alone, flows in memory).  For
# Debian's ra and nfdump the records come from one synthetic pcap
# (bench/gen-pcap) through Debian's argus and nfpcapd; their record counts
# are measured, not assumed.
. "$(dirname "$0")/common.sh"
N=${1:-5000000}
EXPR='tcp and dst port 80 and src net 10.0.0.0/8'

for p in tests/gen/ragen ra/ra bench/bench-filter; do
	[ -x "$B/$p" ] || make -s -C "$B" "$p"
done
[ -f "$WORK/filter-$N.argus" ] || "$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/filter-$N.argus"
cat "$WORK/filter-$N.argus" > /dev/null	# into the page cache
M=$("$B/ra/ra" -n -L -1 -s proto -r "$WORK/filter-$N.argus" - "$EXPR" | wc -l)
echo "records: $N ($(($(stat -c %s "$WORK/filter-$N.argus") / N)) bytes each), $M pass '$EXPR'"
report "ours: ra -q (no filter)" "$N" "$(best_of 3 "$B/ra/ra" -q -r "$WORK/filter-$N.argus")"
report "ours: ra -q - $EXPR" "$N" "$(best_of 3 "$B/ra/ra" -q -r "$WORK/filter-$N.argus" - "$EXPR")"
report "ours: ra -q - port 22 or host 10.0.0.1 or not udp" "$N" \
	"$(best_of 3 "$B/ra/ra" -q -r "$WORK/filter-$N.argus" - port 22 or host 10.0.0.1 or not udp)"
echo "flt_match alone (flows in memory, cache-resident and 1M-flow working sets):"
"$B/bench/bench-filter" -n 4096 -r 2000 "$EXPR"
"$B/bench/bench-filter" -n 1000000 -r 5 "$EXPR"

if [ -x /usr/sbin/argus ] && [ -x /usr/bin/ra ]; then
	[ -x "$B/bench/gen-pcap" ] || make -s -C "$B" bench/gen-pcap || true
fi
if [ -x /usr/sbin/argus ] && [ -x /usr/bin/ra ] && [ -x "$B/bench/gen-pcap" ]; then
	[ -f "$WORK/big.pcap" ] || "$B/bench/gen-pcap" -o "$WORK/big.pcap"
	if [ ! -f "$WORK/debian.argus" ]; then
		/usr/sbin/argus -X -r "$WORK/big.pcap" -w "$WORK/debian.argus.tmp"
		mv "$WORK/debian.argus.tmp" "$WORK/debian.argus"
	fi
	# the file ten times over, so Debian's ra reads millions of records too
	set -- "$WORK/debian.argus" "$WORK/debian.argus" "$WORK/debian.argus" "$WORK/debian.argus" \
		"$WORK/debian.argus" "$WORK/debian.argus" "$WORK/debian.argus" "$WORK/debian.argus" \
		"$WORK/debian.argus" "$WORK/debian.argus"
	K=$(/usr/bin/ra -X -n -L -1 -r "$@" -s stime | wc -l)
	P=$(/usr/bin/ra -X -n -L -1 -r "$@" -s stime - "$EXPR" | wc -l)
	echo "Debian argus records from big.pcap, read 10 times: $K, $P pass"
	report "Debian ra -q (no filter)" "$K" "$(best_of 3 /usr/bin/ra -X -q -r "$@")"
	report "Debian ra -q - $EXPR" "$K" "$(best_of 3 /usr/bin/ra -X -q -r "$@" - "$EXPR")"
	if command -v nfpcapd >/dev/null; then
		if [ ! -d "$WORK/nf" ]; then
			mkdir -p "$WORK/nf"
			nfpcapd -r "$WORK/big.pcap" -l "$WORK/nf" >/dev/null 2>&1 || true
		fi
		J=$(nfdump -R "$WORK/nf" -q -o csv 2>/dev/null | wc -l)
		NFEXPR="proto tcp and dst port 80 and src net 10.0.0.0/8"
		echo "nfdump records from big.pcap: $J, $(nfdump -R "$WORK/nf" -q -o csv "$NFEXPR" | wc -l) pass"
		report "nfdump -R (match nothing: proto 254)" "$J" "$(best_of 3 nfdump -R "$WORK/nf" 'proto 254')"
		report "nfdump -R -q - $NFEXPR" "$J" "$(best_of 3 nfdump -R "$WORK/nf" -q "$NFEXPR")"
	fi
else
	echo "(Debian argus/ra or bench/gen-pcap missing: reference tools not timed)"
fi
