#!/usr/bin/env bats
# ra-status.bats - the daemon's own records as Argus users read them:
# "ra - man" prints status records (daemon, sFlow agent, interface) with
# their values in text, CSV and JSON; "not man" leaves them out; without a
# filter that names them, ra prints flows only.  The values are checked
# against tests/gen/sflow_status, which reads the same records independently.
bats_require_minimum_version 1.5.0
load test_helper

STATUS="$top_builddir/tests/gen/sflow_status"

setup() {
	cd "$BATS_TEST_TMPDIR"
	argus -r "$DATA/sample.pcap" -w d.argus 3>&-
}

@test "ra - man: the daemon's status records, one a line, with their values" {
	run -0 ra -r d.argus - man
	[ "${#lines[@]}" -ge 2 ]
	[ "${#lines[@]}" -eq "$("$STATUS" -k daemon d.argus | awk '$3 == 1' | wc -l)" ]
	assert_line --index 0 --regexp '^2019-03-21 [0-9:.]+ man daemon - pkts=[0-9]+ bytes=[0-9]+ received=[0-9]+ dropped=0 ifdropped=0 flows=[0-9]+ .* memory=[0-9]+ .*cpu_user=[0-9]+\.[0-9]{6} cpu_sys=[0-9.]+ maxrss=[0-9]+ uptime=[0-9.]+$'
	# the last record's packet count is the daemon's, as the independent reader sees it
	local pkts
	pkts=$("$STATUS" d.argus | awk '$1 == "daemon" && $3 == 1 {v = $5} END {print v}')
	[[ "${lines[-1]}" == *" pkts=$pkts "* ]]
}

@test "not man leaves status records out; a filter without man prints none" {
	run -0 ra -r d.argus -L -1 - not man
	refute_output --partial " man "
	local flows=${#lines[@]}
	run -0 ra -r d.argus -L -1
	[ "${#lines[@]}" -eq "$flows" ]
	run -0 ra -r d.argus -L -1 - man or udp
	assert_output --partial " man daemon "
	assert_output --partial " udp "
}

@test "CSV: one row per item, with labels; JSON: one object per record" {
	run -0 ra -r d.argus -c , - man
	assert_line --index 0 "StartTime,Proto,Kind,Source,Item,Value"
	assert_line --regexp '^2019-03-21 [0-9:.]+,man,daemon,-,dropped,0$'
	run -0 bash -c "set -o pipefail; ra -r d.argus -M json - man | jq -c '[.proto, .kind, .source, (.pkts|type), (.cpu_sys|type)]' | sort -u"
	assert_output '["man","daemon",null,"number","number"]'
}

@test "sFlow: interface and agent status records with their counters" {
	argus -r "sflow:$DATA/tcpdump-sflow_multiple_counter_30_pdus.pcap" -w s.argus 3>&-
	run -0 bash -c "ra -r s.argus - man | awk '\$4 == \"iface\"' | wc -l"
	assert_output 144
	# ifInOctets summed over every interface record, by both readers
	local want got
	want=$("$STATUS" -k iface -K 14 s.argus)
	got=$(ra -r s.argus -c , -L -1 - man | awk -F, '$3 == "iface" && $5 == "in_octets" {s += $6} END {printf "%.0f", s}')
	[ "$got" = "$want" ]
	# the five NetFlow datagrams counted input-wide as not version 5
	run -0 bash -c "ra -r s.argus -c , -L -1 - man | awk -F, '\$3 == \"agent\" && \$4 == \"-\" && \$5 == \"sflow_version\" {v = \$6} END {print v}'"
	assert_output 5
	run -0 ra -r s.argus - man and srcid 15.184.8.4 -N 1
	assert_output --regexp '^2011-04-02 [0-9:.]+ man iface 15\.184\.8\.4 ifindex=[0-9]+ subagent=[0-9]+ seq=[0-9]+ source_id=[0-9]+ if_type=117 '
}

@test "-w with '- man' writes the status records, and they read back the same" {
	run -0 ra -r d.argus -w man.argus - man
	run -0 ra -r man.argus - man
	[ "$output" = "$(ra -r d.argus - man)" ]
	run -0 ra -r man.argus -L -1 - not man
	assert_output ""
}
