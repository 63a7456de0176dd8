#!/usr/bin/env bats
# argus-compat.bats - fidelity to Debian's argus 3.0.8, measured.
#
# For every capture with a committed expectation in tests/data/argus-compat
# (written by regen.sh from Debian's argus and racluster), run our argus,
# join its status records and compare the set of flows (proto, addresses,
# ports) with per-direction packets and bytes.  Every difference must be
# listed, with its reason, in <capture>.exceptions (argus(8) COMPATIBILITY
# explains them); at least 98% of Argus's flows must match exactly.
# Captures not copied into tests/data are taken from $ARGUS_PCAPS
# (default /work/shared/pcaps) when it is there.
bats_require_minimum_version 1.5.0
load test_helper

COMPAT="$DATA/argus-compat"

find_capture() {
	local d ext
	for d in "$DATA" "${ARGUS_PCAPS:-/work/shared/pcaps}"; do
		for ext in pcap pcapng; do
			if [ -f "$d/$1.$ext" ]; then
				echo "$d/$1.$ext"
				return 0
			fi
		done
	done
	return 1
}

@test "argus-compat: every flow of Debian's argus reproduced or explained, >= 98% exact" {
	local total=0 matched=0 n=0 bad="" exp c cap out m e
	for exp in "$COMPAT"/*.expected; do
		c=$(basename "$exp" .expected)
		cap=$(find_capture "$c") || continue
		out=$(sh "$COMPAT/compare.sh" "$cap" "$exp" "$COMPAT/$c.exceptions")
		m=$(echo "$out" | sed -n '1s/.*matched=\([0-9]*\).*/\1/p')
		e=$(echo "$out" | sed -n '1s/.*expected=\([0-9]*\).*/\1/p')
		echo "# $c: $m of $e Argus flows exact" >&3
		total=$((total + e))
		matched=$((matched + m))
		n=$((n + 1))
		if [ "$(echo "$out" | wc -l)" -gt 1 ]; then
			bad="$bad== $c
$(echo "$out" | tail -n +2)
"
		fi
	done
	echo "# $n captures: $matched of $total Argus flows exact ($((matched * 1000 / total / 10)).$((matched * 1000 / total % 10))%)" >&3
	[ "$n" -ge 20 ] || [ -z "${ARGUS_PCAPS_REQUIRED:-}" ]
	if [ -n "$bad" ]; then
		echo "unexplained differences:"
		echo "$bad"
		false
	fi
	[ $((matched * 100)) -ge $((total * 98)) ]
}

@test "argus-compat: the captures in tests/data alone are covered" {
	local n=0 exp c
	for exp in "$COMPAT"/*.expected; do
		c=$(basename "$exp" .expected)
		[ -f "$DATA/$c.pcap" ] && n=$((n + 1))
	done
	[ "$n" -ge 20 ]
}

@test "argus-compat: Debian's argus still writes the committed expectations" {
	[ -x /usr/sbin/argus ] && [ -x /usr/bin/racluster ] || skip "Debian's argus is not installed"
	local c
	for c in tcpdump-ssh tcpdump-afs tcpdump-dhcp-rfc4388 tcpdump-ipx ndpi-6in4tunnel; do
		OUTDIR="$BATS_TEST_TMPDIR" PCAPS="$DATA" sh "$COMPAT/regen.sh" "$c" >/dev/null
		run -0 diff -u "$COMPAT/$c.expected" "$BATS_TEST_TMPDIR/$c.expected"
	done
}
