#!/usr/bin/env bats
# racluster.bats - racluster's keys, merge, output and fidelity to Argus.
load test_helper

S="$DATA/sample-v1.argus"
C="$DATA/cluster-compat"

# sum of spkts dpkts sbytes dbytes per key column(s), from ra's own records:
# the reference the merged totals are checked against.
sums() {	# $1: number of key columns; stdin: key... spkts dpkts sbytes dbytes
	awk -v k="$1" '{key = $1; for (i = 2; i <= k; i++) key = key " " $i
		s[key] += $(k+1); d[key] += $(k+2); sb[key] += $(k+3); db[key] += $(k+4); n[key]++ }
		END { for (x in s) print x, s[x], d[x], sb[x], db[x], n[x] }' | LC_ALL=C sort
}

@test "with no -m, a flow's records join into one: counts add, trans counts them" {
	cat "$S" "$S" > "$BATS_TEST_TMPDIR/twice.argus"
	run -0 ra -r "$S" -L -1 -n -c ' ' -s saddr sport daddr dport pkts bytes
	one="$output"
	run -0 racluster -r "$BATS_TEST_TMPDIR/twice.argus" -L -1 -n -c ' ' -s saddr sport daddr dport pkts bytes trans
	assert_equal "${#lines[@]}" "$(printf '%s\n' "$one" | wc -l)"
	want=$(printf '%s\n' "$one" | awk '{print $1, $2, $3, $4, 2 * $5, 2 * $6, 2}')
	assert_equal "$output" "$want"
}

@test "the duration statistics of a group: equal members have stddev 0" {
	cat "$S" "$S" > "$BATS_TEST_TMPDIR/twice.argus"
	run -0 racluster -r "$BATS_TEST_TMPDIR/twice.argus" -L -1 -c ' ' -s dur mean min max stddev trans
	while read -r dur mean min max sd trans; do
		[ "$dur" = "$mean" ] && [ "$min" = "$dur" ] && [ "$max" = "$dur" ] && [ "$sd" = 0.000000 ] &&
			[ "$trans" = 2 ] || { echo "bad line: $dur $mean $min $max $sd $trans"; false; }
	done <<< "$output"
}

@test "-m saddr: one group per source, with the totals of its records" {
	want=$(ra -r "$S" -L -1 -n -c ' ' -s saddr spkts dpkts sbytes dbytes | sums 1)
	run -0 racluster -r "$S" -m saddr -L -1 -n -c ' ' -s saddr spkts dpkts sbytes dbytes trans
	assert_equal "$(printf '%s\n' "$output" | LC_ALL=C sort)" "$want"
}

@test "-m proto dport: totals per service" {
	want=$(ra -r "$S" -L -1 -nn -c ' ' -s proto dport spkts dpkts sbytes dbytes | sums 2)
	run -0 racluster -r "$S" -m proto dport -L -1 -nn -c ' ' -s proto dport spkts dpkts sbytes dbytes trans
	assert_equal "$(printf '%s\n' "$output" | LC_ALL=C sort)" "$want"
}

@test "fields that differ print empty, addresses as their common prefix" {
	# 10.0.x.y sources to many destinations: by proto and dport, the sources
	# of the https group differ (IPv4 and IPv6 mixed: empty); by saddr/16
	# the destination is a prefix
	run -0 racluster -r "$S" -m proto dport -L -1 -n -c , -s proto dport sport saddr - tcp and dst port 443
	assert_output --regexp '^tcp,443,,$'
	run -0 racluster -r "$S" -m saddr/16 -L -1 -n -c , -s saddr daddr sport - src net 10.0.0.0/16
	assert_output '10.0.0.0/16,0.0.0.0/0,'
	run -0 racluster -r "$S" -m saddr/16 -L -1 -n -c , -s saddr daddr - src net 10.0.0.0/16 and dst net 192.168.0.0/16
	assert_output '10.0.0.0/16,192.168.0.0/23'
}

