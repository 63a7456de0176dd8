#!/usr/bin/env bats
# raban.bats - raban end to end: configurations checked with -t, sFlow datagrams
# sent over loopback by bench/sflow-send, flow records made by argus from the
# bundled captures and replayed with -r, and real scripts that write their
# environment to files.
bats_require_minimum_version 1.5.0
load test_helper

SEND="$top_builddir/bench/sflow-send"

setup() {
	cd "$BATS_TEST_TMPDIR"
	PORT=$((20000 + RANDOM % 12000))
	mkdir -p ev
	# The recording script: its environment, sorted, one file per run.
	cat > rec.sh <<-EOF
	#!/bin/sh
	env | sort > "$BATS_TEST_TMPDIR/ev/\$TYPE.\$\$"
	printf '%s\\n' "\$FLOWS" > "$BATS_TEST_TMPDIR/ev/\$TYPE.\$\$.flows"
	date +%s.%N > "$BATS_TEST_TMPDIR/ev/\$TYPE.\$\$.time"
	EOF
	chmod +x rec.sh
}

# Wait until something listens on UDP port $1 (at most 5 s).
wait_udp() {
	for _ in $(seq 50); do
		[ -n "$(ss -Hlun "sport = :$1")" ] && return 0
		sleep 0.1
	done
	return 1
}

