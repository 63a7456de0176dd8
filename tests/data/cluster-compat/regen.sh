#!/bin/sh
# regen.sh - regenerate what Debian's racluster 3.0.8 makes of Debian's argus
# records of the captures below, for the racluster fidelity test
# (tests/cli/racluster.bats).  For each capture and each keying
#     -m saddr         ->  <capture>.saddr.expected     (saddr spkts dpkts sbytes dbytes)
#     -m proto dport   ->  <capture>.dport.expected     (proto dport spkts dpkts sbytes dbytes)
#     no -m (per flow) ->  <capture>.flow.expected      (proto saddr sport daddr dport spkts ...)
# management records are dropped, numbers are printed (-nn), and
# normalize.sh turns hex ports into decimal and sorts the lines.
# The pcaps are read from tests/data.  Review the diff before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-$here/..}
ARGUS=${ARGUS:-/usr/sbin/argus}
RACLUSTER=${RACLUSTER:-/usr/bin/racluster}
CAPTURES="tcpdump-afs tcpdump-dhcp-rfc4388 ndpi-icmp-tunnel ndpi-synscan tcpdump-mptcp-v0
tcpdump-edns-opts tcpdump-ntp tcpdump-ssh ndpi-http_ipv6 ndpi-gnutella"
[ $# -gt 0 ] && CAPTURES="$*"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for c in $CAPTURES; do
	f=$DATA/$c.pcap
	[ -f "$f" ] || { echo "regen.sh: $c: no such capture in $DATA" >&2; exit 1; }
	rm -f "$tmp/out.argus"
	"$ARGUS" -X -r "$f" -w "$tmp/out.argus" 2>/dev/null || true
	"$RACLUSTER" -X -nn -r "$tmp/out.argus" -m saddr -c ' ' \
		-s saddr spkts dpkts sbytes dbytes - not man 2>/dev/null |
		sh "$here/normalize.sh" > "$here/$c.saddr.expected"
	"$RACLUSTER" -X -nn -r "$tmp/out.argus" -m proto dport -c ' ' \
		-s proto dport spkts dpkts sbytes dbytes - not man 2>/dev/null |
		sh "$here/normalize.sh" > "$here/$c.dport.expected"
	"$RACLUSTER" -X -nn -r "$tmp/out.argus" -c ' ' \
		-s proto saddr sport daddr dport spkts dpkts sbytes dbytes - not man 2>/dev/null |
		sh "$here/normalize.sh" > "$here/$c.flow.expected"
	echo "$c: $(wc -l < "$here/$c.saddr.expected") sources, $(wc -l < "$here/$c.dport.expected") ports," \
		"$(wc -l < "$here/$c.flow.expected") flows"
done
