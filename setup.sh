#!/bin/sh
# setup.sh - install what the toolkit needs on Debian 12, build it, then
#   sh setup.sh run    run the main job on the bundled sample capture
#   sh setup.sh test   run every test (unit, command line, fuzz corpora, man lint),
#                      in the -Werror builds of both compilers and under ASan/UBSan
# The programs it runs (build/) are compiled by clang: racluster's loop takes
# 8% less CPU time than gcc 12 makes it take (racluster(1), PERFORMANCE).
# gcc's -Werror build is in build-gcc/.
# Both are idempotent and work from a fresh clone (as root, or through sudo).
set -eu
cd "$(dirname "$0")"
top=$(pwd)
what=${1:-run}
jobs=$(nproc 2>/dev/null || echo 2)

packages="build-essential autoconf automake libtool pkg-config libpcap-dev zlib1g-dev
	bats bats-assert bats-support mandoc clang libclang-rt-14-dev tcpdump netcat-openbsd iproute2 procps"
# what the clients link beyond libpcap and zlib, a line each
packages="$packages libcurl4-openssl-dev"	# raclickhouse
packages="$packages libncurses-dev"	# ratop
packages="$packages libcairo2-dev"	# ragraph
# tools that only the tests use, a line each
[ "$what" = test ] && packages="$packages tshark argus-server argus-client python3 jq"
[ "$what" = test ] && packages="$packages clickhouse-server clickhouse-client"	# raclickhouse
[ "$what" = test ] && packages="$packages tcpreplay"	# stream.bats: a capture replayed onto lo
[ "$what" = test ] && packages="$packages tmux"	# ratop's screen tests
[ "$what" = test ] && packages="$packages poppler-utils file"	# ragraph's tests: pdfinfo, file
[ "$what" = test ] && packages="$packages util-linux"	# health.bats: unshare -n, a network namespace per test
[ "$what" = test ] && packages="$packages nfdump"	# bench/bench-table.sh and the other benches: nfdump and nfpcapd

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "setup: installing$missing"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi

build() {	# build DIR configure-options...
	dir=$1; shift
	mkdir -p "$dir"
	echo "setup: building in $dir ($*)"
	# configured again when configure is newer or the options differ
	if [ ! -f "$dir/Makefile" ] || [ "$dir/config.status" -ot configure ] ||
	   [ "$(cat "$dir/.setup-options" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$top/configure" -q "$@") > "$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
		make -C "$dir" clean >> "$dir/build.log" 2>&1
		echo "$*" > "$dir/.setup-options"
	fi
	make -C "$dir" -j"$jobs" >> "$dir/build.log" 2>&1 || { tail -50 "$dir/build.log"; exit 1; }
}

case "$what" in
run)
	build build --enable-werror CC=clang
	B=$top/build
	PATH="$B/argus:$B/ra:$B/racluster:$B/rasort:$PATH"
	work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
	# tests/data/site.pcap: five minutes of a small site (tests/gen/gensite.c made it)
	say() { printf '\n== %s\n$ %s\n' "$1" "$2"; sh -c "set -e; cd '$work'; $2"; }
	cp tests/data/site.pcap "$work/"
	say "Packets to flow records" \
		"argus -r site.pcap -w site.argus && ra -r site.argus -N 5"
	say "Top talkers: bytes sent and received, by source address" \
		"racluster -r site.argus -m saddr -w - | rasort -m bytes -N 5 -s saddr trans pkts bytes"
	say "Top services: protocol and destination port by bytes" \
		"racluster -r site.argus -m proto dport -w - | rasort -m bytes -N 5 -s proto dport trans pkts bytes"
	say "Something to look at: TCP attempts reset or unanswered, by pair (a port sweep)" \
		"racluster -r site.argus -m saddr daddr -w - - 'tcp and (state RST or state REQ)' | rasort -m trans -N 3 -s saddr daddr trans pkts dur"
	say "And a flood: the busiest UDP conversations by packets" \
		"racluster -r site.argus -m saddr daddr proto dport -w - - udp | rasort -m pkts -N 3 -s saddr daddr proto dport dur pkts bytes rate"
	printf '\nEvery program has a manual page: man -l man/ra.1 (and racluster.1, rasort.1, argus.8 ...).\n'
	;;
test)
	build build --enable-werror CC=clang
	make -s -C build check -j"$jobs" || { cat build/test-suite.log; exit 1; }
	build build-gcc --enable-werror CC=gcc
	make -s -C build-gcc check -j"$jobs" || { cat build-gcc/test-suite.log; exit 1; }
	build build-san --enable-werror --enable-sanitizers CC=clang
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		make -s -C build-san check -j"$jobs" || { cat build-san/test-suite.log; exit 1; }
	# The release tarball builds and passes from itself (every source in a build
	# list); the whole suite ran three times above, so a smoke test suffices there.
	echo "setup: make distcheck"
	make -s -C build distcheck -j"$jobs" TESTS="tests/unit/test_record tests/unit/test_cluster tests/cli/man.bats" \
		>> build/build.log 2>&1 || { tail -40 build/build.log; exit 1; }
	echo "setup: all tests passed (clang and gcc -Werror builds, clang ASan/UBSan build, distcheck)"
	logs="build/test-suite.log build-gcc/test-suite.log build-san/test-suite.log"
	pass=$(cat $logs | awk '/^# PASS:/ {n += $3} END {print n + 0}')
	fail=$(cat $logs | awk '/^# (FAIL|ERROR):/ {n += $3} END {print n + 0}')
	echo "tests: $pass passed, $fail failed"
	;;
*)
	echo "usage: sh setup.sh run|test" >&2
	exit 2
	;;
esac