# Wait until file pattern $1 matches (at most $2 tenths of a second).
wait_for() {
	for _ in $(seq "${2:-50}"); do
		compgen -G "$1" > /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A live configuration: one host trigger on 192.168.0.0/24 (sflow-send's
# destination 192.168.0.1), pps threshold $1, min-ban-time $2, then extra options $3.
live_conf() {
	cat > raban.conf <<-EOF
	options {
	    listen 127.0.0.1 $PORT sflow v5;
	    min-ban-time $2;
	    state-file "$BATS_TEST_TMPDIR/state";
	    status-file "$BATS_TEST_TMPDIR/status.csv" dump-interval 1;
	    $3
	}
	agents { sender { addresses [ 10.255.0.1 ]; } }
	prefixes { mine { 192.168.0.0/24; } }
	actions { rec { script "$BATS_TEST_TMPDIR/rec.sh" { events [ ban unban ]; env { NOTE = "a b;c"; } } } }
	triggers {
	    flood {
	        networks [ mine ];
	        directions [ ingress ];
	        aggregate-type host;
	        thresholds { pps $1; }
	        actions [ rec ];
	    }
	}
	EOF
}

start_raban() {
	raban -c raban.conf "$@" 2> log 3>&- &
	RABAN=$!
	wait_udp "$PORT"
}

stop_raban() {
	kill "$RABAN" 2> /dev/null || true
	wait "$RABAN" || true
}

@test "raban -t: apermon's README configuration parses; -t names exactly its three absent scripts" {
	cp "$top_srcdir/tests/cli/raban-apermon.conf" a.conf
	run -1 --separate-stderr raban -t -c a.conf
	assert_output ""
	[ "${#stderr_lines[@]}" -eq 3 ]
	[ "${stderr_lines[0]}" = "raban: a.conf:22:16: script '/opt/apermon/add-and-withdraw-blackhole.sh': No such file or directory" ]
	[ "${stderr_lines[1]}" = "raban: a.conf:27:16: script '/opt/apermon/scripts/mailgun.sh': No such file or directory" ]
	[ "${stderr_lines[2]}" = "raban: a.conf:37:16: script '/opt/apermon/scripts/telegram.sh': No such file or directory" ]
	# with the scripts in place it is accepted as it is
	mkdir -p s/scripts
	for f in add-and-withdraw-blackhole.sh scripts/mailgun.sh scripts/telegram.sh; do
		printf '#!/bin/sh\n' > "s/$f"
		chmod +x "s/$f"
	done
	sed "s|/opt/apermon|$PWD/s|" a.conf > b.conf
	run -0 --separate-stderr raban -t -c b.conf
	assert_output "b.conf: configuration OK (1 triggers, 2 actions)"
	# apermon's usage: the file as the only argument
	run -0 --separate-stderr raban -t b.conf
}

@test "raban -t: every error is reported with line, column and what was expected" {
	printf '#!/bin/sh\n' > noexec.sh
	cat > bad.conf <<-EOF
	options {
	    listen 0.0.0.0 6343 sflow v4;
	    min-ban-time abc;
	    frobnicate 3;
	}
	prefixes {
	    net1 { 192.0.2.0/24; 10.0.0.0/33; }
	    net1 { 198.51.100.0/24; }
	}
	interfaces { up { ifindexes [ nosuchagent.3 ]; } }
	actions {
	    a1 { script "relative.sh" { events [ ban ]; } }
	    a2 { script "$PWD/noexec.sh" { events [ ban ]; } }
	}
	triggers {
	    t1 {
	        networks [ net1 nosuch ];
	        thresholds { pps 1m; bogus 3; }
	        filter { source nolist; in-interface nosuchif; }
	        actions [ a1 missing ];
	        filter-expression "tcp and and";
	    }
	    t1 { networks [ net1 ]; thresholds { bps 1g; } }
	}
	EOF
	run -1 --separate-stderr raban -t -c bad.conf
	assert_output ""
	printf '%s\n' "${stderr_lines[@]}" > got
	cat > want <<-EOF
	raban: bad.conf:2:31: expected 'v5' (sFlow version 5), found 'v4'
	raban: bad.conf:3:18: expected a number, found 'abc'
	raban: bad.conf:4:5: expected an option (listen, min-ban-time, burst-period, status-file, state-file, script-timeout, max-scripts, window, max-keys, max-bans), found 'frobnicate'
	raban: bad.conf:7:26: expected a prefix (192.0.2.0/24, 2001:db8::/32), found '10.0.0.0/33'
	raban: bad.conf:18:30: expected a threshold (bps, pps, flows, syns, tcp-bps, tcp-pps, udp-bps, udp-pps, icmp-bps, icmp-pps), found 'bogus'
	raban: bad.conf:8:5: duplicate prefix list 'net1' (first defined at line 7)
	raban: bad.conf:23:5: duplicate trigger 't1' (first defined at line 16)
	raban: bad.conf:10:31: unknown agent 'nosuchagent'
	raban: bad.conf:12:17: script 'relative.sh' is not an absolute path
	raban: bad.conf:13:17: script '$PWD/noexec.sh' is not executable
	raban: bad.conf:17:25: unknown prefix list 'nosuch'
	raban: bad.conf:20:22: unknown action 'missing'
	raban: bad.conf:19:25: unknown prefix list 'nolist'
	raban: bad.conf:19:46: unknown interface 'nosuchif'
	raban: bad.conf:21:36: filter-expression: expected a primitive (host, net, port, tcp, syn, pkts gt N, ...), found 'and'
	EOF
	diff -u want got
}

@test "raban -t: a 10 MB string, deep nesting and binary garbage are errors, not crashes" {
	{ printf 'options { status-file "'; head -c 10000000 /dev/zero | tr '\0' x; printf '" dump-interval 1; }\n'; } > big.conf
	run -1 --separate-stderr raban -t -c big.conf
	assert_equal "${stderr_lines[0]}" "raban: big.conf:1:23: string longer than 4096 bytes"
	{ printf 'prefixes { p { 10.0.0.0/8; } }\ntriggers { t { networks [ p ]; thresholds { pps 1; } filter {'
	  for _ in $(seq 100000); do printf ' and {'; done; for _ in $(seq 100000); do printf ' }'; done; printf ' } } }\n'; } > deep.conf
	run -1 --separate-stderr raban -t -c deep.conf
	assert_equal "${stderr_lines[0]}" "raban: deep.conf:2:255: filter nested deeper than 32 levels"
	head -c 100000 /dev/urandom > junk.conf
	run -1 --separate-stderr raban -t -c junk.conf
	[ "${#stderr_lines[@]}" -ge 1 ]
	[ "${#stderr_lines[@]}" -le 102 ]
}

@test "raban: a flood at twice the threshold is banned within 2 s, with apermon's environment and FLOWS" {
	live_conf 100k 300 ""
	start_raban
	t0=$(date +%s.%N)
	# 200 datagrams/s x 1 sample x rate 1000 = 200k pps to 192.168.0.1
	"$SEND" -g 1 -R 200 -n 600 127.0.0.1 "$PORT" 2> /dev/null &
	sender=$!
	wait_for "ev/ban.*.time" 40
	wait "$sender"
	stop_raban
	f=$(ls ev/ban.* | grep -v -e time -e flows)
	t1=$(cat "$f.time")
	run awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a < 2.0) ? "within 2 s" : "late: " b - a }'
	assert_output "within 2 s"
	run grep -E '^(TRIGGER|TYPE|AF|AGGREGATOR|TARGET|PREFIX|NET|OUT_PPS|OUT_BPS|NOTE)=' "$f"
	assert_output "AF=1
AGGREGATOR=host
NET=mine
NOTE=a b;c
OUT_BPS=0
OUT_PPS=0
PREFIX=192.168.0.0/24
TARGET=192.168.0.1
TRIGGER=flood
TYPE=ban"
	pps=$(sed -n 's/^IN_PPS=//p' "$f")
	[ "$pps" -ge 100000 ]
	# FLOWS: the header names every column, frag included; rows are sflow-send's samples
	run head -2 "$f.flows"
	assert_line -n 0 "af,in_ifindex,out_ifindex,src,dst,proto,sport,dport,bytes,packets,frag"
	assert_line -n 1 --regexp '^1,3,4,10\.0\.0\.[0-9]+,192\.168\.0\.1,6,[0-9]+,80,1004000,1000,0$'
	grep -q 'ban trigger=flood target=192.168.0.1' log
	grep -q 'script .*rec.sh for ban flood 192.168.0.1 ended (pid [0-9]*, exit 0' log
	# one ban, not one per datagram
	[ "$(ls ev/ban.* | grep -vc -e time -e flows)" -eq 1 ]
}

