#!/usr/bin/env bats
# health.bats - host health records (ARGUS_HOST_HEALTH) for real: argus -i lo
# in a network namespace of the test's own (its TcpExt counters are the
# test's alone), a listener that never accepts under a burst of connections,
# and a SYN flood from raw sockets; the records are compared with ss -lnt and
# /proc/net/netstat read at the same moments.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	[ "$(id -u)" = 0 ] || skip "a network namespace and raw sockets need root"
	command -v python3 >/dev/null || skip "needs python3 for the listener and the clients"
	command -v unshare >/dev/null && command -v ip >/dev/null && command -v ss >/dev/null ||
		skip "needs unshare, ip and ss"
	unshare -n true 2>/dev/null || skip "cannot make a network namespace here"
	cd "$BATS_TEST_TMPDIR"
	PORT=$((20000 + RANDOM % 12000))
	export PORT
}

# The TcpExt counter $1 of this namespace.
netstat_cmd='netstat() { awk -v k="$1" '\''/^TcpExt:/ { if (!n) { for (i = 2; i <= NF; i++) c[$i] = i; n = 1 } else print $c[k] }'\'' /proc/net/netstat; }'

# The value of item $1 in each line of ra's text output on stdin.
item() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
# Sum of the integer values of item $1.
sum_item() { item "$1" | awk '{ s += $1 } END { print s + 0 }'; }

@test "host health: settings are checked" {
	run -2 --separate-stderr argus -X -r "$DATA/sample.pcap" -w x.argus -o ARGUS_HOST_HEALTH=maybe
	[[ "$stderr" == *ARGUS_HOST_HEALTH* ]]
	run -2 --separate-stderr argus -X -r "$DATA/sample.pcap" -w x.argus -o ARGUS_HOST_HEALTH=yes -o ARGUS_HOST_HEALTH_PORTS=80,http
	[[ "$stderr" == *ARGUS_HOST_HEALTH_PORTS* ]]
	# a file is not the host: said, and no host records
	run -0 --separate-stderr argus -X -r "$DATA/sample.pcap" -w x.argus -o ARGUS_HOST_HEALTH=yes
	[[ "$stderr" == *"only with a live input"* ]]
	run -0 --separate-stderr ra -r x.argus - health
	[ -z "$output" ]
}

@test "host health: a full accept queue and ListenOverflows, as ss -lnt and /proc/net/netstat say" {
	cat > backlog.py <<'PY'
import socket, sys, time
port = int(sys.argv[1])
s = socket.socket(); s.bind(("127.0.0.1", port)); s.listen(1)	# never accepts
held = []
for _ in range(8):	# a burst: two fit (backlog + 1), the others' SYNs are dropped
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", port))
    except BlockingIOError: pass
    held.append(c)
time.sleep(0.3)
open("ready", "w").close()
time.sleep(6)
PY
	run -0 unshare -n bash -c "set -e; $netstat_cmd
		ip link set lo up
		netstat ListenOverflows > n0
		argus -X -d -i lo -M 1 -o ARGUS_HOST_HEALTH=yes -o ARGUS_HOST_HEALTH_PORTS=$PORT -w h.argus 2>argus.err 3>&- &
		a=\$!
		sleep 1.2
		python3 backlog.py $PORT & p=\$!
		for i in \$(seq 50); do [ -f ready ] && break; sleep 0.1; done
		ss -Hlnt 'sport = :$PORT' > ss.txt
		sleep 2.5
		netstat ListenOverflows > n1
		kill -TERM \$a; wait \$a
		netstat ListenOverflows > n2
		kill \$p; wait \$p || true"
	cat argus.err
	run -0 --separate-stderr ra -r h.argus - health
	echo "$output"
	# listener records: the accept queue full, as ss saw it
	read -r _ recvq sendq _ < ss.txt
	[ "$sendq" -eq 1 ] && [ "$recvq" -eq 2 ]
	nl=$(grep -c " lport=$PORT " <<<"$output")
	[ "$nl" -ge 3 ]
	last=$(grep " lport=$PORT " <<<"$output" | tail -1)
	[ "$(item acceptq <<<"$last")" -eq "$recvq" ]
	[ "$(item acceptmax <<<"$last")" -eq "$sendq" ]
	[[ "$last" == "2"*" man host 127.0.0.1 lport=$PORT acceptq=2 acceptmax=1 synrecv=0" ]]
	# host records: ListenOverflows deltas sum to the counter's rise between
	# argus's start and its last sample (after n1, before n2)
	host=$(grep " man host - " <<<"$output")
	[ "$(grep -c . <<<"$host")" -ge 3 ]
	total=$(sum_item listenoverflows <<<"$host")
	n0=$(cat n0) n1=$(cat n1) n2=$(cat n2)
	echo "n0=$n0 n1=$n1 n2=$n2 sum=$total"
	[ "$total" -ge 1 ]
	[ $((n0 + total)) -ge "$n1" ] && [ $((n0 + total)) -le "$n2" ]
	# rising: more than one record saw overflows (the clients send their SYNs again)
	[ "$(item listenoverflows <<<"$host" | awk '$1 > 0' | wc -l)" -ge 2 ]
	grep -q " listeners=1 " <<<"$host"
	# the fields: the filter compares them, CSV and JSON carry them
	run -0 --separate-stderr ra -r h.argus - "health and acceptq >= 2 and lport $PORT"
	[ "$(grep -c . <<<"$output")" -eq "$nl" ]
	run -0 --separate-stderr ra -r h.argus - "health and listenoverflows > 0"
	[ -n "$output" ] && ! grep -qv "listenoverflows=[1-9]" <<<"$output"
	run -0 --separate-stderr ra -r h.argus -M json - health
	python3 -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
assert all(r["kind"] == "host" for r in recs)
assert any(r.get("acceptq") == 2 and r.get("acceptmax") == 1 for r in recs)
assert all(0 <= r["cpu"] <= 100 for r in recs if "cpu" in r and r["cpu"] is not None)
' <<<"$output"
	run -0 --separate-stderr ra -r h.argus -c , - health
	[[ "${lines[0]}" == "StartTime,Proto,Kind,Source,Item,Value" ]]
	grep -q ",man,host,127.0.0.1,acceptmax,1$" <<<"$output"
	# "man" selects them with the daemon's own records; "health" leaves those out
	run -0 --separate-stderr ra -r h.argus - man
	grep -q " man daemon " <<<"$output"
	run -0 --separate-stderr ra -r h.argus - health
	! grep -q " man daemon " <<<"$output"
}

