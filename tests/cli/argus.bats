#!/usr/bin/env bats
# argus.bats - the capture daemon on pcap files: options, inputs, link types,
# the flow model, time, payload, outputs and errors.  Expected values come
# from Debian's argus 3.0.8 on the same captures (see tests/data/argus-compat)
# or from the captures themselves (tshark), as each test says.
bats_require_minimum_version 1.5.0
load test_helper

flows() {	# flows FILE [ra args...]: CSV flow lines, no header
	local f=$1
	shift
	ra -n -r "$f" -c , "$@" | tail -n +2
}

@test "argus: usage errors exit 2 and say why" {
	run -2 --separate-stderr argus -X
	[[ "$stderr" == *"no input"* ]]
	run -2 --separate-stderr argus -X -r "$DATA/tcpdump-ssh.pcap"
	[[ "$stderr" == *"no output"* ]]
	run -2 --separate-stderr argus -X -Q -r x -w y
	run -0 argus -h
	[[ "$output" == *"-r file"* ]]
}

@test "argus: a capture that cannot be read is an error naming it" {
	run -1 --separate-stderr argus -X -r "$BATS_TEST_TMPDIR/missing.pcap" -w "$BATS_TEST_TMPDIR/o"
	[[ "$stderr" == *missing.pcap* ]]
}

@test "argus: one SSH connection, as Debian's argus and tshark see it" {
	argus -X -r "$DATA/tcpdump-ssh.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s proto saddr sport daddr dport spkts dpkts sbytes dbytes state dir
	# 54 packets: 30 from the client (who sent the SYN), 24 from the server;
	# Debian's argus: the same counts, state FIN, Dir ->.
	assert_output "tcp,202.108.87.165,62146,223.132.53.222,22,30,24,7021,4939,FIN,->"
}

@test "argus: -w - writes the stream to stdout, several -r are read in order" {
	run -0 bash -c "argus -X -r '$DATA/tcpdump-ssh.pcap' -r '$DATA/tcpdump-dns_tcp.pcap' -w - | ra -n -r - -c , -s proto dport | tail -n +2"
	assert_output "tcp,22
tcp,53"
}

@test "argus: pcapng gives the same flows as pcap; nanosecond pcap reads" {
	argus -X -r "$DATA/tcpdump-dns_tcp.pcap" -w "$BATS_TEST_TMPDIR/a.argus"
	argus -X -r "$DATA/tcpdump-dns_tcp.pcapng" -w "$BATS_TEST_TMPDIR/b.argus"
	local f="stime ltime proto saddr sport daddr dport spkts dpkts sbytes dbytes state"
	# as sets: with worker threads (-W) records of different flows come in any order
	assert_equal "$(flows "$BATS_TEST_TMPDIR/a.argus" -s $f | sort)" "$(flows "$BATS_TEST_TMPDIR/b.argus" -s $f | sort)"
	argus -X -r "$DATA/tcpdump-tcp-handshake-nano.pcap" -w "$BATS_TEST_TMPDIR/n.argus"
	# Linux cooked capture; bytes without the 16-byte cooked header (as Argus).
	run -0 flows "$BATS_TEST_TMPDIR/n.argus" -s flgs proto sport dport spkts dpkts sbytes dbytes state
	assert_output --regexp "^ *s.*,tcp,46656,80,2,1,112,60,CON$"
}

@test "argus: a trailing expression is a BPF capture filter" {
	argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/o.argus" icmp
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s proto
	assert_equal "$(echo "$output" | sort -u)" "icmp"
	run -2 --separate-stderr argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/o.argus" no such filter
	[[ "$stderr" == *filter* ]]
}

@test "argus: an unsupported link type is named with its DLT, never silent" {
	run -0 --separate-stderr argus -X -r "$DATA/tcpdump-e1000g.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	[[ "$stderr" == *"DLT 226"* ]]
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s proto
	assert_output ""
}

@test "argus: PPP with MPLS, 802.1Q, raw IP and QinQ decode" {
	argus -X -r "$DATA/tcpdump-mpls-traceroute.pcap" -w "$BATS_TEST_TMPDIR/p.argus"
	run -0 flows "$BATS_TEST_TMPDIR/p.argus" -s flgs proto
	[[ "$output" == *p*m*udp* ]]
	argus -X -r "$DATA/tcpdump-802.1ad_QinQ.pcap" -w "$BATS_TEST_TMPDIR/q.argus"
	run -0 flows "$BATS_TEST_TMPDIR/q.argus" -s proto saddr daddr spkts dpkts dir
	assert_output "arp,172.21.79.97,172.21.79.100,1,1,who"
	argus -X -r "$DATA/ndpi-ocs.pcap" -w "$BATS_TEST_TMPDIR/r.argus"
	[ "$(flows "$BATS_TEST_TMPDIR/r.argus" -s proto | wc -l)" -gt 20 ]
}

