#!/usr/bin/env bats
# rabins.bats - time bins: the issue's commands, totals kept exactly, known
# splits, -m as racluster, -B with late records over a pipe, per-bin files,
# load bins, output forms, usage errors, and agreement with Debian's rabins.
load test_helper

S="$DATA/sample-v1.argus"
C="$DATA/bins-compat"

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$S" day.argus
}

sum() {	# packets and bytes of the text records on stdin (-s pkts bytes)
	awk '{p += $1; b += $2} END {print p + 0, b + 0}'
}

@test "the issue's commands run as written (a pipe for -S probe)" {
	set -o pipefail
	run -0 rabins -r day.argus -M time 10s -m proto -s stime dur proto trans pkts bytes
	[ "${#lines[@]}" -ge 4 ]
	run -0 bash -c 'rabins -M 1s -s stime ltime saddr daddr load:15 -r - < day.argus'
	[[ "${lines[0]}" == *"Load"* ]]
	[ "${#lines[@]}" -ge 10 ]
	for f in "src bytes lt 1 or dst bytes lt 1 or src rate lt 1 or dst rate lt 1" "ploss gt 0" \
		 "frag or retrans or outoforder or winshut"; do
		run -0 bash -c "ra -r day.argus -w - | rabins -B 15s -M 5s -r - - $f"
	done
	run -0 bash -c "ra -r day.argus -w - | rabins -B 15s -M 5m -r - - src bytes lt 1 or dst bytes lt 1"
}

# Serve file $1 over a live stream (radium -P) to the rabins command in
# "${@:2}", with -S 127.0.0.1:PORT -M noreconnect put first: its output in
# live.out, its errors in live.err, its status in live.rc.
live() {
	local file=$1 end port pid rpid
	shift
	rm -f replay && mkfifo replay
	radium -r replay -P 0 2>radium.err 3>&- &
	rpid=$!
	end=$((SECONDS + 60))
	until grep -q 'listening on 127.0.0.1:' radium.err 2>/dev/null; do
		kill -0 $rpid 2>/dev/null && [ $SECONDS -lt $end ] || { echo "radium is not serving:"; cat radium.err; return 1; }
		sleep 0.1
	done
	port=$(grep -o 'listening on 127.0.0.1:[0-9]*' radium.err | grep -o '[0-9]*$')
	rabins -S "127.0.0.1:$port" -M noreconnect "$@" >live.out 2>live.err 3>&- &
	pid=$!
	# radium takes the client's hello while its fifo is open and quiet;
	# records before that would not reach rabins: wait for "streaming",
	# not for the connection alone
	exec 4>replay
	until grep -q ': streaming' radium.err; do
		[ $SECONDS -lt $end ] && sleep 0.1 || { echo "rabins did not connect:"; cat live.err radium.err; exec 4>&-; kill $pid $rpid; return 1; }
	done
	cat "$file" >&4
	exec 4>&-
	wait "$rpid"
	echo 0 >live.rc
	wait "$pid" || echo $? >live.rc
}

@test "the issue's -S probe commands, over a live stream from radium, and late records on it" {
	command -v ss >/dev/null || skip "needs ss (iproute2)"
	set -o pipefail
	n=0
	for f in "src bytes lt 1 or dst bytes lt 1 or src rate lt 1 or dst rate lt 1" "ploss gt 0" \
		 "frag or retrans or outoforder or winshut"; do
		for w in 5m 5s; do
			live day.argus -B 15s -M $w - $f
			[ "$(cat live.rc)" = 0 ] || { echo "rabins -S ... -M $w - $f: status $(cat live.rc)"; cat live.err; false; }
			rabins -r day.argus -B 15s -M $w - $f > want.out
			diff want.out live.out
			n=$((n + 1))
		done
	done
	[ "$n" -eq 6 ]
	# the first records again after five seconds of others: late, counted and said
	ragen -n 5000 -s 3 -w five.argus
	ra -r five.argus -N 3 -w first3.argus
	cat five.argus first3.argus > late.argus
	live late.argus -B 1s -M 1s -m proto -L -1 -s pkts bytes
	[ "$(cat live.rc)" = 0 ] || { cat live.err; false; }
	[[ "$(cat live.err)" == *"rabins: 127.0.0.1:"*"came after its bin closed (-B 1s): not counted"* ]]
	grep -q "^rabins: 3 records came after their bins had closed (-B 1s): " live.err
	read -r wp wb <<< "$(ra -r late.argus -L -1 -s pkts bytes | sum)"
	read -r gp gb <<< "$(sum < live.out)"
	[[ "$(tail -1 live.err)" =~ ": "([0-9]+)" packets, "([0-9]+)" bytes not counted"$ ]]
	assert_equal "$((gp + BASH_REMATCH[1])) $((gb + BASH_REMATCH[2]))" "$wp $wb"
}

