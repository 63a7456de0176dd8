#!/bin/sh
# bench-raban.sh - raban's figures: ingest of sFlow samples on one core with 1M
# active hosts (decoder + detector, CPU time), resident memory per host, and
# the ban latency from the first datagram of a flood at twice the threshold to
# the start of the ban script, over loopback.
#   sh bench/bench-raban.sh [hosts] [samples]
. "$(dirname "$0")/common.sh"
hosts=${1:-1000000}
samples=${2:-20000000}

echo "== ingest: $samples samples to $hosts hosts (bench/raban-bench)"
"$B/bench/raban-bench" -H "$hosts" -n "$samples"

echo "== ban latency: 200k pps flood against a 100k pps threshold, 5 runs"
d="$WORK/raban-latency"
rm -rf "$d"
mkdir -p "$d"
printf '#!/bin/sh\ndate +%%s.%%N > "%s/ban.$$"\n' "$d" > "$d/ban.sh"
chmod +x "$d/ban.sh"
port=$((30000 + $$ % 20000))
cat > "$d/raban.conf" <<CONF
options { listen 127.0.0.1 $port sflow v5; min-ban-time 1; }
prefixes { mine { 192.168.0.0/24; } }
actions { a { script "$d/ban.sh" { events [ ban ]; } } }
triggers { t { networks [ mine ]; directions [ ingress ]; thresholds { pps 100k; } actions [ a ]; } }
CONF
"$B/raban/raban" -c "$d/raban.conf" 2> "$d/log" &
pid=$!
sleep 0.5
for i in 1 2 3 4 5; do
	rm -f "$d"/ban.[0-9]*
	t0=$(date +%s.%N)
	"$B/bench/sflow-send" -g 1 -R 200 -n 600 127.0.0.1 "$port" 2> /dev/null
	f=$(ls "$d"/ban.[0-9]* 2> /dev/null | head -1)
	if [ -n "$f" ]; then
		awk -v a="$t0" -v b="$(cat "$f")" 'BEGIN { printf "run %d: %.0f ms\n", '"$i"', (b - a) * 1000 }'
	else
		echo "run $i: no ban"
	fi
	sleep 2.5	# min-ban-time 1 after the last exceedance: unbanned before the next run
done
kill "$pid"
wait "$pid" || true
