#!/usr/bin/env bats
# ratop.bats - ratop's screen under tmux (keys sent, the pane read back) and its
# plain text mode, against racluster | rasort on the same input.
load test_helper

S=day.argus	# in the test's directory: a short name in the header

setup() {
	cd "$BATS_TEST_TMPDIR"
	command -v tmux >/dev/null || skip "tmux not installed"
	cp "$DATA/sample-v1.argus" day.argus
}

teardown() {
	for sock in "$BATS_TEST_TMPDIR"/*.sock; do
		[ -S "$sock" ] && tmux -S "$sock" kill-server 2>/dev/null
	done
	true
}

# this test's own tmux server (SOCK: another one)
tm() { tmux -S "$BATS_TEST_TMPDIR/${SOCK:-tmux}.sock" "$@"; }

# ratop (or any command) in a pane of 160x40; "EXITED n" shows when it ends
start() {
	tm -f /dev/null new-session -d -x 160 -y "${ROWS:-40}" \
		"env PATH='$PATH' TZ=UTC LC_ALL=C TERM=screen NO_COLOR=${NO_COLOR_SET:-} $*; echo EXITED \$?; sleep 600" 3>&-
}

screen() { tm capture-pane -p; }

# Poll the pane until it shows text (a fixed string), for up to $2 seconds
# (generous: the machine may be loaded).
wait_for() {
	local text="$1" limit=$(( ${2:-30} * 10 )) i
	for (( i = 0; i < limit; i++ )); do
		screen | grep -F -- "$text" > /dev/null && return 0	# not -q: the pipe stays whole
		sleep 0.1
	done
	echo "timed out waiting for '$text'; the screen:"
	screen
	return 1
}

# the pane's rows (from the third line), fields joined by one space
rows() { screen | sed -n '3,$p' | grep -E '^ *[0-9]+ ' | awk '{$1 = $1; print}'; }

# racluster | rasort's ranking, fields joined by one space
reference() {	# $1: sort key; the rest: racluster's -m keys, then -- and the fields
	local key="$1" keys=() ; shift
	while [ "$1" != -- ]; do keys+=("$1"); shift; done; shift
	if [ "${#keys[@]}" -gt 0 ]; then
		racluster -r "$S" -m "${keys[@]}" -w - | rasort -m "$key" -s "$@"
	else
		racluster -r "$S" -w - | rasort -m "$key" -s "$@"
	fi | sed 1d | awk '{$1 = $1; print}'
}

@test "the screen shows the top flows of a known input, ranked by packets" {
	start ratop -r "$S" -s rank saddr sport daddr dport pkts
	wait_for "groups 200 "
	want=$(reference pkts -- saddr sport daddr dport pkts | first 5 | awk '{print NR, $0}')
	assert_equal "$(rows | first 5)" "$want"
	run -0 screen
	assert_line --index 0 --partial "  day.argus done  records 200"
	assert_line --index 0 --partial "groups 200  keys flow  sort pkts"
	assert_line --index 1 --regexp '^ *Rank +SrcAddr +Sport +DstAddr +Dport +TotPkts$'
}

@test "s sorts by another column, q quits with status 0" {
	start ratop -r "$S" -s rank saddr sport daddr dport bytes
	wait_for "groups 200 "
	tm send-keys s bytes Enter
	wait_for "sort bytes"
	want=$(reference bytes -- saddr sport daddr dport bytes | first 5 | awk '{print NR, $0}')
	assert_equal "$(rows | first 5)" "$want"
	tm send-keys s 'saddr:asc' Enter
	wait_for "sort saddr:asc"
	want=$(reference saddr -- saddr sport daddr dport bytes | first 3 | awk '{print NR, $0}')
	assert_equal "$(rows | first 3)" "$want"
	tm send-keys s nosuch Enter
	wait_for "unknown"
	run -0 screen
	assert_line --index 0 --partial "sort saddr:asc"
	tm send-keys q
	wait_for "EXITED 0"
}

@test "f: a good filter narrows the rows, a bad one shows its caret and keeps the old" {
	start ratop -r "$S" -s rank saddr daddr dport pkts
	wait_for "groups 200 "
	tm send-keys f 'dst port 443' Enter
	wait_for "display filter: dst port 443"
	run rows
	[ "${#lines[@]}" -gt 3 ]
	for l in "${lines[@]}"; do [[ "$l" == *" https "* ]] || { echo "not https: $l"; false; }; done
	shown="$output"
	tm send-keys f 'tcp and port 80x(' Enter
	wait_for "filter: column 14:"
	run -0 screen
	assert_line --partial "  tcp and port 80x("
	assert_line --regexp '^ {15}\^$'
	assert_equal "$(rows)" "$shown"
	tm send-keys f Enter
	wait_for "display filter: none"
	run rows
	[ "${#lines[@]}" -gt 30 ]
}

@test "m changes the aggregation keys: the files are read again" {
	start ratop -r "$S" -s rank saddr pkts bytes
	wait_for "groups 200 "
	tm send-keys m saddr Enter
	wait_for "keys saddr"
	wait_for "groups 198"
	want=$(reference pkts saddr -- saddr pkts bytes | first 5 | awk '{print NR, $0}')
	assert_equal "$(rows | first 5)" "$want"
	tm send-keys m 'nosuch' Enter
	wait_for "nosuch"
	run -0 screen
	assert_line --index 0 --partial "keys saddr"
}

@test "the screen follows a resize" {
	ROWS=20 start ratop -r "$S" -s rank saddr pkts
	wait_for "groups 200 "
	run rows
	assert_equal "${#lines[@]}" 17
	tm resize-window -x 100 -y 45
	wait_for "    42 "
	run rows
	assert_equal "${#lines[@]}" 42
	run -0 screen
	assert_line --index 44 --partial "h help"
}

@test "/ finds a row, n shows numbers, h shows the keys" {
	start ratop -r "$S" -s rank saddr sport daddr dport pkts
	wait_for "groups 200 "
	tm send-keys / 10.0.144.51 Enter
	wait_for "found at rank 16: 10.0.144.51"
	run rows
	assert_line --index 0 --partial "10.0.144.51 2053 192.168.1.23 ssh 68"
	tm send-keys n
	wait_for "numbers"
	run rows
	assert_line --index 0 --partial "10.0.144.51 2053 192.168.1.23 22 68"
	tm send-keys / nosuchthing Enter
	wait_for "not found: nosuchthing"
	tm send-keys h
	wait_for "ratop keys"
	run -0 screen
	assert_line --partial "  p            pause"
	tm send-keys x
	wait_for "  Rank "
}

@test ": commands: :P sorts, :s sets columns, :w writes the table" {
	start ratop -r "$S" -s rank saddr pkts
	wait_for "groups 200 "
	tm send-keys : 'P bytes' Enter
	wait_for "sort bytes"
	tm send-keys : 's rank saddr bytes' Enter
	wait_for "TotBytes"
	tm send-keys : "w $BATS_TEST_TMPDIR/table.txt" Enter
	wait_for "written:"
	want=$(reference bytes -- saddr bytes | awk '{print NR, $0}')
	assert_equal "$(sed 1,2d table.txt | awk '{$1 = $1; print}')" "$want"
	tm send-keys : q Enter
	wait_for "EXITED 0"
}

@test "live from a pipe: rows as records arrive, p pauses the screen, the end is said" {
	mkfifo in
	start "ratop -r - -s rank saddr daddr pkts pps < in"
	exec 5> in
	head -c 6000 "$S" >&5
	wait_for "records 66 "
	wait_for "- live"
	tm send-keys p
	wait_for "PAUSED"
	tail -c +6001 "$S" >&5
	sleep 2
	run -0 screen
	assert_line --index 0 --partial "records 66 "
	tm send-keys p
	wait_for "records 200 "
	exec 5>&-
	wait_for "- ended"
	run rows
	# rates are over the window: the first rows have moved packets
	[ "$(echo "${lines[0]}" | awk '{print ($NF > 0)}')" = 1 ]
}

@test "live: a group idle past -M idle leaves the table, and is counted" {
	mkfifo in
	start "ratop -r - -M idle=1 update=0.2 -s rank saddr pkts < in"
	exec 5> in
	head -c 6000 "$S" >&5
	wait_for "evicted 66 idle"
	wait_for "groups 0 "
	# groups that come after the marks are not taken for those marked
	tail -c +6001 "$S" >&5
	wait_for "groups 134 "
	wait_for "evicted 200 idle"
	exec 5>&-
}

@test "plain mode prints the ranking racluster | rasort gives" {
	run -0 ratop -r "$S" -M nocurses -s saddr sport daddr dport pkts bytes
	assert_line --index 0 --partial "ratop "
	want=$(reference pkts -- saddr sport daddr dport pkts bytes)
	assert_equal "$(printf '%s\n' "$output" | sed 1,2d | awk '{$1 = $1; print}')" "$want"
	assert_equal "$(printf '%s\n' "$output" | sed 1,2d | wc -l)" 200
	run -0 ratop -r "$S" -m proto dport -M sort=bytes -s proto dport pkts bytes
	want=$(reference bytes proto dport -- proto dport pkts bytes)
	assert_equal "$(printf '%s\n' "$output" | sed 1,2d | awk '{$1 = $1; print}')" "$want"
}

@test "plain mode: -N limits the rows, -M max evicts the smallest and says so, the filter applies" {
	run -0 ratop -r "$S" -N 5 -s saddr pkts
	assert_equal "${#lines[@]}" 7
	run -0 ratop -r "$S" -M max=10 -s saddr pkts
	assert_equal "${#lines[@]}" 12
	assert_line --index 0 --partial "evicted 0 idle, 190 past max"
	assert_equal "$(printf '%s\n' "$output" | sed 1,2d | awk '{$1 = $1; print}')" \
		"$(reference pkts -- saddr pkts | first 10)"
	run -0 ratop -r "$S" -s daddr dport - dst port 443
	[ "${#lines[@]}" -gt 3 ]
	assert_equal "$(printf '%s\n' "$output" | sed 1,2d | grep -vc https)" 0
}

@test "a probe's status records show its health in the header" {
	argus -r "$DATA/sample.pcap" -w probe.argus
	run -0 ratop -r probe.argus -N 1
	assert_line --index 0 --regexp 'probe \(local\): drops 0/[0-9]+ cpu [0-9.]+%'
}

@test "damaged input: the good records are shown, the loss is said, colour only where asked" {
	head -c 6000 "$S" > cut.argus
	run -1 --separate-stderr ratop -r cut.argus -s saddr pkts
	assert_line --index 0 --partial "records 66 "
	assert_line --index 0 --partial "LOST 1 records: cut.argus: byte 5968"
	start ratop -r cut.argus
	wait_for "LOST 1"
	run -0 tm capture-pane -p -e
	assert_line --index 0 --partial $'\e[31m'
	export SOCK=plain
	NO_COLOR_SET=1 start ratop -r cut.argus
	wait_for "LOST 1"
	run -0 tm capture-pane -p -e
	refute_output --partial $'\e[31m'
}

@test "usage errors exit 2 with a message" {
	run -2 --separate-stderr ratop -r "$S" -w out.argus
	assert_equal "$stderr" "ratop: -w: ratop shows records, it does not write them (racluster -w does)"
	run -2 --separate-stderr ratop -r "$S" -M bogus
	[[ "$stderr" == "ratop: -M: unknown mode 'bogus'"* ]]
	run -2 --separate-stderr ratop -r "$S" -s nosuch
	assert_equal "$stderr" "ratop: -s: unknown field 'nosuch' (ratop -h lists them)"
	run -2 --separate-stderr ratop -r "$S" -m bytes
	[[ "$stderr" == "ratop: -m:"* ]]
	run -2 --separate-stderr ratop -r "$S" - 'port 80x('
	[[ "$stderr" == "ratop: filter: column"* ]]
	run -0 ratop -h
	assert_line --partial "usage: ratop"
}

@test "-S: a live probe over loopback: its flows as they go, its state and its health" {
	[ "$(id -u)" = 0 ] || skip "live capture needs root"
	command -v python3 >/dev/null || skip "needs python3 for the traffic"
	PORT=$((20000 + RANDOM % 12000))
	timeout 120 argus -X -d -i lo -P "$PORT" -S 1 -M 1 "tcp port $((PORT + 1))" 2>argus.err 3>&- &
	ARGUS_PID=$!
	for _ in $(seq 300); do grep -q listening argus.err && break; sleep 0.1; done
	grep -q listening argus.err
	start ratop -n -S "localhost:$PORT" -s rank saddr daddr dport pkts pps
	timeout 60 python3 - "$((PORT + 1))" 3>&- <<'PY' &
import socket, sys, threading, time
port = int(sys.argv[1])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(1)
def drain():
    c, _ = srv.accept()
    while c.recv(65536):
        pass
threading.Thread(target=drain, daemon=True).start()
a = socket.create_connection(("127.0.0.1", port))
for _ in range(400):        # 8 seconds of 50 small writes a second
    a.sendall(b"x" * 100)
    time.sleep(0.02)
a.close()
PY
	TRAFFIC_PID=$!
	wait_for " 127.0.0.1 $((PORT + 1)) "
	wait_for "localhost:$PORT connected"
	wait_for "probe (local): drops 0/"
	wait_for " cpu "
	# the flow's rate over the window: packets keep coming, so it is not 0
	run rows
	[ "$(echo "${lines[0]}" | awk '{print ($NF > 0)}')" = 1 ]
	wait "$TRAFFIC_PID"
	kill -TERM "$ARGUS_PID"
	wait "$ARGUS_PID" || true
	wait_for "trying again"
	tm send-keys q
	wait_for "EXITED 0"
}