@test "per-bin totals add up exactly to the input's, for every width, key and mode" {
	n=0
	for cap in tcpdump-afs ndpi-gnutella tcpdump-ssh; do
		argus -X -r "$DATA/$cap.pcap" -w c.argus 3>&-
		want=$(ra -r c.argus -nn -L -1 -s pkts bytes | sum)
		[ "$want" != "0 0" ]
		for w in 1s 7s 1m 1h; do
			for m in "" "-m proto" "-m saddr/16" "-m none" "-M rmon -m saddr"; do
				for mode in "" hard nomodify; do
					got=$(rabins -r c.argus -nn -M time $w $mode $m -L -1 -s pkts bytes | sum)
					if [[ "$m" == *rmon* ]]; then	# rmon counts each record twice
						read -r p b <<< "$want"
						[ "$got" = "$((2 * p)) $((2 * b))" ] || { echo "$cap $w $mode $m: $got"; false; }
					else
						[ "$got" = "$want" ] || { echo "$cap $w $mode $m: $got, want $want"; false; }
					fi
					n=$((n + 1))
				done
			done
		done
	done
	[ "$n" -eq 180 ]
}

@test "a record is cut with known answers (Debian's, on the same record)" {
	argus -X -r "$DATA/ndpi-gnutella.pcap" -w g.argus 3>&-
	# 9 packets, 1467 bytes, 00:00:15.284358 to 00:00:18.578853
	run -0 rabins -r g.argus -u -M 1s -L -1 -c , -s stime ltime spkts sbytes - udp and src port 63962 and dst port 1900
	assert_equal "${lines[0]}" "15.284358,15.284358,1,163"
	assert_equal "${lines[1]}" "16.000000,17.000000,3,489"
	assert_equal "${lines[2]}" "17.000000,18.000000,3,489"
	assert_equal "${lines[3]}" "18.000000,18.578853,2,326"
	# -M hard: the pieces carry their bins' bounds
	run -0 rabins -r g.argus -u -M hard time 1s -L -1 -c , -s stime ltime spkts - udp and src port 63962 and dst port 1900
	assert_equal "${lines[0]}" "15.000000,16.000000,1"
	# -M nomodify: whole in its start bin
	run -0 rabins -r g.argus -u -M nomodify time 1s -L -1 -c , -s stime ltime spkts - udp and src port 63962 and dst port 1900
	assert_equal "${lines[0]}" "15.284358,18.578853,9"
}

@test "-m inside one bin gives racluster's groups" {
	set -o pipefail
	for m in "proto dport" "saddr/24" "matrix" ""; do
		racluster -r day.argus -nn ${m:+-m $m} -L -1 -c , -s proto saddr daddr dport spkts dpkts sbytes dbytes trans |
			sort > want
		rabins -r day.argus -nn -M nomodify time 1d ${m:+-m $m} -L -1 -c , \
			-s proto saddr daddr dport spkts dpkts sbytes dbytes trans | sort > got
		[ -s want ]
		diff want got
	done
}

@test "bins come out in time order, and -B streams them out with late records reported" {
	set -o pipefail
	ragen -n 5000 -s 3 -w five.argus
	ra -r five.argus -N 3 -w first3.argus
	run -0 rabins -r five.argus -M 1s -m proto -L -1 -u -s stime
	sort -n -c <<< "$output"
	read -r wp wb <<< "$(cat five.argus first3.argus | ra -r - -L -1 -s pkts bytes | sum)"
	# over a pipe, the first three records again at the end: their bin has closed
	run -0 --separate-stderr bash -c 'cat five.argus first3.argus | rabins -B 1s -M 1s -m proto -L -1 -s pkts bytes -r -'
	read -r gp gb <<< "$(sum <<< "$output")"
	assert_equal "${stderr_lines[0]}" "rabins: -: record 5001 (start 2024-01-01 00:00:00.000000 UTC) came after its bin closed (-B 1s): not counted"
	[[ "${stderr_lines[3]}" =~ ^"rabins: 3 records came after their bins had closed (-B 1s): "([0-9]+)" packets, "([0-9]+)" bytes not counted"$ ]]
	# what was binned and what was reported late add up to the input
	[ "${BASH_REMATCH[1]}" -gt 0 ]
	assert_equal "$((gp + BASH_REMATCH[1])) $((gb + BASH_REMATCH[2]))" "$wp $wb"
	# without -B every bin waits for the end: nothing is late
	run -0 --separate-stderr bash -c 'cat five.argus first3.argus | rabins -M 1s -m proto -L -1 -s pkts bytes -r -'
	[ -z "$stderr" ]
	# with -B the first bins are written before the input ends
	mkfifo in
	(rabins -B 1s -M 1s -m proto -L -1 -u -s stime -r - < in > out &)
	exec 4> in
	ra -r five.argus -w - >&4
	sleep 1
	[ -s out ]
	exec 4>&-
}

