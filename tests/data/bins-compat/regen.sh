#!/bin/sh
# regen.sh - regenerate what Debian's rabins 3.0.8 makes of Debian's argus
# records of the captures below, for the rabins fidelity test
# (tests/cli/rabins.bats).  For each capture and bin width W (hard bins,
# keyed by protocol):
#     <capture>.<W>.expected    bin-start proto spkts sbytes dpkts dbytes
# management records are dropped, numbers printed (-nn, -u), and
# ../cluster-compat/normalize.sh sorts the lines.  Review the diff before
# committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-$here/..}
ARGUS=${ARGUS:-/usr/sbin/argus}
RABINS=${RABINS:-/usr/bin/rabins}
CAPTURES="tcpdump-afs ndpi-synscan tcpdump-ntp tcpdump-ssh ndpi-gnutella"
WIDTHS="1s 10s 1m"
[ $# -gt 0 ] && CAPTURES="$*"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for c in $CAPTURES; do
	rm -f "$tmp/out.argus"
	"$ARGUS" -X -r "$DATA/$c.pcap" -w "$tmp/out.argus" 2>/dev/null || true
	for w in $WIDTHS; do
		"$RABINS" -X -nn -u -r "$tmp/out.argus" -M hard time "$w" -m proto -c ' ' \
			-s stime proto spkts sbytes dpkts dbytes - not man 2>/dev/null |
			sh "$here/../cluster-compat/normalize.sh" > "$here/$c.$w.expected" || true
		echo "$c $w: $(wc -l < "$here/$c.$w.expected") bins by protocol"
	done
done
