#!/usr/bin/env bats
# man-examples.bats - every command in the EXAMPLES section of every page runs.
#
# Examples use these names, which exist in the test's directory:
#   day.argus day.argus.gz a.argus b.argus  records (the version-1 sample)
#   archive/                                a directory tree of record files
#   capture.pcap                            a capture (tests/data/sample.pcap)
#   addresses.txt                           an address file (rafilteraddr -f)
#   health.argus                            flows and host health records (argus
#                                           -o ARGUS_HOST_HEALTH=yes, a flood)
# Live-capture examples (-i) and daemon starts (-d) are left out; the suites of
# those programs test them.
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/sample-v1.argus" day.argus
	gzip -c day.argus > day.argus.gz
	cp day.argus a.argus
	cp day.argus b.argus
	mkdir -p archive/2024/01
	cp day.argus archive/2024/01/01.argus
	printf '10.0.0.0/8\n2001:db8::/32\n' > addresses.txt
	cp "$DATA/health-flood.argus" health.argus
	[ -f "$DATA/sample.pcap" ] && cp "$DATA/sample.pcap" capture.pcap
	true
}

examples() {	# the .Dl lines of the EXAMPLES section of page $1
	awk '/^\.Sh /{ex = ($2 == "EXAMPLES")} ex && /^\.Dl /{sub(/^\.Dl /, ""); print}' "$1" |
		sed -e 's/\\e/\\/g' -e 's/\\-/-/g' -e 's/\\&//g'
}

@test "every EXAMPLES command of every page exits 0" {
	n=0
	for page in "$top_srcdir"/man/*.[1-8]; do
		while IFS= read -r cmd; do
			case "$cmd" in *" -i "*|*" -d"*|*" -P "*) continue ;; esac
			# raclickhouse.bats runs raclickhouse's against the server it starts
			case "$cmd" in *"raclickhouse "*) [[ "$cmd" == *"-M schema"* ]] || continue ;; esac
			n=$((n + 1))
			run bash -c "set -o pipefail; $cmd >/dev/null"
			[ "$status" -eq 0 ] || { echo "$(basename "$page"): '$cmd' exited $status: $output"; false; }
		done < <(examples "$page")
	done
	echo "ran $n examples" >&3
	[ "$n" -gt 0 ]
}
