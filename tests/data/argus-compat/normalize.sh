#!/bin/sh
# normalize.sh - turn "proto saddr sport daddr dport spkts dpkts sbytes dbytes"
# lines (space separated, from ra or Debian's ra) into the form the fidelity
# test compares: header dropped, hex ports (ICMP) in decimal, missing ports 0,
# lines sorted.
awk '
function port(p) {
	if (p ~ /^0x[0-9a-fA-F]+$/) {
		v = 0; h = tolower(substr(p, 3))
		for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
		return v
	}
	return p == "" ? 0 : p
}
NR == 1 && $1 == "Proto" { next }
NF == 0 { next }
{
	# Argus leaves ports empty for protocols without them: count fields.
	if (NF == 7) { $0 = $1 " " $2 " 0 " $3 " 0 " $4 " " $5 " " $6 " " $7 }
	# Argus names some protocols by what it found inside: RTP and RTCP are UDP,
	# ethertype 0x9000 is "loop".
	if ($1 == "rtp" || $1 == "rtcp") $1 = "udp"
	if ($1 == "loop") $1 = "36864"
	print $1, $2, port($3), $4, port($5), $6, $7, $8, $9
}' | LC_ALL=C sort
