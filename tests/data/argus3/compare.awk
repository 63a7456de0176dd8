# compare.awk - Debian's ra and ours, field by field, on one Argus 3 file.
#
#   awk -F '\t' -v fields="FIELDS" -f compare.awk debian.txt ours.txt
#
# Both files are `ra -nn -u -c TAB -L -1 -s FIELDS` output over the same
# records, in the same order.  Values are compared after the differences of
# presentation only: padding, an empty value for zero, our quoting of
# fields that hold quotes, ports and VLAN ids in hex, ARP's protocol as a
# name, jitter printed to the nanosecond (ours carries microseconds), the
# Flgs column, whose letters sit in other places (each side is turned into
# the set of things it says), and the ICMP state words argus-record(5)
# lists (ours are the words our daemon gives the same types and codes).
# Prints one line per differing value and, last, "records=N values=M diffs=K".
function trim(s) { gsub(/^ +| +$/, "", s); return s }
function num(s) { s = trim(s); return (s == "" || s ~ /nan/) ? "0" : s }
function unquote(s) { if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } return s }
function port(s) { s = trim(s); return s ~ /^0x/ ? hexnum(s) : s + 0 }
function hexnum(s,   v, i) {
	s = tolower(s); v = 0
	for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
# User data: the same bytes, or Debian's count past the bytes the DSR
# holds (racluster writes such DSRs; Argus's ra prints the count, the rest
# as dots, where ours gives the bytes there are).
function same_user(a, b,   na, nb, pa, pb) {
	a = trim(a); b = trim(b)
	if (a == b) return 1
	if (!match(a, /^[sd]\[[0-9]+\]=/)) return 0
	na = substr(a, 3, RLENGTH - 4) + 0; pa = substr(a, RLENGTH + 1)
	if (!match(b, /^[sd]\[[0-9]+\]=/)) return 0
	nb = substr(b, 3, RLENGTH - 4) + 0; pb = substr(b, RLENGTH + 1)
	if (nb >= na || substr(pa, 1, length(pb)) != pb) return 0
	return substr(pa, length(pb) + 1) ~ /^\.*$/
}
function mac(s) { s = trim(s); return s == "" ? "00:00:00:00:00:00" : s }
function proto(s) { s = trim(s); return s == "arp" ? "2054" : s == "rarp" ? "32821" : s == "llc" ? "0" : s }
function state(s) { s = trim(s); s = (s in word) ? word[s] : s; return s == "-" ? "" : s }
function hexdec(s,   v, i, c) {
	s = tolower(trim(s)); if (s == "") return 0
	if (s !~ /^0x/) return s + 0
	v = 0
	for (i = 3; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
	return v % 4096
}
# Each side's Flgs as a list of things said: "<x>" an encapsulation,
# "M" several MAC pairs, "I" an ICMP error mapped onto the flow, "r" and a
# side retransmitted, "o" and a side out of order, "w" window shut, "E"
# ECN, "F" fragments.
function encaps_count(t,   u) { u = t; return gsub(/</, "", u) }
# Argus's Flgs: [1] encapsulation (one letter, * for several, M for several
# MAC pairs), [2] U T R an ICMP error mapped, [3] retransmission (s d *) or
# out of order (i r &), [4] window shut, [5] ECN, [6] fragments.
function deb_flags(s,   c, t) {
	t = ""
	c = substr(s, 2, 1)
	if (c == "e" || c == "m" || c == "p") t = t "<" c ">"
	else if (c == "v") t = t "<q>"
	else if (c == "S") t = t "<s>"
	else if (c == "M") t = t "M"
	else if (c == "*") t = t "*"
	else if (c ~ /[GP6T]/) t = t "<T>"
	if (substr(s, 3, 1) ~ /[UTR]/) t = t "I"
	c = substr(s, 4, 1)
	if (c ~ /[sd*]/) t = t "r" c
	if (c ~ /[ir&]/) t = t "o" c
	if (c == "g") t = t "g"
	if (substr(s, 5, 1) ~ /[SD@]/) t = t "w"
	if (substr(s, 6, 1) ~ /[Ext]/) t = t "E"
	if (substr(s, 7, 1) == "F") t = t "F"
	return t
}
# Ours: [0] T tunnel, [1] e p s, [2] M m q, [3] retransmission, [4] out of
# order, [5] window shut, [6] fragments, [7] I ICMP mapped or E ECN.
function our_flags(s,   c, t) {
	t = ""
	if (substr(s, 2, 1) ~ /[eps]/) t = t "<" substr(s, 2, 1) ">"
	if (substr(s, 3, 1) ~ /[mq]/) t = t "<" substr(s, 3, 1) ">"
	if (substr(s, 1, 1) == "T") t = t "<T>"
	if (substr(s, 3, 1) == "M") t = t "M"
	if (substr(s, 8, 1) == "I") t = t "I"
	c = substr(s, 4, 1)
	if (c ~ /[sd*]/) t = t "r" c
	c = substr(s, 5, 1)
	if (c ~ /[ir&]/) t = t "o" c
	if (substr(s, 6, 1) == "@") t = t "w"
	if (substr(s, 8, 1) == "E") t = t "E"
	if (substr(s, 7, 1) ~ /[FfV]/) t = t "F"
	return t
}
function same_flags(d, o, zero_retrans,   dt, ot) {
	dt = deb_flags(d); ot = our_flags(o)
	# a loss letter with no retransmission counted: Argus's status bit
	# alone, which we do not carry (argus-record(5))
	if (zero_retrans) sub(/r[sd*]/, "", dt)
	# Argus's one place says retransmission, else a sequence gap (which we
	# do not carry), else out of order
	if (dt ~ /r[sd*]|g/) sub(/o[ir&]/, "", ot)
	sub(/g/, "", dt)
	# M (several MAC pairs) and * (several encapsulations) take the place
	# of the encapsulation letter; ours names them
	if (dt ~ /^[M*]/) {
		if (encaps_count(ot) < 1) return 0
		gsub(/<.>/, "", ot)
		sub(/^\*/, "", dt)
	}
	return dt == ot
}
BEGIN {
	nf = split(fields, name, " ")
	for (i = 1; i <= nf; i++) { f = name[i]; sub(/:.*/, "", f); col[f] = i }
	# Argus's ICMP words and ours for the same types and codes
	nw = split("URO URPR URNPRO URAD URHPRO URAD URFIL URAD URISO UR URNTOS UR URHTOS UR " "URPRE UR URCUT UR URNR UR URAD UR URBS UR URAR URH URSF UR URRR UR URES UR " "TXT TXD TXR TXD PPH PAR PPNH PAR PPO PAR MRQ MLQ MHR MLR NRS RTS NRA RTA " "NNS NBS NNA NBA RSP -", w, " ")
	for (i = 1; i < nw; i += 2) word[w[i]] = w[i + 1]
}
FNR == NR { deb[FNR] = $0; ndeb = FNR; next }
{
	n++
	if (!(FNR in deb)) { print "record " FNR ": only ours has it"; diffs++; next }
	nd = split(deb[FNR], d, "\t"); no = split($0, o, "\t")
	# Debian's ra prints a TCP flow's retransmissions and an RTP flow's
	# lost packets as sloss and dloss (its sretrans and dretrans are
	# UDT's): ours are compared with those
	zr = num(d[col["sloss"]]) == 0 && num(d[col["dloss"]]) == 0
	lost = proto(d[col["proto"]]) == "6" || proto(d[col["proto"]]) == "17"
	for (i = 1; i <= nf; i++) {
		f = name[i]; sub(/:.*/, "", f)
		a = d[i]; b = unquote(o[i])
		if (f == "flgs") { ok = same_flags(a, b, zr) }
		else if (f == "sport" || f == "dport") { ok = port(a) == port(b) }
		else if (lost && f == "sretrans") { ok = num(d[col["sloss"]]) == num(b) }
		else if (lost && f == "dretrans") { ok = num(d[col["dloss"]]) == num(b) }
		else if (f == "smac" || f == "dmac") { ok = mac(a) == mac(b) }
		else if (f == "proto") { ok = proto(a) == proto(b) }
		else if (f == "state") { ok = state(a) == trim(b) }
		else if (f == "svlan" || f == "dvlan") { ok = hexdec(a) == hexdec(b) }
		else if (f ~ /^(sjit|djit|sintpkt|dintpkt)$/) { x = num(a) - num(b); ok = x < 0.0015 && x > -0.0015 }
		# racluster's duration statistics: floats in seconds there, microseconds here
		# (the sum is a float's mean times the count there: to 1e-7 of itself)
		else if (f ~ /^(mean|min|max|sum)$/) { x = num(a) - num(b); e = 0.0000015 + num(a) * 1e-7; ok = x <= e && x >= -e }
		# (a record of one flow has no deviation; Argus's ra prints whatever
		# its aggregation DSR holds)
		else if (f == "stddev") { x = num(a) - num(b); ok = (x < 0.000002 && x > -0.000002) || num(d[col["trans"]]) == 1 }
		else if (f == "suser" || f == "duser") { ok = same_user(a, b) }
		else if (f ~ /^(saddr|daddr|dir|cause|inode|srcid)$/) { ok = trim(a) == trim(b) }
		else { ok = num(a) == num(b) }
		values++
		if (!ok) { print "record " FNR " " f ": debian '" a "' ours '" b "'"; diffs++ }
	}
}
END {
	if (ndeb > n) { print "records " n + 1 "-" ndeb ": only Debian's"; diffs++ }
	print "records=" n + 0 " values=" values + 0 " diffs=" diffs + 0
}