@test "argus: ARP is 'who' between the IPv4 addresses; ICMP keyed as Argus shows it" {
	argus -X -r "$DATA/tcpdump-dhcp-rfc4388.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	run -0 bash -c "ra -n -r '$BATS_TEST_TMPDIR/o.argus' -c , -s proto saddr dir daddr - arp | tail -n +2 | sort -u"
	assert_output "arp,10.40.2.3,who,10.40.1.1"
	# Echo request: sport 0x0008, dport the identifier 0x4024 byte-swapped (Argus: 0x2440);
	# host unreachable 0x0103 (type 3, code 1).  The echo met that error: its
	# state is URH and it points at the router, as Debian's argus says.
	run -0 bash -c "ra -n -r '$BATS_TEST_TMPDIR/o.argus' -c , -s saddr sport daddr dport state inode - icmp | tail -n +2 | sort -u"
	assert_line "10.40.2.3,0x0008,10.30.4.4,0x2440,URH,10.40.1.1"
	assert_line "10.40.1.1,0x0103,10.40.2.3,0x0a1e,URH,"
}

@test "argus: a port unreachable marks the flow it refers to" {
	argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s flgs saddr daddr dport inode - "udp and dst port 4444 and dst host 131.151.1.60"
	assert_output --regexp "^ *e +I *,131.151.32.21,131.151.1.60,4444,131.151.1.60$"
}

@test "argus: later IPv4 fragments fold into their flow, also when they come first" {
	argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	# Debian's argus: 41 and 208 packets, 4223 and 291112 bytes (racluster).
	run -0 bash -c "ra -n -r '$BATS_TEST_TMPDIR/o.argus' -c , -s spkts dpkts sbytes dbytes - 'dst port 7000 and dst host 131.151.1.146' | tail -n +2 | awk -F, '{a+=\$1;b+=\$2;c+=\$3;d+=\$4} END {print a,b,c,d}'"
	assert_output "41 208 4223 291112"
	# Garbage fragments (first fragments too short for a TCP header): one
	# flow without ports between the two hosts, 1252 packets as in Argus.
	argus -X -r "$DATA/ndpi-ip_fragmented_garbage.pcap" -w "$BATS_TEST_TMPDIR/g.argus"
	run -0 flows "$BATS_TEST_TMPDIR/g.argus" -s flgs proto spkts
	assert_output --regexp "F *,tcp,1252$"
}

@test "argus: IPv6 fragments fold into their DNS flow (Argus makes bogus flows)" {
	argus -X -r "$DATA/ndpi-dns_fragmented.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	# The 55729 -> 53 exchange: one query, two answers of which the second
	# arrives in two fragments (tshark: 1494 + 368 bytes on the wire).
	run -0 bash -c "ra -n -r '$BATS_TEST_TMPDIR/o.argus' -c , -s sport dport spkts dpkts dbytes - 'src port 55729' | tail -n +2 | awk -F, '{a+=\$3;b+=\$4;c+=\$5} END {print a,b,c}'"
	assert_output "2 2 1862"
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s dport - "udp and dst port 0"
	assert_output ""
}

@test "argus: DNS transactions are flows of their own unless switched off" {
	argus -X -r "$DATA/tcpdump-edns-opts.pcap" -w "$BATS_TEST_TMPDIR/a.argus"
	# Debian's argus writes 21 flows for this capture (tests/data README).
	assert_equal "$(flows "$BATS_TEST_TMPDIR/a.argus" -s proto | wc -l)" 21
	argus -X -o ARGUS_DNS_TRANSACTION_KEY=no -r "$DATA/tcpdump-edns-opts.pcap" -w "$BATS_TEST_TMPDIR/b.argus"
	[ "$(flows "$BATS_TEST_TMPDIR/b.argus" -s proto | wc -l)" -lt 21 ]
}

