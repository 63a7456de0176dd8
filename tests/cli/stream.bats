#!/usr/bin/env bats
# stream.bats - live record streams for real: argus -i lo -P serves, ra,
# racluster read -S over loopback sockets; loss records, the allow-list,
# the handshake, reconnecting, SIGHUP rotation.  Every wait polls for its
# condition with a generous limit (a loaded two-core machine).
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	[ "$(id -u)" = 0 ] || skip "live capture on lo needs root"
	command -v python3 >/dev/null || skip "needs python3 for traffic and raw sockets"
	T=$BATS_TEST_TMPDIR
	UPORT=$((20000 + RANDOM % 12000))
	PIDS=""
}

teardown() {
	for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	true
}

# Wait until "$@" succeeds, up to $WAIT seconds (default 30).
until_true() {
	local end=$((SECONDS + ${WAIT:-30}))
	until "$@"; do
		[ $SECONDS -lt $end ] || { echo "gave up waiting for: $*" >&2; return 1; }
		sleep 0.1
	done
}

# argus on lo serving on a free port: sets APID and PORT.  Extra options in "$@".
start_argus() {
	local log=$T/argus.err
	: >"$log"
	argus -X -d -i lo -P "${ARGUS_PORT:-0}" "$@" 2>>"$log" 3>&- &
	APID=$!
	PIDS="$PIDS $APID"
	until_true grep -q 'listening on 127.0.0.1:' "$log"
	PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
}

stop_argus() {
	kill -TERM "$APID"
	wait "$APID" || return $?
}

# How many clients the daemon says are streaming.
streaming() { [ "$(grep -c ': streaming' "$T/argus.err")" -ge "$1" ]; }

