#!/bin/sh
# bench-stream.sh - live record streams over loopback: records a second
# delivered to 1, 16 and 128 clients at once, the server's CPU per client,
# the memory a stopped client costs, and how long a record takes from the
# daemon to its clients.
#   sh bench/bench-stream.sh [COUNT]        (default 2000000 records)
# The source is radium replaying a ragen file through a FIFO, serving the
# clients already connected (radium and argus share the server,
# common/serve.c); clients are "ra -S ... -w /dev/null" (every record read,
# framed and written on); radium's CPU and memory are /usr/bin/time's.  Latency is measured on a live argus -P: its
# status records carry the time they were written, compared on arrival.
. "$(dirname "$0")/common.sh"
N=${1:-2000000}

[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/stream.argus"
cat "$WORK/stream.argus" >/dev/null
echo "records: $N, $(($(stat -c %s "$WORK/stream.argus") / N)) bytes each on average"

clock() { date +%s.%N; }

# run_clients N [buffer]: one replay to N clients; prints a line of figures.
run_clients() {
	n=$1
	rm -f "$WORK/fifo" "$WORK/radium.err" && mkfifo "$WORK/fifo"
	/usr/bin/time -f '%U %S %M' -o "$WORK/radium.time" \
		"$B/radium/radium" -r "$WORK/fifo" -P 0 -o RADIUM_CLIENT_BUFFER="${2:-64m}" 2>"$WORK/radium.err" &
	rpid=$!
	until grep -q 'listening on 127.0.0.1:' "$WORK/radium.err"; do sleep 0.05; done
	port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/radium.err" | grep -o '[0-9]*$')
	pids=""
	for i in $(seq "$n"); do
		"$B/ra/ra" -S "127.0.0.1:$port" -M noreconnect -w /dev/null 2>>"$WORK/clients.err" &
		pids="$pids $!"
	done
	until [ "$(ss -Htn state established "( dport = :$port )" | wc -l)" -ge "$n" ]; do sleep 0.05; done
	t0=$(clock)
	cat "$WORK/stream.argus" >"$WORK/fifo"
	for p in $pids; do wait "$p"; done
	t1=$(clock)
	wait "$rpid" || true
	cpu=$(awk '{print $1 + $2}' "$WORK/radium.time")
	lost=$(grep -c 'records lost in all' "$WORK/clients.err" || true)
	awk -v n="$N" -v c="$n" -v a="$t0" -v b="$t1" -v cpu="$cpu" -v lost="$lost" 'BEGIN{
		s = b - a; printf "%4d clients: %6.2f s, %6.2f M records/s to each, %7.2f M/s in all; radium CPU %.2f s (%.3f s per client); clients that lost records: %d\n",
		c, s, n / s / 1e6, n * c / s / 1e6, cpu, cpu / c, lost }'
	: >"$WORK/clients.err"
}

: >"$WORK/clients.err"
run_clients 1 256m
run_clients 16 64m
run_clients 128 8m

# Memory of a stopped client: radium's peak RSS with one client SIGSTOPped
# through the whole replay, against no client at all.
peak() {
	rm -f "$WORK/fifo" "$WORK/radium.err" && mkfifo "$WORK/fifo"
	/usr/bin/time -f '%M' -o "$WORK/radium.time" "$B/radium/radium" -r "$WORK/fifo" -P 0 2>"$WORK/radium.err" &
	rpid=$!
	until grep -q 'listening on 127.0.0.1:' "$WORK/radium.err"; do sleep 0.05; done
	port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/radium.err" | grep -o '[0-9]*$')
	cpid=""
	if [ "$1" = stopped ]; then
		"$B/ra/ra" -S "127.0.0.1:$port" -M noreconnect -w /dev/null 2>/dev/null &
		cpid=$!
		until [ "$(ss -Htn state established "( dport = :$port )" | wc -l)" -ge 1 ]; do sleep 0.05; done
		kill -STOP "$cpid"
	fi
	cat "$WORK/stream.argus" >"$WORK/fifo" &
	wpid=$!
	sleep 1
	while kill -0 "$wpid" 2>/dev/null; do sleep 0.2; done
	[ -n "$cpid" ] && kill -CONT "$cpid"
	wait "$rpid" || true
	[ -n "$cpid" ] && wait "$cpid" || true
	cat "$WORK/radium.time"
}
base=$(peak none)
stuck=$(peak stopped)
echo "radium peak RSS: $((base / 1024)) MiB with no client, $((stuck / 1024)) MiB with one stopped client (buffer 8m): $(((stuck - base) / 1024)) MiB for it"

