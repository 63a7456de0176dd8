#!/bin/sh
# regen.sh - regenerate the expected flows of Debian's argus 3.0.8 for the fidelity test.
#
# For each capture named on the command line (default: every Ethernet, SLL and
# raw-IP capture listed in CAPTURES below, looked up in $PCAPS), run Debian's
# argus, join its status records with Debian's racluster, drop management
# records, and write one line per flow,
#     proto saddr sport daddr dport spkts dpkts sbytes dbytes
# sorted, into <capture>.expected next to this script (or in $OUTDIR).  Ports printed by
# Argus in hex (ICMP) are turned into decimal so both toolkits compare alike.
# Review the diff before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
OUTDIR=${OUTDIR:-$here}
PCAPS=${PCAPS:-/work/shared/pcaps}
ARGUS=${ARGUS:-/usr/sbin/argus}
RACLUSTER=${RACLUSTER:-/usr/bin/racluster}
CAPTURES="tcpdump-mptcp-v0 tcpdump-ssh tcpdump-edns-opts tcpdump-dns_tcp tcpdump-afs
tcpdump-various_gre tcpdump-802.1ad_QinQ tcpdump-802.1w_rapid_STP tcpdump-ipx tcpdump-icmpv6
tcpdump-ipv6-routing-header tcpdump-sflow_multiple_counter_30_pdus tcpdump-sflow_expanded
tcpdump-sflow-print-v6 tcpdump-tcp-handshake-nano tcpdump-ntp tcpdump-dhcp-rfc4388
ndpi-1kxun ndpi-vnc ndpi-gnutella ndpi-synscan ndpi-WebattackRCE ndpi-ip_fragmented_garbage
ndpi-icmp-tunnel ndpi-dnscrypt-v1-and-resolver-pings ndpi-http_ipv6 ndpi-dns_fragmented
ndpi-KakaoTalk_talk ndpi-ocs ndpi-ultrasurf ndpi-vxlan ndpi-sflow ndpi-netflowv9
ndpi-dos_win98_smb_netbeui ndpi-quic ndpi-6in4tunnel ndpi-nintendo ndpi-googledns_android10
ndpi-alexa-app ndpi-teams"
[ $# -gt 0 ] && CAPTURES="$*"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for c in $CAPTURES; do
	f=$PCAPS/$c.pcap
	[ -f "$f" ] || f=$PCAPS/$c.pcapng
	[ -f "$f" ] || f=$PCAPS/$c
	[ -f "$f" ] || { echo "regen.sh: $c: no such capture in $PCAPS" >&2; continue; }
	rm -f "$tmp/out.argus"
	"$ARGUS" -X -r "$f" -w "$tmp/out.argus" 2>/dev/null || true
	"$RACLUSTER" -n -r "$tmp/out.argus" -c ' ' \
		-s proto saddr sport daddr dport spkts dpkts sbytes dbytes - not man 2>/dev/null |
		sh "$here/normalize.sh" > "$OUTDIR/$c.expected"
	echo "$c: $(wc -l < "$OUTDIR/$c.expected") flows"
done