# n UDP flows to port UPORT of n loopback addresses (127.1.0.1 ...), k datagrams each.
udp_flows() {
	python3 - "$UPORT" "$1" "${2:-1}" <<'PY'
import socket, sys
port, n, k = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
base = int.from_bytes(bytes([127, 1, 0, 0]), "big")
for j in range(k):
    for i in range(n):
        a = base + (i // 250) * 256 + i % 250 + 1
        s.sendto(b"x" * (10 + i % 7), (socket.inet_ntoa(a.to_bytes(4, "big")), port))
PY
}

# Has file $1 at least $2 UDP flow records?
has_udp() { [ "$(ra -r "$1" -n - udp | tail -n +2 | wc -l)" -ge "$2" ]; }
# Has text file $1 at least $2 lines after its label?
has_lines() { [ "$(tail -n +2 "$1" | wc -l)" -ge "$2" ]; }

flows_of() { ra -n -r "$1" -s saddr sport daddr dport proto pkts bytes - "udp and dst port $UPORT" | tail -n +2 | sort; }

@test "argus -P: ra -S gets the same records as argus -w, and ends with the server under -M noreconnect" {
	start_argus -w "$T/file.argus" -S 60 - udp port "$UPORT"
	ra -S "127.0.0.1:$PORT" -M noreconnect -w "$T/net.argus" 2>"$T/ra.err" 3>&- &
	local rpid=$!
	until_true streaming 1
	udp_flows 40 3
	sleep 0.5
	stop_argus
	local rc=0
	wait "$rpid" || rc=$?
	assert_equal "$rc" 0
	[ ! -s "$T/ra.err" ] || { cat "$T/ra.err"; false; }
	flows_of "$T/file.argus" >"$T/a"
	flows_of "$T/net.argus" >"$T/b"
	assert_equal "$(wc -l <"$T/a")" 40
	run -0 diff "$T/a" "$T/b"
}

@test "argus -i lo fed by tcpreplay: flows over -S match argus -r of the capture" {
	command -v tcpreplay >/dev/null || skip "needs tcpreplay"
	local pcap=$DATA/sample.pcap
	argus -X -r "$pcap" -w "$T/offline.argus"
	start_argus -S 60 - not host 127.0.0.1 and not host ::1
	ra -S "127.0.0.1:$PORT" -M noreconnect -w "$T/live.argus" 2>"$T/ra.err" 3>&- &
	local rpid=$!
	until_true streaming 1
	tcpreplay -q -i lo --topspeed "$pcap" >/dev/null 2>&1
	sleep 1
	stop_argus
	local rc=0
	wait "$rpid" || rc=$?
	assert_equal "$rc" 0
	local keys="-m saddr daddr proto sport dport -n -s saddr sport daddr dport proto pkts bytes"
	racluster -r "$T/offline.argus" $keys | sort >"$T/a"
	racluster -r "$T/live.argus" $keys | sort >"$T/b"
	[ "$(wc -l <"$T/a")" -gt 5 ]
	run -0 diff "$T/a" "$T/b"
}

@test "argus -P: 128 clients at once each get every record" {
	start_argus -S 60 - udp port "$UPORT"
	local i pids=""
	for i in $(seq 1 128); do
		ra -S "127.0.0.1:$PORT" -M noreconnect -n -s daddr - udp >"$T/c$i.out" 2>"$T/c$i.err" 3>&- &
		pids="$pids $!"
	done
	WAIT=120 until_true streaming 128
	udp_flows 25
	sleep 0.5
	stop_argus
	for p in $pids; do wait "$p"; done
	local n=0
	for i in $(seq 1 128); do
		assert_equal "$(tail -n +2 "$T/c$i.out" | wc -l)" 25
		n=$((n + 1))
	done
	assert_equal "$n" 128
}

@test "a stopped client gets a loss record when it resumes; the others lose nothing" {
	start_argus -S 1 -M 3600 -o ARGUS_CLIENT_BUFFER=2m -w "$T/file.argus" - udp port "$UPORT"
	ra -S "127.0.0.1:$PORT" -M noreconnect -n -s sport - udp >"$T/slow.out" 2>"$T/slow.err" 3>&- &
	local slow=$!
	PIDS="$PIDS $slow"
	ra -S "127.0.0.1:$PORT" -M noreconnect -w "$T/fast.argus" 2>"$T/fast.err" 3>&- &
	local fast=$!
	until_true streaming 2
	kill -STOP "$slow"
	udp_flows 150000
	WAIT=60 until_true has_udp "$T/fast.argus" 50000
	sleep 2
	kill -CONT "$slow"
	sleep 1
	stop_argus
	wait "$fast"
	wait "$slow"
	local total=$(ra -r "$T/file.argus" -N 1000000 -n -s sport - udp | tail -n +2 | wc -l)
	local fastn=$(ra -r "$T/fast.argus" -n -s sport - udp | tail -n +2 | wc -l)
	local slown=$(tail -n +2 "$T/slow.out" | wc -l)
	[ "$total" -gt 50000 ]
	assert_equal "$fastn" "$total"
	[ "$slown" -lt "$total" ]
	grep -E "^ra: 127\.0\.0\.1:$PORT: [0-9]+ records lost \(server buffer full\)$" "$T/slow.err"
	local lost=$(sed -n 's/^ra: \([0-9]*\) records lost in all (server buffer full)$/\1/p' "$T/slow.err")
	assert_equal $((slown + lost)) "$total"
	assert_equal "$(grep -c 'records lost' "$T/fast.err")" 0
	# the daemon counts the stopped client's drops in its status record
	grep -q "client #[12] .*, $lost lost)" "$T/argus.err"
	# and in its status record: key 400, per client; key 20, every client
	run -0 sflow_status "$T/file.argus"
	grep -qx "$lost" <<< "$(awk '$1 == "daemon" && $3 == 400 { v[$4] = $5 } END { for (a in v) print v[a] }' <<< "$output")"
	grep -qx "$lost" <<< "$(awk '$1 == "daemon" && $3 == 20 { v = $5 } END { print v }' <<< "$output")"
}

@test "a client outside ARGUS_ACCESS_ALLOW is refused with the reason, logged once" {
	start_argus -o ARGUS_ACCESS_ALLOW=10.0.0.0/8,2001:db8::/32 - udp port "$UPORT"
	run -1 --separate-stderr ra -S "127.0.0.1:$PORT" -M noreconnect
	assert_output ""
	[[ "$stderr" =~ ^ra:\ 127\.0\.0\.1:$PORT:\ refused:\ 127\.0\.0\.1:[0-9]+\ is\ not\ allowed\ to\ connect\ \(ARGUS_ACCESS_ALLOW\)$ ]]
	run -1 ra -S "127.0.0.1:$PORT" -M noreconnect
	stop_argus
	assert_equal "$(grep -c 'refused, not in the allow-list' "$T/argus.err")" 1
}

@test "the handshake: a bad pushed filter is answered with the caret error; garbage is closed" {
	start_argus - udp port "$UPORT"
	run -0 python3 - "$PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
def ask(line):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(line)
    out = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        out += b
    return out.decode()
print(ask(b"RA/1 tcp and and port 80\n"), end="")
print(ask(b"GET / HTTP/1.0\n"), end="")
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"RA/1 udp\n")
print(s.recv(8)[4:8] == b"\x89ARG")
PY
	assert_line --index 0 --regexp "^ERR filter: column 9: .*found 'and'$"
	assert_line --index 1 "  tcp and and port 80"
	assert_line --index 2 --regexp '^ +\^$'
	assert_line --index 3 'ERR bad handshake: expected "RA/1 [filter]"'
	assert_line --index 4 "True"
	stop_argus
	grep -q "filter refused" "$T/argus.err"
	grep -q "bad handshake, closed" "$T/argus.err"
}