# The daemon's capture rate with 0 and 128 clients: argus reads a generated
# capture through a FIFO (so clients connect first) and serves every record.
[ -x "$B/bench/gen-pcap" ] || make -s -C "$B" bench/gen-pcap
[ -f "$WORK/big.pcap" ] || "$B/bench/gen-pcap" -o "$WORK/big.pcap"
capture() {
	rm -f "$WORK/fifo" "$WORK/argus.err" && mkfifo "$WORK/fifo"
	/usr/bin/time -f '%U %S' -o "$WORK/argus.time" "$B/argus/argus" -X -r "$WORK/fifo" -P 0 -w /dev/null \
		-o ARGUS_CLIENT_BUFFER=8m 2>"$WORK/argus.err" &
	apid=$!
	until grep -q 'listening on 127.0.0.1:' "$WORK/argus.err" 2>/dev/null; do sleep 0.05; done
	port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/argus.err" | grep -o '[0-9]*$')
	pids=""
	for i in $(seq "$1"); do
		"$B/ra/ra" -S "127.0.0.1:$port" -M noreconnect -w /dev/null 2>>"$WORK/capture.err" &
		pids="$pids $!"
	done
	until [ "$(ss -Htn state established "( dport = :$port )" | wc -l)" -ge "$1" ]; do sleep 0.05; done
	t0=$(clock)
	cat "$WORK/big.pcap" >"$WORK/fifo"
	wait "$apid" || true
	t1=$(clock)
	for p in $pids; do wait "$p" || true; done
	lost=$(sed -n 's/^ra: \([0-9]*\) records lost in all.*/\1/p' "$WORK/capture.err" | awk '{ s += $1; n++ } END { printf "%d clients lost %d records in all", n, s }')
	: >"$WORK/capture.err"
	awk -v c="$1" -v a="$t0" -v b="$t1" -v l="$lost" '{ printf "argus -r big.pcap -P with %3d clients: %.2f s, %.2f s CPU (%s: the file is read faster than they take it)\n", c, b - a, $1 + $2, l }' "$WORK/argus.time"
}
: >"$WORK/capture.err"
capture 0
capture 128

# Latency on a live daemon: argus -i lo -P with a status record a second;
# each client's record header is read as it arrives.
if [ "$(id -u)" = 0 ]; then
	for c in 1 16 128; do
		rm -f "$WORK/argus.err"
		"$B/argus/argus" -X -d -i lo -P 0 -M 1 - udp port 9 2>"$WORK/argus.err" &
		apid=$!
		until grep -q 'listening on 127.0.0.1:' "$WORK/argus.err"; do sleep 0.05; done
		port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/argus.err" | grep -o '[0-9]*$')
		pids=""
		for i in $(seq $((c - 1))); do
			"$B/ra/ra" -S "127.0.0.1:$port" -w /dev/null 2>/dev/null &
			pids="$pids $!"
		done
		"$B/ra/ra" -S "127.0.0.1:$port" -M noreconnect -w - 2>/dev/null | python3 -c '
import sys, struct, time
f = sys.stdin.buffer
worst = 0; n = 0; total = 0
while n < 8:
    h = f.read(4)
    if len(h) < 4: break
    t, l = struct.unpack("<HH", h)
    body = f.read(l - 4)
    if t == 3 and body[0] == 1:
        lat = time.time() * 1e6 - struct.unpack("<Q", body[4:12])[0]
        worst = max(worst, lat); total += lat; n += 1
print("%4d clients: status records reach a client %.2f ms after they are written on average, %.2f ms at worst (%d)" % (int(sys.argv[1]), total / max(n, 1) / 1000, worst / 1000, n))
' "$c" &
		lpid=$!
		sleep 10
		kill "$apid"; wait "$apid" || true
		wait "$lpid" || true
		for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	done
fi
echo "Debian's argus -P with ra -S: not measured; its server reads a capture before clients can connect (-r), and on a live interface the capture rate, not the stream, is the limit."
