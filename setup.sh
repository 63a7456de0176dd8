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
# (tools that only tests use go in the line after these)
[ "$what" = test ] && packages="$packages tshark argus-server argus-client python3 jq"
[ "$what" = test ] && packages="$packages clickhouse-server clickhouse-client"	# raclickhouse

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
	sample=tests/data/sample.pcap
	if [ -x "$B/argus/argus" ] && [ -x "$B/racluster/racluster" ] && [ -x "$B/rasort/rasort" ]; then
		echo "== argus -r $sample | racluster -m proto dport | rasort -m bytes"
		"$B/argus/argus" -r "$sample" -w - | "$B/racluster/racluster" -m proto dport -w - |
			"$B/rasort/rasort" -m bytes -s proto dport spkts dpkts bytes
	else
		echo "== ra -r tests/data/sample-v1.argus"
		"$B/ra/ra" -r tests/data/sample-v1.argus -N 20
	fi
	;;
test)
	build build --enable-werror CC=clang
	make -s -C build check -j"$jobs" || { cat build/test-suite.log; exit 1; }
	build build-gcc --enable-werror CC=gcc
	make -s -C build-gcc check -j"$jobs" || { cat build-gcc/test-suite.log; exit 1; }
	build build-san --enable-werror --enable-sanitizers CC=clang
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		make -s -C build-san check -j"$jobs" || { cat build-san/test-suite.log; exit 1; }
	echo "setup: all tests passed (clang and gcc -Werror builds, clang ASan/UBSan build)"
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
