#!/usr/bin/env bats
# rafilteraddr.bats - records by a file of addresses: plain addresses, CIDR
# blocks, a-b ranges, IPv4 and IPv6, ARP records' addresses, comments, -v,
# the errors a bad file gives, and agreement with ra's own filter.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	argus -r "$DATA/sample.pcap" -w d.argus 3>&-
	argus -r "$DATA/ndpi-http_ipv6.pcap" -w v6.argus 3>&-
}

@test "addresses, blocks and ranges select what ra's filter selects" {
	printf '# hosts we watch\n10.30.1.1\n\n10.40.1.0/24   # a block\n10.50.1.1-10.50.1.1\n' > list.txt
	run -0 rafilteraddr -r d.argus -f list.txt -n -L -1 -c , -s proto saddr daddr
	[ "${#lines[@]}" -ge 5 ]
	[ "$output" = "$(ra -r d.argus -n -L -1 -c , -s proto saddr daddr - host 10.30.1.1 or net 10.40.1.0/24 or host 10.50.1.1)" ]
	# -v keeps the rest: together they are every flow record
	local kept=${#lines[@]}
	run -0 rafilteraddr -r d.argus -f list.txt -v -n -L -1 -c , -s proto saddr daddr
	[ $((kept + ${#lines[@]})) -eq "$(ra -r d.argus -L -1 -s proto | wc -l)" ]
	refute_output --partial "10.30.1.1,"
}

@test "ARP records match on their sender and target addresses" {
	printf '10.40.1.1\n' > one.txt
	run -0 rafilteraddr -r d.argus -f one.txt -n -L -1 -c , -s proto saddr daddr - arp
	assert_line "arp,10.40.2.3,10.40.1.1"
}

@test "IPv6 addresses and blocks; options and the filter go anywhere" {
	local a
	a=$(ra -r v6.argus -n -L -1 -s saddr - ipv6 | head -1 | tr -d ' ')
	[ -n "$a" ]
	printf '%s\n' "$a" > six.txt
	run -0 rafilteraddr -r v6.argus -f six.txt -n -L -1 -c , -s saddr
	[ "$output" = "$(ra -r v6.argus -n -L -1 -c , -s saddr - host "$a")" ]
	printf '%s/16\n' "$a" > block.txt
	run -0 rafilteraddr -n -L -1 -c , -s saddr - tcp -r v6.argus -f block.txt
	[ "${#lines[@]}" -ge 1 ]
}

@test "reads standard input and writes records with -w" {
	printf '10.30.1.1\n' > one.txt
	run -0 bash -c 'set -o pipefail; cat d.argus | rafilteraddr -r - -f one.txt -w - | ra -n -L -1 -c , -s saddr | sort -u'
	assert_output "10.30.1.1"
}

@test "a bad address file: one error with the line and column, exit 2" {
	printf '10.0.0.1\n\n10.0.0.0/33\n' > bad.txt
	run -2 --separate-stderr rafilteraddr -r d.argus -f bad.txt
	assert_equal "$stderr" "rafilteraddr: bad.txt: line 3, column 10: an IPv4 prefix is 0 to 32 bits, found '10.0.0.0/33'"
	printf '10.0.0.9-10.0.0.1\n' > bad.txt
	run -2 --separate-stderr rafilteraddr -r d.argus -f bad.txt
	[[ "$stderr" == *"line 1, column 10: a range must not end before it starts"* ]]
	printf 'example.com\n' > bad.txt
	run -2 --separate-stderr rafilteraddr -r d.argus -f bad.txt
	[[ "$stderr" == *"line 1, column 1: expected an IPv4 or IPv6 address"* ]]
	run -2 --separate-stderr rafilteraddr -r d.argus
	[[ "$stderr" == *"-f addresses is required"* ]]
	run -1 --separate-stderr rafilteraddr -r d.argus -f nosuch.txt
	[[ "$stderr" == *"nosuch.txt: No such file or directory"* ]]
}

@test "100000 entries load and match (a range search, not a scan)" {
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "172.%d.%d.%d\n", 16 + int(i / 65536), int(i / 256) % 256, i % 256 }' > big.txt
	echo 10.30.1.1 >> big.txt
	run -0 rafilteraddr -r d.argus -f big.txt -n -L -1 -c , -s saddr - udp
	assert_line --index 0 "10.30.1.1"
}

@test "Argus's address files: labels after the entry, short octets; Debian's rafilteraddr agrees" {
	printf '10.30.1.1\t\tQoSient\n010.040.001/24   Wired   # lab\n10.50.1.1-10.50.1.1\n' > lab.txt
	run -0 rafilteraddr -r d.argus -f lab.txt -n -L -1 -c , -s proto saddr daddr - not arp
	[ "${#lines[@]}" -ge 5 ]
	[ "$output" = "$(ra -r d.argus -n -L -1 -c , -s proto saddr daddr - not arp and '(host 10.30.1.1 or net 10.40.1.0/24 or host 10.50.1.1)')" ]
	if [ -x /usr/bin/rafilteraddr ] && [ -x /usr/sbin/argus ]; then
		rm -f deb0.argus
		/usr/sbin/argus -X -r "$DATA/sample.pcap" -w deb0.argus 3>&-
		printf '10.30.1.1\n10.40.1.0/24\n10.50.1.1-10.50.1.1\n' > plain.txt
		local ours
		ours=$(rafilteraddr -r d.argus -f plain.txt -n -L -1 -c , -s proto saddr daddr - not arp)
		[ "$ours" = "$(/usr/bin/rafilteraddr -X -r deb0.argus -f plain.txt -n -L -1 -c , -s proto saddr daddr - not arp and not man | sed "s/ *$//")" ]
		# Argus's never matches ARP records; ours matches their addresses (rafilteraddr(1))
		run -0 /usr/bin/rafilteraddr -X -r deb0.argus -f plain.txt -n -L -1 -c , -s proto - arp
		assert_output ""
	fi
}
