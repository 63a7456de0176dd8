#!/usr/bin/env bats
# argus-workers.bats - argus -W n: n flow engine threads give exactly the
# flows of one (argus/workers.c).  Record order may differ between runs; the
# flows, their packets, bytes, states, causes and marks may not.
bats_require_minimum_version 1.5.0
load test_helper

# Every flow field that must not depend on the worker count, one CSV line a
# record, sorted (record order does; seq does: each worker numbers its own).
FIELDS="stime ltime proto saddr sport daddr dport spkts dpkts sbytes dbytes sappbytes dappbytes state flgs dir cause inode sttl dttl svlan"
flowset() {
	ra -n -c , -r "$1" -s $FIELDS - not man | tail -n +2 | sort
}

# same_flows PCAP [argus options]: -W 2 and -W 4 against -W 1: flows, exit
# status and messages.  Leaves the -W 1 flows in $BATS_TEST_TMPDIR/w1.txt.
same_flows() {
	local pcap=$1 d=$BATS_TEST_TMPDIR
	shift
	local rc1=0
	argus -X -W 1 "$@" -r "$pcap" -w "$d/w1.argus" 2>"$d/w1.err" || rc1=$?
	flowset "$d/w1.argus" > "$d/w1.txt"
	for n in 2 4; do
		local rc=0
		argus -X -W "$n" "$@" -r "$pcap" -w "$d/w$n.argus" 2>"$d/w$n.err" || rc=$?
		[ "$rc" = "$rc1" ] || { echo "$pcap: exit $rc with -W $n, $rc1 with -W 1"; return 1; }
		cmp "$d/w1.err" "$d/w$n.err" || { echo "$pcap: messages differ with -W $n"; return 1; }
		flowset "$d/w$n.argus" > "$d/w$n.txt"
		diff "$d/w1.txt" "$d/w$n.txt" || { echo "$pcap: flows differ with -W $n"; return 1; }
		# flow sequence numbers stay unique across workers: one key each
		[ -z "$(ra -n -c , -r "$d/w$n.argus" -s seq proto saddr sport daddr dport - not man |
			tail -n +2 | sort -u | cut -d, -f1 | uniq -d | head -1)" ] ||
			{ echo "$pcap: one seq for two flows with -W $n"; return 1; }
	done
}

