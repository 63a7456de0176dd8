#!/bin/sh
# bench-ra.sh - how fast ra reads and prints, against Debian's ra and nfdump.
#   sh bench/bench-ra.sh [COUNT]        (default 5000000 records)
# Our records come from tests/gen/ragen.  For Argus and nfdump, equivalent
# data comes from one synthetic pcap (bench/gen-pcap) run through Debian's
# argus and through nfpcapd; their record counts are measured, not assumed.
. "$(dirname "$0")/common.sh"
N=${1:-5000000}

[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/ra.argus"
cat "$WORK/ra.argus" > /dev/null	# into the page cache
echo "records: $N, $(($(stat -c %s "$WORK/ra.argus") / N)) bytes each on average"
report "ours: ra -q" "$N" "$(best_of 3 "$B/ra/ra" -q -r "$WORK/ra.argus")"
report "ours: ra -n -c , (print every record)" "$N" "$(best_of 3 "$B/ra/ra" -n -c , -r "$WORK/ra.argus")"
report "ours: ra -M json" "$N" "$(best_of 1 "$B/ra/ra" -M json -r "$WORK/ra.argus")"

if command -v argus >/dev/null && [ -x "$B/bench/gen-pcap" ]; then
	[ -f "$WORK/big.pcap" ] || "$B/bench/gen-pcap" -o "$WORK/big.pcap"
	rm -f "$WORK/debian.argus"
	argus -X -r "$WORK/big.pcap" -w "$WORK/debian.argus"
	M=$(/usr/bin/ra -X -n -L -1 -r "$WORK/debian.argus" -s stime | wc -l)
	echo "Debian argus records from big.pcap: $M (read 10 times over for -q, to be measurable)"
	set -- "$WORK/debian.argus"; for _ in 2 3 4 5 6 7 8 9 10; do set -- "$@" "$WORK/debian.argus"; done
	report "Debian ra -q" "$((M * 10))" "$(best_of 3 /usr/bin/ra -X -q -r "$@")"
	report "Debian ra -n -c ," "$M" "$(best_of 1 /usr/bin/ra -X -n -c , -r "$WORK/debian.argus")"
	if command -v nfpcapd >/dev/null; then
		rm -rf "$WORK/nf" "$WORK/nf10" && mkdir -p "$WORK/nf" "$WORK/nf10"
		nfpcapd -r "$WORK/big.pcap" -l "$WORK/nf" >/dev/null 2>&1 || true
		K=$(nfdump -R "$WORK/nf" -q -o csv 2>/dev/null | wc -l)
		echo "nfdump records from big.pcap: $K (read 10 times over, to be measurable)"
		i=0
		for f in $(find "$WORK/nf" -type f -name 'nfcapd.*'); do
			for k in 0 1 2 3 4 5 6 7 8 9; do cp "$f" "$WORK/nf10/nfcapd.20240101$k$i"; done
			i=$((i + 1))
		done
		report "nfdump -R (read, match nothing)" "$((K * 10))" "$(best_of 3 nfdump -R "$WORK/nf10" 'proto 254')"
		report "nfdump -o csv (print every record)" "$K" "$(best_of 1 nfdump -R "$WORK/nf" -q -o csv)"
	fi
else
	echo "(Debian argus or bench/gen-pcap missing: reference tools not timed)"
fi
