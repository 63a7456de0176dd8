#!/usr/bin/env bats
# site.bats - the bundled site capture (tests/data/site.pcap): made again by
# tests/gen/gensite byte for byte, read alike by tshark, and telling the story
# the first run (setup.sh run) prints.
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "gensite makes the bundled capture again, byte for byte" {
	run -0 gensite -o again.pcap
	cmp again.pcap "$DATA/site.pcap"
}

@test "tshark reads every frame, and finds the DNS names, TLS server names and HTTP hosts it should" {
	command -v tshark >/dev/null || skip "tshark is not installed"
	n=$(tshark -r "$DATA/site.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
	[ "$n" -gt 5000 ]
	argus -r "$DATA/site.pcap" -w site.argus
	pkts=$(ra -r site.argus -n -L -1 -c , -s pkts | awk -F, '{n += $1} END {print n}')
	assert_equal "$pkts" "$n"
	names=$(tshark -r "$DATA/site.pcap" -Y 'dns.flags.response == 0' -T fields -e dns.qry.name 2>/dev/null | sort -u | wc -l)
	sni=$(tshark -r "$DATA/site.pcap" -Y 'tls.handshake.type == 1' -T fields -e tls.handshake.extensions_server_name 2>/dev/null | sort -u | wc -l)
	hosts=$(tshark -r "$DATA/site.pcap" -Y 'http.request' -T fields -e http.host 2>/dev/null | sort -u | wc -l)
	assert_equal "$names $sni $hosts" "8 8 8"
}

@test "the first run's report: the flood is the top talker, the sweep stands out" {
	argus -r "$DATA/site.pcap" -w site.argus
	run -0 bash -c "racluster -r site.argus -m saddr -w - | rasort -m bytes -N 1 -L -1 -n -c , -s saddr"
	assert_output "10.1.7.23"
	run -0 bash -c "racluster -r site.argus -m saddr daddr -w - - 'tcp and (state RST or state REQ)' |
		rasort -m trans -N 1 -L -1 -n -c , -s saddr daddr trans"
	assert_output "203.0.113.66,10.1.0.80,998"
	run -0 bash -c "racluster -r site.argus -m saddr daddr proto dport -w - - udp |
		rasort -m pkts -N 1 -L -1 -n -c , -s saddr daddr dport pkts bytes"
	assert_output "10.1.7.23,198.51.100.9,27015,1500,1863000"
}
