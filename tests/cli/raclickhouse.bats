#!/usr/bin/env bats
# raclickhouse.bats - records into a real clickhouse-server (Debian's 18.16), started once
# for this file on free loopback ports: the schema, every record once, the reports equal
# racluster's, the rollups equal the table, errors, logins, the spool, a server killed
# mid-insert.
load test_helper

CHS="$top_srcdir/tests/clickhouse-test-server.sh"

setup_file() {
	if ! command -v clickhouse-server > /dev/null 2>&1; then
		skip "clickhouse-server is not installed (sh setup.sh test installs Debian's clickhouse-server)"
	fi
	export CHDIR="$BATS_FILE_TMPDIR/ch"
	PORT=$("$CHS" start "$CHDIR" 3>&-)
	export PORT BASE="http://127.0.0.1:$PORT"
	# the shared captures through the daemon, then a generated bulk file
	local f
	for f in "$DATA"/*.pcap; do
		argus -r "$f" -w - 2> /dev/null || true
	done > "$BATS_FILE_TMPDIR/caps.argus"
	ragen -n 200000 -s 7 -w "$BATS_FILE_TMPDIR/bulk.argus"
	cat "$BATS_FILE_TMPDIR/caps.argus" "$BATS_FILE_TMPDIR/bulk.argus" > "$BATS_FILE_TMPDIR/all.argus"
	ragen -n 6000 -s 5 -w "$BATS_FILE_TMPDIR/day.argus"	# one day's: quick inserts for the spool tests
	raclickhouse -r "$BATS_FILE_TMPDIR/all.argus" -w "$BASE/flows.records" -M create \
		2> "$BATS_FILE_TMPDIR/insert.err" 3>&-
}

teardown() {	# a test's own server goes with the test, failed or not
	[ -n "${OWN:-}" ] && "$CHS" stop "$OWN" 3>&- || true
}

teardown_file() {
	[ -n "${CHDIR:-}" ] && "$CHS" stop "$CHDIR" 3>&- || true
}

q() {	# a statement; its answer on stdout, and an error is a failure
	curl -sS --fail-with-body "$BASE/" --data-binary "$1"
}

ALL() { echo "$BATS_FILE_TMPDIR/all.argus"; }

stderr_line() {	# $1: index, $2: the regular expression line $1 of $stderr matches
	[[ "${stderr_lines[$1]:-}" =~ $2 ]] || { printf 'stderr line %s: %s\nwanted: %s\n' "$1" "${stderr_lines[$1]:-}" "$2"; false; }
}
stderr_has() {	# $1: a regular expression some line of $stderr matches
	local l
	for l in "${stderr_lines[@]}"; do [[ "$l" =~ $1 ]] && return 0; done
	printf 'stderr:\n%s\nwanted a line: %s\n' "$stderr" "$1"
	false
}

# An address as racluster prints it, from the family and the two address columns.
ADDR="multiIf(family = 2, IPv6NumToString(saddr6), family = 4, arrayStringConcat(arrayMap(i -> lower(hex(substring(saddr6, i, 1))), [1, 2, 3, 4, 5, 6]), ':'), IPv4NumToString(saddr))"

@test "-M schema: the statements, every stored field a column named as in the field table" {
	run -0 --separate-stderr raclickhouse -M schema -w "$BASE/flows.records"
	assert_line --index 0 'CREATE DATABASE IF NOT EXISTS flows;'
	assert_line --partial 'CREATE TABLE IF NOT EXISTS flows.records (srcid UInt32, srcid6 FixedString(16), stime UInt64, ltime UInt64, trans UInt64'
	assert_line --partial 'ENGINE = MergeTree PARTITION BY date ORDER BY (intDiv(stime, 60000000), family, saddr, saddr6, daddr, daddr6, stime)'
	assert_line --partial 'CREATE MATERIALIZED VIEW IF NOT EXISTS flows.records_hosts_mv TO flows.records_hosts'
	assert_line --partial 'CREATE MATERIALIZED VIEW IF NOT EXISTS flows.records_ports_mv TO flows.records_ports'
	for col in stime ltime saddr daddr sport dport proto spkts dpkts sbytes dbytes state dir flgs \
		sttl dttl smac dmac srcid inif outif batch batchrow; do
		[[ "$output" =~ [\ \(]$col\  ]] || { echo "no column $col"; false; }
	done
}

@test "-M create made the database, the table and both rollups with their views" {
	run -0 q "SELECT name FROM system.tables WHERE database = 'flows' ORDER BY name"
	assert_output "$(printf '%s\n' records records_hosts records_hosts_mv records_ports records_ports_mv)"
	# the server's table has the columns raclickhouse inserts, in its types
	run -0 q "SELECT type FROM system.columns WHERE database = 'flows' AND table = 'records' AND name IN ('saddr', 'saddr6', 'stime', 'sbytes', 'dport') ORDER BY name"
	assert_output "$(printf '%s\n' UInt16 UInt32 FixedString\(16\) UInt64 UInt64)"
}

@test "every record is one row: the captures and the generated file" {
	n=$(ra -r "$(ALL)" -n -L -1 -s stime | wc -l)
	[ "$n" -gt 200000 ]
	run -0 q "SELECT count() FROM flows.records"
	assert_output "$n"
	run -0 cat "$BATS_FILE_TMPDIR/insert.err"
	assert_output "raclickhouse: $n records read, $n sent, 0 retried, 0 spooled, 0 dropped"
	# and no row twice
	run -0 q "SELECT uniqExact(batch, batchrow) FROM flows.records"
	assert_output "$n"
}

@test "the rows hold the records' values: times, addresses, ports, counters, state" {
	want=$(ra -r "$DATA/sample-v1.argus" -n -L -1 -c ' ' -u -s stime ltime saddr sport daddr dport spkts dpkts sbytes dbytes state - ip | sed 's/\.//; s/\.//' | hex2dec | sort)
	[ -n "$want" ]
	run -0 raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.sample" -M create - ip
	run -0 q "SELECT stime, ltime, if(family = 2, IPv6NumToString(saddr6), IPv4NumToString(saddr)), sport,
		if(family = 2, IPv6NumToString(daddr6), IPv4NumToString(daddr)), dport,
		spkts, dpkts, sbytes, dbytes, state FROM flows.sample FORMAT CSV"
	got=$(printf '%s\n' "$output" | tr -d '"' | tr , ' ' | sort)
	assert_equal "$got" "$want"
}

hex2dec() {	# the hex ports racluster prints (0x..) as decimal
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^0x[0-9a-f]+$/) { v = 0; s = substr($i, 3)
		for (k = 1; k <= length(s); k++) v = v * 16 + index("0123456789abcdef", substr(s, k, 1)) - 1
		$i = v } print }'
}

@test "top talkers in SQL equal racluster -m saddr, value for value, ARP kept apart" {
	want=$(racluster -r "$(ALL)" -m saddr -n -L -1 -c ' ' -s family saddr trans spkts dpkts sbytes dbytes | sort)
	[ "$(printf '%s\n' "$want" | wc -l)" -gt 1000 ]
	[[ "$want" == *$'\n'"3 "* ]]		# ARP groups are there, apart
	run -0 q "SELECT family, $ADDR AS a, sum(trans), sum(spkts), sum(dpkts), sum(sbytes), sum(dbytes)
		FROM flows.records GROUP BY family, saddr, saddr6 FORMAT TSV"
	assert_equal "$(printf '%s\n' "$output" | tr '\t' ' ' | sort)" "$want"
}

@test "top ports in SQL equal racluster -m proto dport, value for value" {
	want=$(racluster -r "$(ALL)" -m proto dport -nn -L -1 -c ' ' -s proto dport trans spkts dpkts sbytes dbytes - ip or ipv6 | sed 's/^\([0-9]*\)  /\1 0 /' | hex2dec | sort)
	[ "$(printf '%s\n' "$want" | wc -l)" -gt 50 ]
	run -0 q "SELECT proto, dport, sum(trans), sum(spkts), sum(dpkts), sum(sbytes), sum(dbytes)
		FROM flows.records WHERE family IN (1, 2) GROUP BY proto, dport FORMAT TSV"
	assert_equal "$(printf '%s\n' "$output" | tr '\t' ' ' | sort)" "$want"
	# what is not IP: the same records and totals
	want=$(ra -r "$(ALL)" -n -L -1 -c ' ' -s pkts bytes - not ip and not ipv6 | awk '{ n++; p += $1; b += $2 } END { print n, p, b }')
	run -0 q "SELECT count(), sum(pkts), sum(bytes) FROM flows.records WHERE family NOT IN (1, 2) FORMAT TSV"
	assert_equal "$(printf '%s\n' "$output" | tr '\t' ' ')" "$want"
}

@test "the reports of raclickhouse(1): top talkers of a subnet, top ports, a host's peers" {
	# top talkers of 10.0.0.0/16 by bytes, on the table and on the rollup
	want=$(racluster -r "$(ALL)" -m saddr -n -L -1 -c ' ' -s saddr bytes - src net 10.0.0.0/16 | sort -k2,2nr -k1,1 | sed -n 1,10p)
	run -0 q "SELECT IPv4NumToString(saddr) AS host, sum(bytes) AS b FROM flows.records
		WHERE family = 1 AND bitAnd(saddr, 0xFFFF0000) = IPv4StringToNum('10.0.0.0')
		GROUP BY saddr ORDER BY b DESC, host LIMIT 10 FORMAT TSV"
	assert_equal "$(printf '%s\n' "$output" | tr '\t' ' ')" "$want"
	run -0 q "SELECT IPv4NumToString(saddr) AS host, sum(sbytes + dbytes) AS b FROM flows.records_hosts
		WHERE family = 1 AND bitAnd(saddr, 0xFFFF0000) = IPv4StringToNum('10.0.0.0')
		GROUP BY saddr ORDER BY b DESC, host LIMIT 10 FORMAT TSV"
	assert_equal "$(printf '%s\n' "$output" | tr '\t' ' ')" "$want"
	# who 10.0.0.1 talked to, and how much
	want=$(racluster -r "$(ALL)" -m saddr daddr -n -L -1 -c ' ' -s daddr trans bytes - src host 10.0.0.1 | sort)
	[ -n "$want" ]
	run -0 q "SELECT IPv4NumToString(daddr), sum(records), sum(sbytes + dbytes) FROM flows.records_hosts
		WHERE family = 1 AND saddr = IPv4StringToNum('10.0.0.1') GROUP BY daddr FORMAT TSV"
	assert_equal "$(printf '%s\n' "$output" | tr '\t' ' ' | sort)" "$want"
}

@test "the rollups agree with the table, per minute and host pair, per minute and port" {
	run -0 q "SELECT count() FROM (
		SELECT toStartOfMinute(toDateTime(intDiv(stime, 1000000))) AS minute, family, saddr, saddr6, daddr, daddr6,
			count() AS records, sum(trans) AS trans, sum(spkts) AS spkts, sum(dpkts) AS dpkts, sum(sbytes) AS sbytes, sum(dbytes) AS dbytes
		FROM flows.records GROUP BY minute, family, saddr, saddr6, daddr, daddr6) AS t
		ALL FULL OUTER JOIN (
		SELECT minute, family, saddr, saddr6, daddr, daddr6, sum(records) AS r_records, sum(trans) AS r_trans,
			sum(spkts) AS r_spkts, sum(dpkts) AS r_dpkts, sum(sbytes) AS r_sbytes, sum(dbytes) AS r_dbytes
		FROM flows.records_hosts GROUP BY minute, family, saddr, saddr6, daddr, daddr6) AS r
		USING (minute, family, saddr, saddr6, daddr, daddr6)
		WHERE records != r_records OR trans != r_trans OR spkts != r_spkts OR dpkts != r_dpkts OR sbytes != r_sbytes OR dbytes != r_dbytes"
	assert_output 0
	run -0 q "SELECT count() FROM (SELECT toStartOfMinute(toDateTime(intDiv(stime, 1000000))) AS minute, proto, dport,
			count() AS records, sum(sbytes) AS sbytes, sum(dpkts) AS dpkts FROM flows.records GROUP BY minute, proto, dport) AS t
		ALL FULL OUTER JOIN (SELECT minute, proto, dport, sum(records) AS r_records, sum(sbytes) AS r_sbytes, sum(dpkts) AS r_dpkts
			FROM flows.records_ports GROUP BY minute, proto, dport) AS r USING (minute, proto, dport)
		WHERE records != r_records OR sbytes != r_sbytes OR dpkts != r_dpkts"
	assert_output 0
	# and the rollups are smaller than the table
	rows=$(q "SELECT count() FROM (SELECT minute, proto, dport FROM flows.records_ports GROUP BY minute, proto, dport)")
	[ "$rows" -gt 0 ] && [ "$((rows * 4))" -lt "$(q "SELECT count() FROM flows.records")" ]
}

@test "a table that does not exist: ClickHouse's own error on one line, exit 1" {
	run -1 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.nosuch"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "raclickhouse: $BASE/flows.nosuch: Code: 60, e.displayText() = DB::Exception: Table flows.nosuch doesn't exist., e.what() = DB::Exception"
}

@test "a table of other types: the server's error, exit 1" {
	q "CREATE TABLE IF NOT EXISTS flows.other (stime String, saddr String) ENGINE = MergeTree ORDER BY stime"
	run -1 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.other"
	stderr_line 0 "^raclickhouse: $BASE/flows.other: Code: [0-9]+, e.displayText\(\) = DB::Exception: .*(No such column|There is no column|Unknown identifier)"
}

@test "a wrong password: the server's error, and no password in any message" {
	run -1 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.records" -U flows:not-the-pw
	assert_equal "${stderr_lines[0]}" "raclickhouse: $BASE/flows.records: Code: 193, e.displayText() = DB::Exception: Wrong password for user flows, e.what() = DB::Exception"
	[[ "$stderr" != *not-the-pw* ]]
	# a password in the URL is taken as a login, and not shown either
	run -1 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "http://flows:bad-pw@127.0.0.1:$PORT/flows.records"
	stderr_line 0 "Wrong password for user flows"
	[[ "$stderr" != *bad-pw* ]]
}

@test "a login from -U or from the rarc (RA_DB_USER, RA_DB_PASS)" {
	n=$(ra -r "$DATA/sample-v1.argus" -L -1 -s stime | wc -l)
	run -0 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.login" -M create -U flows:s3cret-pw
	printf 'RA_DB_USER=flows\nRA_DB_PASS="s3cret-pw"\n' > "$BATS_TEST_TMPDIR/rc"
	run -0 --separate-stderr raclickhouse -F "$BATS_TEST_TMPDIR/rc" -r "$DATA/sample-v1.argus" -w "$BASE/flows.login"
	[[ "$stderr" != *s3cret* ]]
	run -0 q "SELECT count() FROM flows.login"
	assert_output "$((2 * n))"
}

@test "usage errors: exit 2" {
	run -2 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus"
	assert_equal "$stderr" "raclickhouse: no table: give -w http://host:8123/db.table"
	run -2 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.bad;drop"
	[[ "$stderr" == *"database and table are letters, digits and _"* ]]
	run -2 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "ftp://x/flows.t"
	run -2 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.records" -M batch=0
	run -2 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "$BASE/flows.records" -M nonsense
}

@test "no server and no spool: retries for -M wait seconds, then exit 1 saying so" {
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	run -1 --separate-stderr raclickhouse -r "$DATA/sample-v1.argus" -w "http://127.0.0.1:$port/flows.records" -M wait=1
	stderr_line 0 "^raclickhouse: http://127.0.0.1:$port/flows.records: the server was away for 1 s, [0-9]+ records dropped: .*(onnect|refused).*"
	stderr_line 1 "records read, 0 sent, [0-9]+ retried, 0 spooled, [0-9]+ dropped$"
}

@test "SIGUSR1 prints the counters while it runs" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	raclickhouse -r - -w "$BASE/flows.usr1" -M create < "$BATS_TEST_TMPDIR/in" 2> "$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	exec 4> "$BATS_TEST_TMPDIR/in"
	cat "$DATA/sample-v1.argus" >&4
	sleep 0.5
	kill -USR1 "$pid"
	sleep 0.2
	cat "$DATA/sample-v1.argus" >&4	# the next record shows the counters
	sleep 0.5
	exec 4>&-
	wait "$pid"
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp '^raclickhouse: [0-9]+ records read, 0 sent, 0 retried, 0 spooled, 0 dropped$'
}

@test "every EXAMPLES command of raclickhouse(1) runs, against this server" {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/sample-v1.argus" day.argus
	printf 'RA_DB_USER=flows\nRA_DB_PASS=s3cret-pw\n' > clickhouse.rc
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		cmd=${cmd//127.0.0.1:8123\/flows.records/127.0.0.1:$PORT\/flows.examples}
		run bash -c "$cmd"
		[ "$status" -eq 0 ] || { echo "'$cmd' exited $status: $output"; false; }
	done < <(awk '/^\.Sh /{ex = ($2 == "EXAMPLES")} ex && /^\.Dl /{sub(/^\.Dl /, ""); print}' "$top_srcdir/man/raclickhouse.1")
	[ "$n" -eq 4 ]
	# the second and third inserted the day's records, the TCP ones again
	all=$(ra -r day.argus -L -1 -s stime | wc -l)
	tcp=$(ra -r day.argus -L -1 -s stime - tcp | wc -l)
	run -0 q "SELECT count() FROM flows.examples"
	assert_output "$((all + tcp))"
}

@test "a damaged spool: the damaged batch is said, counted and passed, the others sent, exit 1" {
	cp "$CORPUS/spool/rows-garbage" "$BATS_TEST_TMPDIR/spool"
	run -1 --separate-stderr raclickhouse -w "$BASE/flows.damaged" -M create spool="$BATS_TEST_TMPDIR/spool" drain
	assert_equal "$stderr" "raclickhouse: $BATS_TEST_TMPDIR/spool: byte 32: a batch of 10 rows holds damaged rows; dropped
raclickhouse: 0 records read, 20 sent, 0 retried, 0 spooled, 10 dropped, 0 waiting in the spool"
	run -0 q "SELECT count() FROM flows.damaged"
	assert_output 20
	cp "$CORPUS/spool/bad-magic" "$BATS_TEST_TMPDIR/spool"
	run -1 --separate-stderr raclickhouse -w "$BASE/flows.damaged" -M spool="$BATS_TEST_TMPDIR/spool" drain
	assert_equal "$stderr" "raclickhouse: $BATS_TEST_TMPDIR/spool: byte 0: not a raclickhouse spool file"
}

# A server of its own for the tests that stop it.
own_server() {
	OWN="$BATS_TEST_TMPDIR/own"
	OPORT=$("$CHS" start "$OWN" 3>&-)
	OBASE="http://127.0.0.1:$OPORT"
}
oq() { curl -sS --fail-with-body "$OBASE/" --data-binary "$1"; }

@test "server away: the spool keeps the batches, the next run sends them, once" {
	own_server
	run -0 raclickhouse -M create -w "$OBASE/flows.records" -M drain
	"$CHS" stop "$OWN" 3>&-
	n=6000
	run -1 --separate-stderr raclickhouse -r "$BATS_FILE_TMPDIR/day.argus" -w "$OBASE/flows.records" \
		-M spool="$BATS_TEST_TMPDIR/spool" wait=1 batch=2000
	stderr_line 0 "the server is away .*: $n records kept in $BATS_TEST_TMPDIR/spool for the next run$"
	stderr_line 1 "^raclickhouse: $n records read, 0 sent, [0-9]+ retried, $n spooled, 0 dropped, $n waiting in the spool$"
	"$CHS" restart "$OWN" 3>&- > /dev/null
	run -0 --separate-stderr raclickhouse -w "$OBASE/flows.records" -M spool="$BATS_TEST_TMPDIR/spool" drain
	assert_equal "$stderr" "raclickhouse: 0 records read, $n sent, 0 retried, 0 spooled, 0 dropped, 0 waiting in the spool"
	run -0 oq "SELECT count(), uniqExact(batch, batchrow) FROM flows.records FORMAT CSV"
	assert_output "$n,$n"
	# emptied: cut back to its header
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/spool")" -eq 32 ]
	"$CHS" stop "$OWN" 3>&-
}

@test "a full spool drops batches and counts them" {
	own_server
	"$CHS" stop "$OWN" 3>&-
	n=6000
	run -1 --separate-stderr raclickhouse -r "$BATS_FILE_TMPDIR/day.argus" -w "$OBASE/flows.records" \
		-M spool="$BATS_TEST_TMPDIR/spool" spoolmax=256k wait=1 batch=200
	[[ "$stderr" == *"the spool is full: records are dropped (counted) until the server is back"* ]]
	stderr_has "^raclickhouse: $n records read, 0 sent, [0-9]+ retried, [1-9][0-9]+ spooled, [1-9][0-9]+ dropped, [1-9][0-9]+ waiting in the spool$"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/spool")" -le $((256 << 10)) ]
}

# The big file in two: the second part comes 3 s after the first, so the
# server goes down while the first is being inserted and the second is yet to come.
split_big() {
	ra -r "$BATS_TEST_TMPDIR/big.argus" -N 1-200000 -w "$BATS_TEST_TMPDIR/a.argus"
	ra -r "$BATS_TEST_TMPDIR/big.argus" -N 200001-300000 -w "$BATS_TEST_TMPDIR/b.argus"
}

# Stop the server once the table holds some rows but not all, bring it back.
stop_midway() {	# $1: kill or stop; $2: total rows
	local i=0 c=0
	while [ $i -lt 600 ]; do
		c=$(oq "SELECT count() FROM flows.records" 2> /dev/null || echo 0)
		[ "$c" -gt 0 ] && break
		sleep 0.05
		i=$((i + 1))
	done
	"$CHS" "$1" "$OWN" 3>&-
	echo "$c" > "$BATS_TEST_TMPDIR/midway"
	sleep 1
	"$CHS" restart "$OWN" 3>&- > /dev/null
}

@test "a server killed mid-insert and restarted: nothing lost, nothing twice" {
	own_server
	ragen -n 300000 -s 11 -w "$BATS_TEST_TMPDIR/big.argus"
	split_big
	run -0 raclickhouse -M create -w "$OBASE/flows.records" -M drain
	( { cat "$BATS_TEST_TMPDIR/a.argus"; sleep 3; cat "$BATS_TEST_TMPDIR/b.argus"; } |
		raclickhouse -r - -w "$OBASE/flows.records" -M batch=10000 2> "$BATS_TEST_TMPDIR/err" ) 3>&- &
	pid=$!
	stop_midway kill 300000
	wait "$pid"
	midway=$(cat "$BATS_TEST_TMPDIR/midway")
	[ "$midway" -gt 0 ] && [ "$midway" -lt 300000 ]
	run -0 oq "SELECT count(), uniqExact(batch, batchrow), sum(sbytes), sum(dpkts) FROM flows.records FORMAT CSV"
	want=$(ra -r "$BATS_TEST_TMPDIR/big.argus" -L -1 -c ' ' -s sbytes dpkts | awk '{ b += $1; p += $2 } END { printf "%.0f,%.0f\n", b, p }')
	assert_output "300000,300000,$want"
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_line --regexp '^raclickhouse: 300000 records read, 300000 sent, [0-9]+ retried, 0 spooled, 0 dropped$'
	"$CHS" stop "$OWN" 3>&-
}

@test "a server stopped mid-insert with a spool: spooled, then sent when it is back, once" {
	own_server
	ragen -n 300000 -s 12 -w "$BATS_TEST_TMPDIR/big.argus"
	split_big
	run -0 raclickhouse -M create -w "$OBASE/flows.records" -M drain
	( { cat "$BATS_TEST_TMPDIR/a.argus"; sleep 3; cat "$BATS_TEST_TMPDIR/b.argus"; } |
		raclickhouse -r - -w "$OBASE/flows.records" -M batch=10000 spool="$BATS_TEST_TMPDIR/spool" \
		2> "$BATS_TEST_TMPDIR/err" ) 3>&- &
	pid=$!
	stop_midway stop 300000
	wait "$pid"
	run -0 oq "SELECT count(), uniqExact(batch, batchrow) FROM flows.records FORMAT CSV"
	assert_output "300000,300000"
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_line --regexp '^raclickhouse: 300000 records read, 300000 sent, [0-9]+ retried, [0-9]+ spooled, 0 dropped, 0 waiting in the spool$'
	"$CHS" stop "$OWN" 3>&-
}