@test "host health: a SYN flood makes SYN cookies, as /proc/net/netstat says" {
	cat > flood.py <<'PY'
import socket, struct, sys, random
port, n = int(sys.argv[1]), int(sys.argv[2])
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
dst = socket.inet_aton("127.0.0.1")
for i in range(n):	# SYNs from 192.0.2.0/24, whose SYN-ACKs nobody answers
    src = socket.inet_aton("192.0.2.%d" % (1 + i % 250))
    tcp = struct.pack("!HHIIBBHHH", 1024 + i, port, random.getrandbits(32), 0, 5 << 4, 0x02, 65535, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xffff, 0, 64, 6, 0, src, dst)
    raw.sendto(ip + tcp, ("127.0.0.1", 0))
PY
	cat > listen.py <<'PY'
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
open("ready", "w").close()
time.sleep(8)
PY
	run -0 unshare -n bash -c "set -e; $netstat_cmd
		ip link set lo up
		ip route add 192.0.2.0/24 dev lo
		if ! sysctl -qw net.ipv4.tcp_syncookies=1 2>/dev/null; then echo nosysctl > why; fi
		netstat SyncookiesSent > n0
		argus -X -d -i lo -M 1 -o ARGUS_HOST_HEALTH=yes -o ARGUS_HOST_HEALTH_PORTS=$PORT -w f.argus 2>argus.err 3>&- &
		a=\$!
		python3 listen.py $PORT & p=\$!
		for i in \$(seq 50); do [ -f ready ] && break; sleep 0.1; done
		sleep 1.2
		python3 flood.py $PORT 2000
		ss -Htn state syn-recv 'sport = :$PORT' | wc -l > synrecv.txt
		sleep 1.5
		netstat SyncookiesSent > n1
		kill -TERM \$a; wait \$a
		netstat SyncookiesSent > n2
		kill \$p; wait \$p || true"
	cat argus.err
	run -0 --separate-stderr ra -r f.argus - health
	echo "$output"
	host=$(grep " man host - " <<<"$output")
	total=$(sum_item syncookiessent <<<"$host")
	n0=$(cat n0) n1=$(cat n1) n2=$(cat n2)
	echo "n0=$n0 n1=$n1 n2=$n2 sum=$total synrecv(ss)=$(cat synrecv.txt)"
	# the deltas add up to the counter's rise, whatever the kernel did
	[ $((n0 + total)) -ge "$n1" ] && [ $((n0 + total)) -le "$n2" ]
	if [ -f why ] || [ "$n1" -eq "$n0" ]; then
		skip "this kernel sent no SYN cookies in the test's namespace (tcp_syncookies not settable or no cookies): the sums agree, the flood part is skipped"
	fi
	[ "$total" -ge 100 ]
	[ "$(item syncookiessent <<<"$host" | awk '$1 > 0' | wc -l)" -ge 1 ]
	# TCPReqQFullDoCookies counts the same cookies
	[ "$(sum_item tcpreqqfulldocookies <<<"$host")" -eq "$total" ]
	# the half-open connections the SYN queue kept, as ss counted them
	ss_n=$(cat synrecv.txt)
	[ "$ss_n" -ge 1 ]
	grep " lport=$PORT " <<<"$output" | item synrecv | grep -qx "$ss_n"
}
