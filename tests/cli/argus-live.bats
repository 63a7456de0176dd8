#!/usr/bin/env bats
# argus-live.bats - live capture for real: argus -i lo while a local server
# and client talk over loopback; SIGTERM must flush the flows still open.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	[ "$(id -u)" = 0 ] || skip "live capture needs root"
	command -v python3 >/dev/null || skip "needs python3 for the local server and client"
	PORT=$((20000 + RANDOM % 12000))
}

# Start argus on lo, wait until it captures, run "$@", stop it with SIGTERM.
capture_while() {
	local out=$1
	shift
	timeout 30 argus -X -d -i lo -w "$out" -S 60 "tcp port $PORT or udp port $((PORT + 1))" \
		2>"$BATS_TEST_TMPDIR/argus.err" 3>&- &
	ARGUS_PID=$!
	sleep 1
	"$@"
	kill -TERM "$ARGUS_PID"
	local rc=0
	wait "$ARGUS_PID" || rc=$?
	return $rc
}

traffic() {
	timeout 20 python3 - "$PORT" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(4)
held = []
def serve():
    for _ in range(2):
        c, _ = srv.accept()
        held.append(c)
        data = c.recv(1000)
        c.sendall(data.upper())
threading.Thread(target=serve, daemon=True).start()
# A connection that closes: 5 bytes each way.
a = socket.create_connection(("127.0.0.1", port)); a.sendall(b"hello"); a.recv(100); a.close()
# A connection left open across SIGTERM: 3 bytes each way.
b = socket.create_connection(("127.0.0.1", port)); b.sendall(b"abc"); b.recv(100)
# One UDP datagram, no answer.
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b"x" * 10, ("127.0.0.1", port + 1))
time.sleep(0.5)
held[0].close()
time.sleep(0.5)
# b stays open: the daemon is stopped while this process still holds it.
open("/dev/null").close()
PY
}

@test "argus -i lo: flows of real traffic, SIGTERM flushes the active ones" {
	local out="$BATS_TEST_TMPDIR/live.argus"
	capture_while "$out" traffic
	run -0 --separate-stderr ra -n -r "$out" -s proto saddr daddr dport sappbytes dappbytes cause - "tcp or udp"
	# Two TCP connections to the server and one UDP datagram, nothing else.
	assert_equal "$(echo "$output" | grep -c " tcp ")" 2
	assert_equal "$(echo "$output" | grep -c " udp ")" 1
	# Application bytes per direction, as the script sent them.
	echo "$output" | grep -E " tcp +127\.0\.0\.1 +127\.0\.0\.1 +$PORT +5 +5 "
	echo "$output" | grep -E " tcp +127\.0\.0\.1 +127\.0\.0\.1 +$PORT +3 +3 "
	echo "$output" | grep -E " udp +127\.0\.0\.1 +127\.0\.0\.1 +$((PORT + 1)) +10 +0 "
	# With a 60 s status interval nothing was written before SIGTERM:
	# every record is there because the signal flushed it.
	assert_equal "$(echo "$output" | grep -c Shutdown)" 3
}

@test "argus -i lo: SIGTERM exits at once and leaves its output written" {
	local out="$BATS_TEST_TMPDIR/idle.argus"
	timeout 30 argus -X -d -i lo -w "$out" "tcp port $PORT" 2>/dev/null 3>&- &
	local pid=$!
	sleep 1
	local t0=$(date +%s%N)
	kill -TERM "$pid"
	wait "$pid"
	local ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -lt 900 ]
	[ -s "$out" ]
}

@test "argus -i: an interface that does not exist is an error, not a hang" {
	run -1 --separate-stderr timeout 10 argus -X -i no-such-if0 -w "$BATS_TEST_TMPDIR/x.argus" 3>&-
	assert [ -n "$stderr" ]
	[[ "$stderr" == *no-such-if0* ]]
}

@test "argus -i lo: SIGHUP reopens the output file (rotation)" {
	local out="$BATS_TEST_TMPDIR/rot.argus"
	timeout 30 argus -X -d -i lo -w "$out" -S 60 "udp port $PORT" 2>/dev/null 3>&- &
	local pid=$!
	sleep 1
	mv "$out" "$out.1"
	kill -HUP "$pid"
	sleep 0.5
	[ -f "$out" ]
	timeout 5 python3 -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'after', ('127.0.0.1', $PORT))"
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid"
	# The datagram sent after the rotation is in the new file, complete.
	run -0 ra -n -r "$out" -c , -s proto dport sappbytes - udp
	assert_line "udp,$PORT,5"
	# The old file is a valid stream too.
	run -0 ra -n -r "$out.1"
}

@test "argus -i lo -u nobody: pid file written, capture opened as root, then runs as nobody" {
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	local out="$BATS_TEST_TMPDIR/priv.argus" pidf="$BATS_TEST_TMPDIR/argus.pid"
	chmod 777 "$BATS_TEST_TMPDIR"
	timeout 30 argus -X -d -i lo -u nobody -o "ARGUS_PID_FILE=$pidf" -w "$out" "udp port $PORT" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local pid=$!
	sleep 1
	local child
	child=$(pgrep -P "$pid")	# $pid is timeout(1); argus is its child
	assert_equal "$(cat "$pidf")" "$child"
	assert_equal "$(ps -o user= -p "$child")" "nobody"
	timeout 5 python3 -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'hi', ('127.0.0.1', $PORT))"
	sleep 0.3
	kill -TERM "$pid"
	wait "$pid"
	run -0 ra -n -r "$out" -c , -s proto dport - udp
	assert_line "udp,$PORT"
}
