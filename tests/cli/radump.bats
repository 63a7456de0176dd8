#!/usr/bin/env bats
# radump.bats - radump's printers on real captures (argus -U 512), compared
# with tshark, and on tests/data/radump-crafted.pcap (tests/gen/radump-pcap.py)
# for what no capture holds: truncation, malformed payload, escaping, sniffing.
load test_helper

COMPARE="$top_srcdir/tests/cli/radump-compare.py"

setup() {
	cd "$BATS_TEST_TMPDIR"
	set -o pipefail
}

records() {	# records of capture $1 with 512 payload bytes per direction, in r.argus
	argus -U 512 -r "$DATA/$1" -w r.argus
}

crafted() {
	argus -U 512 -r "$DATA/radump-crafted.pcap" -w c.argus
}

@test "the DNS archive pipeline of Argus sites runs as written and splits on ^" {
	records tcpdump-edns-opts.pcap
	printf '%s\n' 'RA_TIME_FORMAT="%Y-%m-%d %T.%f"' 'RA_PRINT_LABELS=-1' "RA_FIELD_DELIMITER='^'" > dns.rarc
	run -0 --separate-stderr radump -F dns.rarc -r r.argus -s seq ltime saddr daddr suser:1024 duser:1024 - port domain
	assert_equal "$stderr" ""
	n=$(ra -r r.argus -q - port domain; ra -r r.argus -N 1000000 -n -L -1 -s seq - port domain | wc -l)
	[ "${#lines[@]}" -eq "$n" ] && [ "$n" -gt 20 ]
	for l in "${lines[@]}"; do
		IFS='^' read -r -a f <<< "$l"
		[ "${#f[@]}" -eq 6 ] || { echo "not 6 fields: $l"; false; }
		[[ "${f[1]}" =~ ^2019-10-23\ [0-9:]{8}\.[0-9]{6}$ ]] || { echo "time: ${f[1]}"; false; }
		[[ "${f[4]}" =~ ^s\[[0-9]+\]=[0-9]+\+?\ [A-Z]+[0-9]*\?\ [^\ ]+\. ]] || { echo "query: ${f[4]}"; false; }
		[[ "${f[5]}" =~ ^d\[[0-9]+\]=[0-9]+.*\ q:\ .*\ [0-9]+/[0-9]+/[0-9]+ ]] || { echo "answer: ${f[5]}"; false; }
	done
	assert_line -n 0 '1^2019-10-23 20:58:40.661836^192.0.0.1^192.0.0.2^s[29]=13784+ A? example.com.^d[45]=13784*- q: A? example.com. 1/0/0 example.com. 86400 A 93.184.216.34'
}

@test "DNS over UDP and TCP: every query name, type and A/AAAA/CNAME answer equals tshark's" {
	total=0
	for cap in tcpdump-edns-opts.pcap tcpdump-dns_tcp.pcap ndpi-dns_fragmented.pcap ndpi-teams.pcap; do
		records "$cap"
		radump -n -c '^' -L -1 -r r.argus -s saddr sport daddr dport suser duser \
			- port domain or port 5353 or port 5355 > out.txt
		run -0 python3 "$COMPARE" dns "$DATA/$cap" out.txt
		echo "$cap: ${lines[-1]}" >&3
		same=$(echo "${lines[-1]}" | sed -n 's/^dns: \([0-9]*\) same.*/\1/p')
		total=$((total + same))
	done
	[ "$total" -gt 100 ]
}

@test "TLS server names equal tshark's; differences are ClientHellos cut at 512 bytes" {
	for cap in ndpi-teams.pcap ndpi-http_ipv6.pcap; do
		records "$cap"
		radump -n -c '^' -L -1 -r r.argus -s saddr sport daddr dport suser duser - tcp > out.txt
		run -0 python3 "$COMPARE" tls "$DATA/$cap" out.txt
		echo "$cap: ${lines[-1]}" >&3
	done
}

@test "HTTP Host headers equal tshark's" {
	records ndpi-WebattackRCE.pcap
	radump -n -c '^' -L -1 -r r.argus -s saddr sport daddr dport suser duser - tcp > out.txt
	run -0 python3 "$COMPARE" http "$DATA/ndpi-WebattackRCE.pcap" out.txt
	echo "${lines[-1]}" >&3
	assert_line --regexp '^http: [0-9]{3} same'
}

