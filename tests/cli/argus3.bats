#!/usr/bin/env bats
# argus3.bats - Argus 3 files (Debian's argus 3.0.8) read by every client.
#
# tests/data/argus3 holds files written by Debian's argus and what Debian's
# ra prints for them (regen.sh); compare.awk compares that with our ra's
# output field by field.  When Debian's argus and ra are installed, the
# same comparison runs on fresh files made from the captures in tests/data.
bats_require_minimum_version 1.5.0
load test_helper

A3="$DATA/argus3"
FIELDS=$(cat "$DATA/argus3/fields")

# compare NAME.argus DEBIAN-OUTPUT: our ra against Debian's output; prints
# compare.awk's report, fails on any difference.
compare() {
	ra -nn -u -c '	' -L -1 -r "$1" -s $FIELDS > "$BATS_TEST_TMPDIR/ours" || return 1
	awk -F '\t' -v fields="$FIELDS" -f "$A3/compare.awk" "$2" "$BATS_TEST_TMPDIR/ours" > "$BATS_TEST_TMPDIR/report"
	cat "$BATS_TEST_TMPDIR/report"
	tail -n 1 "$BATS_TEST_TMPDIR/report" | grep -q ' diffs=0$'
}

@test "argus3: every committed Argus 3 file reads as Debian's ra reads it, field by field" {
	local n=0 f records=0 r
	for f in "$A3"/*.argus; do
		run -0 compare "$f" "${f%.argus}.debian"
		r=$(echo "$output" | tail -n 1 | sed 's/records=\([0-9]*\).*/\1/')
		records=$((records + r))
		n=$((n + 1))
	done
	echo "# $n files, $records records" >&3
	[ "$n" -ge 8 ]
	[ "$records" -ge 150 ]
}

@test "argus3: Debian's argus (and racluster) over the captures, both readers agree" {
	[ -x /usr/sbin/argus ] && [ -x /usr/bin/ra ] || skip "Debian's argus and ra are not installed"
	local n=0 p c records=0 merged=0 r
	for p in "$DATA"/*.pcap; do
		c=$(basename "$p" .pcap)
		# ndpi-gnutella: one record of garbage (a zero flow key, a start
		# 2^32 - 2^28 seconds after 1970) which Debian's ra, comparing
		# seconds as signed 32-bit numbers, says ends at 0: before it starts,
		# which our records cannot say (argus-record(5))
		[ "$c" = ndpi-gnutella ] && continue
		rm -f "$BATS_TEST_TMPDIR/$c.argus"
		/usr/sbin/argus -X -A -J -m -R -U 32 -Z -e 10.9.8.7 -r "$p" -w "$BATS_TEST_TMPDIR/$c.argus" 3>&-
		# (Debian's ra exits 1 when no record passes its filter)
		/usr/bin/ra -X -nn -u -c '	' -L -1 -r "$BATS_TEST_TMPDIR/$c.argus" -s $FIELDS - not man \
			> "$BATS_TEST_TMPDIR/$c.debian" || [ ! -s "$BATS_TEST_TMPDIR/$c.debian" ]
		run -0 compare "$BATS_TEST_TMPDIR/$c.argus" "$BATS_TEST_TMPDIR/$c.debian"
		r=$(echo "$output" | tail -n 1 | sed 's/records=\([0-9]*\).*/\1/')
		records=$((records + r))
		n=$((n + 1))
		# the same flows merged by Debian's racluster: aggregation DSRs
		rm -f "$BATS_TEST_TMPDIR/$c-rac.argus"
		/usr/bin/racluster -X -r "$BATS_TEST_TMPDIR/$c.argus" -w "$BATS_TEST_TMPDIR/$c-rac.argus"
		[ -f "$BATS_TEST_TMPDIR/$c-rac.argus" ] || continue	# (no flows: no file)
		/usr/bin/ra -X -nn -u -c '	' -L -1 -r "$BATS_TEST_TMPDIR/$c-rac.argus" -s $FIELDS - not man \
			> "$BATS_TEST_TMPDIR/$c-rac.debian" || [ ! -s "$BATS_TEST_TMPDIR/$c-rac.debian" ]
		run -0 compare "$BATS_TEST_TMPDIR/$c-rac.argus" "$BATS_TEST_TMPDIR/$c-rac.debian"
		r=$(echo "$output" | tail -n 1 | sed 's/records=\([0-9]*\).*/\1/')
		merged=$((merged + r))
	done
	echo "# $n captures, $records records, $merged merged by racluster" >&3
	[ "$merged" -ge 500 ]
	[ "$n" -ge 20 ]
	[ "$records" -ge 2000 ]
}