@test "argus: long flows give Start then Status records that add up; cause Shutdown at the end" {
	argus -X -S 5 -r "$DATA/tcpdump-dhcp-rfc4388.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s saddr sport cause - "udp and src host 10.30.1.1"
	assert_line --index 0 "10.30.1.1,67,Start"
	assert_line "10.30.1.1,67,Status"
	# Debian's argus after racluster: 15 and 13 packets.
	run -0 bash -c "ra -n -r '$BATS_TEST_TMPDIR/o.argus' -c , -s spkts dpkts - 'udp and src host 10.30.1.1' | tail -n +2 | awk -F, '{a+=\$1;b+=\$2} END {print a,b}'"
	assert_output "15 13"
}

@test "argus: expiry is reproducible from packet time" {
	argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/a.argus"
	argus -X -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/b.argus"
	local f="stime ltime proto saddr sport daddr dport spkts dpkts sbytes dbytes state cause seq"
	# as sets: with worker threads (-W) records of different flows come in any order
	assert_equal "$(flows "$BATS_TEST_TMPDIR/a.argus" -s $f | sort)" "$(flows "$BATS_TEST_TMPDIR/b.argus" -s $f | sort)"
	# A 1 s UDP timeout splits what 30 s keeps whole.
	argus -X -o ARGUS_UDP_TIMEOUT=1 -r "$DATA/tcpdump-afs.pcap" -w "$BATS_TEST_TMPDIR/c.argus"
	[ "$(flows "$BATS_TEST_TMPDIR/c.argus" -s proto - udp | wc -l)" -gt "$(flows "$BATS_TEST_TMPDIR/a.argus" -s proto - udp | wc -l)" ]
}

@test "argus: -U captures payload, -m MACs, -e the monitor id" {
	argus -X -U 16 -m -e 10.9.8.7 -r "$DATA/tcpdump-ssh.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s smac dmac srcid suser duser
	# tshark: the banners both start "SSH-2.0-OpenSSH_".
	assert_output "8c:85:90:3f:77:dd,d4:ca:6d:2e:7f:67,10.9.8.7,s[16]=SSH-2.0-OpenSSH_,d[16]=SSH-2.0-OpenSSH_"
}

@test "argus: the command line wins over the config file; unknown keys are reported" {
	printf 'ARGUS_FLOW_STATUS_INTERVAL=1\nARGUS_NO_SUCH_THING=1\nARGUS_MONITOR_ID="10.1.1.1"\n' > "$BATS_TEST_TMPDIR/argus.conf"
	run -0 --separate-stderr argus -F "$BATS_TEST_TMPDIR/argus.conf" -S 3600 -r "$DATA/tcpdump-dhcp-rfc4388.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	[[ "$stderr" == *ARGUS_NO_SUCH_THING* ]]
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s srcid cause - "udp and src host 10.30.1.1"
	# -S 3600 won: no Status records although the flow lasts half an hour.
	refute_line --partial Status
	assert_line --index 0 "10.1.1.1,Stop"
	printf 'ARGUS_FLOW_STATUS_INTERVAL=soon\n' > "$BATS_TEST_TMPDIR/bad.conf"
	run -2 --separate-stderr argus -F "$BATS_TEST_TMPDIR/bad.conf" -r "$DATA/tcpdump-ssh.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	[[ "$stderr" == *"line 1"* ]]
}

@test "argus: a damaged capture is reported with its byte offset; flows before it are kept" {
	head -c 3000 "$DATA/tcpdump-ssh.pcap" > "$BATS_TEST_TMPDIR/cut.pcap"
	run -1 --separate-stderr argus -X -r "$BATS_TEST_TMPDIR/cut.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	[[ "$stderr" == *"byte 2952"* ]]
	run -0 flows "$BATS_TEST_TMPDIR/o.argus" -s spkts dpkts
	assert_output "7,5"
}

@test "argus: non-IP frames are MAC-keyed flows (LLC with SAPs, others by ethertype)" {
	argus -X -r "$DATA/tcpdump-ipx.pcap" -w "$BATS_TEST_TMPDIR/o.argus"
	# Debian's argus: IPX over LLC, SAP 0xe0, four senders to broadcast.
	run -0 bash -c "ra -n -r '$BATS_TEST_TMPDIR/o.argus' -c , -s proto saddr sport daddr dport | tail -n +2 | sort -u"
	assert_line "llc,00:03:47:1b:c1:a8,0xe0,ff:ff:ff:ff:ff:ff,0xe0"
	assert_equal "${#lines[@]}" 4
}

@test "VLAN ids are recorded without -m, as Argus records them (0x00c8 = 200)" {
	run -0 bash -c "argus -r '$DATA/tcpdump-802.1ad_QinQ.pcap' -w - | ra -n -L -1 -s svlan dvlan smac"
	assert_line -n 0 --regexp '^ +200 +200 *$'
}
