#!/usr/bin/env bats
# radium.bats - the relay for real: argus -i lo -P feeds a tree of two
# radium levels over loopback sockets; clients of the top get every record.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
	UPORT=$((20000 + RANDOM % 12000))
	PIDS=""
}

teardown() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	true
}

until_true() {
	local end=$((SECONDS + ${WAIT:-30}))
	until "$@"; do
		[ $SECONDS -lt $end ] || { echo "gave up waiting for: $*" >&2; return 1; }
		sleep 0.1
	done
}

# The port a server logged in file $1.
port_of() { grep -o 'listening on 127.0.0.1:[0-9]*' "$1" | tail -1 | grep -o '[0-9]*$'; }
logged() { grep -q "$2" "$1"; }
streams() { [ "$(grep -c ': streaming' "$1")" -ge "$2" ]; }

udp_flows() {
	python3 - "$UPORT" "$1" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(b"x" * 20, ("127.1.0.%d" % (i % 250 + 1), port))
PY
}

@test "radium: usage errors" {
	run -2 --separate-stderr radium -S localhost
	assert_equal "$stderr" "radium: no -P port: radium serves its sources to clients"
	run -2 --separate-stderr radium -P 0
	assert_equal "$stderr" "radium: no sources: give -S host[:port] (or -r file)"
	run -2 --separate-stderr radium -S localhost -P 0 -o RADIUM_ACCESS_ALLOW=10.0.0.300/8
	[[ "$stderr" =~ "is not an IPv4 or IPv6 network" ]]
}

@test "a tree of two radium levels: two probes, every record reaches the clients of the top" {
	[ "$(id -u)" = 0 ] || skip "live capture on lo needs root"
	command -v python3 >/dev/null || skip "needs python3"
	# two probes on lo, one for each half of the traffic
	argus -X -d -i lo -P 0 -S 60 -e 1 -w "$T/p1.argus" - udp port "$UPORT" and dst net 127.1.0.0/25 2>"$T/p1.err" 3>&- &
	local p1=$!
	argus -X -d -i lo -P 0 -S 60 -e 2 -w "$T/p2.argus" - udp port "$UPORT" and not dst net 127.1.0.0/25 2>"$T/p2.err" 3>&- &
	local p2=$!
	PIDS="$p1 $p2"
	until_true logged "$T/p1.err" listening
	until_true logged "$T/p2.err" listening
	# level 1: one relay per probe; level 2: a relay of both
	radium -S "127.0.0.1:$(port_of "$T/p1.err")" -P 0 2>"$T/r1.err" 3>&- &
	local r1=$!
	radium -S "127.0.0.1:$(port_of "$T/p2.err")" -P 0 2>"$T/r2.err" 3>&- &
	local r2=$!
	PIDS="$PIDS $r1 $r2"
	until_true logged "$T/r1.err" listening
	until_true logged "$T/r2.err" listening
	radium -S "127.0.0.1:$(port_of "$T/r1.err")" "127.0.0.1:$(port_of "$T/r2.err")" -P 0 -w "$T/top.argus" 2>"$T/top.err" 3>&- &
	local top=$!
	PIDS="$PIDS $top"
	until_true logged "$T/top.err" listening
	ra -S "127.0.0.1:$(port_of "$T/top.err")" -n -s srcid daddr >"$T/c1.out" 2>"$T/c1.err" 3>&- &
	local c1=$!
	ra -S "127.0.0.1:$(port_of "$T/top.err")" -w "$T/c2.argus" - srcid 2 2>"$T/c2.err" 3>&- &
	local c2=$!
	PIDS="$PIDS $c1 $c2"
	until_true streams "$T/p1.err" 1
	until_true streams "$T/p2.err" 1
	until_true streams "$T/r1.err" 1
	until_true streams "$T/r2.err" 1
	until_true streams "$T/top.err" 2
	udp_flows 200
	sleep 0.5
	# the probes end: their last records travel down the tree
	kill -TERM "$p1" "$p2"
	wait "$p1" "$p2"
	local want=$(ra -r "$T/p1.argus" "$T/p2.argus" -n -s srcid daddr - udp | tail -n +2 | sort)
	[ "$(echo "$want" | wc -l)" -eq 200 ]
	has_all() { [ "$(tail -n +2 "$T/c1.out" | wc -l)" -ge 200 ]; }
	until_true has_all
	kill -INT "$c1" "$c2"
	wait "$c1"
	wait "$c2"
	assert_equal "$(tail -n +2 "$T/c1.out" | sort)" "$want"
	# the second client asked the top for srcid 2 only
	assert_equal "$(ra -r "$T/c2.argus" -n -s srcid daddr - udp | tail -n +2 | sort)" "$(echo "$want" | grep -E '^ *(0\.0\.0\.)?2 ')"
	kill -TERM "$top"
	wait "$top"
	assert_equal "$(ra -r "$T/top.argus" -n -s srcid daddr - udp | tail -n +2 | sort)" "$want"
}