@test "argus3: ra -w converts an Argus 3 file into ours, the same records" {
	run -0 ra -n -u -r "$A3/sample.argus" -s $FIELDS
	local direct="$output"
	run -0 ra -r "$A3/sample.argus" -w "$BATS_TEST_TMPDIR/new.argus"
	[ "$(head -c 4 "$BATS_TEST_TMPDIR/new.argus" | od -An -tx1 | tr -d ' ')" = 01003000 ]
	run -0 ra -n -u -r "$BATS_TEST_TMPDIR/new.argus" -s $FIELDS
	[ "$output" = "$direct" ]
	[ "${#lines[@]}" -eq 27 ]
}

@test "argus3: a gzip-compressed Argus 3 file and standard input read the same" {
	gzip -c "$A3/ndpi-http_ipv6.argus" > "$BATS_TEST_TMPDIR/old.argus.gz"
	run -0 ra -n -u -r "$A3/ndpi-http_ipv6.argus" -s $FIELDS
	local plain="$output"
	run -0 ra -n -u -r "$BATS_TEST_TMPDIR/old.argus.gz" -s $FIELDS
	[ "$output" = "$plain" ]
	run -0 --separate-stderr sh -c "cat '$A3/ndpi-http_ipv6.argus' | ra -n -u -r - -s $FIELDS"
	[ "$output" = "$plain" ]
}

@test "argus3: racluster -R over a directory of Argus 3 files equals racluster over them converted" {
	mkdir -p "$BATS_TEST_TMPDIR/archive/2019/01" "$BATS_TEST_TMPDIR/conv"
	cp "$A3/sample.argus" "$A3/ndpi-http_ipv6.argus" "$BATS_TEST_TMPDIR/archive/2019/01/"
	cp "$A3/tcpdump-dns_tcp.argus" "$BATS_TEST_TMPDIR/archive/2019/"
	run -0 racluster -n -R "$BATS_TEST_TMPDIR/archive" -m proto saddr daddr -s proto saddr daddr pkts bytes trans
	local old="$output"
	[ "${#lines[@]}" -gt 10 ]
	ra -R "$BATS_TEST_TMPDIR/archive" -w "$BATS_TEST_TMPDIR/conv/all.argus"
	run -0 racluster -n -r "$BATS_TEST_TMPDIR/conv/all.argus" -m proto saddr daddr -s proto saddr daddr pkts bytes trans
	[ "$output" = "$old" ]
	# and Debian's racluster agrees on the packets and bytes
	[ -x /usr/bin/racluster ] || skip "Debian's racluster is not installed"
	/usr/bin/racluster -X -nn -c , -L -1 -R "$BATS_TEST_TMPDIR/archive" -m proto saddr daddr -s proto saddr daddr pkts bytes - not man |
		tr -d ' ' | sort > "$BATS_TEST_TMPDIR/debian"
	racluster -nn -c , -L -1 -R "$BATS_TEST_TMPDIR/archive" -m proto saddr daddr -s proto saddr daddr pkts bytes |
		tr -d ' ' | sed 's/^arp,/2054,/' | sort > "$BATS_TEST_TMPDIR/ours"
	run -0 diff "$BATS_TEST_TMPDIR/debian" "$BATS_TEST_TMPDIR/ours"
}

@test "argus3: an Argus 3 stream and one of ours concatenated read as one" {
	cat "$A3/tcpdump-dns_tcp.argus" "$DATA/sample-v1.argus" "$A3/tcpdump-802.1ad_QinQ.argus" > "$BATS_TEST_TMPDIR/mixed"
	run -0 ra -n -u -r "$A3/tcpdump-dns_tcp.argus" "$DATA/sample-v1.argus" "$A3/tcpdump-802.1ad_QinQ.argus" -s stime saddr daddr bytes
	local separate="$output"
	run -0 ra -n -u -r "$BATS_TEST_TMPDIR/mixed" -s stime saddr daddr bytes
	[ "$output" = "$separate" ]
}

