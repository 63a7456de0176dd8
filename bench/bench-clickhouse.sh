#!/bin/sh
# bench-clickhouse.sh - how fast raclickhouse fills a local clickhouse-server,
# and how fast the top-talkers query runs on what it filled.
#   sh bench/bench-clickhouse.sh [COUNT]        (default 10000000 records)
# A private server (tests/clickhouse-test-server.sh: loopback, free ports, in
# $WORK/ch) gets the table and rollups of -M create; COUNT records from
# tests/gen/ragen go in from one raclickhouse, into the table alone, then
# into the table with its rollups.  Reported: the wall-clock
# rate, and the CPU seconds of the client and of the server during the
# insert (from /proc), so a machine shared with other work can be read too:
# on two idle cores, the insert can go no faster than
# COUNT / ((client + server CPU seconds) / 2).  Then the top-talkers query
# over all COUNT rows, on the table and on the rollup, best of three.
. "$(dirname "$0")/common.sh"
N=${1:-10000000}
CHS="$top/tests/clickhouse-test-server.sh"

command -v clickhouse-server > /dev/null || { echo "clickhouse-server is not installed (apt-get install clickhouse-server)"; exit 1; }
[ -x "$B/raclickhouse/raclickhouse" ] || make -s -C "$B" raclickhouse/raclickhouse
[ -x "$B/tests/gen/ragen" ] || make -s -C "$B" tests/gen/ragen
"$B/tests/gen/ragen" -n "$N" -s 1 -w "$WORK/ch.argus"
cat "$WORK/ch.argus" > /dev/null	# into the page cache
echo "ragen records: $N ($(($(stat -c %s "$WORK/ch.argus") / N)) bytes each)"

"$CHS" stop "$WORK/ch" 2> /dev/null || true
rm -rf "$WORK/ch"
port=$("$CHS" start "$WORK/ch")
trap '"$CHS" stop "$WORK/ch"' EXIT
url="http://127.0.0.1:$port"
q() { curl -sS --fail-with-body "$url/" --data-binary "$1"; }
ticks() {	# user + system clock ticks of process $1, its threads included
	awk '{print $14 + $15}' "/proc/$1/stat"
}
hz=$(getconf CLK_TCK)
spid=$(cat "$WORK/ch/pid")

insert() {	# $1: table, $2: label; COUNT records from one raclickhouse, timed
	s0=$(ticks "$spid")
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$WORK/.time" "$B/raclickhouse/raclickhouse" -r "$WORK/ch.argus" \
		-w "$url/flows.$1" 2> "$WORK/.stderr" || { cat "$WORK/.stderr" >&2; exit 1; }
	t1=$(date +%s.%N)
	s1=$(ticks "$spid")
	cat "$WORK/.stderr"
	rows=$(q "SELECT count() FROM flows.$1")
	[ "$rows" -eq "$N" ] || { echo "the table holds $rows rows, not $N" >&2; exit 1; }
	awk -v n="$N" -v t0="$t0" -v t1="$t1" -v s="$((s1 - s0))" -v hz="$hz" -v c="$(cat "$WORK/.time")" -v l="$2" 'BEGIN {
		split(c, a, " "); client = a[1] + a[2]; server = s / hz; wall = t1 - t0
		printf "insert into %s: %d records in %.2f s wall: %.0f records/s\n", l, n, wall, n / wall
		printf "  CPU: raclickhouse %.2f s (%.2f M records/s), server %.2f s (%.2f us a row); on two idle cores at most %.0f records/s\n",
			client, n / client / 1e6, server, server * 1e6 / n, n / ((client + server) / 2)
	}'
	echo "  load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
}

wait_merges() {	# until the background merges are done, so that the next timing is the insert's own
	i=0
	while [ "$(q "SELECT count() FROM system.merges")" != 0 ] && [ $i -lt 600 ]; do sleep 1; i=$((i + 1)); done
}

# the table alone (the first two statements of -M schema: database and table)
"$B/raclickhouse/raclickhouse" -M schema -w "$url/flows.alone" | head -2 | while IFS= read -r st; do q "${st%;}"; done
insert alone "the table alone"
wait_merges
q "DROP TABLE flows.alone"
# the table, its rollups and their views (-M create)
"$B/raclickhouse/raclickhouse" -w "$url/flows.records" -M create drain 2> /dev/null
insert records "the table and its two rollups"

# the query reads settled parts
wait_merges
echo "parts after merges: $(q "SELECT count() FROM system.parts WHERE active AND table = 'records'")"

best_query() {	# the best wall time of three runs of $1, and the server's CPU seconds in that run
	best=""
	for _ in 1 2 3; do
		c0=$(ticks "$spid")
		a=$(date +%s.%N)
		q "$1" > "$WORK/.answer"
		b=$(date +%s.%N)
		c1=$(ticks "$spid")
		t=$(awk -v a="$a" -v b="$b" -v c="$((c1 - c0))" -v hz="$hz" 'BEGIN{printf "%.3f s (server CPU %.2f s)", b - a, c / hz}')
		if [ -z "$best" ] || awk -v x="${t%% *}" -v y="${best%% *}" 'BEGIN{exit !(x < y)}'; then best=$t; fi
	done
	echo "$best"
}
top="SELECT IPv4NumToString(saddr) AS host, sum(bytes) AS b FROM flows.records
	WHERE family = 1 AND bitAnd(saddr, 0xFFFF0000) = IPv4StringToNum('10.0.0.0')
	GROUP BY saddr ORDER BY b DESC LIMIT 10"
echo "top talkers of 10.0.0.0/16 over $N rows (table): $(best_query "$top")"
head -3 "$WORK/.answer"
topr="SELECT IPv4NumToString(saddr) AS host, sum(sbytes + dbytes) AS b FROM flows.records_hosts
	WHERE family = 1 AND bitAnd(saddr, 0xFFFF0000) = IPv4StringToNum('10.0.0.0')
	GROUP BY saddr ORDER BY b DESC LIMIT 10"
echo "top talkers of 10.0.0.0/16 (rollup, $(q "SELECT count() FROM flows.records_hosts") rows): $(best_query "$topr")"
ports="SELECT proto, dport, sum(bytes) AS b FROM flows.records GROUP BY proto, dport ORDER BY b DESC LIMIT 10"
echo "top ports over $N rows (table): $(best_query "$ports")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
