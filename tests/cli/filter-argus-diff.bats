#!/usr/bin/env bats
# filter-argus-diff.bats - our filter against Debian's ra (3.0.8).
#
# tests/data/filter-diff/NAME.tuples holds, for each capture there, the
# distinct 5-tuples Debian's ra selects from Debian's argus records for each
# line of ./expressions (regen.sh made them).  Here our argus reads the
# same capture and our ra runs the same expressions.  The two daemons do not
# cut flows identically, so the selections are compared over the 5-tuples
# both daemons report; the known differences of meaning are listed, with
# their reason, in ./exceptions ("capture expression-number tuple").
bats_require_minimum_version 1.5.0
load test_helper

FD="$DATA/filter-diff"
DEB_ARGUS=/usr/sbin/argus
DEB_RA=/usr/bin/ra

have_debian() {
	[ -x "$DEB_ARGUS" ] && [ -x "$DEB_RA" ] && grep -q 'Ra Version 3' <<< "$("$DEB_RA" -h 2>&1)"	# ra -h exits non-zero: no pipe under pipefail
}

ours() {	# ra args...: the distinct 5-tuples our ra prints (ports in decimal, as regen.sh)
	ra -nn -L -1 -c , -s proto saddr sport daddr dport "$@" |
		awk -F, "$TUPLE_AWK"' { print $1, $2, dec($3), $4, dec($5) }' | sort -u
}

TUPLE_AWK='
function dec(s,  i, n) {	# 0x0087 -> 135: both print ICMP "ports" so after this
	if (s !~ /^0x/) return s
	s = tolower(substr(s, 3)); n = 0
	for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return n
}
'


@test "the committed selections are what Debian's argus and ra give today" {
	have_debian || skip "Debian's argus and ra are not installed"
	ARGUS=$DEB_ARGUS RA=$DEB_RA "$FD/regen.sh" "$BATS_TEST_TMPDIR"
	for f in "$FD"/*.tuples; do
		diff "$f" "$BATS_TEST_TMPDIR/$(basename "$f")"
	done
}

@test "our ra selects what Debian's ra selects, over the flows both daemons report" {
	have_debian || skip "Debian's argus and ra are not installed"
	command -v argus >/dev/null || skip "our argus is not built"
	cd "$BATS_TEST_TMPDIR"
	bad=0 compared=0
	rm -f used
	for pcap in "$FD"/*.pcap; do
		name=$(basename "$pcap" .pcap)
		argus -r "$pcap" -w "$name.ra"
		awk '$1 == 0 { sub(/^0 /, ""); print }' "$FD/$name.tuples" > deb.0
		ours -r "$name.ra" > ours.0
		comm -12 deb.0 ours.0 > common
		echo "$name: $(wc -l < common) 5-tuples in common, $(comm -23 deb.0 ours.0 | wc -l) Debian's only, $(comm -13 deb.0 ours.0 | wc -l) ours only" >&3
		n=0
		while IFS= read -r expr; do
			n=$((n + 1))
			awk -v n=$n '$1 == n { sub(/^[0-9]+ /, ""); print }' "$FD/$name.tuples" | comm -12 - common > deb
			ours -r "$name.ra" - "$expr" | comm -12 - common > got
			while IFS= read -r line; do
				t=${line#[<>] }
				if grep -qxF "$name $n $t" "$FD/exceptions"; then
					echo "$name $n $t" >> used
					continue
				fi
				echo "$name: '$expr': ${line%% *} $t (< Debian only, > ours only)"
				bad=$((bad + 1))
			done < <(diff deb got | grep '^[<>]')
			compared=$((compared + $(wc -l < common)))
		done < "$FD/expressions"
	done
	echo "compared $compared tuple selections" >&3
	# an exception that no longer happens is stale: the list must stay exact
	touch used
	while IFS= read -r line; do
		grep -qxF "$line" used || { echo "stale exception: $line"; bad=$((bad + 1)); }
	done < <(grep -v '^#' "$FD/exceptions")
	[ "$bad" -eq 0 ]
}