@test "a protocol that differs prints as ip, as in Argus" {
	run -0 racluster -r "$S" -m saddr/8 -L -1 -nn -c , -s saddr proto - src net 10.0.0.0/8
	assert_output '10.0.0.0/8,0'
	run -0 racluster -r "$S" -m saddr/8 -L -1 -c , -s proto - src net 10.0.0.0/8
	assert_output 'ip'
}

@test "JSON: a field that differs is null" {
	run -0 racluster -r "$S" -m saddr/8 -M json -s saddr dport pkts - src net 10.0.0.0/8
	assert_output --regexp '^\{"saddr":"10\.0\.0\.0/8","dport":null,"pkts":[0-9]+\}$'
}

@test "matrix: both directions of a conversation in one group, smaller address first" {
	# the daemon's records of the AFS capture hold both directions of
	# 131.151.1.59 <-> 131.151.32.21: the group is the sum over both
	# orientations, counted from the smaller address
	argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/afs.argus" 3>&-
	want=$(ra -r "$BATS_TEST_TMPDIR/afs.argus" -L -1 -n -c ' ' -s saddr daddr spkts dpkts sbytes dbytes |
		awk '{ if ($1 == "131.151.1.59" && $2 == "131.151.32.21") { s += $3; d += $4; sb += $5; db += $6 }
		       if ($2 == "131.151.1.59" && $1 == "131.151.32.21") { s += $4; d += $3; sb += $6; db += $5 } }
		     END { print "131.151.1.59 131.151.32.21", s, d, sb, db }')
	run -0 racluster -r "$BATS_TEST_TMPDIR/afs.argus" -m matrix -L -1 -n -c ' ' -s saddr daddr spkts dpkts sbytes dbytes
	assert_line "$want"
	refute_line --regexp '^131\.151\.32\.21 131\.151\.1\.59 '
}

@test "-M rmon: every record counted for its source and its destination" {
	total=$(ra -r "$S" -L -1 -c ' ' -s spkts dpkts | awk '{s += $1; d += $2} END {print s + d}')
	run -0 racluster -r "$S" -M rmon -m saddr -L -1 -c ' ' -s saddr spkts dpkts
	got=$(printf '%s\n' "$output" | awk '{s += $2; d += $3} END {print s, d}')
	assert_equal "$got" "$total $total"
	# a host that only ever received shows up with what it received as dpkts
	run -0 ra -r "$S" -L -1 -n -c ' ' -s daddr dpkts spkts - dst host 10.1.0.147
	want=$(printf '%s\n' "$output" | awk '{s += $2; d += $3} END {print "10.1.0.147", s, d}')
	run -0 racluster -r "$S" -M rmon -m saddr -L -1 -n -c ' ' -s saddr spkts dpkts - host 10.1.0.147
	assert_line "$want"
}

@test "-w - writes merged records that ra and rasort read back" {
	run -0 bash -c "racluster -r '$S' -m proto dport -w - | ra -L -1 -nn -c ' ' -s proto dport pkts bytes trans"
	via_pipe="$output"
	run -0 racluster -r "$S" -m proto dport -L -1 -nn -c ' ' -s proto dport pkts bytes trans
	assert_equal "$via_pipe" "$output"
	# the blank marks and prefixes travel with the records
	run -0 bash -c "racluster -r '$S' -m saddr/8 -w - - src net 10.0.0.0/8 | ra -L -1 -c , -s saddr trans"
	n=$(ra -r "$S" -L -1 -s saddr - src net 10.0.0.0/8 | wc -l)
	assert_output "10.0.0.0/8,$n"
	run -0 bash -c "racluster -r '$S' -m saddr -w - | ra -L -1 -n -c , -s saddr daddr sport dport proto stos sttl pkts"
	via_pipe="$output"
	run -0 racluster -r "$S" -m saddr -L -1 -n -c , -s saddr daddr sport dport proto stos sttl pkts
	assert_equal "$via_pipe" "$output"
	# a second racluster over merged records keeps their marks and totals
	run -0 bash -c "racluster -r '$S' -m saddr -w - | racluster -m saddr -L -1 -n -c , -s saddr daddr sport dport proto stos sttl pkts trans"
	via_pipe="$output"
	run -0 racluster -r "$S" -m saddr -L -1 -n -c , -s saddr daddr sport dport proto stos sttl pkts trans
	assert_equal "$via_pipe" "$output"
	run -0 bash -c "racluster -r '$S' -m saddr/24 -w - | racluster -m saddr/16 -L -1 -n -c , -s saddr pkts trans"
	via_pipe="$output"
	run -0 racluster -r "$S" -m saddr/16 -L -1 -n -c , -s saddr pkts trans
	assert_equal "$via_pipe" "$output"
}

