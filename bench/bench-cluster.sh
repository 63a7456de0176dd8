#!/bin/sh
# bench-cluster.sh - how fast racluster and rasort are, against Debian's
# racluster and rasort and against nfdump's aggregation and sorting.
#   sh bench/bench-cluster.sh [COUNT]        (default 5000000 records)
# Headline rates use COUNT records from tests/gen/ragen (every record a
# distinct flow: the worst case for the per-flow key).  For a comparison on
# the same traffic, one synthetic pcap (bench/gen-pcap) is run through our
# argus, Debian's argus and nfpcapd, and each toolkit aggregates and sorts its
# own records of it; record counts are measured, not assumed.  Times are CPU
# seconds (user + system, best of a few runs: five for runs under a second),
# so a busy machine skews less.  B=DIR times the programs of another build
# than setup.sh's build/ (clang): B=build-gcc, say, after sh setup.sh test.
# Max RSS counts the input file too: readers map regular files, and rasort
# maps them a second time to sort records in place (shared page cache).
. "$(dirname "$0")/common.sh"
N=${1:-5000000}

[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/cl.argus"
cat "$WORK/cl.argus" > /dev/null	# into the page cache
echo "ragen records: $N ($(($(stat -c %s "$WORK/cl.argus") / N)) bytes each)"
cc=$(sed -n "s/^CC='\(.*\)'\$/\1/p" "$B/config.log" 2>/dev/null | head -1)
echo "ours built with: ${cc:-?} ($(${cc:-cc} --version 2>/dev/null | head -1))"
report "ours: racluster -m saddr" "$N" "$(best_of 5 "$B/racluster/racluster" -q -m saddr -r "$WORK/cl.argus")"
report "ours: racluster -m proto dport" "$N" "$(best_of 5 "$B/racluster/racluster" -q -m proto dport -r "$WORK/cl.argus")"
report "ours: racluster (per flow, $N distinct flows)" "$N" "$(best_of 2 "$B/racluster/racluster" -q -r "$WORK/cl.argus")"
report "ours: racluster (per flow) -w /dev/null" "$N" "$(best_of 2 "$B/racluster/racluster" -w /dev/null -r "$WORK/cl.argus")"
report "ours: racluster -M nocorrect (per flow)" "$N" "$(best_of 2 "$B/racluster/racluster" -q -M nocorrect -r "$WORK/cl.argus")"
report "ours: rasort -m bytes -w /dev/null" "$N" "$(best_of 2 "$B/rasort/rasort" -m bytes -w /dev/null -r "$WORK/cl.argus")"
report "ours: rasort -m bytes -N 10" "$N" "$(best_of 2 "$B/rasort/rasort" -m bytes -N 10 -r "$WORK/cl.argus")"
report "ours: rasort -m saddr dport (long key) -w /dev/null" "$N" "$(best_of 2 "$B/rasort/rasort" -m saddr dport -w /dev/null -r "$WORK/cl.argus")"
report "ours: rasort -m bytes -M mem=64M (spills)" "$N" "$(best_of 1 "$B/rasort/rasort" -m bytes -M mem=64M -w /dev/null -r "$WORK/cl.argus")"

command -v argus >/dev/null && [ -x "$B/bench/gen-pcap" ] && [ -x "$B/argus/argus" ] || {
	echo "(Debian argus, our argus or bench/gen-pcap missing: same-traffic comparison skipped)"
	exit 0
}
[ -f "$WORK/big.pcap" ] || "$B/bench/gen-pcap" -o "$WORK/big.pcap"
rm -f "$WORK/debian.argus" "$WORK/ours.argus"
argus -X -r "$WORK/big.pcap" -w "$WORK/debian.argus"
"$B/argus/argus" -X -r "$WORK/big.pcap" -w "$WORK/ours.argus"
M=$(/usr/bin/ra -X -n -L -1 -r "$WORK/debian.argus" -s stime | wc -l)
O=$("$B/ra/ra" -L -1 -r "$WORK/ours.argus" -s stime | wc -l)
echo "big.pcap: Debian argus $M records, our argus $O records"
report "ours on our records: racluster -m saddr" "$O" "$(best_of 3 "$B/racluster/racluster" -q -m saddr -r "$WORK/ours.argus")"
report "ours on our records: racluster (per flow)" "$O" "$(best_of 3 "$B/racluster/racluster" -q -r "$WORK/ours.argus")"
report "ours on our records: rasort -m bytes" "$O" "$(best_of 3 "$B/rasort/rasort" -m bytes -w /dev/null -r "$WORK/ours.argus")"
report "Debian racluster -m saddr" "$M" "$(best_of 1 /usr/bin/racluster -X -m saddr -w /dev/null -r "$WORK/debian.argus")"
report "Debian racluster (per flow)" "$M" "$(best_of 1 /usr/bin/racluster -X -w /dev/null -r "$WORK/debian.argus")"
report "Debian rasort -m bytes" "$M" "$(best_of 1 /usr/bin/rasort -X -m bytes -w /dev/null -r "$WORK/debian.argus")"
if command -v nfpcapd >/dev/null; then
	rm -rf "$WORK/nf" && mkdir -p "$WORK/nf"
	nfpcapd -r "$WORK/big.pcap" -l "$WORK/nf" >/dev/null 2>&1 || true
	K=$(nfdump -R "$WORK/nf" -q -o csv 2>/dev/null | wc -l)
	echo "nfdump records from big.pcap: $K"
	report "nfdump -A srcip (aggregate by source)" "$K" "$(best_of 3 nfdump -R "$WORK/nf" -q -A srcip)"
	report "nfdump -a (aggregate by flow)" "$K" "$(best_of 3 nfdump -R "$WORK/nf" -q -a)"
	report "nfdump -O bytes (sort by bytes)" "$K" "$(best_of 3 nfdump -R "$WORK/nf" -q -O bytes)"
fi
