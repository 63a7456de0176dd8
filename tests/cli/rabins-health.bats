#!/usr/bin/env bats
# rabins-health.bats - rabins and ragraph over host health records (argus -o
# ARGUS_HOST_HEALTH, selected with "- health"), on tests/data/health-flood.argus
# (one host-wide record and one for the listener 127.0.0.1:24443 every second):
# every bin is checked against what ra prints for the same records, summed
# or taken at their worst by a script of the test's own.
bats_require_minimum_version 1.5.0
load test_helper

F="$DATA/health-flood.argus"

setup() {
	cd "$BATS_TEST_TMPDIR"
	command -v python3 >/dev/null || skip "needs python3 to compute the bins from ra's output"
	# bins.py WIDTH KEYS: ra's CSV rows of status records on stdin, the bins
	# rabins should make as "bin source item=value ..." lines, sorted
	cat > bins.py <<-'PY'
	import sys, collections
	from datetime import datetime, timezone
	width, keys = float(sys.argv[1]), sys.argv[2]
	SUM = {"syncookiessent", "syncookiesrecv", "syncookiesfailed", "listenoverflows", "listendrops",
	       "tcpreqqfulldrop", "tcpreqqfulldocookies", "interval"}
	recs = collections.OrderedDict()
	for line in sys.stdin:
	    t, proto, kind, src, item, val = line.rstrip("\n").split(",")
	    if t == "StartTime":
	        continue
	    recs.setdefault((t, src), {})[item] = val
	groups = collections.OrderedDict()
	for (t, src), items in recs.items():
	    ts = datetime.strptime(t, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()
	    b = int(ts // width)
	    listener = "lport" in items
	    key = (b, listener, items.get("lport") if "lport" in keys else "", src if "saddr" in keys else "")
	    g = groups.setdefault(key, {})
	    for k, v in items.items():
	        if v == "-":
	            continue
	        x = float(v)
	        if k not in g:
	            g[k] = x
	        elif k in SUM:
	            g[k] += x
	        elif k == "memavail":
	            g[k] = min(g[k], x)
	        else:
	            g[k] = max(g[k], x)
	out = []
	for (b, listener, lport, src), g in groups.items():
	    out.append("%d %s %s" % (b, "L" if listener else "H", " ".join("%s=%.2f" % kv for kv in sorted(g.items()))))
	print("\n".join(sorted(out)))
	PY
	# the same lines from rabins' CSV rows (-c ,)
	cat > got.py <<-'PY'
	import sys, collections
	from datetime import datetime, timezone
	width = float(sys.argv[1])
	recs = collections.OrderedDict()
	n = 0
	for line in sys.stdin:
	    t, proto, kind, src, item, val = line.rstrip("\n").split(",")
	    if t == "StartTime":
	        n += 1
	        continue
	    if item == "lport" or (t, src, n) not in recs:
	        n += item == "lport" or (t, src, n) not in recs and bool(recs)
	    recs.setdefault((t, src, n), {})[item] = val
	out = []
	for (t, src, _), items in recs.items():
	    ts = datetime.strptime(t, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()
	    out.append("%d %s %s" % (int(ts // width), "L" if "lport" in items else "H",
	               " ".join("%s=%.2f" % (k, float(v)) for k, v in sorted(items.items()) if v != "-")))
	print("\n".join(sorted(out)))
	PY
}

@test "rabins - health: 1 s bins of one-second samples are the records as ra prints them" {
	run -0 --separate-stderr ra -r "$F" - health
	[ "${#lines[@]}" -ge 20 ]
	printf '%s\n' "${lines[@]}" > ra.txt
	run -0 --separate-stderr rabins -r "$F" -M time 1s - health
	printf '%s\n' "${lines[@]}" > rabins.txt
	diff -u ra.txt rabins.txt
}

@test "rabins - health: wider bins sum the counters' deltas and keep the gauges' worst, host and listener apart" {
	for w in 2 5 60; do
		ra -r "$F" -c , - health | python3 bins.py $w "lport saddr" > want.$w
		[ "$(wc -l < want.$w)" -ge 2 ]
		rabins -r "$F" -M time ${w}s -c , - health | python3 got.py $w > got.$w
		diff -u want.$w got.$w
	done
	# 5 s bins: 124 overflows in the first (4 samples of 31), the queue's worst 2
	grep -q '^[0-9]* H .*listenoverflows=124.00 ' want.5
	grep -q '^[0-9]* L acceptmax=1.00 acceptq=2.00 lport=24443.00 synrecv=0.00$' want.5
}

@test "rabins - health: -s prints the fields of each bin; -M hard stamps the bin; -m lport keeps listeners by port" {
	run -0 --separate-stderr rabins -r "$F" -M hard time 5s -m lport -p 2 -s stime ltime cpu memavail acceptq lport listenoverflows - health
	assert_output "                 StartTime                   LastTime    Cpu     MemAvail AcceptQ  LPort  LstnOvfl
2026-12-07 22:17:35.000000 2026-12-07 22:17:40.000000  61.50  24579534848       0      0       124
2026-12-07 22:17:35.000000 2026-12-07 22:17:40.000000   0.00            0       2  24443         0
2026-12-07 22:17:40.000000 2026-12-07 22:17:45.000000 100.00  24520450048       0      0        62
2026-12-07 22:17:40.000000 2026-12-07 22:17:45.000000   0.00            0       2  24443         0
2026-12-07 22:17:45.000000 2026-12-07 22:17:50.000000 100.00  24110440448       0      0         0"
	# without -M hard: the first and last record of the group
	run -0 --separate-stderr rabins -r "$F" -M time 5s -m lport -s stime ltime acceptq - health
	assert_line --index 2 "2026-12-07 22:17:36.490473 2026-12-07 22:17:39.559788       2"
}

@test "rabins - health: -w writes the bins as host status records ra reads back; flows of the same input bin beside them" {
	run -0 --separate-stderr rabins -r "$F" -M time 5s -w bins.argus - health
	run -0 --separate-stderr ra -r bins.argus - health
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[0]}" == "2026-12-07 22:17:35.469281 man host - cpu=61.50 "*" listenoverflows=124 "*" interval=4.090507" ]]
	[[ "${lines[1]}" == "2026-12-07 22:17:36.490473 man host 127.0.0.1 lport=24443 acceptq=2 acceptmax=1 synrecv=0" ]]
	# "health or tcp": each bin's flows, then its health records, bins in time order
	run -0 --separate-stderr rabins -r "$F" -M time 5s -m proto -s stime proto pkts cpu acceptq - "health or tcp"
	[ "${#lines[@]}" -eq 8 ]
	[[ "${lines[1]}" == "2026-12-07 22:17:35.985464    tcp      130 "* ]]
	[[ "${lines[2]}" == "2026-12-07 22:17:35.469281 "*" 61.500000       0" ]]
	[[ "${lines[3]}" == "2026-12-07 22:17:36.490473 "*"       2" ]]
	[[ "${lines[4]}" == "2026-12-07 22:17:40.387425    tcp       66 "* ]]
	# the filter applies to health records too
	run -0 --separate-stderr rabins -r "$F" -M time 5s -s stime cpu - "health and cpu > 99"
	[ "${#lines[@]}" -eq 3 ]
}

@test "ragraph - health: gauges drawn as they are, counters per second; the CSV is rabins' bins" {
	run -0 --separate-stderr ragraph cpu memavail acceptq listenoverflows -M 5s -r "$F" -w g.csv - health
	run -0 cat g.csv
	assert_output "StartTime,cpu,memavail,acceptq,listenoverflows
2026-12-07 22:17:35.000000,61.50,24579534848.00,2.00,124
2026-12-07 22:17:40.000000,100.00,24520450048.00,2.00,62
2026-12-07 22:17:45.000000,100.00,24110440448.00,0.00,0"
	# keyed by listener port: the listener's series, and the host-wide records' (port 0)
	run -0 --separate-stderr ragraph acceptq lport -M 1s -r "$F" -w k.csv - health
	head -1 k.csv | grep -qx 'StartTime,24443,0'
	[ "$(grep -c ',2.00,0.00$' k.csv)" -eq 7 ]
	run -0 --separate-stderr ragraph cpu syncookiessent -M 1s -r "$F" -w g.png - health
	[ "$(head -c 4 g.png | od -An -c | tr -d ' ')" = '211PNG' ]
}

@test "rabins - health: load bins refused; a file cut inside a record is said, the bins before it written" {
	run -2 --separate-stderr rabins -r "$F" -M count 10 - health
	assert_equal "$stderr" "rabins: host health records go in time bins only (-M time N)"
	head -c 5000 "$F" > cut.argus
	run -1 --separate-stderr rabins -r cut.argus -M time 5s - health
	assert_equal "$stderr" "rabins: cut.argus: byte 4928 (record 45): file ends inside a record (72 of 104 bytes present)"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *" listenoverflows=62 "* ]]
	run -2 --separate-stderr ragraph cpu -M count 5 -r "$F" -w x.csv - health
}
