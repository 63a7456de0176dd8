#!/bin/sh
# regen.sh - regenerates what Debian's argus and ra select from the captures
# here, for tests/cli/filter-argus-diff.bats.  For every NAME.pcap it writes
# NAME.tuples: "N proto saddr sport daddr dport" for each distinct 5-tuple
# that Debian's ra prints for expression N of ./expressions (N = 0: every
# flow record, no filter).  Needs Debian's argus and ra (3.0.8): on PATH,
# or named by $ARGUS and $RA.  With a directory argument it writes there
# instead (the test uses that to check these files are current).
# Review the diff before committing.
#
# The captures are copies from /work/shared/pcaps (tcpdump's and nDPI's test
# suites); ndpi-gnutella-first300.pcap and ndpi-synscan-first100.pcap are the
# first 300 and 100 packets of ndpi-gnutella.pcap and ndpi-synscan.pcap
# (editcap -r IN OUT 1-300), to keep the tree small.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
out=${1:-$dir}
ARGUS=${ARGUS:-argus}
RA=${RA:-ra}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Ports as decimal numbers: Debian's ra -nn prints ICMPv6 types in decimal,
# ICMPv4 ones and ours in hex.
TUPLE_AWK='
function dec(s,  i, n) {	# 0x0087 -> 135: both print ICMP "ports" so after this
	if (s !~ /^0x/) return s
	s = tolower(substr(s, 3)); n = 0
	for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return n
}
'

tuples() {	# ra args...: the distinct 5-tuples ra prints
	"$RA" -X -nn -c , -s proto saddr sport daddr dport "$@" |
		awk -F, "$TUPLE_AWK"' $1 != "Proto" { print $1, $2, dec($3), $4, dec($5) }' | sort -u
}

for pcap in "$dir"/*.pcap; do
	name=$(basename "$pcap" .pcap)
	rm -f "$tmp/$name.argus"
	"$ARGUS" -X -r "$pcap" -w "$tmp/$name.argus"
	{
		tuples -r "$tmp/$name.argus" - not man | sed 's/^/0 /'
		n=0
		while IFS= read -r expr; do
			n=$((n + 1))
			tuples -r "$tmp/$name.argus" - "not man and ($expr)" | sed "s/^/$n /"
		done < "$dir/expressions"
	} > "$out/$name.tuples"
done
