#!/usr/bin/env bats
# argus3-live.bats - a live Argus 3 server (Debian's argus 3.0.8 on lo with
# -P) read with our -S: the handshake Argus's clients speak, its records
# converted, the filter applied here; compared with Debian's ra -S reading
# the same server at the same time.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	[ "$(id -u)" = 0 ] || skip "live capture on lo needs root"
	[ -x /usr/sbin/argus ] && [ -x /usr/bin/ra ] || skip "Debian's argus and ra are not installed (sh setup.sh test)"
	command -v python3 >/dev/null || skip "needs python3 for traffic"
	command -v ss >/dev/null || skip "needs ss (iproute2) to see clients connected"
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

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Debian's argus on lo, serving on PORT, its flows of UDP port UPORT only.
start_argus3() {
	PORT=$(free_port)
	/usr/sbin/argus -X -i lo -P "$PORT" -S 1 -w /dev/null - udp port "$UPORT" 2>"$T/argus.err" 3>&- &
	APID=$!
	PIDS="$PIDS $APID"
	until_true python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$PORT)).close()" 2>/dev/null
}

# At least $1 clients connected to PORT.
clients() { [ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge "$1" ]; }

# n UDP flows to port UPORT from n loopback addresses (127.1.0.1 ...), k datagrams each.
udp_flows() {
	python3 - "$UPORT" "$1" "$2" <<'PY'
import socket, sys
port, n, k = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.1.0.%d" % (i + 1), 0))
    for j in range(k):
        s.sendto(b"x" * (20 + i), ("127.0.0.1", port))
    s.close()
PY
}

# Per source address and destination (ra -c , output): packets and bytes summed, sorted
# (both readers see the same records; summing hides nothing between them).
totals() {
	awk -F , 'NR > 1 && $5 == "udp" { k = $1 " " $3 " " $4; p[k] += $6; b[k] += $7 } END { for (k in p) print k, p[k], b[k] }' "$1" | sort
}

@test "argus3-live: ra -S reads a live Argus 3 server as Debian's ra -S does, filter applied here" {
	start_argus3
	/usr/bin/ra -S "127.0.0.1:$PORT" -n -c , -s saddr sport daddr dport proto pkts bytes - udp >"$T/debian" 2>"$T/debian.err" 3>&- &
	local dpid=$!
	PIDS="$PIDS $dpid"
	ra -S "127.0.0.1:$PORT" -M noreconnect -n -c , -s saddr sport daddr dport proto pkts bytes - udp >"$T/ours" 2>"$T/ours.err" 3>&- &
	local opid=$!
	PIDS="$PIDS $opid"
	ra -S "127.0.0.1:$PORT" -M noreconnect -n -s saddr daddr pkts - "udp and src host 127.1.0.3" >"$T/one" 2>"$T/one.err" 3>&- &
	local fpid=$!
	PIDS="$PIDS $fpid"
	until_true clients 3
	udp_flows 6 4
	sleep 3
	kill -TERM "$APID"
	local rc=0
	WAIT=20 until_true eval '! kill -0 '"$opid"' 2>/dev/null && ! kill -0 '"$fpid"' 2>/dev/null'
	wait "$opid" || rc=$?
	cat "$T/ours.err"
	[ "$rc" = 0 ]
	wait "$fpid"
	kill "$dpid" 2>/dev/null || true
	wait "$dpid" || true
	# our ra said nothing: the first connection to find out who speaks is silent
	[ ! -s "$T/ours.err" ]
	totals "$T/ours" >"$T/ours.t"
	totals "$T/debian" >"$T/debian.t"
	cat "$T/ours.t"
	[ "$(wc -l <"$T/ours.t")" = 6 ]
	diff "$T/debian.t" "$T/ours.t"
	# 4 datagrams of 20+i bytes of payload, 28 bytes of headers and 14 of Ethernet on lo
	grep -q "^127.1.0.1 127.0.0.1 $UPORT 4 $((4 * (20 + 42)))\$" "$T/ours.t"
	# the filter, not sent to Argus, applied by the client
	run -0 awk 'NR > 1 { print $1, $2 }' "$T/one"
	[ -n "$output" ]
	run -0 sort -u <<<"$output"
	assert_output "127.1.0.3 127.0.0.1"
}

@test "argus3-live: racluster -S merges a live Argus 3 server's records" {
	start_argus3
	racluster -S "127.0.0.1:$PORT" -M noreconnect -n -m saddr -s saddr pkts - udp >"$T/cl" 2>"$T/cl.err" 3>&- &
	local cpid=$!
	PIDS="$PIDS $cpid"
	until_true clients 1
	udp_flows 3 5
	sleep 3
	kill -TERM "$APID"
	local rc=0
	wait "$cpid" || rc=$?
	cat "$T/cl.err"
	[ "$rc" = 0 ]
	run -0 awk 'NR > 1 { print $1, $2 }' "$T/cl"
	run -0 sort <<<"$output"
	assert_output "127.1.0.1 5
127.1.0.2 5
127.1.0.3 5"
}

@test "argus3-live: a damaged Argus 3 stream is one error naming server and byte offset" {
	PORT=$(free_port)
	# a server sending a good opening MAR (taken from an Argus 3 file) then garbage
	python3 - "$PORT" "$DATA/argus3" >"$T/srv.out" 2>&1 3>&- <<'PY' &
import glob, socket, sys
port, d = int(sys.argv[1]), sys.argv[2]
data = open(sorted(glob.glob(d + "/*.argus"))[0], "rb").read()
mar = data[:int.from_bytes(data[2:4], "big") * 4]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(5)
print("ready", flush=True)
for _ in range(2):
    c, _ = s.accept(); c.sendall(mar)
    got = b""
    c.settimeout(5)
    try:
        while len(got) < 7:
            x = c.recv(100)
            if not x: break
            got += x
    except OSError: pass
    if got.startswith(b"START:"):
        c.sendall(b"\x83\x10\x00\x02" + b"\xff" * 4 + b"\x00" * 8)
    c.close()
PY
	PIDS="$PIDS $!"
	until_true grep -q ready "$T/srv.out"
	run -1 --separate-stderr timeout 20 ra -S "127.0.0.1:$PORT" -M noreconnect -n
	echo "$stderr"
	[[ "$stderr" == *"127.0.0.1:$PORT"*"byte 128: "* ]]
	[ "$(wc -l <<<"$stderr")" = 1 ]
}
