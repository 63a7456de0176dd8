#!/bin/sh
# regen.sh - write the Argus 3 files of this directory with Debian's argus
# 3.0.8 and what Debian's ra prints for them (NAME.debian, read by
# tests/cli/argus3.bats when Debian's tools are not installed).
#
#   sh regen.sh [NAME...]      (default: every NAME.argus here)
#
# NAME.argus comes from tests/data/NAME.pcap (or $PCAPS/NAME.pcap) with
# every optional DSR Argus has turned on: application bytes (-A), jitter
# (-J), MACs (-m), response times (-R), 32 bytes of user data (-U), packet
# sizes (-Z), and a probe id (-e); sample-default.argus with none of them;
# NAME-racluster.argus is Debian's racluster -m saddr proto over NAME.argus.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$here")
PCAPS=${PCAPS:-/work/shared/pcaps}
FIELDS=$(cat "$here/fields")
[ $# -gt 0 ] || set -- $(cd "$here" && ls *.argus | sed "s/\.argus$//" | grep -v -- -racluster) $(cd "$here" && ls *-racluster.argus | sed "s/\.argus$//")
for n in "$@"; do
	rm -f "$here/$n.argus"
	case $n in
	sample-default) /usr/sbin/argus -X -r "$data/sample.pcap" -w "$here/$n.argus" ;;
	*-racluster) /usr/bin/racluster -X -r "$here/${n%-racluster}.argus" -m saddr proto -w "$here/$n.argus" ;;
	*)	p="$data/$n.pcap"
		[ -f "$p" ] || p="$PCAPS/$n.pcap"
		/usr/sbin/argus -X -A -J -m -R -U 32 -Z -e 10.9.8.7 -r "$p" -w "$here/$n.argus" ;;
	esac
	/usr/bin/ra -X -nn -u -c '	' -L -1 -r "$here/$n.argus" -s $FIELDS - not man > "$here/$n.debian"
done
