#!/usr/bin/env bats
# raservices.bats - flows named by payload signature (argus -U 512 records of
# shared captures and tests/data/radump-crafted.pcap), Argus's std.sig read
# unchanged and compared with Debian's raservices, -M learn, the field
# `service` in ra, rasort and the filter.
load test_helper

STDSIG=/usr/share/doc/argus-client/examples/Config/std.sig

setup() {
	cd "$BATS_TEST_TMPDIR"
	set -o pipefail
}

records() {	# capture $1 with 512 payload bytes per direction, in r.argus
	argus -U 512 -r "$DATA/$1" -w r.argus
}

@test "the built-in signatures name the printers' protocols, on any port" {
	argus -U 512 -r "$DATA/radump-crafted.pcap" -w c.argus
	run -0 raservices -r c.argus -n -L -1 -c , -s dport service - 'dst port 8443 or dst port 9999 or port 21 or port 110 or port 143 or port 25 or port 5060'
	assert_line -n 0 '8443,https'
	assert_line -n 2 '9999,http'
	assert_line '21,ftp'
	assert_line '110,pop3'
	assert_line '143,imap2'
	assert_line '25,smtp'
	assert_line '5060,sip'
	records ndpi-teams.pcap
	run -0 raservices -r r.argus -n -L -1 -c , -s proto dport service - 'tcp port 4434'
	assert_line 'tcp,4434,https'	# TLS off its port, by its bytes
}

@test "a flow no signature matches takes its port's name; other flows none" {
	records ndpi-teams.pcap
	run -0 raservices -r r.argus -n -L -1 -c , -s proto dport service - udp port 3478
	assert_line 'udp,3478,stun'
	run -0 raservices -r r.argus -n -L -1 -c , -s proto service - 'not tcp and not udp'
	for l in "${lines[@]}"; do [[ "$l" == *, ]] || { echo "named: $l"; false; }; done
}

@test "Argus's std.sig loads unchanged and names flows as Debian's raservices does" {
	[ -f "$STDSIG" ] && [ -x /usr/sbin/argus ] || skip "Debian argus-server and argus-client not installed"
	records ndpi-teams.pcap
	rm -f d.argus
	/usr/sbin/argus -X -U 512 -r "$DATA/ndpi-teams.pcap" -w d.argus
	/usr/bin/raservices -X -f "$STDSIG" -r d.argus -n -c , -L -1 -s saddr sport daddr dport label:40 - not man |
		awk -F, '$5 ~ /^srv=/ { sub(/^srv=/, "", $5); print $1 ":" $2 ":" $3 ":" $4 "," $5 }' | sort -u > argus.txt
	raservices -f "$STDSIG" -r r.argus -n -c , -L -1 -s saddr sport daddr dport service |
		awk -F, '{ print $1 ":" $2 ":" $3 ":" $4 "," $5 }' | sort -u > ours.txt
	run -0 bash -c "join -t, argus.txt ours.txt | awk -F, '{ n++; if (\$2 == \$3) same++; else print \"differs: \" \$0 } END { print same \" of \" n \" agree\" }'"
	echo "$output" >&3
	read -r same _ n _ <<< "${lines[-1]}"
	[ "$n" -gt 50 ] && [ $((same * 100 / n)) -ge 90 ]
}

@test "-M learn writes signatures that -f reads back and that name the same flows" {
	records ndpi-teams.pcap
	run -0 raservices -r r.argus -M learn
	assert_line -n 0 --regexp '^# raservices -M learn: [0-9]+ signatures from 101 flows'
	assert_line --regexp '^Service: stun +udp port 3478 +n = +4 src = "000300302112A442 +" +dst = "011300A72112A442 +"$'
	printf '%s\n' "${lines[@]}" > site.sig
	run -0 raservices -f site.sig -r r.argus -n -L -1 -c , -s dport service - udp port 3478
	assert_line '3478,stun'
	run -0 raservices -r r.argus -M learn=5 -N 3
	assert_line -n 0 --regexp 'from 3 flows \(groups of at least 5\)$'
}

@test "a signature file that does not parse names the line and column" {
	printf '# fine\nService: x tcp port 80 src = "4G"\n' > bad.sig
	run -2 --separate-stderr raservices -f bad.sig -r "$DATA/sample-v1.argus"
	assert_equal "$stderr" "raservices: bad.sig: line 2, column 30: pattern bytes are two hex digits or two spaces"
	printf 'Service: x tcp port 99999 src = "41"\n' > bad.sig
	run -2 --separate-stderr raservices -f bad.sig -r "$DATA/sample-v1.argus"
	assert_equal "$stderr" "raservices: bad.sig: line 1, column 21: expected a port number"
	run -2 --separate-stderr raservices -f missing.sig -r "$DATA/sample-v1.argus"
	assert_equal "$stderr" "raservices: missing.sig: No such file or directory"
	run -2 --separate-stderr raservices -r "$DATA/sample-v1.argus" -M teach
	assert_equal "$stderr" "raservices: -M teach: raservices knows learn and learn=N"
}

@test "the field service prints, filters and sorts in ra and rasort" {
	records ndpi-teams.pcap
	run -0 ra -r r.argus -n -L -1 -s service - service domain
	[ "${#lines[@]}" -eq 22 ]
	run -0 ra -r r.argus -n -L -1 -s service - 'service != domain and udp'
	refute_line 'domain'
	assert_line 'stun'
	run -0 rasort -r r.argus -m service -n -L -1 -s service - 'tcp or udp'
	sort -c <(printf '%s\n' "${lines[@]}" | grep .)
	run -0 ra -r r.argus -n -L -1 -s service -M json -N 1 - service https
	assert_output '{"service":"https"}'
	run -2 --separate-stderr ra -r r.argus - service '>' http
	assert_equal "${stderr_lines[0]}" "ra: filter: column 1: 'service' compares with = or != only"
}