@test "a file (records framed from its map) and a pipe (record by record) give the same bins" {
	ragen -n 30000 -s 7 -g 10000 -w g.argus	# five minutes
	n=0
	for opts in "-M 1m -m proto dport" "-M 10s -m saddr/24" "-B 5s -M 1s -m proto" "-M hard time 1m -m dport" \
		    "-M 1s" "-B 2s -M 1s -m proto dport"; do
		for f in "" "- tcp"; do
			rabins -r g.argus $opts -nn -u -c , -s stime ltime proto saddr dport spkts dpkts sbytes dbytes trans $f > file.txt
			rabins -r - $opts -nn -u -c , -s stime ltime proto saddr dport spkts dpkts sbytes dbytes trans $f < g.argus > pipe.txt
			[ "$(wc -l < file.txt)" -gt 10 ]
			diff file.txt pipe.txt
			n=$((n + 1))
		done
	done
	[ "$n" -eq 12 ]
}

@test "-w with strftime fields writes one file per bin, and -w - a stream" {
	run -0 rabins -r day.argus -M time 1s -m proto -w 'bins/%Y/%H%M%S.argus'
	run -0 find bins -type f
	[ "${#lines[@]}" -eq 6 ]
	[ -f bins/2024/000000.argus ] && [ -f bins/2024/000005.argus ]
	want=$(ra -r day.argus -L -1 -s pkts bytes | sum)
	got=$(ra -R bins -L -1 -s pkts bytes | sum)
	assert_equal "$got" "$want"
	run -0 ra -r bins/2024/000001.argus -L -1 -u -s stime
	for l in "${lines[@]}"; do [[ "$l" == *1704067201.* ]]; done
	got=$(rabins -r day.argus -M time 1s -m proto -w - | ra -r - -L -1 -s pkts bytes | sum)
	assert_equal "$got" "$want"
}

@test "-M count and -M size bins" {
	run -0 rabins -r day.argus -M count 50 -m none -L -1 -c , -s trans
	assert_equal "$output" "$(printf '%s\n' 50 50 50 50)"
	run -0 rabins -r day.argus -M count 64 -m none -L -1 -s trans
	[ "${#lines[@]}" -eq 4 ]
	run -0 rabins -r day.argus -M size 4k -m none -L -1 -s trans
	[ "${#lines[@]}" -gt 2 ]
	want=$(ra -r day.argus -L -1 -s pkts bytes | sum)
	got=$(rabins -r day.argus -M size 4k -m none -L -1 -s pkts bytes | sum)
	assert_equal "$got" "$want"
}

@test "CSV and JSON, like every client" {
	run -0 rabins -r day.argus -M 1s -m proto -c , -s stime proto pkts
	assert_equal "${lines[0]}" "StartTime,Proto,TotPkts"
	run -0 rabins -r day.argus -M 1s -m proto -M json -s proto pkts -N 1
	[[ "$output" == '{"proto":'*'"pkts":'* ]]
}

@test "usage errors" {
	run -2 --separate-stderr rabins -r day.argus
	assert_equal "$stderr" "rabins: -M: no bins given (-M time 1m, -M 10s, -M count 1000, -M size 1m)"
	run -2 --separate-stderr rabins -r day.argus -M time 0s
	[[ "$stderr" == "rabins: -M time 0s: the width must be"* ]]
	run -2 --separate-stderr rabins -r day.argus -M 1s bogus
	[[ "$stderr" == *"unknown mode 'bogus'"* ]]
	run -2 --separate-stderr rabins -r day.argus -M 1s -B soon
	[[ "$stderr" == "rabins: -B 'soon': the hold must be"* ]]
	run -2 --separate-stderr rabins -r day.argus -M count 10 -B 5s
	assert_equal "$stderr" "rabins: -B: only with time bins"
	run -2 --separate-stderr rabins -r day.argus -M 1s -m bytes
	[[ "$stderr" == *"not an identity field"* ]]
	run -1 --separate-stderr rabins -r nosuch.argus -M 1s
	[[ "$stderr" == *"nosuch.argus"* ]]
}

@test "damaged input: good records before the damage still binned, the damage reported" {
	head -c 3000 day.argus > cut.argus
	run -1 --separate-stderr rabins -r cut.argus -M 1s -m none -L -1 -s trans
	[ "${#lines[@]}" -ge 1 ]
	[[ "$stderr" == *"cut.argus"* ]]
}

@test "fidelity: per-bin packets and bytes by protocol agree with Debian's rabins" {
	n=0
	for exp in "$C"/*.expected; do
		base=$(basename "$exp" .expected)
		cap=${base%.*}
		w=${base##*.}
		argus -X -r "$DATA/$cap.pcap" -w o.argus 3>&-
		rabins -nn -u -r o.argus -M hard time "$w" -m proto -c ' ' -s stime proto spkts sbytes dpkts dbytes |
			sed 's/ arp / 2054 /' | sh "$DATA/cluster-compat/normalize.sh" > ours
		got=$( { comm -23 "$exp" ours | sed "s/^/$cap $w deb /"; comm -13 "$exp" ours | sed "s/^/$cap $w ours /"; } )
		want=$(grep "^$cap $w " "$C/exceptions.txt" || true)
		[ "$got" = "$want" ] || { echo "$cap $w differs from Debian's rabins:"; diff <(echo "$want") <(echo "$got"); false; }
		agree=$(comm -12 "$exp" ours | wc -l)
		echo "$cap $w: $agree bins agree" >&3
		n=$((n + 1))
	done
	[ "$n" -eq 14 ]
}