@test "the cron reports of the manual: top talkers and top ports" {
	run -0 bash -c "racluster -r '$S' -m saddr -w - - 'src net 10.0.0.0/8' | rasort -m bytes -s saddr bytes load -N 10"
	assert_equal "${#lines[@]}" 11
	assert_line -n 0 --regexp '^ +SrcAddr +TotBytes +Load$'
	# the reference: per-source byte totals from ra, biggest first
	want=$(ra -r "$S" -L -1 -n -c ' ' -s saddr bytes - src net 10.0.0.0/8 |
		awk '{b[$1] += $2} END {for (s in b) print b[s], s}' | sort -s -k1,1nr | first 10 | awk '{print $2, $1}')
	got=$(printf '%s\n' "${lines[@]:1}" | awk '{print $1, $2}')
	assert_equal "$got" "$want"
	run -0 bash -c "racluster -r '$S' -m proto dport -w - | rasort -m bytes -n -s dport bytes load"
	want=$(ra -r "$S" -L -1 -nn -c ' ' -s proto dport bytes |
		awk '{b[$1 " " $2] += $3} END {for (k in b) print b[k], k}' | sort -s -k1,1nr | awk '{print $1}')
	got=$(printf '%s\n' "${lines[@]:1}" | awk '{print $2}')
	assert_equal "$got" "$want"
}