@test "a filter the server refuses: the client prints the server's error and exits 2" {
	# A server of another version may refuse what our client compiles: the
	# answer below is what argus sends (see the test above).
	python3 - "$T/port" <<'PY' 3>&- &
import socket, sys
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
open(sys.argv[1], "w").write(str(srv.getsockname()[1]))
c, _ = srv.accept()
hello = c.recv(4096)
c.sendall(b"ERR filter: no such field 'foo'\n  " + hello[5:-1] + b"\n  ^\n")
c.close()
PY
	PIDS="$PIDS $!"
	until_true test -s "$T/port"
	run -2 --separate-stderr ra -S "127.0.0.1:$(cat "$T/port")" - tcp
	assert_equal "${stderr_lines[0]}" "ra: 127.0.0.1:$(cat "$T/port"): filter: no such field 'foo'"
	assert_equal "${stderr_lines[1]}" "  tcp"
}

@test "a client reconnects after the server restarts, says so once per change, ends cleanly on SIGINT" {
	start_argus -S 60 - udp port "$UPORT"
	ra -S "127.0.0.1:$PORT" -n -s sport - udp >"$T/out" 2>"$T/err" 3>&- &
	local rpid=$!
	PIDS="$PIDS $rpid"
	until_true streaming 1
	udp_flows 5
	sleep 0.3
	stop_argus
	until_true grep -q "the server closed the stream; trying again in 1 s" "$T/err"
	sleep 3	# a few failed tries: said once
	ARGUS_PORT=$PORT start_argus -S 60 - udp port "$UPORT"
	until_true grep -q "127.0.0.1:$PORT: connected" "$T/err"
	until_true streaming 1
	udp_flows 7
	sleep 0.3
	stop_argus
	until_true has_lines "$T/out" 12
	kill -INT "$rpid"
	local rc=0
	wait "$rpid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(tail -n +2 "$T/out" | wc -l)" 12
	assert_equal "$(grep -c 'Connection refused' "$T/err")" 1
}

@test "ra -S [::1]:port reads over IPv6; RA_ARGUS_SERVER in rarc is the default input" {
	start_argus -S 60 - udp port "$UPORT"
	grep -q 'listening on \[::1\]' "$T/argus.err" || skip "no IPv6 loopback"
	ra -S "[::1]:$PORT" -M noreconnect -n -s sport >"$T/v6.out" 2>&1 3>&- &
	local p1=$!
	printf 'RA_ARGUS_SERVER=localhost:%s\n' "$PORT" >"$T/rarc"
	ra -F "$T/rarc" -M noreconnect -n -s sport </dev/null >"$T/rc.out" 2>&1 3>&- &
	local p2=$!
	until_true streaming 2
	udp_flows 3
	sleep 0.3
	stop_argus
	wait "$p1"
	wait "$p2"
	assert_equal "$(tail -n +2 "$T/v6.out" | wc -l)" 3
	assert_equal "$(tail -n +2 "$T/rc.out" | wc -l)" 3
}

@test "racluster -S: SIGTERM ends it and it prints what it holds" {
	start_argus -S 60 - udp port "$UPORT"
	racluster -S "127.0.0.1:$PORT" -m dport -n -s dport trans >"$T/out" 2>"$T/err" 3>&- &
	local rpid=$!
	PIDS="$PIDS $rpid"
	until_true streaming 1
	udp_flows 9
	sleep 0.5
	kill -TERM "$APID"
	wait "$APID"
	sleep 0.5
	kill -TERM "$rpid"
	local rc=0
	wait "$rpid" || rc=$?
	assert_equal "$rc" 0
	run -0 tail -n +2 "$T/out"
	assert_output --regexp "^ *$UPORT +9$"
}

@test "rasort -S -w: SIGINT ends it with its records sorted and its file complete" {
	start_argus -S 60 - udp port "$UPORT"
	rasort -S "127.0.0.1:$PORT" -m daddr -w "$T/sorted.argus" 2>"$T/err" 3>&- &
	local rpid=$!
	PIDS="$PIDS $rpid"
	until_true streaming 1
	udp_flows 20
	sleep 0.5
	stop_argus
	sleep 0.5
	kill -INT "$rpid"
	local rc=0
	wait "$rpid" || rc=$?
	assert_equal "$rc" 0
	run -0 ra -r "$T/sorted.argus" -n -s daddr - udp
	assert_equal "$(echo "$output" | tail -n +2 | wc -l)" 20
	assert_equal "$(echo "$output" | tail -n +2)" "$(echo "$output" | tail -n +2 | sort -t . -k 1,1n -k 2,2n -k 3,3n -k 4,4n)"
}