@test "raban: a burst shorter than burst-period bans nobody" {
	live_conf 100k 300 "burst-period 3;"
	start_raban
	"$SEND" -g 1 -R 400 -n 400 127.0.0.1 "$PORT" 2> /dev/null
	sleep 1.5
	stop_raban
	run ls ev
	assert_output ""
	grep -q "0 bans standing" log
}

@test "raban: unban comes min-ban-time after the last exceedance, with the peaks" {
	live_conf 100k 2 ""
	start_raban
	"$SEND" -g 1 -R 300 -n 600 127.0.0.1 "$PORT" 2> /dev/null
	end=$(date +%s.%N)
	wait_for "ev/unban.*.time" 60
	stop_raban
	f=$(ls ev/unban.* | grep -v -e time -e flows)
	t1=$(cat "$f.time")
	run awk -v a="$end" -v b="$t1" 'BEGIN { d = b - a; print (d >= 1.5 && d < 4) ? "after min-ban-time" : "at " d }'
	assert_output "after min-ban-time"
	peak=$(sed -n 's/^PEAK_IN_PPS=//p' "$f")
	[ "$peak" -ge 200000 ]
	run grep -E '^(TYPE|TARGET|PEAK_OUT_PPS|AGGREGATOR)=' "$f"
	assert_output "AGGREGATOR=host
PEAK_OUT_PPS=0
TARGET=192.168.0.1
TYPE=unban"
	first=$(sed -n 's/^FIRST_TRIGGERED=//p' "$f")
	last=$(sed -n 's/^LAST_TRIGGERED=//p' "$f")
	[ "$last" -ge "$first" ]
	[ "$last" -le "${end%.*}" ]
}

