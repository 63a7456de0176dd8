#!/usr/bin/env bats
# ra.bats - ra's options and output, on the committed version-1 sample.
load test_helper

S="$DATA/sample-v1.argus"

@test "default columns are Argus's, with the date in the time" {
	run -0 ra -r "$S" -N 1
	assert_line -n 0 --regexp '^ +StartTime +Flgs +Proto +SrcAddr +Sport +Dir +DstAddr +Dport +TotPkts +TotBytes +State$'
	assert_line -n 1 --regexp '^2024-01-01 00:00:00\.[0-9]{6} '
}

@test "the version-1 sample prints as it always has" {
	run -0 ra -r "$S" -n -s stime dur proto saddr sport dir daddr dport spkts dpkts sbytes dbytes state seq
	diff -u "$DATA/sample-v1.txt" <(printf '%s\n' "$output")
}

@test "-s replaces the columns, +field adds, -field removes, field:width widens" {
	run -0 ra -r "$S" -N 1 -s saddr daddr
	assert_line -n 0 --regexp '^ +SrcAddr +DstAddr$'
	run -0 ra -r "$S" -N 1 -s +trans -s -state -s -flgs
	assert_line -n 0 --regexp 'TotBytes +Trans$'
	refute_line -n 0 --partial 'State'
	refute_line -n 0 --partial 'Flgs'
	run -0 ra -r "$S" -N 1 -L -1 -s proto:12
	assert_output --regexp '^ {9}(tcp|udp|icmp)$|^ {6}ipv6-icmp$'
}

@test "-s +N inserts at a position" {
	run -0 ra -r "$S" -N 1 -s saddr daddr +1proto
	assert_line -n 0 --regexp '^ +Proto +SrcAddr +DstAddr$'
}

@test "an unknown field is an error, not a blank column" {
	run -2 --separate-stderr ra -r "$S" -s saddr nosuch
	assert_equal "$stderr" "ra: -s: unknown field 'nosuch' (ra -h lists them)"
	assert_output ""
}

@test "-n prints port numbers, -nn protocol numbers too" {
	run -0 ra -r "$S" -L -1 -s proto dport - 
	assert_line --regexp ' (https|http|ssh|domain|ntp)$'
	run -0 ra -r "$S" -L -1 -n -s dport
	refute_output --regexp '[g-wyz]'
	run -0 ra -r "$S" -L -1 -nn -s proto
	refute_output --regexp '[a-z]'
	assert_line --regexp '^ +6$'
}

@test "-c gives real CSV: no padding, labels, quotes where needed" {
	run -0 ra -r "$S" -n -c , -N 2 -s saddr sport pkts
	assert_line -n 0 'SrcAddr,Sport,TotPkts'
	assert_line -n 1 --regexp '^[0-9a-f:.]+,[0-9]+,[0-9]+$'
	run -0 ra -r "$S" -n -c . -N 1 -L -1 -s saddr pkts
	assert_output --regexp '^"[0-9a-f:.]+"\.[0-9]+$'
}

@test "-L -1 drops the labels, -L N repeats them" {
	run -0 ra -r "$S" -N 3 -L -1
	assert_equal "${#lines[@]}" 3
	refute_output --partial StartTime
	run -0 ra -r "$S" -N 4 -L 2
	assert_equal "$(grep -c StartTime <<<"$output")" 2
}

@test "-N n prints n records, -N a-b a range" {
	run -0 ra -r "$S" -N 7 -L -1
	assert_equal "${#lines[@]}" 7
	first=$(ra -r "$S" -L -1 -n -s seq -N 3-5)
	assert_equal "$(echo $first)" "3 4 5"
}

@test "-u prints epoch seconds" {
	run -0 ra -r "$S" -N 1 -L -1 -u -s stime
	assert_output --regexp '^ *17040672[0-9]{2}\.[0-9]{6}$'
}

@test "-t selects records in a time range" {
	run -0 ra -r "$S" -L -1 -s seq -t 2024/01/01
	assert_equal "${#lines[@]}" 200
	run -0 ra -r "$S" -L -1 -s seq -t 2023/12/31
	assert_output ""
	# the first 50 ms: the sample starts a record every millisecond
	run -0 ra -r "$S" -L -1 -u -s stime -t 1704067200.000000-1704067200.050000
	[ "${#lines[@]}" -ge 45 ] && [ "${#lines[@]}" -le 51 ]
	for l in "${lines[@]}"; do [[ "$l" < "1704067200.050001" ]]; done
	run -2 --separate-stderr ra -r "$S" -t tomorrow
	[[ "$stderr" == "ra: -t: 'tomorrow' is not a time range"* ]]
}

@test "-q reads everything and prints nothing" {
	run -0 ra -r "$S" -q
	assert_output ""
}

@test "-w copies what passes; the copy prints the same" {
	ra -r "$S" -w "$BATS_TEST_TMPDIR/copy"
	diff <(ra -r "$S" -n) <(ra -r "$BATS_TEST_TMPDIR/copy" -n)
	ra -r "$S" -N 5 -w "$BATS_TEST_TMPDIR/five"
	run -0 ra -r "$BATS_TEST_TMPDIR/five" -L -1
	assert_equal "${#lines[@]}" 5
}

