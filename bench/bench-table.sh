#!/bin/sh
# bench-table.sh - the speed table of issue 26: our tools against Debian's
# Argus 3.0.8 and nfdump on the same generated traffic.
#   B=build sh bench/bench-table.sh [PACKETS] [RUNS]   (default 2000000 packets, 5 runs)
# One capture of PACKETS packets from bench/gen-pcap is turned into records
# by each toolkit (our argus, Debian's argus, nfpcapd); each then answers
# the same questions on its own records.  Every figure is the median of
# RUNS runs, in CPU seconds (user + system) of the tool alone, so a busy
# machine skews less.  Rows:
#   argus -r        packets a second turning the capture into records
#   read + filter   records a second through 'tcp and dst port 80 and src net 10.0.0.0/8'
#   racluster       records a second clustered per flow (default keys),
#                   nfdump -a: the records given 4 times over, the same for all
#   ra -n -c ,      CSV lines a second, written to a pipe
# Read jobs take each tool's records given as many times as makes a run
# long enough to time (the counts are in the notes under the table).
# Debian's tools get -X first, their output files are deleted before they
# append, and their management records are left out (- not man) where
# they would be printed or counted.
. "$(dirname "$0")/common.sh"
PACKETS=${1:-2000000}
RUNS=${2:-5}
EXPR='tcp and dst port 80 and src net 10.0.0.0/8'
NFEXPR="proto $EXPR"
T="$WORK/table-$PACKETS"
mkdir -p "$T"

for p in bench/gen-pcap argus/argus ra/ra racluster/racluster; do
	[ -x "$B/$p" ] || make -s -C "$B" "$p"
done
have_argus=false have_nf=false
[ -x /usr/sbin/argus ] && [ -x /usr/bin/ra ] && [ -x /usr/bin/racluster ] && have_argus=true
command -v nfpcapd >/dev/null && command -v nfdump >/dev/null && have_nf=true

# median_of N CMD...: the median CPU time of N runs ("secs rss").
median_of() {
	n=$1; shift
	: > "$WORK/.runs"
	for _ in $(seq "$n"); do cpu_seconds "$@" >> "$WORK/.runs"; done
	sort -n "$WORK/.runs" | awk -v n="$n" 'NR == int((n + 1) / 2)'
}
# The same, the tool writing to a pipe (its reader's time not counted).
cpu_pipe() {
	{ /usr/bin/time -f '%U %S %M' -o "$WORK/.time" "$@" 2>"$WORK/.stderr"; } | cat > /dev/null
	awk '{printf "%.3f %d\n", $1 + $2, $3}' "$WORK/.time"
}
median_pipe() {
	n=$1; shift
	: > "$WORK/.runs"
	for _ in $(seq "$n"); do cpu_pipe "$@" >> "$WORK/.runs"; done
	sort -n "$WORK/.runs" | awk -v n="$n" 'NR == int((n + 1) / 2)'
}
# reps COUNT TARGET: how many copies of COUNT records make TARGET (at least 1).
reps() { awk -v c="$1" -v t="$2" 'BEGIN{ k = int((t + c - 1) / (c > 0 ? c : 1)); print k < 1 ? 1 : k }'; }
# copies FILE K: FILE K times, as arguments.
copies() { i=0; while [ "$i" -lt "$2" ]; do printf '%s\n' "$1"; i=$((i + 1)); done; }
# nfdir SRC K DST: a directory holding SRC's files K times (hard links).
nfdir() {
	rm -rf "$3" && mkdir -p "$3"
	k=0
	while [ "$k" -lt "$2" ]; do
		for f in "$1"/nfcapd.*; do ln "$f" "$3/$(basename "$f").$k" 2>/dev/null || cp "$f" "$3/$(basename "$f").$k"; done
		k=$((k + 1))
	done
}
# rate line: "1.23M" from COUNT and "secs rss"
mrate() { [ -n "$2" ] && echo "$(rate "$1" "${2% *}")M" || echo "-"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ sub(/M$/, "", a); sub(/M$/, "", b); if (a == "-" || b == "-" || b + 0 <= 0) print "-"; else printf "%.1fx", a / b }'; }

echo "generating $PACKETS packets (bench/gen-pcap) ..." >&2
[ -f "$T/cap.pcap" ] || "$B/bench/gen-pcap" -n "$PACKETS" -o "$T/cap.pcap"
cat "$T/cap.pcap" > /dev/null

# ---- argus -r: the capture into records ----
echo "argus -r ..." >&2
rm -f "$T/ours.argus"
A_OURS=$(median_of "$RUNS" sh -c 'rm -f "$1"; exec "$2" -X -W 1 -r "$3" -w "$1"' sh "$T/ours.argus" "$B/argus/argus" "$T/cap.pcap")
A_DEB="" A_NF=""
if $have_argus; then
	A_DEB=$(median_of "$RUNS" sh -c 'rm -f "$1"; exec /usr/sbin/argus -X -r "$2" -w "$1"' sh "$T/debian.argus" "$T/cap.pcap")
fi
if $have_nf; then
	A_NF=$(median_of "$RUNS" sh -c 'rm -rf "$1"; mkdir -p "$1"; exec nfpcapd -r "$2" -l "$1"' sh "$T/nf" "$T/cap.pcap")
fi

