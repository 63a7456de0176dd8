#!/usr/bin/env bats
# ra-errors.bats - damaged and foreign input: one clear line, exit 1, good records kept.
load test_helper

S="$DATA/sample-v1.argus"
C="$CORPUS/reader"

@test "a truncated file: earlier records printed, then file, byte and record named" {
	run -1 --separate-stderr ra -r "$C/truncated-mid-record" -L -1 -n -s seq
	assert_equal "$(echo $output)" "1 2 3"
	[[ "$stderr" =~ ^ra:\ $C/truncated-mid-record:\ byte\ [0-9]+\ \(record\ 4\):\ file\ ends\ inside\ a\ record ]]
}

@test "the byte offset is the start of the damaged record" {
	# header 48 bytes, then records; the fourth starts where the first three end
	off=$(ra -r "$C/valid-5" -N 3 -w - | wc -c)
	run -1 --separate-stderr ra -r "$C/truncated-mid-record" -q
	[[ "$stderr" == "ra: $C/truncated-mid-record: byte $off (record 4): file ends inside a record (20 of "* ]]
}

@test "a zero record length" {
	run -1 --separate-stderr ra -r "$C/zero-length" -L -1 -s seq
	assert_equal "$(echo $output)" "1 2"
	[[ "$stderr" =~ byte\ [0-9]+\ \(record\ 3\):\ bad\ record\ length\ 0 ]]
}

@test "a huge record length" {
	run -1 --separate-stderr ra -r "$C/huge-length" -L -1 -s seq
	assert_equal "$(echo $output)" "1 2"
	[[ "$stderr" == *"(record 3): file ends inside a record"* ]]
}

@test "flipped bytes never crash; the damage is named" {
	run --separate-stderr ra -r "$C/flipped-bytes" -L -1
	[ "$status" -le 1 ]
	[ "$status" -eq 0 ] || [[ "$stderr" =~ ^ra:\ .*flipped-bytes:\ byte\ [0-9]+ ]]
}

@test "a text file is not a record stream" {
	run -1 --separate-stderr ra -r "$C/text"
	assert_equal "$stderr" "ra: $C/text: byte 0: text, not a record stream"
}

@test "a pcap is named as one, with a hint" {
	run -1 --separate-stderr ra -r "$C/pcap"
	assert_equal "$stderr" "ra: $C/pcap: byte 0: a pcap capture, not a record stream (read captures with argus -r)"
}

@test "an empty file" {
	run -1 --separate-stderr ra -r "$C/empty"
	[[ "$stderr" == *"empty input, not a record stream" ]]
}

@test "a newer major version is refused by name" {
	run -1 --separate-stderr ra -r "$C/major-version-9"
	[[ "$stderr" == *"record stream version 9.0, this reader knows 1.x" ]]
}

@test "a missing file is named and the other inputs still read" {
	run -1 --separate-stderr ra -r "$BATS_TEST_TMPDIR/nope" "$S" -L -1 -q
	assert_equal "$stderr" "ra: $BATS_TEST_TMPDIR/nope: No such file or directory"
	run -1 --separate-stderr ra -r "$BATS_TEST_TMPDIR/nope" "$S" -L -1
	assert_equal "${#lines[@]}" 200
}

@test "a cut gzip stream keeps what was inflated" {
	run -1 --separate-stderr ra -r "$C/gzip-truncated" -L -1
	[[ "$stderr" == *"gzip-truncated: byte "*": gzip stream cut short" || "$stderr" == *"gzip"* ]]
}

@test "--validate reports the first bad offset, or that none was found" {
	run -1 --separate-stderr ra --validate -r "$C/truncated-mid-record"
	assert_output ""
	[[ "$stderr" == *"(record 4): file ends inside a record"* ]]
	run -0 --separate-stderr ra --validate -r "$S"
	assert_equal "$stderr" "ra: 200 records, no damage found"
}

@test "every corpus file: no crash, exit 0 or 1, one line per damage" {
	for f in "$C"/*; do
		run --separate-stderr ra -r "$f" -L -1
		[ "$status" -le 1 ] || { echo "$f: exit $status"; false; }
		[ "$(printf '%s' "$stderr" | grep -c .)" -le 1 ] || { echo "$f: $stderr"; false; }
	done
}