@test "-w truncates an existing file instead of appending" {
	ra -r "$S" -w "$BATS_TEST_TMPDIR/out"
	ra -r "$S" -w "$BATS_TEST_TMPDIR/out"
	run -0 ra -r "$BATS_TEST_TMPDIR/out" -L -1
	assert_equal "${#lines[@]}" 200
}

@test "-w - writes binary to a pipe, and -z compresses it" {
	ra -r "$S" -w - | ra -n -L -1 > "$BATS_TEST_TMPDIR/piped"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/piped")" 200
	ra -r "$S" -z -w - > "$BATS_TEST_TMPDIR/z"
	assert_equal "$(head -c 2 "$BATS_TEST_TMPDIR/z" | od -An -tx1 | tr -d ' ')" "1f8b"
	diff <(ra -r "$S") <(ra -r "$BATS_TEST_TMPDIR/z")
}

@test "-w - refuses to write binary to a terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "ra -r $S -w -" /dev/null
	assert_output --partial "refusing to write binary records to a terminal"
}

@test ".gz files are read transparently, whatever their name" {
	gzip -c "$S" > "$BATS_TEST_TMPDIR/s.gz"
	cp "$BATS_TEST_TMPDIR/s.gz" "$BATS_TEST_TMPDIR/plain-name"
	diff <(ra -r "$S") <(ra -r "$BATS_TEST_TMPDIR/s.gz")
	diff <(ra -r "$S") <(ra -r "$BATS_TEST_TMPDIR/plain-name")
}

@test "cat a b | ra reads both streams; several -r read in order" {
	run -0 bash -c "cat '$S' '$S' | ra -L -1 -q -s seq; cat '$S' '$S' | ra -L -1 | wc -l"
	assert_output 400
	run -0 ra -r "$S" "$S" -L -1 -s seq
	assert_equal "${#lines[@]}" 400
}

@test "-R reads a directory tree in name order" {
	mkdir -p "$BATS_TEST_TMPDIR/d/b"
	ra -r "$S" -N 1 -w "$BATS_TEST_TMPDIR/d/b/2"
	ra -r "$S" -N 2-2 -w "$BATS_TEST_TMPDIR/d/a"
	run -0 ra -R "$BATS_TEST_TMPDIR/d" -L -1 -s seq
	assert_equal "$(echo $output)" "2 1"
}

@test "-M json prints one object per record, keys are field names" {
	run -0 ra -r "$S" -N 2 -M json -s saddr dport pkts state
	assert_equal "${#lines[@]}" 2
	assert_line -n 0 --regexp '^\{"saddr":"[0-9a-f.:]+","dport":[0-9]+,"pkts":[0-9]+,"state":"[A-Z]+"\}$'
	if command -v jq >/dev/null; then
		ra -r "$S" -M json -s +suser +dur | jq -e . >/dev/null
	fi
}

@test "~/.rarc sets defaults, -F overrides it, -X ignores both" {
	printf 'RA_TIME_FORMAT="%%H:%%M:%%S.%%f"\nRA_USEC_PRECISION=3\nRA_PRINT_LABELS=-1\n' > "$HOME/.rarc"
	run -0 ra -r "$S" -N 1 -s stime
	assert_output --regexp '^ *00:00:00\.[0-9]{3}$'
	printf 'RA_FIELD_DELIMITER=";"\n' > "$BATS_TEST_TMPDIR/rc"
	run -0 ra -F "$BATS_TEST_TMPDIR/rc" -r "$S" -N 1 -s stime pkts
	assert_output --regexp '^00:00:00\.[0-9]{3};[0-9]+$'
	run -0 ra -X -r "$S" -N 1 -s stime
	assert_line -n 0 --partial StartTime
}

@test "a malformed rarc line is named by file and line" {
	printf '# comment\nRA_PRINT_LABELS=-1\nthis is wrong\n' > "$BATS_TEST_TMPDIR/rc"
	run -2 --separate-stderr ra -F "$BATS_TEST_TMPDIR/rc" -r "$S"
	assert_equal "$stderr" "ra: $BATS_TEST_TMPDIR/rc: line 3: expected VARIABLE=value, found 'this is wrong'"
}

@test "a bad rarc value is named" {
	printf 'RA_USEC_PRECISION=9\n' > "$BATS_TEST_TMPDIR/rc"
	run -2 --separate-stderr ra -F "$BATS_TEST_TMPDIR/rc" -r "$S"
	assert_equal "$stderr" "ra: $BATS_TEST_TMPDIR/rc: line 1: RA_USEC_PRECISION must be 0 to 6, not '9'"
}

@test "usage errors exit 2" {
	run -2 --separate-stderr ra -r "$S" -Q
	assert_equal "$stderr" "ra: unknown option -Q"
	run -2 --separate-stderr ra -n stray -r "$S"	# a word that is no option is a filter word
	[[ "$stderr" == *"filter: column 1:"*"'stray'"* ]]
	run -2 --separate-stderr ra -r "$S" -c ab
	[[ "$stderr" == *"-c: the delimiter must be one character"* ]]
	run -2 --separate-stderr ra -r "$S" -N 0
	[[ "$stderr" == *"-N: '0' is not a positive count"* ]]
}

@test "-h lists the options and every field" {
	run -0 ra -h
	assert_line --partial "usage: ra"
	assert_output --partial "sappbytes"
	assert_output --partial "srcid"
}
