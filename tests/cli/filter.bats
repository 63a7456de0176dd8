#!/usr/bin/env bats
# filter.bats - ra's filter end to end (ra-filter(7)): what ra selects with
# a filter must be what awk selects from ra's own unfiltered output; bad
# filters exit 2 with the column and a caret; -b prints the program.
bats_require_minimum_version 1.5.0
load test_helper

FIELDS="proto saddr sport daddr dport pkts spkts bytes state dur"

setup() {
	cd "$BATS_TEST_TMPDIR"
	"$top_builddir/tests/gen/ragen" -n 20000 -s 7 -w flows.argus
}

# check EXPR AWK-CONDITION: the filter and awk over the CSV columns
# ($1 proto, $2 saddr, $3 sport, $4 daddr, $5 dport, $6 pkts, $7 spkts,
# $8 bytes, $9 state, $10 dur) select the same lines, some but not all.
check() {
	ra -n -L -1 -c , -s $FIELDS -r flows.argus > all.csv
	awk -F, "$2" all.csv > want.csv
	run -0 --separate-stderr ra -n -L -1 -c , -s $FIELDS -r flows.argus - $1
	printf '%s\n' "$output" > got.csv
	[ -s want.csv ] || { echo "awk selected nothing for '$2'"; false; }
	[ "$(wc -l < want.csv)" -lt "$(wc -l < all.csv)" ] || { echo "awk selected everything"; false; }
	diff want.csv got.csv
}

@test "tcp and dst port 80 and src net 10.0.0.0/8" {
	check "tcp and dst port 80 and src net 10.0.0.0/8" '$1 == "tcp" && $5 == 80 && $2 ~ /^10\./'
}

@test "udp and port 53 (either side)" {
	check "udp and port 53" '$1 == "udp" && ($3 == 53 || $5 == 53)'
}

@test "not tcp" {
	check "not tcp" '$1 != "tcp"'
}

@test "dst net 192.168.1.0/24" {
	check "dst net 192.168.1.0/24" '$4 ~ /^192\.168\.1\./'
}

@test "ipv6" {
	check "ipv6" '$2 ~ /:/'
}

@test "state words: CON or FIN" {
	check "CON or FIN" '$9 == "CON" || $9 == "FIN"'
}

@test "counters: totpkts gt 10, totbytes gte 5000 and src pkts lt 5" {
	check "totpkts gt 10" '$6 > 10'
	check "totbytes gte 5000 and src pkts lt 5" '$8 >= 5000 && $7 < 5'
}

@test "a counter with no direction is src or dst, as in Argus: pkts gt 10" {
	check "pkts gt 10" '$7 > 10 || $6 - $7 > 10'
}

@test "dur gt 2.5 (seconds)" {
	check "dur gt 2.5" '$10 > 2.5'
}

@test "equal precedence, left to right: tcp or udp and port 53" {
	check "tcp or udp and port 53" '($1 == "tcp" || $1 == "udp") && ($3 == 53 || $5 == 53)'
}

@test "repeated qualifiers left out: tcp dst port 80 or 443" {
	check "tcp dst port 80 or 443" '$1 == "tcp" && ($5 == 80 || $5 == 443)'
}

@test "words after the dash are joined; -- works as -" {
	run -0 --separate-stderr ra -n -L -1 -r flows.argus - tcp and dst port 443
	printf '%s\n' "$output" > a.txt
	run -0 --separate-stderr ra -n -L -1 -r flows.argus -- 'tcp and' 'dst port 443'
	printf '%s\n' "$output" > b.txt
	[ -s a.txt ]
	diff a.txt b.txt
}

@test "a bad filter: exit 2, the column, the expression and a caret" {
	run -2 --separate-stderr ra -r flows.argus - tcp and dst port foo
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "ra: filter: column 18: expected a port number or name after 'port', found 'foo'" ]
	[ "${stderr_lines[1]}" = "  tcp and dst port foo" ]
	[ "${stderr_lines[2]}" = "                   ^" ]
}

@test "invalid values are errors: host 999.1.1.1, net 10.0.0.0/33" {
	run -2 --separate-stderr ra -r flows.argus - host 999.1.1.1
	[ "${stderr_lines[0]}" = "ra: filter: column 6: 999.1.1.1 is not an IPv4 address" ]
	run -2 --separate-stderr ra -r flows.argus - net 10.0.0.0/33
	[ "${stderr_lines[0]}" = "ra: filter: column 5: prefix length 33 is out of range for IPv4 (0-32)" ]
	run -2 --separate-stderr ra -r flows.argus - fo
	[ "${stderr_lines[0]}" = "ra: filter: column 1: unknown word 'fo'" ]
}

@test "no record matched is not an error" {
	run -0 --separate-stderr ra -n -L -1 -r flows.argus - host 203.0.113.1
	[ -z "$output" ]
}

@test "ra -b prints the compiled program and exits 0" {
	run -0 --separate-stderr ra -b - tcp and dst port 80 and src net 10.0.0.0/8
	[ "${lines[1]:0:30}" = "(000) proto == 6 && family in " ]
	[[ "${lines[2]}" == "(001) dport == 80 "* ]]
	[[ "${lines[3]}" == "(002) saddr & 255.0.0.0 == 10.0.0.0 "*"jt accept jf reject" ]]
	[ "${#lines[@]}" -eq 4 ]
}

@test "every example of ra-filter(7), in every section, compiles and runs" {
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		cmd=${cmd//day.argus/flows.argus}
		run --separate-stderr bash -c "$cmd >/dev/null"
		[ "$status" -eq 0 ] && [ -z "$stderr" ] || { echo "'$cmd' exited $status: $stderr"; false; }
	done < <(awk '/^\.Dl ra /{sub(/^\.Dl /, ""); print}' "$top_srcdir/man/ra-filter.7" | sed -e 's/\\-/-/g' -e 's/\\&//g')
	echo "ran $n examples" >&3
	[ "$n" -ge 50 ]
}
