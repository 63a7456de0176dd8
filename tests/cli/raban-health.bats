#!/usr/bin/env bats
# raban-health.bats - raban's health triggers (raban.conf(5), "health"):
# conditions on argus's host health records decide when, the flows decide
# whom.  On a recording (tests/data/health-flood.argus, made by
# gen-health-flood.sh: a listener with backlog 1 on 127.0.0.1:24443 whose
# accept queue 127.0.0.2 fills, then SYNs from 127.0.0.9 x24, 127.0.0.7 x6,
# 127.0.0.3 x1) the bans are exact; live, argus -i lo -P serves raban -S in a
# network namespace of the test's own while the test makes the same flood.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir -p ev
	cat > rec.sh <<-EOF
	#!/bin/sh
	env | sort > "$BATS_TEST_TMPDIR/ev/\$TYPE.\$\$"
	EOF
	chmod +x rec.sh
}

# A configuration with one health trigger: the health block's body $1,
# min-ban-time $2 (2).
hconf() {
	cat > h.conf <<-EOF
	options { min-ban-time ${2:-2}; }
	actions { rec { script "$BATS_TEST_TMPDIR/rec.sh" { events [ ban unban ]; } } }
	triggers {
	    queue { health { $1 } actions [ rec ]; }
	}
	EOF
}

# The events the log names, one per line: "ban|unban TIME TARGET".
events() {
	printf '%s\n' "${stderr_lines[@]}" | sed -n 's/^raban: \([^ ]*\) \(un\)\{0,1\}ban trigger=queue target=\([^ ]*\).*/\2ban \1 \3/p'
}

@test "raban -r health: the full accept queue of port 24443 bans its top two SYN sources, then unbans them" {
	hconf 'port 24443; acceptpct 90; hold 3; top 2;'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	# the queue is full (acceptq=2 of acceptmax=1) from the record of 22:17:36.490
	# on, which covers the second before it: three records cover 3 s at 38.535;
	# the last record with the listener is 42.517, unbans 2 s later, at the
	# first record after (45.499)
	assert_output "ban 2026-12-07T22:17:38.535Z 127.0.0.9
ban 2026-12-07T22:17:38.535Z 127.0.0.7
unban 2026-12-07T22:17:45.499Z 127.0.0.9
unban 2026-12-07T22:17:45.499Z 127.0.0.7"
	# the scripts: apermon's environment, what held, the port, the FLOWS of the source
	f=$(grep -l 'TARGET=127.0.0.9' ev/ban.*)
	grep -qx 'HEALTH=lport=24443 acceptpct=200' "$f"
	grep -qx 'PORT=24443' "$f"
	grep -qx 'AGGREGATOR=host' "$f"
	grep -qx 'TRIGGER=queue' "$f"
	# FLOWS: the source's SYNs to the port (24 connections, one row each at least)
	[ "$(grep -c '^1,0,0,127.0.0.9,127.0.0.1,6,[0-9]*,24443,' "$f")" -ge 24 ]
	! grep -q '^1,0,0,127.0.0.[237],' "$f"
	[ "$(ls ev/ban.* | wc -l)" -eq 2 ]
	[ "$(ls ev/unban.* | wc -l)" -eq 2 ]
	grep -q 'TARGET=127.0.0.7' $(ls ev/unban.*)
	# the same bans, at the same record times, every run
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	[ "$(grep -c '^ban ' <<<"$output")" -eq 2 ]
}

