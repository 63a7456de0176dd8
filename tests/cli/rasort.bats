#!/usr/bin/env bats
# rasort.bats - rasort's keys, orders, stability, top-N and spilling to disk,
# checked against sort(1) over ra's own output.
load test_helper

S="$DATA/sample-v1.argus"

gen() {	# $1 records into $BATS_TEST_TMPDIR/g.argus
	"$top_builddir/tests/gen/ragen" -n "$1" -s 3 -w "$BATS_TEST_TMPDIR/g.argus"
}

@test "-m bytes: biggest first, equal keys in input order (sort -s)" {
	gen 20000
	want=$(ra -r "$BATS_TEST_TMPDIR/g.argus" -L -1 -n -c ' ' -s bytes stime saddr sport | sort -s -k1,1nr)
	run -0 rasort -r "$BATS_TEST_TMPDIR/g.argus" -m bytes -L -1 -n -c ' ' -s bytes stime saddr sport
	assert_equal "$output" "$want"
}

@test "several keys, each with its order" {
	gen 20000
	want=$(ra -r "$BATS_TEST_TMPDIR/g.argus" -L -1 -nn -c ' ' -s dport pkts dur stime - tcp or udp |
		sort -s -k1,1n -k2,2n -k3,3gr)
	run -0 rasort -r "$BATS_TEST_TMPDIR/g.argus" -m dport pkts:asc dur -L -1 -nn -c ' ' -s dport pkts dur stime - tcp or udp
	assert_equal "$output" "$want"
}

@test "no -m sorts by start time; :desc reverses it" {
	run -0 rasort -r "$S" -L -1 -u -s stime
	assert_equal "$output" "$(ra -r "$S" -L -1 -u -s stime | sort -s -n)"
	run -0 rasort -r "$S" -m stime:desc -L -1 -u -s stime
	assert_equal "$output" "$(ra -r "$S" -L -1 -u -s stime | sort -s -nr)"
}

@test "addresses sort by family, then value; /len masks" {
	run -0 rasort -r "$S" -m saddr -L -1 -n -s saddr
	v4=$(printf '%s\n' "$output" | grep -c '\.')
	assert_equal "$(printf '%s\n' "$output" | first "$v4" | grep -c ':')" 0
	assert_equal "$(printf '%s\n' "$output" | first "$v4" | sed 's/^ *//')" \
		"$(ra -r "$S" -L -1 -n -s saddr | grep '\.' | sed 's/^ *//' | sort -t. -k1,1n -k2,2n -k3,3n -k4,4n)"
	# /8 makes every 10.x source equal: they keep their input order
	run -0 rasort -r "$S" -m saddr/8 -L -1 -n -s saddr - src net 10.0.0.0/8
	assert_equal "$output" "$(ra -r "$S" -L -1 -n -s saddr - src net 10.0.0.0/8)"
}

@test "-N keeps the top n" {
	gen 20000
	rasort -r "$BATS_TEST_TMPDIR/g.argus" -m load -L -1 -s saddr load > "$BATS_TEST_TMPDIR/all"
	want=$(head -25 "$BATS_TEST_TMPDIR/all")
	run -0 rasort -r "$BATS_TEST_TMPDIR/g.argus" -m load -N 25 -L -1 -s saddr load
	assert_equal "$output" "$want"
}

@test "beyond the memory limit, sorted runs spill to TMPDIR and merge to the same order" {
	gen 30000
	want=$(rasort -r "$BATS_TEST_TMPDIR/g.argus" -m dport bytes -L -1 -n -c ' ' -s dport bytes stime)
	mkdir "$BATS_TEST_TMPDIR/tmp"
	TMPDIR="$BATS_TEST_TMPDIR/tmp" RASORT_DEBUG=1 run -0 --separate-stderr \
		rasort -r "$BATS_TEST_TMPDIR/g.argus" -M mem=256K -m dport bytes -L -1 -n -c ' ' -s dport bytes stime
	assert_equal "$output" "$want"
	[[ "$stderr" =~ rasort:\ ([0-9]+)\ runs ]] && [ "${BASH_REMATCH[1]}" -gt 5 ]
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ""
	# short keys (one number) take the other path: the same holds
	want=$(rasort -r "$BATS_TEST_TMPDIR/g.argus" -m pkts -L -1 -c ' ' -s pkts stime)
	TMPDIR="$BATS_TEST_TMPDIR/tmp" run -0 rasort -r "$BATS_TEST_TMPDIR/g.argus" -M mem=128K -m pkts -N 5000 -L -1 -c ' ' -s pkts stime
	assert_equal "$output" "$(printf '%s\n' "$want" | first 5000)"
}

@test "every field of the table sorts" {
	for f in $(rasort -h | sed -n '/^Fields for -m and -s:/,$p' | tail -n +2); do
		run rasort -r "$S" -m "$f" -q
		[ "$status" -eq 0 ] || { echo "-m $f: $output"; false; }
	done
}

@test "-w - writes the records unchanged, in order" {
	run -0 bash -c "rasort -r '$S' -m bytes -w - | ra -L -1 -n -s stime saddr bytes"
	assert_equal "$output" "$(rasort -r "$S" -m bytes -L -1 -n -s stime saddr bytes)"
	assert_equal "${#lines[@]}" "$(ra -r "$S" -L -1 -s bytes | wc -l)"
}

@test "usage errors" {
	run -2 --separate-stderr rasort -r "$S" -m nosuch
	assert_equal "$stderr" "rasort: -m: unknown field 'nosuch' (rasort -h lists them)"
	run -2 --separate-stderr rasort -r "$S" -m bytes:up
	assert_equal "$stderr" "rasort: -m: 'bytes:up': the order is :asc or :desc"
	run -2 --separate-stderr rasort -r "$S" -M mem=lots
	[[ "$stderr" == *"memory must be a size"* ]]
}
