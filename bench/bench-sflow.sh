#!/bin/sh
# bench-sflow.sh - sFlow input throughput and loss, run from a build directory:
#
#   sh /path/to/bench/bench-sflow.sh [samples] [rate] [flows]
#
# 1. flow samples per CPU-second through the decoder alone (stub engine);
# 2. flow samples per CPU-second through argus: decoder + flow table + writer
#    (`argus -r sflow:FILE`, user+sys time, best of 3);
# 3. loss over loopback UDP: `argus -i sflow:127.0.0.1:PORT` with default
#    settings while bench/sflow-send sends `rate` samples/s (default 1000000,
#    10 samples a datagram) for samples/rate seconds; loss is read back from
#    the agent status records (sequence gaps) and the kernel drop count.
# Synthetic datagrams: 10 flow samples each (raw Ethernet/IPv4/TCP headers),
# `flows` distinct flows (default 10000) sampled round-robin (no locality: the
# flow table's worst case), one agent.  Needs `make check` built programs.
set -eu
samples=${1:-2000000}
rate=${2:-1000000}
flows=${3:-10000}
B=${BUILD:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dgrams=$((samples / 10))

"$B/bench/sflow-send" -g 10 -F "$flows" -n "$dgrams" -w "$tmp/in.pcap" 2>/dev/null

echo "== decoder + agent table + feed (stub engine)"
"$B/bench/sflow-bench-decode" "$tmp/in.pcap" 5 |
	awk '{printf "%d samples in %.3f CPU s: %.2f M samples/CPU-s\n", $1, $2, $3 / 1e6}'

echo "== argus -r sflow:FILE (decoder + flow table + records), best of 3"
best=
for i in 1 2 3; do
	rm -f "$tmp/out"
	/usr/bin/time -o "$tmp/time" -f "%U %S" "$B/argus/argus" -r "sflow:$tmp/in.pcap" -w "$tmp/out"
	t=$(awk '{print $1 + $2}' "$tmp/time")
	if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then best=$t; fi
done
awk -v s="$samples" -v t="$best" 'BEGIN {printf "%d samples in %.3f CPU s: %.2f M samples/CPU-s\n", s, t, (t > 0 ? s / t / 1e6 : 0)}'

echo "== loopback: $rate samples/s for $((samples / rate)) s into argus -i sflow:127.0.0.1:PORT"
port=$((30000 + $$ % 20000))
"$B/argus/argus" -i "sflow:127.0.0.1:$port" -w "$tmp/live" &
pid=$!
sleep 0.5
"$B/bench/sflow-send" -g 10 -F "$flows" -R $((rate / 10)) -n "$dgrams" 127.0.0.1 "$port"
sleep 1
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat")
kill -TERM "$pid"
wait "$pid" || true
awk -v s="$samples" -v t="$cpu" 'BEGIN {printf "argus used %.2f CPU s: %.2f M samples/CPU-s over the socket\n", t, (t > 0 ? s / t / 1e6 : 0)}'
S="$B/tests/gen/sflow_status"
"$S" "$tmp/live" | awk -v sent="$dgrams" '
	$1 == "agent" && $2 == "10.255.0.1" { v[$3] = $5 }
	$1 == "agent" && $2 == "-" && $3 == 23 { kd = $5 }
	END {
		printf "sent %d datagrams (%d samples); received %d datagrams, %d flow samples\n",
			sent, sent * 10, v[1], v[2]
		printf "lost (sequence gaps): %d datagrams, %d samples; kernel drops: %d; loss %.4f%%\n",
			v[4], v[5], kd, (sent > 0) ? (100 * (sent - v[1]) / sent) : 0
	}'