@test "an idle live link still reports its flows by the wall clock" {
	start_argus -S 60 -o ARGUS_UDP_TIMEOUT=2 - udp port "$UPORT"
	ra -S "127.0.0.1:$PORT" -n -s sport cause >"$T/out" 2>"$T/err" 3>&- &
	local rpid=$!
	PIDS="$PIDS $rpid"
	until_true streaming 1
	udp_flows 1
	# no more packets: the flow times out after 2 s of wall clock
	WAIT=20 until_true grep -q Stop "$T/out"
	stop_argus
}

@test "argus -w: SIGHUP reopens the file, no record lost or doubled" {
	start_argus -S 1 -w "$T/rot.argus" - udp port "$UPORT"
	ra -S "127.0.0.1:$PORT" -M noreconnect -w "$T/all.argus" 2>"$T/err" 3>&- &
	local rpid=$!
	until_true streaming 1
	udp_flows 300
	WAIT=60 until_true has_udp "$T/rot.argus" 1
	mv "$T/rot.argus" "$T/rot.1"
	kill -HUP "$APID"
	until_true grep -q 'reopened' "$T/argus.err"
	udp_flows 300
	sleep 1.5
	stop_argus
	wait "$rpid"
	ra -n -r "$T/rot.1" "$T/rot.argus" -s stime daddr cause - "udp and dst port $UPORT" | tail -n +2 | sort >"$T/a"
	ra -n -r "$T/all.argus" -s stime daddr cause - "udp and dst port $UPORT" | tail -n +2 | sort >"$T/b"
	[ "$(ra -r "$T/rot.1" -n - udp | tail -n +2 | wc -l)" -gt 0 ]
	[ "$(ra -r "$T/rot.argus" -n - udp | tail -n +2 | wc -l)" -gt 0 ]
	assert_equal "$(wc -l <"$T/a")" "$(sort -u "$T/a" | wc -l)"
	run -0 diff "$T/a" "$T/b"
}

@test "thousands of connects, garbage, half handshakes and clients killed mid-read disturb no one" {
	start_argus -S 60 - udp port "$UPORT"
	ra -S "127.0.0.1:$PORT" -M noreconnect -n -s daddr - udp >"$T/out" 2>"$T/err" 3>&- &
	local rpid=$!
	until_true streaming 1
	run -0 timeout 120 python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
t0 = time.time()
for i in range(2000):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    k = i % 4
    if k == 1:
        s.sendall(b"\x00\x01garbage\n")
    elif k == 2:
        s.sendall(b"RA/1 ud")          # half a handshake, then gone
    elif k == 3:
        s.sendall(b"RA/1\n")            # a client that leaves mid-read
        s.recv(10)
    s.close()
print("%.0f connects a second" % (2000 / (time.time() - t0)))
PY
	udp_flows 30
	sleep 0.5
	stop_argus
	wait "$rpid"
	assert_equal "$(tail -n +2 "$T/out" | wc -l)" 30
	[ ! -s "$T/err" ]
	assert_equal "$(grep -c 'bad handshake, closed' "$T/argus.err")" 500
}

@test "a stream cut inside a record, with a stream header in its middle: good records delivered, the cut said" {
	argus -X -r "$DATA/sample.pcap" -w "$T/s.argus"
	local n=$(ra -r "$T/s.argus" -n | tail -n +2 | wc -l)
	python3 - "$T/s.argus" "$T/port" <<'PY' 3>&- &
import socket, sys
data = open(sys.argv[1], "rb").read()
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
open(sys.argv[2], "w").write(str(srv.getsockname()[1]))
c, _ = srv.accept()
c.recv(4096)
# the stream twice (its header again in the middle), then a record cut short
c.sendall(data + data + data[48:48 + 30])
c.close()
PY
	PIDS="$PIDS $!"
	until_true test -s "$T/port"
	run -1 --separate-stderr ra -S "127.0.0.1:$(cat "$T/port")" -M noreconnect -n
	assert_equal "$(echo "$output" | tail -n +2 | wc -l)" $((2 * n))
	assert_equal "$stderr" "ra: 127.0.0.1:$(cat "$T/port"): the stream ended inside a record (30 bytes of it)"
}
