#!/bin/sh
# normalize.sh - turn space-separated racluster output (ours or Debian's)
# into the form the fidelity test compares: the label line dropped, hex
# numbers (ICMP ports) in decimal, empty lines dropped, lines sorted.
awk '
function num(p,    v, h, i) {
	if (p !~ /^0x[0-9a-fA-F]+$/)
		return p
	v = 0; h = tolower(substr(p, 3))
	for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}
NR == 1 && $0 ~ /[A-Z][a-z]/ { next }
NF == 0 { next }
{
	line = ($1 == "arp") ? 2054 : num($1)
	for (i = 2; i <= NF; i++) line = line " " num($i)
	print line
}' | LC_ALL=C sort