# records each toolkit made of the capture
O=$("$B/ra/ra" -n -L -1 -s proto -r "$T/ours.argus" | wc -l)
M=0 K=0
$have_argus && M=$(/usr/bin/ra -X -n -L -1 -s proto -r "$T/debian.argus" - not man | wc -l)
$have_nf && K=$(nfdump -R "$T/nf" -q -o csv 2>/dev/null | wc -l)

# ---- read + filter ----
echo "read + filter ..." >&2
RO=$(reps "$O" 20000000)
F_OURS=$(median_of "$RUNS" "$B/ra/ra" -q -r $(copies "$T/ours.argus" "$RO") - "$EXPR")
F_DEB="" F_NF="" RD=0 RN=0
if $have_argus; then
	RD=$(reps "$M" 6000000)
	F_DEB=$(median_of "$RUNS" /usr/bin/ra -X -q -r $(copies "$T/debian.argus" "$RD") - "$EXPR")
fi
if $have_nf; then
	RN=$(reps "$K" 15000000)
	nfdir "$T/nf" "$RN" "$T/nfr"
	F_NF=$(median_of "$RUNS" nfdump -R "$T/nfr" -q "$NFEXPR")
fi

# ---- racluster per flow: the records 4 times over, for every tool ----
echo "racluster ..." >&2
C_OURS=$(median_of "$RUNS" "$B/racluster/racluster" -r $(copies "$T/ours.argus" 4) -w /dev/null)
C_DEB="" C_NF=""
if $have_argus; then
	C_DEB=$(median_of "$RUNS" /usr/bin/racluster -X -r $(copies "$T/debian.argus" 4) -w /dev/null)
fi
if $have_nf; then
	nfdir "$T/nf" 4 "$T/nf4"
	C_NF=$(median_of "$RUNS" sh -c 'rm -f "$1"; exec nfdump -R "$2" -a -w "$1"' sh "$T/nfagg" "$T/nf4")
fi

# ---- ra -n -c , to a pipe ----
echo "ra -n -c , ..." >&2
PO=$(reps "$O" 5000000)
P_OURS=$(median_pipe "$RUNS" "$B/ra/ra" -n -c , -r $(copies "$T/ours.argus" "$PO"))
P_DEB="" P_NF="" PD=0 PN=0
if $have_argus; then
	PD=$(reps "$M" 400000)
	P_DEB=$(median_pipe "$RUNS" /usr/bin/ra -X -n -c , -r $(copies "$T/debian.argus" "$PD") - not man)
fi
if $have_nf; then
	PN=$(reps "$K" 300000)
	nfdir "$T/nf" "$PN" "$T/nfp"
	P_NF=$(median_pipe "$RUNS" nfdump -R "$T/nfp" -q -o csv)
fi

row() {	# row LABEL OURS ARGUS NFDUMP
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"
}
echo
echo "| job | ours | Argus 3.0.8 | nfdump $(nfdump -V 2>/dev/null | sed 's/.*Version: *//' | head -1) | ours/Argus | ours/nfdump |"
echo "| --- | --- | --- | --- | --- | --- |"
row "\`argus -W 1 -r\` $PACKETS packets (pkt/s, one core)" "$(mrate "$PACKETS" "$A_OURS")" "$(mrate "$PACKETS" "$A_DEB")" "$(mrate "$PACKETS" "$A_NF")"
row "read + filter \`$EXPR\` (rec/s)" "$(mrate $((O * RO)) "$F_OURS")" \
	"$( [ "$RD" -gt 0 ] && mrate $((M * RD)) "$F_DEB" || echo -)" "$( [ "$RN" -gt 0 ] && mrate $((K * RN)) "$F_NF" || echo -)"
row "\`racluster\` per flow (rec/s)" "$(mrate $((O * 4)) "$C_OURS")" \
	"$($have_argus && mrate $((M * 4)) "$C_DEB" || echo -)" "$($have_nf && mrate $((K * 4)) "$C_NF" || echo -)"
row "\`ra -n -c ,\` to a pipe (lines/s)" "$(mrate $((O * PO)) "$P_OURS")" \
	"$( [ "$PD" -gt 0 ] && mrate $((M * PD)) "$P_DEB" || echo -)" "$( [ "$PN" -gt 0 ] && mrate $((K * PN)) "$P_NF" || echo -)"
echo
echo "Medians of $RUNS runs, CPU seconds of the tool (user + system), rates in millions a second."
echo "Records of the capture: ours $O, Debian argus $M (flows, not man), nfpcapd $K (unidirectional)."
echo "Read + filter read them $RO, $RD and $RN times over; ra -n -c , $PO, $PD and $PN times;"
echo "racluster and nfdump -a 4 times (nfdump -a: aggregated by flow, written with -w)."
echo "CPU seconds (ours, Argus, nfdump): argus ${A_OURS% *} ${A_DEB% *} ${A_NF% *};" \
	"filter ${F_OURS% *} ${F_DEB% *} ${F_NF% *}; racluster ${C_OURS% *} ${C_DEB% *} ${C_NF% *};" \
	"ra -c ${P_OURS% *} ${P_DEB% *} ${P_NF% *}."
cc=$(sed -n "s/^CC='\(.*\)'\$/\1/p" "$B/config.log" 2>/dev/null | head -1)
echo "Ours built by ${cc:-?} in $B; $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