@test "raban: a restart keeps a standing ban: no second ban script, the unban still comes" {
	live_conf 100k 3 ""
	start_raban
	"$SEND" -g 1 -R 300 -n 300 127.0.0.1 "$PORT" 2> /dev/null
	wait_for "ev/ban.*.time"
	stop_raban
	grep -q '^ban flood - 1 1 0 mine 0 192.168.0.1 ' state
	start_raban
	grep -q "1 standing bans restored from" log
	wait_for "ev/unban.*.time" 60
	stop_raban
	[ "$(ls ev/ban.* | grep -vc -e time -e flows)" -eq 1 ]
	[ "$(ls ev/unban.* | grep -vc -e time -e flows)" -eq 1 ]
	run grep -c '^ban ' state
	assert_output 0
}

@test "raban: a script that never exits is killed after script-timeout; one that prints megabytes is cut" {
	printf '#!/bin/sh\nsleep 1000\n' > hang.sh
	printf '#!/bin/sh\nhead -c 5000000 /dev/zero | tr "\\\\0" x\necho done\n' > loud.sh
	chmod +x hang.sh loud.sh
	live_conf 100k 300 "script-timeout 1;"
	sed -i "s|\"$BATS_TEST_TMPDIR/rec.sh\" {|\"$PWD/hang.sh\" { events [ ban ]; } script \"$PWD/loud.sh\" {|" raban.conf
	start_raban
	"$SEND" -g 1 -R 300 -n 300 127.0.0.1 "$PORT" 2> /dev/null
	for _ in $(seq 60); do grep -q 'killed by signal' log && break; sleep 0.1; done
	stop_raban
	grep -q "hang.sh for ban flood 192.168.0.1 still running after 1 s: terminating it" log
	grep -q "hang.sh for ban flood 192.168.0.1 failed (pid [0-9]*, killed by signal 15, timed out)" log
	grep -q "loud.sh\[[0-9]*\]: [0-9]* more bytes of output not logged" log
	grep -q "loud.sh for ban flood 192.168.0.1 ended (pid [0-9]*, exit 0" log
	[ "$(wc -c < log)" -lt 100000 ]
}

