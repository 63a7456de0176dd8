#!/usr/bin/env bats
# ra-options.bats - the command line as Argus users type it (GNU getopt's
# reordering, as Debian's clients parse it): options before and after the
# filter's '-' and between filter words, list options up to the next word
# that starts with '-', "--", a second lone '-', -w's output filter, -t's
# three-word ranges.  Each case runs our clients on the records our argus
# makes of sample.pcap and, when Debian's argus-client is installed, Debian's
# clients on the records Debian's argus makes of it, and compares the output
# (the two agree on these fields for this capture, as the first test shows).
bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	export O="$BATS_FILE_TMPDIR/o.argus" D="$BATS_FILE_TMPDIR/d.argus"
	argus -r "$DATA/sample.pcap" -w "$O" 3>&-
	local h=""
	[ -x /usr/bin/ra ] && h=$(/usr/bin/ra -h 2>&1 || true)	# ra -h exits 1: no pipe into grep
	if [ -x /usr/sbin/argus ] && [[ "$h" == *"Ra Version 3"* ]]; then
		rm -f "$BATS_FILE_TMPDIR/d0.argus" "$D"
		/usr/sbin/argus -X -r "$DATA/sample.pcap" -w "$BATS_FILE_TMPDIR/d0.argus" 3>&-
		/usr/bin/ra -X -r "$BATS_FILE_TMPDIR/d0.argus" -w "$D" - not man
	fi
}

has_argus() { [ -s "$D" ]; }

@test "Debian's clients are compared when installed" {
	if [ -x /usr/bin/ra ] && [ -x /usr/sbin/argus ]; then
		has_argus
	fi
	echo "# Debian's clients: $(has_argus && echo compared || echo not installed)" >&3
}

# same TOOL ARGS...: @F stands for the input file; our TOOL's output must
# equal Debian's (when installed) and not be empty.
same() {
	local tool=$1 a ours deb
	shift
	local oa=() da=()
	for a in "$@"; do
		oa+=("${a//@F/$O}")
		da+=("${a//@F/$D}")
	done
	ours=$("$tool" "${oa[@]}")
	[ -n "$ours" ]
	if has_argus; then
		deb=$("/usr/bin/$tool" -X "${da[@]}")
		if [ "$ours" != "$deb" ]; then
			diff <(echo "$deb") <(echo "$ours") || true
			return 1
		fi
	fi
	echo "$ours"
}

# fails TOOL ARGS...: ours exits 2 with a message; Debian's fails too (when installed).
fails() {
	local tool=$1 a
	shift
	local oa=() da=()
	for a in "$@"; do
		oa+=("${a//@F/$O}")
		da+=("${a//@F/$D}")
	done
	run -2 --separate-stderr "$tool" "${oa[@]}"
	[ -n "$stderr" ]
	if has_argus; then
		run ! "/usr/bin/$tool" -X "${da[@]}"
	fi
}

@test "the two record files agree on the fields the cases print" {
	run -0 same ra -r @F -n -L -1 -c , -s saddr daddr proto sport dport pkts bytes
	[ "${#lines[@]}" -ge 20 ]
}

@test "options after the filter's '-'" {
	run -0 same ra -r @F - udp -n -L -1 -c , -s saddr daddr dport
	assert_line "10.30.1.1,10.40.2.3,67"
	refute_line --partial "arp"
}

@test "options between filter words" {
	run -0 same ra -r @F -s saddr proto dport - udp -n and -c , dst port 67 -L -1
	assert_line "10.30.1.1,udp,67"
	[ "${#lines[@]}" -ge 2 ]
}

@test "filter words without a '-', options after them" {
	run -0 same ra -n -L -1 -c , icmp -s saddr proto -r @F
	assert_line --partial ",icmp"
	refute_line --partial ",udp"
}