@test "the conversations between two hosts, per service (the manual's example)" {
	want=$(ra -r "$S" -L -1 -nn -c ' ' -s proto dport pkts bytes - host 10.0.0.137 and host 192.168.1.201 |
		awk '{p[$1 " " $2] += $3; b[$1 " " $2] += $4; n[$1 " " $2]++}
		     END {for (k in p) print "10.0.0.137 192.168.1.201", k, p[k], b[k], n[k]}' | LC_ALL=C sort)
	[ -n "$want" ]
	run -0 racluster -r "$S" -m matrix proto dport -L -1 -nn -c ' ' -s saddr daddr proto dport pkts bytes trans \
		- host 10.0.0.137 and host 192.168.1.201
	assert_equal "$(printf '%s\n' "$output" | LC_ALL=C sort)" "$want"
}

@test "-M idle: groups idle that long are emitted early; totals do not change" {
	"$top_builddir/tests/gen/ragen" -n 3000 -s 7 -w "$BATS_TEST_TMPDIR/g.argus"
	run -0 racluster -r "$BATS_TEST_TMPDIR/g.argus" -m daddr -L -1 -c ' ' -s pkts bytes
	whole=$(printf '%s\n' "$output" | awk '{p += $1; b += $2} END {print p, b, NR}')
	run -0 racluster -r "$BATS_TEST_TMPDIR/g.argus" -m daddr -M idle=1 -L -1 -c ' ' -s pkts bytes
	split=$(printf '%s\n' "$output" | awk '{p += $1; b += $2} END {print p, b, NR}')
	assert_equal "${split% *}" "${whole% *}"
	[ "${split##* }" -gt "${whole##* }" ]
}

@test "first records pointed at in mapped files, copied from pipes and gzip: the same groups" {
	# racluster keeps the files it maps and points at a group's first
	# record there; from stdin or gzip it copies it: every form must agree,
	# across several files and with idle groups emitted early
	g="$BATS_TEST_TMPDIR/g.argus"
	"$top_builddir/tests/gen/ragen" -n 4000 -s 11 -w "$g"
	gzip -c "$S" > "$BATS_TEST_TMPDIR/s.argus.gz"
	f="stime ltime saddr sport daddr dport proto pkts bytes state trans seq"
	for m in "" "-m saddr" "-M idle=2" "-M rmon -m saddr"; do
		want=$(cat "$g" | racluster $m -r - -L -1 -c , -s $f)
		run -0 racluster $m -r "$g" -L -1 -c , -s $f
		assert_equal "$output" "$want"
		[ "${#lines[@]}" -gt 100 ]
		want=$(cat "$S" "$S" | racluster $m -r - -L -1 -c , -s $f)
		run -0 racluster $m -r "$S" "$BATS_TEST_TMPDIR/s.argus.gz" -L -1 -c , -s $f
		assert_equal "$output" "$want"
		racluster $m -r "$g" "$S" -w "$BATS_TEST_TMPDIR/m.argus"
		cat "$g" "$S" | racluster $m -r - -w "$BATS_TEST_TMPDIR/p.argus"
		cmp <(tail -c +49 "$BATS_TEST_TMPDIR/m.argus") <(tail -c +49 "$BATS_TEST_TMPDIR/p.argus")
	done
}

# same_as_piped FILE ARGS...: racluster ARGS on FILE, mapped, gives what it
# gives on FILE from stdin (output, error after its file name, status);
# want, want_err and want_status are left for the caller.
same_as_piped() {
	in=$1
	shift
	run --separate-stderr sh -c 'in=$1; shift; cat "$in" | racluster -r - "$@"' sh "$in" "$@"
	want=$output want_err=${stderr#racluster: *: } want_status=$status
	run --separate-stderr racluster -r "$in" "$@"
	assert_equal "$status" "$want_status"
	assert_equal "$output" "$want"
	assert_equal "${stderr#racluster: *: }" "$want_err"
	[ "${#lines[@]}" -gt 20 ]
}

@test "records framed in place (mapped file) and read one by one (stdin) agree, damage included" {
	# racluster frames a mapped file's records itself and merges the
	# common ones straight from its bytes; from stdin it takes them one by
	# one: groups, error and exit status must be the same
	g="$BATS_TEST_TMPDIR/g.argus"
	"$top_builddir/tests/gen/ragen" -n 6000 -s 5 -w "$g"
	# a record start, from the message about a file cut there
	head -c 300001 "$g" > "$BATS_TEST_TMPDIR/cut.argus"
	run -1 --separate-stderr racluster -m saddr -r "$BATS_TEST_TMPDIR/cut.argus"
	at=$(printf '%s\n' "$stderr" | sed -n 's/.*: byte \([0-9]*\) (record.*/\1/p')
	[ -n "$at" ]
	cp "$g" "$BATS_TEST_TMPDIR/bad.argus"
	printf '\007' | dd of="$BATS_TEST_TMPDIR/bad.argus" bs=1 seek=$((at + 5)) conv=notrunc 2>/dev/null
	f="stime ltime saddr sport daddr dport proto sttl stos pkts bytes appbytes state dir trans seq synack"
	for m in "" "-M nocorrect" "-m saddr" "-m proto dport" "-m daddr sttl" "-m saddr/22 stos" "-t 2024/01/01.00:00:01-2024/01/01.00:00:04 -m saddr"; do
		for in in "$g" "$BATS_TEST_TMPDIR/bad.argus"; do
			same_as_piped "$in" $m -L -1 -c , -s $f
		done
	done
	for m in "" "-m saddr" "-m proto dport"; do	# with a filter
		for in in "$g" "$BATS_TEST_TMPDIR/bad.argus"; do
			same_as_piped "$in" $m -L -1 -c , -s $f - src net 10.0.0.0/17 and not udp
		done
	done
	assert_equal "$want_status" 1
	assert_equal "$want_err" "byte $at (record $(( $(ra -r "$BATS_TEST_TMPDIR/cut.argus" -L -1 -s seq 2>/dev/null | wc -l) + 1 ))): flow record has an unknown address family"
}

@test "status records: copied by -w, not printed" {
	argus -X -M 1 -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/afs.argus" 3>&-
	flows=$(ra -r "$BATS_TEST_TMPDIR/afs.argus" -L -1 -s trans | wc -l)
	run -0 --separate-stderr ra --validate -r "$BATS_TEST_TMPDIR/afs.argus"
	all=$(printf '%s\n' "$stderr" | awk '{print $2}')
	[ "$all" -gt "$flows" ] || skip "the daemon wrote no status records"
	racluster -r "$BATS_TEST_TMPDIR/afs.argus" -m none -w "$BATS_TEST_TMPDIR/one.argus"
	run -0 --separate-stderr ra --validate -r "$BATS_TEST_TMPDIR/one.argus"
	assert_equal "$(printf '%s\n' "$stderr" | awk '{print $2}')" "$((all - flows + 1))"
	run -0 racluster -r "$BATS_TEST_TMPDIR/afs.argus" -m none -L -1 -s trans
	assert_output --regexp "^ *$flows\$"
}

@test "usage errors: unknown key, counter as key, bad mask, unknown mode" {
	run -2 --separate-stderr racluster -r "$S" -m soui nosuch
	assert_equal "$stderr" "racluster: -m: unknown key 'nosuch' (racluster -h lists them)"
	run -2 --separate-stderr racluster -r "$S" -m bytes
	assert_equal "$stderr" "racluster: -m: 'bytes' is not an identity field: counters and times are merged, not keyed"
	run -2 --separate-stderr racluster -r "$S" -m saddr/33x
	[[ "$stderr" == *"the mask must be"* ]]
	run -2 --separate-stderr racluster -r "$S" -m proto/8
	assert_equal "$stderr" "racluster: -m: 'proto' takes no mask"
	run -2 --separate-stderr racluster -r "$S" -M norep
	[[ "$stderr" == *"-M norep: Argus's mode 'norep' is not supported here"* ]]
	run -0 racluster -r "$S" -m soui doui -L -1 -s soui
}

@test "fidelity: racluster, -m saddr and -m proto dport give Debian's groups and totals" {
	n=0
	for exp in "$C"/*.saddr.expected "$C"/*.dport.expected "$C"/*.flow.expected; do
		base=$(basename "$exp" .expected)
		cap=${base%.*}
		key=${base##*.}
		case $key in
		saddr) m="-m saddr"; cols="saddr" ;;
		dport) m="-m proto dport"; cols="proto dport" ;;
		flow) m=""; cols="proto saddr sport daddr dport" ;;
		esac
		argus -X -r "$DATA/$cap.pcap" -w "$BATS_TEST_TMPDIR/o.argus" 3>&-
		racluster -r "$BATS_TEST_TMPDIR/o.argus" -nn $m -c ' ' -s $cols spkts dpkts sbytes dbytes |
			sh "$C/normalize.sh" > "$BATS_TEST_TMPDIR/ours"
		got=$( { comm -23 "$exp" "$BATS_TEST_TMPDIR/ours" | sed "s/^/$cap $key deb /"
			 comm -13 "$exp" "$BATS_TEST_TMPDIR/ours" | sed "s/^/$cap $key ours /"; } )
		want=$(grep "^$cap $key " "$C/exceptions.txt" || true)
		[ "$got" = "$want" ] || { echo "$cap racluster $m differs from Debian's racluster:"; echo "$got"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 30 ]
}

# per service, from ra's records (-L -1: no header): service,pkts,bytes,records (CSV: a flow no
# signature or port names has an empty service)
service_sums() {
	awk -F, '{ p[$1] += $2; b[$1] += $3; n[$1]++ } END { for (k in p) print k "," p[k] "," b[k] "," n[k] }' |
		LC_ALL=C sort
}

@test "-m service: per-service packets and bytes are ra's records summed by their service (argus -U 512)" {
	cd "$BATS_TEST_TMPDIR"
	set -o pipefail
	for cap in site.pcap ndpi-teams.pcap tcpdump-dns_tcp.pcap; do
		argus -U 512 -r "$DATA/$cap" -w r.argus
		want=$(ra -r r.argus -L -1 -n -c , -s service pkts bytes | service_sums)
		run -0 racluster -r r.argus -m service -L -1 -n -c , -s service pkts bytes trans
		assert_equal "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort)" "$want"
		rm r.argus
	done
	# the last capture's groups; site.pcap's: several services, by payload and by port
	argus -U 512 -r "$DATA/site.pcap" -w r.argus
	run -0 racluster -r r.argus -m service -L -1 -n -c , -s service
	for s in domain http https ssh telnet; do assert_line "$s"; done
	[ "${#lines[@]}" -ge 10 ]
}

@test "-m service combines with other keys, -M rmon, a filter and -N" {
	cd "$BATS_TEST_TMPDIR"
	set -o pipefail
	argus -U 512 -r "$DATA/site.pcap" -w r.argus
	want=$(ra -r r.argus -L -1 -n -c , -s service saddr pkts bytes |
		awk -F, '{ k = $1 "," $2; p[k] += $3; b[k] += $4 } END { for (k in p) print k "," p[k] "," b[k] }' |
		LC_ALL=C sort)
	run -0 racluster -r r.argus -m service saddr -L -1 -n -c , -s service saddr pkts bytes
	assert_equal "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort)" "$want"
	[ "${#lines[@]}" -gt 100 ]
	# rmon: each record once per direction, under the name it has
	want=$(ra -r r.argus -L -1 -n -c , -s service pkts bytes | service_sums |
		awk -F, '{ print $1 "," 2 * $2 "," 2 * $3 }')
	run -0 racluster -r r.argus -M rmon -m service -L -1 -n -c , -s service pkts bytes
	assert_equal "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort)" "$want"
	# the filter sees the records, -N the groups
	want=$(ra -r r.argus -L -1 -n -c , -s service pkts bytes - tcp | service_sums | cut -d, -f1-3)
	run -0 racluster -r r.argus -m service -L -1 -n -c , -s service pkts bytes - tcp
	assert_equal "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort)" "$want"
	run -0 racluster -r r.argus -m service -L -1 -n -c , -s service -N 2
	assert_equal "${#lines[@]}" 2
	# from a pipe, the same groups as from the file
	run -0 bash -c 'set -o pipefail; cat r.argus | racluster -r - -m service -L -1 -n -c , -s service pkts bytes | LC_ALL=C sort'
	assert_equal "$output" "$(racluster -r r.argus -m service -L -1 -n -c , -s service pkts bytes | LC_ALL=C sort)"
}

@test "raservices -w: racluster -m service names the records with the built-in signatures" {
	cd "$BATS_TEST_TMPDIR"
	set -o pipefail
	argus -U 512 -r "$DATA/site.pcap" -w r.argus
	want=$(racluster -r r.argus -m service -L -1 -n -c , -s service pkts bytes)
	run -0 bash -c 'set -o pipefail; raservices -r r.argus -w - | racluster -r - -m service -L -1 -n -c , -s service pkts bytes'
	assert_equal "$output" "$want"
	# a signature file's names do not travel in the records (raservices(1), CAVEATS)
	printf 'Service: mydns udp port 53 n = 9 src = "    01000001"\n' > my.sig
	run -0 raservices -f my.sig -r r.argus -L -1 -n -s service - udp port 53
	assert_line mydns
	run -0 bash -c 'set -o pipefail; raservices -f my.sig -r r.argus -w - | racluster -r - -m service -L -1 -n -c , -s service pkts bytes'
	assert_equal "$output" "$want"
}

@test "-m service: usage errors in bins of time, count or size" {
	local m
	for m in "1m" "count 100" "size 1k"; do
		run -2 --separate-stderr rabins -r "$S" -M $m -m service
		assert_equal "$stderr" "rabins: -m service: not in bins (racluster -m service names them)"
	done
}
