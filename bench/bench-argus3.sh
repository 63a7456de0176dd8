#!/bin/sh
# bench-argus3.sh - how fast our clients read Argus 3 files, against Debian's ra.
#   sh bench/bench-argus3.sh [PACKETS [FLOWS]]   (default 6000000 packets, 1500000 flows)
# One synthetic pcap (bench/gen-pcap) goes through Debian's argus 3.0.8;
# both ra read the Argus 3 file it writes (read ten times over, to be
# measurable): -q reads, converts and decodes every record; -n -c , prints
# every one; racluster merges them.  Records are counted, not assumed.
. "$(dirname "$0")/common.sh"
P=${1:-6000000}
F=${2:-1500000}

command -v /usr/sbin/argus >/dev/null || { echo "Debian's argus is not installed"; exit 1; }
[ -x "$B/bench/gen-pcap" ] || make -s -C "$B" bench/gen-pcap
[ -f "$WORK/a3-$P-$F.pcap" ] || "$B/bench/gen-pcap" -n "$P" -f "$F" -o "$WORK/a3-$P-$F.pcap"
if [ ! -f "$WORK/a3-$P-$F.argus" ]; then
	/usr/sbin/argus -X -r "$WORK/a3-$P-$F.pcap" -w "$WORK/a3-$P-$F.tmp"
	mv "$WORK/a3-$P-$F.tmp" "$WORK/a3-$P-$F.argus"
fi
A="$WORK/a3-$P-$F.argus"
# Debian's clients exit 1 when no record passes the filter: not a failure here
DEB='"$0" "$@" || :' 
cat "$A" > /dev/null	# into the page cache
M=$("$B/ra/ra" -n -L -1 -r "$A" -s stime | wc -l)
D=$(/usr/bin/ra -X -n -L -1 -r "$A" -s stime - not man | wc -l)
echo "Argus 3 file: $(($(stat -c %s "$A") / 1048576)) MiB, $M flow records ($D by Debian's ra), $(($(stat -c %s "$A") / M)) bytes each"
set -- "$A"; for _ in 2 3 4 5 6 7 8 9 10; do set -- "$@" "$A"; done
report "ours: ra -q (read, convert, decode; file x10)" "$((M * 10))" "$(best_of 3 "$B/ra/ra" -q -r "$@")"
report "Debian: ra -q (file x10)" "$((D * 10))" "$(best_of 3 sh -c "$DEB" /usr/bin/ra -X -q -r "$@")"
report "ours: ra -r - filter matching nothing (file x10)" "$((M * 10))" "$(best_of 3 "$B/ra/ra" -r "$@" - proto 254)"
report "Debian: ra -r - filter matching nothing (file x10)" "$((D * 10))" "$(best_of 3 sh -c "$DEB" /usr/bin/ra -X -r "$@" - proto 254)"
report "ours: ra -n -c , (print every record)" "$M" "$(best_of 3 "$B/ra/ra" -n -c , -r "$A")"
report "Debian: ra -n -c , (print every record)" "$D" "$(best_of 1 sh -c "$DEB" /usr/bin/ra -X -n -c , -r "$A" - not man)"
report "ours: ra -w (convert to our format)" "$M" "$(best_of 3 "$B/ra/ra" -r "$A" -w "$WORK/a3-converted.argus")"
report "ours: racluster -m saddr daddr" "$M" "$(best_of 3 "$B/racluster/racluster" -r "$A" -m saddr daddr -w /dev/null)"
report "Debian: racluster -m saddr daddr" "$D" "$(best_of 1 sh -c "$DEB" /usr/bin/racluster -X -r "$A" -m saddr daddr -w /dev/null - not man)"