@test "raban -r health: ranked by SYNs of handshakes never completed; the connections that got in are never banned" {
	hconf 'port 24443; acceptpct 90; top 10;'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	# hold 0: the first record that holds (36.490) fires, but argus writes an
	# interval's flows after its health record: the sources are banned at the
	# next record, while the trigger is on; 127.0.0.2's connections completed
	assert_output "ban 2026-12-07T22:17:37.511Z 127.0.0.9
ban 2026-12-07T22:17:37.511Z 127.0.0.7
ban 2026-12-07T22:17:37.511Z 127.0.0.3
unban 2026-12-07T22:17:45.499Z 127.0.0.9
unban 2026-12-07T22:17:45.499Z 127.0.0.7
unban 2026-12-07T22:17:45.499Z 127.0.0.3"
	# another port's listener, or a longer hold than the queue stayed full: nobody
	rm -f ev/*
	hconf 'port 24444; acceptpct 90;'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	assert_output ""
	hconf 'port 24443; acceptpct 90; hold 8;'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	assert_output ""
	[ -z "$(ls ev)" ]
}

@test "raban -r health: a per-second rate of a TcpExt counter fires; clear keeps the bans while the queue stays full" {
	# ListenOverflows: 31 in each second from 36.490 to 41.507, 0 at 42.517
	hconf 'listenoverflows 25; hold 2; top 1;'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	assert_output "ban 2026-12-07T22:17:37.511Z 127.0.0.9
unban 2026-12-07T22:17:44.493Z 127.0.0.9"
	grep -q '^HEALTH=listenoverflows=30$' ev/ban.*
	# with clear on the accept queue the trigger stays on one record more
	hconf 'port 24443; listenoverflows 25; hold 2; top 1; clear { acceptpct 50; }'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	assert_output "ban 2026-12-07T22:17:37.511Z 127.0.0.9
unban 2026-12-07T22:17:45.499Z 127.0.0.9"
	# 1000 overflows a second never happened
	hconf 'listenoverflows 1k;'
	run -0 --separate-stderr raban -c h.conf -r "$DATA/health-flood.argus"
	run -0 events
	assert_output ""
}

@test "raban -r health: standing bans go to the state file and stand after a restart, with no second script" {
	cat > st.conf <<-EOF
	options { min-ban-time 300; state-file "$BATS_TEST_TMPDIR/state"; }
	actions { rec { script "$BATS_TEST_TMPDIR/rec.sh" { events [ ban unban ]; } } }
	triggers { queue { health { port 24443; acceptpct 90; hold 3; top 2; } actions [ rec ]; } }
	EOF
	run -0 --separate-stderr raban -c st.conf -r "$DATA/health-flood.argus"
	[ "$(ls ev/ban.* | wc -l)" -eq 2 ]
	[ -z "$(ls ev/unban.* 2>/dev/null)" ]
	grep -q '^ban queue - 1 1 0 - 0 127.0.0.9 ' state
	grep -q '^ban queue - 1 1 0 - 0 127.0.0.7 ' state
	rm -f ev/*
	# the same records again: the bans are restored (from a later time than
	# the records': they stand), the trigger fires with two standing, nothing runs
	run -0 --separate-stderr raban -c st.conf -r "$DATA/health-flood.argus"
	printf '%s\n' "${stderr_lines[@]}" | grep -qx 'raban: 2 standing bans restored from .*state'
	printf '%s\n' "${stderr_lines[@]}" | grep -qx 'raban: 2 bans standing'
	! printf '%s\n' "${stderr_lines[@]}" | grep -q ' ban trigger=\| unban trigger='
	[ -z "$(ls ev)" ]
}

@test "raban -t health: every error in a health trigger is reported with line and column" {
	cat > bad.conf <<-EOF
	actions { rec { script "$BATS_TEST_TMPDIR/rec.sh" { events [ ban unban ]; } } }
	triggers {
	    a { health { port 70000; acceptpct 0; bogus 3; hold x; clear { cpu 101; nope 1; } top 0; } actions [ rec ]; }
	    b { health { } thresholds { pps 1; } }
	    c { health { acceptpct 50; clear { acceptpct 60; } } level x { thresholds { pps 1; } } }
	    d { health { lookback 0; cpu 50 } }
	    e { health { syncookiessent 1k; } networks [ nosuch ]; actions [ nope ]; }
	}
	EOF
	run -1 --separate-stderr raban -t -c bad.conf
	assert_output ""
	printf '%s\n' "${stderr_lines[@]}" > got
	cat > want <<-EOF
	raban: bad.conf:3:18: port: expected 1 to 65535
	raban: bad.conf:3:30: acceptpct 0 would always hold
	raban: bad.conf:3:43: expected a health condition (cpu, acceptq, acceptpct, synrecv, syncookiessent, syncookiesrecv, syncookiesfailed, listenoverflows, listendrops) or setting (port, hold, clear, top, lookback), found 'bogus'
	raban: bad.conf:3:57: expected a number, found 'x'
	raban: bad.conf:3:68: cpu: expected a percentage from 1 to 100
	raban: bad.conf:3:77: expected a health condition (cpu, acceptq, acceptpct, synrecv, syncookiessent, syncookiesrecv, syncookiesfailed, listenoverflows, listendrops), found 'nope'
	raban: bad.conf:3:87: top (sources): expected 1 to 10000
	raban: bad.conf:6:18: lookback (seconds): expected 1 to 3600
	raban: bad.conf:6:37: expected ';', found '}'
	raban: bad.conf:3:9: health of trigger 'a' has no condition
	raban: bad.conf:4:9: health of trigger 'b' has no condition
	raban: bad.conf:4:5: trigger 'b': a health trigger takes no thresholds (its conditions go in health { })
	raban: bad.conf:5:32: clear: acceptpct 60 is above the condition's 50
	raban: bad.conf:5:64: trigger 'c': a health trigger has no levels
	raban: bad.conf:7:50: unknown prefix list 'nosuch'
	raban: bad.conf:7:70: unknown action 'nope'
	EOF
	diff -u want got
	# a good one parses; the man page's example does too (raban.bats checks the whole)
	hconf 'port 443; acceptpct 90; hold 3; clear { acceptpct 50; } top 10; lookback 10;'
	run -0 --separate-stderr raban -t -c h.conf
	assert_output "h.conf: configuration OK (1 triggers, 1 actions)"
}

@test "raban -S health: argus -P serves host health and flows; a full accept queue bans the flooding source, then unbans it" {
	[ "$(id -u)" = 0 ] || skip "a network namespace needs root"
	command -v python3 >/dev/null && command -v unshare >/dev/null && command -v ip >/dev/null ||
		skip "needs python3, unshare and ip"
	unshare -n true 2>/dev/null || skip "cannot make a network namespace here"
	PORT=$((20000 + RANDOM % 12000))
	P2=$((PORT + 1))
	cat > flood.py <<-'PY'
	import socket, sys, time
	port = int(sys.argv[1])
	s = socket.socket(); s.bind(("127.0.0.1", port)); s.listen(1)	# never accepts
	held = []
	def attempt(src, n):
	    for _ in range(n):
	        c = socket.socket(); c.setblocking(False); c.bind((src, 0))
	        try: c.connect(("127.0.0.1", port))
	        except BlockingIOError: pass
	        held.append(c)
	attempt("127.0.0.2", 2)	# these two fill the accept queue
	time.sleep(0.3)
	attempt("127.0.0.9", 20); attempt("127.0.0.3", 1)
	time.sleep(5)
	for c in held: c.close()
	s.close()
	open("flood-done", "w").close()
	PY
	hconf "port $PORT; acceptpct 90; hold 2; top 1;" 2
	run -0 unshare -n bash -c "set -e
		ip link set lo up
		argus -X -d -i lo -S 1 -M 1 -P $P2 -o ARGUS_HOST_HEALTH=yes -o ARGUS_HOST_HEALTH_PORTS=$PORT 2>argus.log 3>&- &
		a=\$!
		for i in \$(seq 50); do ss -Hltn 'sport = :$P2' | grep -q . && break; sleep 0.1; done
		raban -c h.conf -S 127.0.0.1:$P2 2>raban.log 3>&- &
		r=\$!
		for i in \$(seq 50); do grep -q streaming argus.log && break; sleep 0.1; done
		python3 flood.py $PORT
		for i in \$(seq 100); do ls ev/unban.* >/dev/null 2>&1 && break; sleep 0.1; done
		kill -TERM \$r; wait \$r || true
		kill -TERM \$a; wait \$a || true"
	cat raban.log
	[ -f flood-done ]
	grep -q 'ban trigger=queue target=127.0.0.9 .* health: lport='"$PORT"' acceptpct=200' raban.log
	grep -q 'unban trigger=queue target=127.0.0.9 ' raban.log
	# top 1: only the flooding source, once
	[ "$(ls ev/ban.* | wc -l)" -eq 1 ]
	grep -qx 'TARGET=127.0.0.9' ev/ban.*
	grep -qx "PORT=$PORT" ev/ban.*
	grep -qx 'TARGET=127.0.0.9' ev/unban.*
}
