#!/usr/bin/env bats
# sflow.bats - argus's sFlow v5 input end to end: captures replayed with
# -r sflow:FILE, datagrams sent over loopback UDP to -i sflow:ADDR:PORT.
# Expected values come from `tshark -V` on the same captures (noted per test).
bats_require_minimum_version 1.5.0
load test_helper

SEND="$top_builddir/bench/sflow-send"
STATUS="$top_builddir/tests/gen/sflow_status"
F="srcid subagent samprate inif outif saddr daddr proto spkts sbytes"

setup() { cd "$BATS_TEST_TMPDIR"; }

# Wait until the daemon has read everything queued on UDP port $1 (Recv-Q 0), then a little.
wait_drained() {
	for _ in $(seq 50); do
		[ "$(ss -Huln "sport = :$1" | awk '{print $2; exit}')" = 0 ] && break
		sleep 0.1
	done
	sleep 0.2
}

# Wait until something listens on UDP port $1 (at most 5 s).
wait_udp() {
	for _ in $(seq 50); do
		[ -n "$(ss -Hlun "sport = :$1")" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "sflow file: the flow sample of ndpi-sflow.pcap, weighted by its rate" {
	# tshark: one flow sample, agent 172.21.35.17 sub-agent 1, rate 2048, input 1048,
	# output 1043, Ethernet header of an 82-byte frame: ICMP 172.21.32.254 -> 172.21.32.241.
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap" -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s $F
	assert_output "172.21.35.17,1,2048,1048,1043,172.21.32.254,172.21.32.241,icmp,2048,167936"
}

@test "sflow file: an expanded flow sample (format 3)" {
	# tshark: agent 49.49.49.49, rate 1000, input 29001, frame length 126, TCP PSH+ACK
	# 52.52.52.52:22 -> 53.53.53.53:52237 (midstream: the engine makes port 22 the
	# destination, as Argus does, so the packets count in the reverse direction).
	# The output value 1285816721 does not fit 30 bits: kept modulo 2^30.
	run -0 argus -r "sflow:$DATA/tcpdump-sflow_expanded.pcap" -w out
	run -0 --separate-stderr ra -r out -n -L -1 -c , -s srcid samprate inif outif daddr dport saddr sport pkts bytes
	assert_output "49.49.49.49,1000,29001,212074897,52.52.52.52,22,53.53.53.53,52237,1000,126000"
}

@test "sflow file: IPv6 agent, 13 samples at rate 1, output 'multiple'" {
	# tshark: 25 datagrams from 30::1:1:1, 13 flow samples of 10.10.10.2 -> 50.1.1.2 (IP proto 63),
	# frame lengths 11 x 64 + 250 + 500 = 1454, output format 2 value 0.
	run -0 argus -r "sflow:$DATA/tcpdump-sflow-print-v6.pcap" -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid outif saddr daddr spkts sbytes
	sums=$(echo "$output" | awk -F, '{p += $5; b += $6; print $1, $2, $3, $4 > "keys"} END {print p, b}')
	[ "$sums" = "13 1454" ]
	run sort -u keys
	assert_output "30::1:1:1 multi:0 10.10.10.2 50.1.1.2"
}

@test "sflow file: counter samples become interface status records, none dropped" {
	# tshark: 144 counter samples (142 expanded, 2 plain) in 25 sFlow datagrams from 7
	# agent/sub-agent pairs; 5 more UDP datagrams to 6343 are NetFlow v5, not sFlow.
	run -0 argus -r "sflow:$DATA/tcpdump-sflow_multiple_counter_30_pdus.pcap" -w out
	run -0 sh -c "'$STATUS' out | awk '\$1 == \"iface\" && \$3 == 2' | wc -l"
	assert_output 144
	run -0 sh -c "'$STATUS' out | awk '\$1 == \"agent\" && \$3 == 1 {print \$2, \$4}' | sort -u | wc -l"
	assert_output 7
	# key 100 + 1 (sflow_version): the five NetFlow datagrams, counted input-wide.
	run -0 sh -c "'$STATUS' out | awk '\$1 == \"agent\" && \$2 == \"-\" && \$3 == 101 {v = \$5} END {print v}'"
	assert_output 5
	run -0 --separate-stderr ra -r out -L -1 -s saddr
	assert_output ""
}

@test "sflow file: generic interface counters as tshark shows them" {
	# tshark, frame 1 of ndpi-sflow.pcap: ifIndex 1036, ifSpeed 100000000, in octets 25963724,
	# out octets 5455297 (keys 11, 14, 21; aux is the ifindex).
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap" -w out
	run -0 sh -c "'$STATUS' out | awk '\$1 == \"iface\" && \$4 == 1036 && (\$3 == 11 || \$3 == 14 || \$3 == 21)' | head -3"
	assert_output "iface 172.21.35.17 11 1036 100000000
iface 172.21.35.17 14 1036 25963724
iface 172.21.35.17 21 1036 5455297"
}

@test "sflow file: agent status records every status interval" {
	# tshark: the 9 datagrams of ndpi-sflow.pcap arrive at 0, 19, 30, 43, 49, 60, 79, 90
	# and 109 s.  Every 60 s (the default) and at the end: after 5 and 9 datagrams; every
	# 10 s: before the datagrams at 19, 30, 43, 60, 79, 90, 109 s, and at the end.
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap" -w out
	run -0 sh -c "'$STATUS' out | awk '\$1 == \"agent\" && \$2 == \"172.21.35.17\" && \$3 == 1 {print \$5}' | xargs"
	assert_output "5 9"
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap,status=10" -w out
	run -0 sh -c "'$STATUS' out | awk '\$1 == \"agent\" && \$2 == \"172.21.35.17\" && \$3 == 1 {print \$5}' | xargs"
	assert_output "1 2 3 5 6 7 8 9"
}

@test "sflow file: the agent is part of the flow key" {
	# Two agents sample the same single flow, 10 datagrams of 2 samples each, rate 1000.
	run -0 "$SEND" -g 2 -a 2 -F 1 -n 10 -w two.pcap
	run -0 argus -r "sflow:two.pcap" -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid saddr daddr spkts
	assert_output "10.255.0.1,10.0.0.0,192.168.0.1,10000
10.255.0.2,10.0.0.0,192.168.0.1,10000"
}

@test "sflow file: srcid, samprate and inif print, filter and cluster" {
	# 10 datagrams alternating between 2 agents, 2 samples each over 3 flows, rate 1000,
	# input ifindex 3: each agent stands for 5 x 2 x 1000 = 10000 packets.
	run -0 "$SEND" -g 2 -a 2 -F 3 -n 10 -w two.pcap
	run -0 argus -r "sflow:two.pcap" -w out
	run -0 --separate-stderr racluster -m srcid -r out -L -1 -c , -s srcid pkts
	assert_output "10.255.0.1,10000
10.255.0.2,10000"
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid spkts - srcid 10.255.0.2 and samprate 1000 and inif 3
	sums=$(echo "$output" | awk -F, '{print $1 > "ids"; p += $2} END {print NR, p}')
	[ "$sums" = "3 10000" ]
	run sort -u ids
	assert_output "10.255.0.2"
}

@test "sflow file: sFlow and packet inputs in one daemon" {
	# The same capture twice: as sFlow (one sampled ICMP flow) and as packets (the sFlow
	# datagrams themselves: tshark shows 9 UDP datagrams to 6343, 8 x 186 + 214 bytes).
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap" -r "$DATA/ndpi-sflow.pcap" -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid samprate spkts - icmp
	assert_output "172.21.35.17,2048,2048"
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid spkts sbytes - udp and dst port 6343
	sums=$(echo "$output" | awk -F, '{i = i $1; p += $2; b += $3} END {print "[" i "]", p, b}')
	[ "$sums" = "[] 9 1702" ]
}

@test "sflow file: sampled IPv4 records without a raw header" {
	# 4 datagrams x 3 samples over 2 flows, each a sampled IPv4 record of a 986-byte TCP
	# packet at rate 1000 (tshark decodes them as "IPv4 data" records): 6 samples a flow.
	run -0 "$SEND" -I -g 3 -F 2 -n 4 -w ip.pcap
	run -0 argus -r "sflow:ip.pcap" -w out
	run -0 --separate-stderr ra -r out -n -L -1 -c , -s srcid saddr sport daddr dport proto spkts sbytes samprate inif outif
	assert_output "10.255.0.1,10.0.0.0,1024,192.168.0.1,80,tcp,6000,5916000,1000,3,4
10.255.0.1,10.0.0.1,1025,192.168.0.1,80,tcp,6000,5916000,1000,3,4"
}

@test "sflow file: allow-list and rate cap" {
	run -0 "$SEND" -g 2 -a 2 -F 1 -n 10 -w two.pcap
	run -0 argus -r "sflow:two.pcap,allow=10.255.0.2@100" -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid samprate spkts
	assert_output "10.255.0.2,100,1000"
	# the 5 datagrams of 10.255.0.1 are counted as denied (key 20)
	run -0 sh -c "'$STATUS' out | awk '\$2 == \"-\" && \$3 == 20 {v = \$5} END {print v}'"
	assert_output 5
	run -0 argus -r "sflow:two.pcap,cap=10" -w out2
	run -0 --separate-stderr ra -r out2 -L -1 -c , -s srcid samprate spkts
	assert_output "10.255.0.1,10,100
10.255.0.2,10,100"
}

@test "sflow file: the config file sets the allow-list (SFLOW_ALLOW)" {
	run -0 "$SEND" -g 1 -a 3 -F 1 -n 3 -w three.pcap
	run -0 argus -o SFLOW_ALLOW="10.255.0.1 10.255.0.3/32" -r sflow:three.pcap -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid
	assert_output "10.255.0.1
10.255.0.3"
}

@test "sflow file: allow-list and cap from a config file (-F)" {
	run -0 "$SEND" -g 2 -a 2 -F 1 -n 10 -w two.pcap
	printf '%s\n' '# sFlow policy' 'SFLOW_ALLOW=10.255.0.2' 'SFLOW_RATE_CAP=10' > argus.conf
	run -0 argus -F argus.conf -r "sflow:two.pcap" -w out
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid samprate spkts
	assert_output "10.255.0.2,10,100"
	printf 'SFLOW_RATE_CAP=many\n' > bad.conf
	run -2 --separate-stderr argus -F bad.conf -r "sflow:two.pcap" -w out
	[[ "$stderr" == *"rate cap"* ]]
}

@test "sflow file: another port after the file name" {
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap:9999" -w out
	run -0 --separate-stderr ra -r out -L -1 -s saddr
	assert_output ""
	run -0 argus -r "sflow:$DATA/ndpi-sflow.pcap:6343" -w out
	run -0 --separate-stderr ra -r out -L -1 -s samprate
	assert_output "    2048"
}

@test "sflow: bad arguments are usage errors" {
	run -2 --separate-stderr argus -i "sflow:1.2.3.4.5:6343" -w out
	assert_output ""
	[[ "$stderr" == *"want [ADDR:]PORT"* ]]
	run -2 --separate-stderr argus -r "sflow:$DATA/ndpi-sflow.pcap,cap=lots" -w out
	[[ "$stderr" == *"rate cap"* ]]
	run -2 --separate-stderr argus -r "sflow:$DATA/ndpi-sflow.pcap,allow=10.0.0.0/40" -w out
	[[ "$stderr" == *"10.0.0.0/40"* ]]
}

@test "sflow file: corpus of broken datagrams, no hang" {
	n=0
	for f in "$CORPUS"/sflow/*; do
		"$SEND" -f "$f" -w one.pcap 2>/dev/null
		run -0 timeout 10 argus -r "sflow:one.pcap" -w out
		run -0 --separate-stderr ra -r out -q
		n=$((n + 1))
	done
	[ "$n" -gt 30 ]
}

@test "sflow socket: datagrams over loopback UDP into a running daemon" {
	port=$((20000 + RANDOM % 12000))
	timeout 30 argus -i "sflow:127.0.0.1:$port" -w out 3>&- &
	pid=$!
	wait_udp "$port"
	run -0 "$SEND" -f "$DATA/ndpi-sflow.pcap" 127.0.0.1 "$port"
	run -0 "$SEND" -g 4 -a 1 -F 3 -n 25 127.0.0.1 "$port"
	wait_drained "$port"
	kill -TERM "$pid"
	wait "$pid"
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid samprate inif outif saddr spkts sbytes - host 172.21.32.254
	assert_output "172.21.35.17,2048,1048,1043,172.21.32.254,2048,167936"
	# 25 datagrams x 4 samples over 3 flows, rate 1000: 100000 packets of 1004 bytes
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid spkts sbytes - net 10.0.0.0/8
	sums=$(echo "$output" | awk -F, '{p += $2; b += $3} END {print NR, p, b}')
	[ "$sums" = "3 100000 100400000" ]
	# the agent status: 25 datagrams and 100 flow samples from 10.255.0.1, none lost
	run -0 sh -c "'$STATUS' out | awk '\$2 == \"10.255.0.1\" && \$3 <= 5 {v[\$3] = \$5} END {print v[1], v[2], v[4], v[5]}'"
	assert_output "25 100 0 0"
}

@test "sflow socket: IPv6 loopback" {
	grep -q ' lo$' /proc/net/if_inet6 2>/dev/null || skip "no IPv6 loopback"
	port=$((20000 + RANDOM % 12000))
	timeout 30 argus -i "sflow:[::1]:$port" -w out 3>&- &
	pid=$!
	wait_udp "$port"
	run -0 "$SEND" -f "$DATA/tcpdump-sflow_expanded.pcap" ::1 "$port"
	wait_drained "$port"
	kill -TERM "$pid"
	wait "$pid"
	run -0 --separate-stderr ra -r out -L -1 -c , -s srcid samprate pkts bytes
	assert_output "49.49.49.49,1000,1000,126000"
}

@test "sflow socket: kernel drops are read back (SO_RXQ_OVFL)" {
	port=$((20000 + RANDOM % 12000))
	timeout 30 argus -i "sflow:127.0.0.1:$port,rcvbuf=65536" -w out 3>&- &
	pid=$!
	wait_udp "$port"
	# stop argus itself (not timeout, its parent) and make sure it is stopped:
	# a stopped reader lets the small buffer overflow
	apid=$(pgrep -P "$pid" argus)
	[ -n "$apid" ]
	kill -STOP "$apid"
	for _ in $(seq 100); do
		[ "$(awk '{print $3}' "/proc/$apid/stat")" = T ] && break
		sleep 0.05
	done
	[ "$(awk '{print $3}' "/proc/$apid/stat")" = T ]
	run -0 "$SEND" -g 10 -n 500 127.0.0.1 "$port"
	kill -CONT "$apid"
	wait_drained "$port"
	# one more datagram after the overflow carries the final drop count
	run -0 "$SEND" -f "$DATA/ndpi-sflow.pcap" -n 1 127.0.0.1 "$port"
	wait_drained "$port"
	kill -TERM "$pid"
	wait "$pid"
	run -0 sh -c "'$STATUS' out | awk '\$2 == \"10.255.0.1\" && \$3 == 1 {r = \$5} \$2 == \"-\" && \$3 == 23 {k = \$5} END {print (k > 0), r + k}'"
	assert_output "1 500"
}