@test "raban: malformed datagrams and unlisted agents are dropped, counted and said; detection goes on" {
	live_conf 100k 300 ""
	sed -i 's/10.255.0.1/10.9.9.9/' raban.conf
	start_raban
	n=0
	for f in "$CORPUS"/sflow/*; do "$SEND" -f "$f" 127.0.0.1 "$PORT" 2> /dev/null; n=$((n + 1)); done
	[ "$n" -gt 5 ]
	sleep 1.1	# at most ten drop lines a second are logged
	"$SEND" -g 1 -R 300 -n 100 127.0.0.1 "$PORT" 2> /dev/null
	sleep 0.5
	kill -0 "$RABAN"
	stop_raban
	grep -q "dropped datagram from agent 10.255.0.1: agent not listed in agents" log
	grep -q "dropped datagram from agent .*: sflow_" log
	run ls ev
	assert_output ""
	grep -Eq "datagrams [0-9]+, dropped [1-9][0-9]*" log
}

@test "raban: a flood of random sources fills no more than max-keys; refusals are counted" {
	cat > raban.conf <<-EOF
	options { listen 127.0.0.1 $PORT sflow v5; max-keys 100; }
	prefixes { src { 10.0.0.0/8; } }
	triggers { t { networks [ src ]; directions [ egress ]; thresholds { pps 1g; } } }
	EOF
	start_raban
	"$SEND" -g 8 -F 5000 -R 1000 -n 1000 127.0.0.1 "$PORT" 2> /dev/null
	sleep 0.5
	stop_raban
	run grep -o 'keys refused (table full) [0-9]*' log
	[ "${output##* }" -gt 1000 ]
}

@test "raban: SIGHUP reloads; a bad new file is refused and the old one keeps running" {
	live_conf 100k 300 ""
	start_raban
	cp raban.conf good.conf
	echo 'triggers { broken' >> raban.conf
	kill -HUP "$RABAN"
	sleep 0.5
	grep -q "raban.conf: not reloaded: the running configuration stays" log
	"$SEND" -g 1 -R 300 -n 300 127.0.0.1 "$PORT" 2> /dev/null
	wait_for "ev/ban.*.time"
	cp good.conf raban.conf
	kill -HUP "$RABAN"
	sleep 0.5
	stop_raban
	grep -q "raban.conf: reloaded (1 triggers)" log
	grep -q "standing ban trigger=flood target=192.168.0.1" log
}

@test "raban -M status: the status file as a table per trigger, busiest first" {
	live_conf 100k 300 ""
	sed -i 's|mine { 192.168.0.0/24; }|mine { 192.168.0.0/24; } tens { 10.0.0.0/8; }|; s|^triggers {|triggers { src { networks [ tens ]; directions [ egress ]; thresholds { pps 1g; } }|' raban.conf
	start_raban
	# sources 10.0.0.0, 10.0.0.1, 10.0.0.2 (4 samples a datagram: 2, 1, 1 of them)
	"$SEND" -g 4 -F 3 -R 100 -n 200 127.0.0.1 "$PORT" 2> /dev/null &
	sender=$!
	sleep 1.5
	cp status.csv seen.csv
	wait "$sender"
	stop_raban
	head -1 seen.csv | grep -qx 'trigger,aggregator,af,addr,in_bps,out_bps,in_pps,out_pps'
	grep -Eq '^flood,0,1,192.168.0.1,[1-9][0-9]*,0,[1-9][0-9]*,0$' seen.csv
	grep -Eq '^src,0,1,10.0.0.2,0,[1-9][0-9]*,0,[1-9][0-9]*$' seen.csv
	run -0 --separate-stderr raban -M status seen.csv -N 2
	assert_line -n 0 "trigger flood"
	assert_line -n 1 --regexp '^  host +in_mbps +out_mbps +in_kpps +out_kpps +in_sz +out_sz$'
	assert_line -n 2 --regexp '^  192\.168\.0\.1 +[0-9.]+ +0\.00 +[0-9.]+ +0\.00 +1004 +0$'
	assert_line -n 3 "trigger src"
	assert_line -n 5 --regexp '^  10\.0\.0\.[012] +0\.00 +[0-9.]+ +0\.00 +[0-9.]+ +0 +1004$'
	assert_line -n 6 --regexp '^  10\.0\.0\.[012] '
	[ "${#lines[@]}" -eq 7 ]
	# busiest first: out_kpps of the two rows shown, in order, then the third is not shown
	run awk 'NR == 7 || NR == 8 { print $5 }' <<< "$output"
	[ "$(printf '%s\n' "${lines[@]}" | sort -rn | paste -sd' ')" = "$(printf '%s\n' "${lines[@]}" | paste -sd' ')" ]
}

# Flow records of ndpi-synscan.pcap: 172.16.0.8 sends 2000 SYNs to 64.13.134.52 in 23 s.
synscan() {
	argus -r "$DATA/ndpi-synscan.pcap" -w syn.argus
}

rconf() {
	cat > r.conf <<-EOF
	options { min-ban-time 5; }
	prefixes { scanned { 64.13.134.0/24; } office { 172.16.0.0/16; } white { 64.13.134.52; } }
	actions { rec { script "$BATS_TEST_TMPDIR/rec.sh" { events [ ban unban ]; } } }
	triggers {
	    $1
	}
	EOF
}

@test "raban -r: SYNs without handshake on the host, flows per second of the prefix, egress of the office net" {
	synscan
	rconf 'syn { networks [ scanned ]; directions [ ingress ]; thresholds { syns 50; } actions [ rec ]; }
	    pfx { networks [ scanned ]; directions [ ingress ]; aggregate-type prefix; thresholds { flows 50; } actions [ rec ]; }
	    net { networks [ office ]; directions [ egress ]; aggregate-type net; thresholds { pps 50; } actions [ rec ]; }
	    in { networks [ office ]; directions [ ingress ]; thresholds { pps 50; } actions [ rec ]; }'
	run -0 --separate-stderr raban -c r.conf -r syn.argus
	grep -h -E '^(TRIGGER|TYPE|TARGET|PREFIX|NET|AGGREGATOR)=' ev/ban.* | paste -sd' ' | sed 's/ TRIGGER/\nTRIGGER/g' | sort > got
	# (per ban: AGGREGATOR NET PREFIX TARGET TRIGGER TYPE in sorted-env order)
	grep -l TRIGGER=syn ev/ban.* | xargs grep -h -E '^(TARGET|PREFIX|AGGREGATOR)=' | paste -sd' ' > syn
	grep -l TRIGGER=pfx ev/ban.* | xargs grep -h -E '^(TARGET|PREFIX|AGGREGATOR)=' | paste -sd' ' > pfx
	grep -l TRIGGER=net ev/ban.* | xargs grep -h -E '^(TARGET|PREFIX|AGGREGATOR|OUT_PPS|IN_PPS)=' | paste -sd' ' > net
	run cat syn pfx
	assert_output "AGGREGATOR=host PREFIX=64.13.134.0/24 TARGET=64.13.134.52
AGGREGATOR=prefix PREFIX=64.13.134.0/24 TARGET=64.13.134.0"
	run cat net
	assert_output --regexp '^AGGREGATOR=net IN_PPS=0 OUT_PPS=[0-9]+ PREFIX=172.16.0.0/16 TARGET=office$'
	# the office only sends: its ingress trigger bans nobody
	run grep -l TRIGGER=in ev/ban.*
	assert_output ""
	[ "$(ls ev/ban.* | grep -vc -e time -e flows)" -eq 3 ]
	[ "$(ls ev/unban.* | grep -vc -e time -e flows)" -eq 3 ]
}

@test "raban -r: filters and a whitelist keep bans away" {
	synscan
	rconf 'udp { networks [ scanned ]; thresholds { pps 50; } filter { protocol udp; } actions [ rec ]; }
	    white { networks [ scanned ]; thresholds { pps 50; } filter { not { destination white; } } actions [ rec ]; }
	    port { networks [ scanned ]; thresholds { pps 50; } filter { or { destination-port 80; destination-port 443; } } actions [ rec ]; }
	    tcp { networks [ scanned ]; thresholds { pps 50; } filter { and { protocol tcp; source office; } } actions [ rec ]; }
	    expr { networks [ scanned ]; thresholds { pps 50; } filter-expression "tcp and syn and not dst port 80"; actions [ rec ]; }'
	run -0 --separate-stderr raban -c r.conf -r syn.argus
	run sh -c 'grep -h ^TRIGGER= ev/ban.* | sort'
	assert_output "TRIGGER=expr
TRIGGER=tcp"
}

@test "raban -r: a replay gives the same bans and unbans at the same record times every run" {
	synscan
	rconf 'syn { networks [ scanned ]; thresholds { syns 30; } actions [ rec ]; }
	    lv { networks [ scanned office ]; directions [ ingress egress ]; thresholds { pps 40; } actions [ rec ];
	         level big { thresholds { pps 1k; } actions [ rec ]; } }'
	run -0 --separate-stderr raban -c r.conf -r syn.argus
	printf '%s\n' "${stderr_lines[@]}" | grep -E ' (un)?ban trigger=' > one
	run -0 --separate-stderr raban -c r.conf -r syn.argus
	printf '%s\n' "${stderr_lines[@]}" | grep -E ' (un)?ban trigger=' > two
	[ "$(wc -l < one)" -ge 4 ]
	grep -q ' ban trigger=lv level=big target=' one
	grep -q '^raban: 2010-07-04T20:24:' one
	diff -u one two
	grep -l 'LEVEL=big' ev/ban.* | xargs grep -q TRIGGER=lv
}

@test "raban -t: the complete example of raban.conf(5) parses; only its absent scripts are named" {
	awk '/^options \{/,/^\.Ed/' "$top_srcdir/man/raban.conf.5" | sed '$d' | sed 's/\\e/\\/g' > m.conf
	grep -q 'level heavy' m.conf
	run -1 --separate-stderr raban -t -c m.conf
	assert_equal "${#stderr_lines[@]}" 3
	assert_equal "${stderr_lines[0]}" "raban: m.conf:21:16: script '/usr/local/sbin/raban-blackhole': No such file or directory"
	assert_equal "${stderr_lines[1]}" "raban: m.conf:24:16: script '/usr/local/sbin/raban-firewall': No such file or directory"
	assert_equal "${stderr_lines[2]}" "raban: m.conf:27:16: script '/usr/local/sbin/raban-mail': No such file or directory"
}

@test "raban -S: a live record stream from argus -P bans and unbans on the wall clock" {
	P2=$((PORT + 1))
	cat > s.conf <<-EOF
	options { min-ban-time 2; }
	prefixes { mine { 192.168.0.0/24; } }
	actions { rec { script "$BATS_TEST_TMPDIR/rec.sh" { events [ ban unban ]; } } }
	triggers { flood { networks [ mine ]; directions [ ingress ]; thresholds { pps 100k; } actions [ rec ]; } }
	EOF
	argus -i "sflow:127.0.0.1:$PORT" -P "$P2" -S 1 2> argus.log 3>&- &
	apid=$!
	wait_udp "$PORT"
	raban -c s.conf -S "127.0.0.1:$P2" 2> log 3>&- &
	RABAN=$!
	for _ in $(seq 50); do grep -q streaming argus.log && break; sleep 0.1; done
	"$SEND" -g 1 -R 200 -n 600 127.0.0.1 "$PORT" 2> /dev/null
	wait_for "ev/unban.*.time" 80
	stop_raban
	kill "$apid"
	wait "$apid" || true
	grep -q 'ban trigger=flood target=192.168.0.1' log
	grep -q 'unban trigger=flood target=192.168.0.1' log
	[ "$(ls ev/ban.* | grep -vc -e time -e flows)" -eq 1 ]
	grep -qx 'TARGET=192.168.0.1' "$(ls ev/unban.* | grep -v -e time -e flows)"
}

@test "raban -u: runs as the user after opening its sockets; scripts run as that user" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to change user"
	d=$(mktemp -d /tmp/raban-u.XXXXXX)
	chmod 755 "$d"
	printf '#!/bin/sh\nid -un > "%s/who.$TYPE"\n' "$d" > "$d/who.sh"
	chmod 755 "$d/who.sh"
	chmod 777 "$d"
	live_conf 100k 300 ""
	sed -i "s|\"$BATS_TEST_TMPDIR/rec.sh\"|\"$d/who.sh\"|; s|state-file \"[^\"]*\";|state-file \"$d/state\";|; s|status-file \"[^\"]*\"|status-file \"$d/status.csv\"|" raban.conf
	start_raban -u nobody
	"$SEND" -g 1 -R 300 -n 300 127.0.0.1 "$PORT" 2> /dev/null
	for _ in $(seq 40); do [ -s "$d/who.ban" ] && break; sleep 0.1; done
	user=$(ps -o user= -p "$RABAN")
	stop_raban
	run cat "$d/who.ban"
	rm -rf "$d"
	assert_output nobody
	assert_equal "$user" nobody
}

@test "raban -t: names that would break the status CSV or the state file are refused" {
	printf 'prefixes { "a b" { 10.0.0.0/8; } }\ntriggers { t { networks [ "a b" ]; thresholds { pps 1; } level "x,y" { thresholds { pps 2; } } } }\n' > n.conf
	run -1 --separate-stderr raban -t -c n.conf
	assert_equal "${stderr_lines[0]}" "raban: n.conf:1:12: prefix list name 'a b': no blanks, commas or control characters"
	assert_equal "${stderr_lines[1]}" "raban: n.conf:2:64: level name 'x,y': no blanks, commas or control characters"
	assert_equal "${#stderr_lines[@]}" 2
}