@test "argus -W: every capture in tests/data gives the same flows with 2 and 4 workers as with 1" {
	set -o pipefail
	local seen=0 flows=0
	for f in "$DATA"/*.pcap "$DATA"/*.pcapng; do
		same_flows "$f"
		seen=$((seen + 1))
		flows=$((flows + $(wc -l < "$BATS_TEST_TMPDIR/w1.txt")))
	done
	[ "$seen" -ge 30 ]
	[ "$flows" -ge 5000 ]
}

@test "argus -W: fragments and ICMP errors meet their flows in other workers" {
	set -o pipefail
	# Time-exceeded and port unreachables from routers other than the
	# probed host: with 4 workers the error and the flow it quotes are in
	# different workers, and the quoted UDP flows still get 'I' and the
	# router as inode (without the mark frames this test fails).
	same_flows "$DATA/tcpdump-mpls-traceroute.pcap"
	[ "$(cut -d, -f15 "$BATS_TEST_TMPDIR/w4.txt" | grep -c I)" -ge 5 ]
	same_flows "$DATA/ndpi-gnutella.pcap"
	# Later fragments (no ports) fold into the flow of their first.
	same_flows "$DATA/ndpi-dns_fragmented.pcap"
	[ "$(cut -d, -f15 "$BATS_TEST_TMPDIR/w4.txt" | grep -c F)" -ge 5 ]
	same_flows "$DATA/ndpi-ip_fragmented_garbage.pcap"
	grep -q F "$BATS_TEST_TMPDIR/w4.txt"
	# MAC-keyed flows (LLC, IPX) and ARP.
	same_flows "$DATA/tcpdump-ipx.pcap"
	same_flows "$DATA/ndpi-dos_win98_smb_netbeui.pcap" -m
}

@test "argus -W: a generated bulk capture: same flows, idle timeouts and status records as one worker" {
	set -o pipefail
	local d=$BATS_TEST_TMPDIR
	# 200,000 packets over 100 s of capture time: flows report (-S 5),
	# time out (UDP 30 s, ICMP 5 s) and the daemon writes status records.
	"$top_builddir/bench/gen-pcap" -n 200000 -f 5000 -r 2000 -o "$d/bulk.pcap"
	same_flows "$d/bulk.pcap" -M 10
	[ "$(wc -l < "$d/w1.txt")" -ge 50000 ]
	grep -q ',Status,' "$d/w1.txt"
	# one daemon status record per interval for the whole daemon, as with one worker
	local m1 m4
	m1=$(ra -n -r "$d/w1.argus" - man | wc -l)
	m4=$(ra -n -r "$d/w4.argus" - man | wc -l)
	[ "$m1" -ge 10 ]
	assert_equal "$m4" "$m1"
	# the last status record sums the workers: every count as one engine's
	# (not memory, CPU and RSS; nor flows_expired: one engine reaches some
	# idle flows that wrote their last record later than a worker does,
	# argus(8) PERFORMANCE)
	local last1 last4
	last1=$(ra -n -r "$d/w1.argus" - man | tail -1 | tr ' ' '\n' | grep = | grep -Ev '^(memory|cpu_|maxrss|flows_expired)')
	last4=$(ra -n -r "$d/w4.argus" - man | tail -1 | tr ' ' '\n' | grep = | grep -Ev '^(memory|cpu_|maxrss|flows_expired)')
	[[ "$last4" == *"pkts=200000"* ]]
	[[ "$last4" == *"records="* ]]
	assert_equal "$last4" "$last1"
	# pcapng goes through libpcap: frames are copied into the dispatch ring
	if command -v editcap >/dev/null; then
		editcap -F pcapng "$d/bulk.pcap" "$d/bulk.pcapng"
		argus -X -W 4 -M 10 -r "$d/bulk.pcapng" -w "$d/ng.argus"
		diff "$d/w1.txt" <(flowset "$d/ng.argus")
	fi
}

@test "argus -W: a damaged capture: every flow before the damage, the same message, exit 1" {
	set -o pipefail
	local d=$BATS_TEST_TMPDIR
	"$top_builddir/bench/gen-pcap" -n 50000 -f 2000 -o "$d/bulk.pcap"
	head -c 3000000 "$d/bulk.pcap" > "$d/cut.pcap"
	same_flows "$d/cut.pcap"
	grep -q "cut.pcap: capture file cut short or damaged at byte" "$d/w4.err"
	run -1 argus -X -W 4 -r "$d/cut.pcap" -w "$d/x.argus"
	[ "$(wc -l < "$d/w1.txt")" -ge 1000 ]
}

@test "argus -W and ARGUS_WORKERS: values, the config file, sFlow keeps one engine" {
	run -2 --separate-stderr argus -X -W 65 -r "$DATA/sample.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	[[ "$stderr" == *ARGUS_WORKERS* ]]
	run -2 --separate-stderr argus -X -W two -r "$DATA/sample.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	printf 'ARGUS_WORKERS=3\n' > "$BATS_TEST_TMPDIR/argus.conf"
	argus -F "$BATS_TEST_TMPDIR/argus.conf" -r "$DATA/site.pcap" -w "$BATS_TEST_TMPDIR/c.argus"
	argus -X -W 1 -r "$DATA/site.pcap" -w "$BATS_TEST_TMPDIR/one.argus"
	diff <(flowset "$BATS_TEST_TMPDIR/one.argus") <(flowset "$BATS_TEST_TMPDIR/c.argus")
	# "auto" is the default: one per core, at most 4
	argus -X -o ARGUS_WORKERS=auto -r "$DATA/site.pcap" -w "$BATS_TEST_TMPDIR/a.argus"
	diff <(flowset "$BATS_TEST_TMPDIR/one.argus") <(flowset "$BATS_TEST_TMPDIR/a.argus")
	# sFlow datagrams are decoded by the reader itself: one engine, said so
	run -0 --separate-stderr argus -X -W 4 -r "sflow:$DATA/tcpdump-sflow_expanded.pcap" -w "$BATS_TEST_TMPDIR/s.argus"
	[[ "$stderr" == *"sFlow input: one flow engine thread"* ]]
}

@test "argus -W 4 -i lo: SIGTERM flushes the flows of every worker" {
	[ "$(id -u)" = 0 ] || skip "live capture needs root"
	command -v python3 >/dev/null || skip "needs python3 for the client"
	local port=$((20000 + RANDOM % 12000)) out=$BATS_TEST_TMPDIR/live.argus
	timeout 30 argus -X -d -W 4 -i lo -w "$out" -S 60 "udp dst port $port" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local pid=$!
	sleep 1
	# 40 flows from 40 source addresses (spread over the workers), 3 datagrams each
	timeout 20 python3 - "$port" <<'PY'
import socket, sys
port = int(sys.argv[1])
for i in range(40):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.%d.%d" % (i // 200, 2 + i % 200), 0))
    for _ in range(3):
        s.sendto(b"x" * 20, ("127.0.0.1", port))
    s.close()
PY
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid"
	run -0 ra -n -c , -r "$out" -s proto dport pkts sappbytes cause - udp
	assert_equal "${lines[0]}" "Proto,Dport,TotPkts,SAppBytes,Cause"
	lines=("${lines[@]:1}")
	assert_equal "${#lines[@]}" 40
	# every flow whole and written by the signal (nothing timed out by then)
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort -u)" "udp,$port,3,60,Shutdown"
}