@test "-S errors every client says: a bad port, no server, an unknown host" {
	run -2 --separate-stderr ra -S 127.0.0.1:99999
	assert_equal "$stderr" "ra: 127.0.0.1:99999: bad port '99999'"
	# a port nothing listens on (bound, not listening)
	local port
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	run -1 --separate-stderr ra -S "127.0.0.1:$port" -M noreconnect
	assert_equal "$stderr" "ra: 127.0.0.1:$port: Connection refused"
	run -1 --separate-stderr racluster -S nosuchhost.invalid -M noreconnect
	[[ "$stderr" =~ ^racluster:\ nosuchhost\.invalid:561:\  ]]
	# reconnecting: said once, and SIGTERM ends the client with status 0
	ra -S "127.0.0.1:$port" 2>"$T/err" 3>&- &
	local pid=$!
	sleep 3.5
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	run -0 cat "$T/err"
	assert_output "ra: 127.0.0.1:$port: Connection refused; trying again in 1 s, then every 30 s at most"
}

@test "a client killed (SIGKILL) mid-read: radium and its other client go on, the other gets every record" {
	ragen -n 10800 -g 1000000 -w "$T/hours.argus"
	local size=$(stat -c %s "$T/hours.argus")
	mkfifo "$T/replay"
	radium -r "$T/replay" -P 0 2>"$T/radium.err" 3>&- &
	local rpid=$!
	PIDS="$rpid"
	until_true logged "$T/radium.err" listening
	local port=$(port_of "$T/radium.err")
	ra -S "127.0.0.1:$port" -M noreconnect -w "$T/keep.argus" 2>"$T/keep.err" 3>&- &
	local keep=$!
	ra -S "127.0.0.1:$port" -M noreconnect -n -s stime saddr >"$T/victim.out" 2>"$T/victim.err" 3>&- &
	local victim=$!
	PIDS="$PIDS $keep $victim"
	clients() { [ "$(ss -Htn state established "( dport = :$port )" | wc -l)" -ge 2 ]; }
	until_true clients
	# half the stream, the victim reading it, killed, then the rest
	exec 4>"$T/replay"
	head -c $((size / 2)) "$T/hours.argus" >&4
	got_some() { [ "$(wc -l <"$T/victim.out")" -ge 100 ]; }
	until_true got_some
	kill -KILL "$victim"
	local rc=0
	wait "$victim" || rc=$?
	assert_equal "$rc" 137
	local seen=$(($(wc -l <"$T/victim.out") - 1))
	[ "$seen" -lt 10800 ]
	tail -c +$((size / 2 + 1)) "$T/hours.argus" >&4
	exec 4>&-
	rc=0
	wait "$rpid" || rc=$?
	cat "$T/radium.err"
	assert_equal "$rc" 0
	assert_equal "$(grep -c ': disconnected (' "$T/radium.err")" 1
	rc=0
	wait "$keep" || rc=$?
	cat "$T/keep.err"
	assert_equal "$rc" 0
	run -0 ra -r "$T/keep.argus" -n -c , -s stime saddr daddr - not man
	assert_equal "$output" "$(ra -r "$T/hours.argus" -n -c , -s stime saddr daddr)"
	assert_equal "${#lines[@]}" 10801
}

@test "a quiet pipe: radium takes clients while its input has nothing to say, and stops on SIGTERM there" {
	ragen -n 500 -w "$T/few.argus"
	mkfifo "$T/replay"
	radium -r "$T/replay" -P 0 2>"$T/radium.err" 3>&- &
	local rpid=$!
	PIDS="$rpid"
	until_true logged "$T/radium.err" listening
	local port=$(port_of "$T/radium.err")
	exec 4>"$T/replay"	# the writer is there, and silent
	ra -S "127.0.0.1:$port" -M noreconnect -n -s stime saddr >"$T/client.out" 2>"$T/client.err" 3>&- 4>&- &
	local cpid=$!
	PIDS="$PIDS $cpid"
	# the hello is taken with no record read yet
	until_true streams "$T/radium.err" 1
	cat "$T/few.argus" >&4
	exec 4>&-
	local rc=0
	wait "$rpid" || rc=$?
	assert_equal "$rc" 0
	rc=0
	wait "$cpid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(($(wc -l <"$T/client.out") - 1))" 500
	# SIGTERM while the pipe is quiet: radium ends at once, status 0
	radium -r "$T/replay" -P 0 2>"$T/radium2.err" 3>&- &
	rpid=$!
	PIDS="$rpid"
	until_true logged "$T/radium2.err" listening
	exec 4>"$T/replay"
	sleep 0.3
	kill -TERM "$rpid"
	local t0=$SECONDS
	rc=0
	wait "$rpid" || rc=$?
	exec 4>&-
	# ends at once, cleanly (radium(8), SIGNALS)
	assert_equal "$rc" 0
	[ $((SECONDS - t0)) -le 3 ]
}
