#!/usr/bin/env bats
# userdata.bats - captured payload in Argus's user data encodings (ra -M printer=,
# RA_USERDATA_ENCODE), compared with Debian's ra on the same capture.
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	set -o pipefail
	argus -U 512 -r "$DATA/tcpdump-edns-opts.pcap" -w r.argus
}

debian() {	# Debian's argus and ra on the capture, with ra's arguments $@
	[ -x /usr/sbin/argus ] && [ -x /usr/bin/ra ] || skip "Debian argus-server and argus-client not installed"
	rm -f d.argus
	/usr/sbin/argus -X -U 512 -r "$DATA/tcpdump-edns-opts.pcap" -w d.argus
	/usr/bin/ra -X -r d.argus -n -L -1 -c , -s suser:2048 duser:2048 "$@" - not man
}

@test "Encode64 prints what Debian's ra prints, byte for byte" {
	debian -M printer=encode64 > argus.txt
	run -0 ra -r r.argus -n -L -1 -c , -s suser duser -M printer=encode64
	[ "${#lines[@]}" -eq 21 ]
	diff -u argus.txt <(printf '%s\n' "${lines[@]}")
}

@test "Encode32 prints Debian's hex; N is the text's length (Argus counts two more)" {
	debian -M printer=encode32 | sed 's/[sd]\[[0-9]*\]=//g' > argus.txt
	run -0 ra -r r.argus -n -L -1 -c , -s suser duser -M printer=encode32
	assert_line -n 0 's[58]=35D801200001000000000000076578616D706C6503636F6D0000010001,d[90]=35D885000001000100000000076578616D706C6503636F6D0000010001C00C000100010001518000045DB8D822'
	diff -u argus.txt <(printf '%s\n' "${lines[@]}" | sed 's/[sd]\[[0-9]*\]=//g')
}

@test "RA_USERDATA_ENCODE in an rarc file: Hex, two bytes a group, on one line" {
	printf 'RA_USERDATA_ENCODE=Hex\n' > hex.rarc
	run -0 ra -F hex.rarc -r r.argus -n -L -1 -s suser -N 1
	assert_output 's[29]=35d8 0120 0001 0000 0000 0000 0765 7861 6d70 6c65 0363 6f6d 0000 0100 01'
	printf 'RA_USERDATA_ENCODE="ascii"\n' > a.rarc
	run -0 ra -F a.rarc -r r.argus -n -L -1 -s suser -N 1
	assert_output 's[29]=5.. .........example.com.....'
	printf 'RA_USERDATA_ENCODE=Base32\n' > bad.rarc
	run -2 --separate-stderr ra -F bad.rarc -r r.argus
	assert_equal "$stderr" "ra: bad.rarc: line 1: RA_USERDATA_ENCODE must be Ascii, Obfuscate, Hex, Encode32 or Encode64, not 'Base32'"
}

@test "Obfuscate blanks FTP, POP3 and IMAP passwords and HTTP Basic credentials" {
	argus -U 512 -r "$DATA/radump-crafted.pcap" -w c.argus
	run -0 ra -r c.argus -n -L -1 -s suser -M printer=obfuscate - 'dst port 21 or dst port 110 or dst port 143 or src port 40011'
	assert_line 's[31]=USER alice..PASS xxxxxx..SYST..'
	assert_line 's[24]=USER bob..PASS xxxxxxx..'
	assert_line 's[24]=a1 LOGIN carol xxxxxxx..'
	assert_line 's[74]=GET / HTTP/1.1..Host: a.example..Authorization: Basic xxxxxxxxxxxxxxxx....'
	refute_output --partial 's3cret'
	refute_output --partial 'YWxpY2U6czNjcmV0'
}