@test "argus3: a filter works on Argus 3 records" {
	run -0 ra -nn -r "$A3/sample.argus" -s proto saddr daddr - arp
	[ "${#lines[@]}" -ge 2 ]
	refute_line --regexp '^ +(17|1) '
	run -0 ra -nn -L -1 -r "$A3/tcpdump-dns_tcp.argus" -s state - tcp and dst port 53
	assert_output --regexp '^ *FIN *$'
}

@test "argus3: a truncated Argus 3 file gives its good records, then one error at the damaged record, exit 1" {
	# sample-default.argus: a MAR (128 bytes), then flow records
	local size cut
	size=$(stat -c %s "$A3/sample-default.argus")
	cut=$((size - 150))
	head -c "$cut" "$A3/sample-default.argus" > "$BATS_TEST_TMPDIR/cut.argus"
	run -0 ra -n -u -r "$A3/sample-default.argus" -s stime saddr daddr
	local all=("${lines[@]}")
	run -1 --separate-stderr ra -n -u -r "$BATS_TEST_TMPDIR/cut.argus" -s stime saddr daddr
	[ "${#lines[@]}" -ge 10 ]
	[ "${#lines[@]}" -lt "${#all[@]}" ]
	[ "${lines[1]}" = "${all[1]}" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" =~ ^ra:\ .*cut\.argus:\ byte\ ([0-9]+)\ \(record\ [0-9]+\):\ file\ ends\ inside\ an\ Argus\ 3\ record ]]
	local at=${BASH_REMATCH[1]}
	# the offset is where the cut record starts: a record header is there
	[ "$at" -lt "$cut" ]
	[ "$(od -An -tx1 -j "$at" -N 1 "$BATS_TEST_TMPDIR/cut.argus" | tr -d ' ')" = 13 ]
}

@test "argus3: a damaged DSR and a bad record header are reported at the record's byte offset" {
	cp "$A3/sample-default.argus" "$BATS_TEST_TMPDIR/bad.argus"
	# second record (the first flow, at byte 128): its first DSR's length byte made 0xff
	printf '\377' | dd of="$BATS_TEST_TMPDIR/bad.argus" bs=1 seek=135 conv=notrunc 2>/dev/null
	run -1 --separate-stderr ra -n -r "$BATS_TEST_TMPDIR/bad.argus" -s saddr
	assert_equal "$stderr" "ra: $BATS_TEST_TMPDIR/bad.argus: byte 128 (record 2): Argus 3 flow record: DSR 0x01 at byte 4 of the record is damaged"
	cp "$A3/sample-default.argus" "$BATS_TEST_TMPDIR/bad.argus"
	printf '\377' | dd of="$BATS_TEST_TMPDIR/bad.argus" bs=1 seek=128 conv=notrunc 2>/dev/null
	run -1 --separate-stderr ra -n -r "$BATS_TEST_TMPDIR/bad.argus" -s saddr
	assert_equal "$stderr" "ra: $BATS_TEST_TMPDIR/bad.argus: byte 128 (record 2): bad Argus 3 record header 0xff10"
}

@test "argus3: an Argus 2 stream is named, not read" {
	# an Argus 2 opening MAR: version 2, its cookie at byte 8
	printf '\202\020\000\040\000\000\000\000\345\141\172\313\000\000\000\000' > "$BATS_TEST_TMPDIR/v2.argus"
	run -1 --separate-stderr ra -r "$BATS_TEST_TMPDIR/v2.argus"
	assert_equal "$stderr" "ra: $BATS_TEST_TMPDIR/v2.argus: byte 0: an Argus stream of a version other than 3 (Argus 3 files are read, not these)"
	[ -z "$output" ]
}

@test "argus3: the management records are the daemon's status records (ra - man)" {
	run -0 ra -M json -r "$A3/tcpdump-dns_tcp.argus" - man
	[ "${#lines[@]}" -eq 2 ]
	# the opening MAR and the closing one, which counts the records written
	assert_line --index 0 --regexp '"kind":"daemon","source":"10\.9\.8\.7",.*"records":0'
	assert_line --index 1 --regexp '"kind":"daemon","source":"10\.9\.8\.7",.*"records":2'
	run -0 ra -n -r "$A3/tcpdump-dns_tcp.argus" - not man -s saddr daddr
	[ "${#lines[@]}" -eq 2 ]
}