@test "list options take the words up to the next word that starts with '-'" {
	run -0 same ra -r @F @F -s saddr daddr -n -L -1 -c , - arp
	local n=${#lines[@]}
	run -0 same ra -r @F -s saddr daddr -n -L -1 -c , - arp
	[ "$n" -eq $((2 * ${#lines[@]})) ]
}

@test "-s takes Argus's comma lists and a first word that starts with '-'" {
	run -0 same ra -r @F -n -L -1 -c , -s saddr,daddr,proto - udp
	assert_line "10.30.1.1,10.40.2.3,udp"
	run -0 ra -r "$O" -n -L -1 -N 1 -s -flgs - udp
	refute_line --partial " e "
}

@test "'--' ends the options: the words after it are the filter" {
	run -0 same ra -r @F -n -L -1 -c , -s saddr proto -- udp
	assert_line "10.30.1.1,udp"
	fails ra -r @F -- udp -s saddr
	[[ "$stderr" == *"filter:"* ]]
}

@test "a second lone '-' is an error" {
	fails ra -r @F - udp - icmp
	[[ "$stderr" == *"second lone '-'"* ]]
	fails ra -r @F -n udp - icmp
}

@test "Argus swallows filter words into -s; ours names the unknown field" {
	# Debian's ra prints the proto column and ignores "and dst port 67"
	run -2 --separate-stderr ra -r "$O" - udp -s proto and dst port 67
	[[ "$stderr" == *"unknown field 'and'"* ]]
	if has_argus; then
		run -0 /usr/bin/ra -X -r "$D" - udp -s proto and dst port 67
		assert_line --partial udp
	fi
}

@test "a word starting with '-' after -s's list is an option, not a field" {
	# "-state" is "-s tate", as getopt reads it
	run -2 --separate-stderr ra -r "$O" -s saddr -state
	[[ "$stderr" == *"unknown field 'tate'"* ]]
}

@test "-w file filter: Argus's output filter" {
	rm -f "$BATS_TEST_TMPDIR/w.argus"
	run -0 ra -r "$O" -w "$BATS_TEST_TMPDIR/w.argus" icmp
	run -0 ra -r "$BATS_TEST_TMPDIR/w.argus" -n -L -1 -c , -s proto
	assert_line --index 0 icmp
	refute_line udp
	run -0 bash -c 'set -o pipefail; rasort -r "$O" -m bytes -w - udp | ra -n -L -1 -c , -s proto bytes'
	assert_line --partial udp,
	refute_line --partial icmp
	# racluster: the filter applies to the merged records, as in Argus
	run -0 racluster -r "$O" -m saddr -w "$BATS_TEST_TMPDIR/c.argus" "bytes gt 1000"
	run -0 ra -r "$BATS_TEST_TMPDIR/c.argus" -n -L -1 -c , -s saddr bytes
	assert_output "10.30.1.1,9357
10.50.1.1,2736"
	if has_argus; then
		rm -f "$BATS_TEST_TMPDIR/cd.argus"
		/usr/bin/racluster -X -r "$D" -m saddr -w "$BATS_TEST_TMPDIR/cd.argus" "bytes gt 1000"
		[ "$output" = "$(/usr/bin/ra -X -r "$BATS_TEST_TMPDIR/cd.argus" -n -L -1 -c , -s saddr bytes)" ]
	fi
	run -2 --separate-stderr racluster -r "$O" -m saddr -w "$BATS_TEST_TMPDIR/c.argus" "bytes gt"
	[[ "$stderr" == *"output filter: column 9"* ]]
}

@test "-t takes Argus's 'a - b' and 'a -b' ranges" {
	run -0 same ra -r @F -n -L -1 -c , -s saddr -t 2012/01/01 - 2030/01/01
	[ "${#lines[@]}" -ge 20 ]
	run -0 ra -r "$O" -n -L -1 -c , -s saddr -t 2012/01/01 -2030/01/01
	[ "${#lines[@]}" -ge 20 ]
	run -0 ra -r "$O" -n -L -1 -c , -s saddr -t 2030/01/01 - 2031/01/01
	assert_output ""
	# a filter word that is no time is not taken into the range
	run -0 ra -r "$O" -n -L -1 -c , -s saddr -t 2019/03/21 - 10.30.1.1	# Debian's ra: "invalid time range"
	[ "$(echo "$output" | sort -u)" = "10.30.1.1" ]
}

@test "the daily-report commands from issue 24 run as Argus runs them" {
	set -o pipefail
	local ours deb
	ours=$(racluster -r "$O" -w - -m saddr - 'src net 10.0.0.0/8' | rasort -m bytes load - -s saddr bytes -c , -L -1 | first 10)
	grep -q '^10.30.1.1,9357$' <<< "$ours"
	ours2=$(racluster -r "$O" -w - -m proto dport | rasort -m bytes load - -s dport bytes -c , -L -1 -n | first 10)
	grep -q '^67,12093$' <<< "$ours2"
	ours3=$(racluster -r "$O" -m daddr - src host 10.30.1.1 and dst host 10.40.2.3 -s bytes -L -1)
	[ "$(echo $ours3)" = 9357 ]
	if has_argus; then
		deb=$(/usr/bin/racluster -X -r "$D" -w - -m saddr - 'src net 10.0.0.0/8' |
			/usr/bin/rasort -X -m bytes load - -s saddr bytes -c , -L -1 | first 10)
		[ "$ours" = "$deb" ]
		deb=$(/usr/bin/racluster -X -r "$D" -w - -m proto dport |
			/usr/bin/rasort -X -m bytes load - -s dport bytes -c , -L -1 -n | first 10)
		[ "$ours2" = "$deb" ]
		deb=$(/usr/bin/racluster -X -r "$D" -m daddr - src host 10.30.1.1 and dst host 10.40.2.3 -s bytes -L -1)
		[ "$(echo $ours3)" = "$(echo $deb)" ]
	fi
}

@test "-s field:width, suser:N (N payload bytes) and -p digits as Argus prints them" {
	local ou="$BATS_TEST_TMPDIR/u.argus" du="$BATS_TEST_TMPDIR/du.argus" ours deb
	argus -U 64 -r "$DATA/sample.pcap" -w "$ou" 3>&-
	ours=$(ra -r "$ou" -p 3 -n -c , -s saddr suser:20 duser:5 dur:12 - udp and src host 10.30.1.1)
	grep -q '^10.30.1.1,s\[20\]=....<..~............,d\[5\]=....<,1.004$' <<< "$ours"
	run -0 ra -r "$ou" -N 1 -L -1 -s saddr:20 suser:1024 load:15 - udp
	assert_output --regexp '^ {11}10\.30\.1\.1 s\[64\]=.{64} +[0-9]+\.[0-9]{6}$'
	run -2 --separate-stderr ra -r "$ou" -s dur:10:%.3f
	[[ "$stderr" == *"print format after the width is not supported"* ]]
	if has_argus; then
		rm -f "$BATS_TEST_TMPDIR/du0.argus"
		/usr/sbin/argus -X -U 64 -r "$DATA/sample.pcap" -w "$BATS_TEST_TMPDIR/du0.argus" 3>&-
		deb=$(/usr/bin/ra -X -r "$BATS_TEST_TMPDIR/du0.argus" -p 3 -n -c , -s saddr suser:20 duser:5 dur:12 - udp and src host 10.30.1.1)
		[ "$ours" = "$deb" ]
	fi
}

@test "rarc: a real Argus rarc file works, its other settings are named once on stderr" {
	local rc=/usr/share/doc/argus-client/examples/Config/rarc
	[ -f "$rc" ] || skip "Debian's argus-client example rarc is not installed"
	cp "$rc" "$BATS_TEST_TMPDIR/rc"
	run -0 --separate-stderr ra -F "$BATS_TEST_TMPDIR/rc" -r "$O"
	# RA_FIELD_SPECIFIER's columns, RA_TIME_FORMAT="%T.%f", RA_PRINT_MAN_RECORDS=yes
	assert_line --index 0 --regexp '^ +StartTime +Flgs +Proto +SrcAddr +Sport +Dir +DstAddr +Dport +SrcPkts +DstPkts +SrcBytes +DstBytes +State$'
	assert_line --index 1 --regexp '^ +09:30:44\.514026 '
	assert_output --partial " man daemon "
	[[ "$stderr" == *"rc: line "*": RA_DELEGATED_IP is not supported here, ignored (rarc(5))"* ]]
	[ "$(echo "$stderr" | grep -c RA_LOCAL_DIRECTION)" -eq 1 ]
	refute [ -z "$stderr" ]
	[[ "$stderr" != *RA_TIME_FORMAT* && "$stderr" != *RA_SET_PID* && "$stderr" != *RA_USEC_PRECISION* ]]
}

@test "rarc: %f times, -1 labels, '^' delimiter, quoting styles, comments, continued lines" {
	cat > "$BATS_TEST_TMPDIR/rc" <<'RC'
# whole-line comment
! Argus's other comment
RA_TIME_FORMAT="%Y-%m-%d %T.%f"
RA_PRINT_LABELS=-1
RA_FIELD_DELIMITER='^'
  RA_USEC_PRECISION=3   // trailing comment
RA_PRINT_NAMES=none # trailing comment
RA_FIELD_SPECIFIER="stime saddr \
daddr proto"
RA_FILTER=""
RA_FIELD_QUOTED=double
RC
	run -0 --separate-stderr ra -F "$BATS_TEST_TMPDIR/rc" -r "$O" - udp
	assert_line --index 0 '"2019-03-21 09:30:44.514"^"10.30.1.1"^"10.40.2.3"^"17"'
	assert_equal "$stderr" ""
	# the command line still wins
	run -0 ra -F "$BATS_TEST_TMPDIR/rc" -r "$O" -s saddr -c , - udp
	assert_line --index 0 '"10.30.1.1"'
	if has_argus; then
		# Debian's ra reads the same settings the same way (one line each: no continuation)
		grep -v '^daddr\|FIELD_SPEC\|FIELD_QUOTED' "$BATS_TEST_TMPDIR/rc" > "$BATS_TEST_TMPDIR/rc1"
		[ "$(ra -F "$BATS_TEST_TMPDIR/rc1" -r "$O" -s stime saddr dport - udp)" = \
		  "$(/usr/bin/ra -X -F "$BATS_TEST_TMPDIR/rc1" -r "$D" -s stime saddr dport - udp)" ]
	fi
}

@test "rarc: RA_FILTER, RA_SORT_ALGORITHMS (rasort), RA_NUMBER as defaults" {
	printf 'RA_FILTER="udp"\nRA_SORT_ALGORITHMS="bytes saddr"\nRA_NUMBER=2\nRA_FIELD_DELIMITER=,\nRA_PRINT_LABELS=-1\n' > "$BATS_TEST_TMPDIR/rc"
	run -0 rasort -F "$BATS_TEST_TMPDIR/rc" -r "$O" -s proto bytes
	assert_output "udp,1368
udp,1368"
	run -0 ra -F "$BATS_TEST_TMPDIR/rc" -r "$O" -s proto - icmp
	assert_line --index 0 icmp
	[ "${#lines[@]}" -eq 2 ]
}

@test "-M: Argus's modes with a meaning work, the others are refused by name" {
	run -0 ra -r "$O" -N 1 -L -1 -M TZ=EST5EDT -s stime
	assert_output "2019-03-21 05:30:44.514026"
	run -0 ra -r "$O" -L -1 -M man -s proto
	assert_output --partial " man daemon "
	run -0 ra -r "$O" -L -1 -M printer=ascii json -N 1 -s proto
	assert_output '{"proto":"udp"}'
	run -0 racluster -r "$O" -M correct -L -1 -c , -s saddr -m saddr - udp
	local m
	run -2 --separate-stderr ra -r "$O" -M printer=nosuch
	[[ "$stderr" == "ra: -M printer=nosuch: not ascii, obfuscate, hex, encode32 or encode64"* ]]
	for m in xml dsrs=-suser rtime:2 disa uni replace norep 'label=foo' pzero oui; do
		run -2 --separate-stderr ra -r "$O" -M "$m"
		[[ "$stderr" == "ra: -M $m: Argus's mode '"*"' is not supported here"* ]]
	done
	run -2 --separate-stderr ra -r "$O" -M rmon
	[[ "$stderr" == *"unknown mode 'rmon'"* ]]
	run -2 --separate-stderr rasort -r "$O" -M replace
	[[ "$stderr" == *"'replace' is not supported here"* ]]
}