@test "DNS: a compression pointer loop ends with a reason; answers cut short are marked" {
	crafted
	run -0 radump -r c.argus -n -L -1 -s suser duser - port 53
	assert_line -n 0 's[18]=1+ [bad dns: compression pointer loop] '
	assert_line -n 1 --regexp '^s\[29\]=2\+ A\? cut\.example\. +d\[49\]=2 q: A\? cut\.example\. 3/0/0 cut\.example\. 300 A 192\.0\.2\.1, cut\.example\. \[\|dns\]$'
	assert_line -n 3 --regexp 'd\[96\]=4 NXDomain q: AAAA\? nope\.example\. 0/1/0 ns: example\. 900 SOA ns\.example\. admin\.example\. 2024010101 7200 3600 1209600 300$'
}

@test "with a delimiter, decoded text holds no delimiter, quote or newline: they are \\xHH" {
	crafted
	run -0 radump -r c.argus -n -L -1 -c '^' -s dport duser - port 40003
	assert_output '53^d[51]=3 q: TXT? txt.example. 1/0/0 txt.example. 60 TXT a\x5eb\x22c\x5cd\x0ae'
	run -0 radump -r c.argus -n -L -1 -s duser - port 40003
	assert_output 'd[51]=3 q: TXT? txt.example. 1/0/0 txt.example. 60 TXT a^b"c\x5cd\x0ae'
}

@test "the printer is chosen by sniffing when the port says nothing: TLS on 8443, HTTP on 9999" {
	crafted
	run -0 radump -r c.argus -n -L -1 -s suser duser -N 1 - dst port 8443
	assert_output 's[96]=ClientHello TLSv1.2 sni=sniffed.example alpn=h2,http/1.1 ciphers=2 '
	run -0 radump -r c.argus -n -L -1 -c , -s suser duser -N 1 - dst port 9999
	assert_output 's[59]=GET /x HTTP/1.1; Host: sniffed.example; User-Agent: t/1,d[45]=HTTP/1.1 404 Not Found; Content-Length: 0'
}

@test "HTTP cut before the header block ends is marked; bytes that are not TLS say so" {
	crafted
	run -0 radump -r c.argus -n -L -1 -s suser -N 1 - dst port 80 and src port 40007
	assert_output 's[49]=GET /long HTTP/1.1; Host: cut.example [|http]'
	run -0 radump -r c.argus -n -L -1 -s suser -N 1 - dst port 443
	assert_output 's[8]=tls [bad tls: not a TLS record]'
}

@test "FTP, POP3, IMAP, SMTP and SIP lines; Obfuscate hides the passwords" {
	crafted
	run -0 radump -r c.argus -n -L -1 -c '^' -s suser duser -N 1 - dst port 21
	assert_output 's[31]=USER alice | PASS s3cret | SYST^d[34]=220 ftp.example FTP server ready'
	run -0 radump -r c.argus -n -L -1 -c '^' -s suser -M printer=obfuscate - 'dst port 21 or dst port 110 or dst port 143'
	assert_line 's[31]=USER alice | PASS xxxxxx | SYST'
	assert_line 's[24]=USER bob | PASS xxxxxxx'
	assert_line 's[24]=a1 LOGIN carol xxxxxxx'
	refute_output --partial 's3cret'
	run -0 radump -r c.argus -n -L -1 -c '^' -s suser duser -N 1 - dst port 25
	assert_output 's[44]=EHLO client.example | MAIL FROM:<a@example>^d[54]=220 mx.example ESMTP | 250-mx.example | 250 PIPELINING'
	run -0 radump -r c.argus -n -L -1 -c '^' -s suser duser - udp port 5060
	assert_output 's[175]=INVITE sip:bob@example SIP/2.0; From: <sip:alice@example>;tag=1; To: <sip:bob@example>; Call-ID: abc@10.0.0.1; CSeq: 1 INVITE^d[124]=SIP/2.0 180 Ringing; From: <sip:alice@example>;tag=1; To: <sip:bob@example>;tag=2; Call-ID: abc@10.0.0.1; CSeq: 1 INVITE'
}

@test "SSH banners, NTP modes and stratum, DHCP message types with MAC and host name" {
	records tcpdump-ssh.pcap
	run -0 radump -r r.argus -n -L -1 -c '^' -s suser duser -N 1
	assert_output 's[512]=SSH-2.0-OpenSSH_7.8 KEXINIT^d[512]=SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3 KEXINIT'
	records tcpdump-ntp.pcap
	run -0 radump -r r.argus -n -L -1 -c '^' -s suser duser - port 123
	assert_line 's[68]=NTPv4 client stratum 0 poll 6 refid INIT^d[68]=NTPv4 server stratum 2 poll 6 refid 10.11.160.238'
	records tcpdump-dhcp-rfc4388.pcap
	run -0 radump -r r.argus -n -L -1 -c '^' -s suser duser - udp port 67
	assert_line 's[512]=DHCPDISCOVER xid 0x3cd0af7e mac 5a:4f:34:b1:af:66^d[512]=DHCPOFFER xid 0x3cd0af7e mac 5a:4f:34:b1:af:66 yiaddr 10.30.4.4'
	assert_line 's[282]=DHCPLEASEQUERY xid 0x00000001 mac 5a:4f:34:b1:af:66^d[280]=DHCPLEASEACTIVE xid 0x00000001 mac 5a:4f:34:b1:af:66 ciaddr 10.30.4.4'
}

@test "payload no printer knows prints in the user data encoding, escaped too" {
	records ndpi-teams.pcap		# STUN on 3478: no printer
	run -0 radump -r r.argus -n -L -1 -s suser -M printer=encode32 - udp port 3478
	[ "${#lines[@]}" -gt 5 ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^s\[[0-9]+\]=[0-9A-F]+$ ]] || { echo "not encode32: $l"; false; }
	done
	run -0 radump -r r.argus -n -L -1 -c '^' -s suser duser -M printer=ascii - udp port 3478
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^[^^\"]*\^[^^\"]*$ ]] || { echo "not two fields: $l"; false; }
	done
}

@test "radump writes records with -w, like ra" {
	crafted
	run -0 radump -r c.argus -w out.argus - port 53
	run -0 ra -r out.argus -n -L -1 -s dport
	[ "${#lines[@]}" -eq 4 ]
}

@test "a bad -M printer= is a usage error" {
	run -2 --separate-stderr radump -r "$DATA/sample-v1.argus" -M printer=rot13
	assert_equal "$stderr" "radump: -M printer=rot13: not ascii, obfuscate, hex, encode32 or encode64"
}

@test "the live form of the pipeline: radump -S reads argus -P and prints each DNS flow as a ^ line" {
	[ "$(id -u)" = 0 ] || skip "live capture on lo needs root"
	T=$BATS_TEST_TMPDIR
	printf '%s\n' 'RA_TIME_FORMAT="%Y-%m-%d %T.%f"' 'RA_PRINT_LABELS=-1' "RA_FIELD_DELIMITER='^'" > dns.rarc
	argus -X -d -i lo -U 512 -P 0 - udp port 53 2>argus.err 3>&- &
	local apid=$! i
	for i in $(seq 300); do grep -q 'listening on 127.0.0.1:' argus.err && break; sleep 0.1; done
	local port
	port=$(grep -o 'listening on 127.0.0.1:[0-9]*' argus.err | tail -1 | grep -o '[0-9]*$')
	[ -n "$port" ]
	radump -F dns.rarc -S "127.0.0.1:$port" -M noreconnect -s seq ltime saddr daddr suser:1024 duser:1024 \
		- port domain > live.txt 2>radump.err 3>&- &
	local rpid=$!
	for i in $(seq 300); do grep -q ': streaming' argus.err && break; sleep 0.1; done
	python3 - <<'PY'
import socket, struct
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("127.0.0.2", 53))
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i, name in enumerate(["www.example.com", "mail.example.org", "x.test"]):
    q = struct.pack("!HHHHHH", 4660 + i, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack("!HH", 1, 1)
    cli.sendto(q, ("127.0.0.2", 53))
    data, addr = srv.recvfrom(512)
    r = struct.pack("!HHHHHH", 4660 + i, 0x8180, 1, 1, 0, 0) + data[12:]
    r += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 10 + i])
    srv.sendto(r, addr)
    cli.recvfrom(512)
PY
	sleep 0.5
	kill -TERM "$apid"
	wait "$apid"
	wait "$rpid"
	run -0 cat live.txt
	[ "${#lines[@]}" -eq 3 ]
	local k=0
	for l in "${lines[@]}"; do
		IFS='^' read -r -a f <<< "$l"
		[ "${#f[@]}" -eq 6 ] || { echo "not 6 fields: $l"; false; }
		[[ "${f[1]}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}\.[0-9]{6}$ ]]
		[ "${f[2]}" = 127.0.0.1 ] && [ "${f[3]}" = 127.0.0.2 ]
		k=$((k + 1))
	done
	assert_output --partial '^s[33]=4660+ A? www.example.com.^d[49]=4660 q: A? www.example.com. 1/0/0 www.example.com. 300 A 192.0.2.10'
	assert_output --partial '^s[24]=4662+ A? x.test.^d[40]=4662 q: A? x.test. 1/0/0 x.test. 300 A 192.0.2.12'
}
