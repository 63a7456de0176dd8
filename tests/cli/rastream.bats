#!/usr/bin/env bats
# rastream.bats - files by record time, size and count; the script on
# closed files; a replay of hours of records served by radium over -S.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	# three hours of record time, one record a second from 2024-01-01 00:00 UTC
	ragen -n 10800 -g 1000000 -w hours.argus
	printf '#!/bin/sh\necho "closed $1 $(ra -r "$1" -n -s stime | tail -n +2 | wc -l)"\n' >hook.sh
	chmod +x hook.sh
	PIDS=""
}

teardown() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	if [ -n "${DISK:-}" ]; then umount "$DISK" 2>/dev/null; fi
	true
}

# A 256k tmpfs at $T/disk, rastream's full disk: sets DISK.
small_disk() {
	[ "$(id -u)" = 0 ] || skip "a full disk is a small tmpfs: mounting it needs root"
	mkdir -p disk
	mount -t tmpfs -o size=256k tmpfs disk || skip "cannot mount a tmpfs here"
	DISK=$T/disk
}

# Records of file $1 that ra reads: none must fail (ra exits 0).
nrecs() { local out; out=$(ra -r "$1" -n -s stime) || return 1; echo "$out" | tail -n +2 | wc -l; }

until_true() {
	local end=$((SECONDS + ${WAIT:-30}))
	until "$@"; do
		[ $SECONDS -lt $end ] || { echo "gave up waiting for: $*" >&2; return 1; }
		sleep 0.1
	done
}

stimes() { for f in "$@"; do ra -r "$f" -n -c , -s stime saddr daddr | tail -n +2; done; }

@test "rastream -M time 1h: one file per hour of record time, strftime names, the script run on each" {
	run -0 --separate-stderr rastream -r hours.argus -M time 1h -w 'arch/%Y/%m/%d/argus.%H.%M.%S' -f ./hook.sh
	run -0 find arch -type f
	assert_equal "$(echo "$output" | sort)" "arch/2024/01/01/argus.00.00.00
arch/2024/01/01/argus.01.00.00
arch/2024/01/01/argus.02.00.00"
	for h in 00 01 02; do
		run -0 ra -r "arch/2024/01/01/argus.$h.00.00" -n -s stime
		assert_equal "$(echo "$output" | tail -n +2 | grep -vc "^2024-01-01 $h:")" 0
		assert_equal "$(echo "$output" | tail -n +2 | wc -l)" 3600
	done
	assert_equal "$(stimes arch/2024/01/01/* | sort)" "$(stimes hours.argus | sort)"
	run -0 rastream -r hours.argus -M time 1h -w 'arch/%Y/%m/%d/argus.%H.%M.%S' -f ./hook.sh
	for h in 00 01 02; do
		assert_line "rastream: ./hook.sh arch/2024/01/01/argus.$h.00.00.1: closed arch/2024/01/01/argus.$h.00.00.1 3600"
	done
	# the first run's files were not overwritten
	assert_equal "$(stimes arch/2024/01/01/argus.00.00.00 | wc -l)" 3600
}

@test "rastream -M count and -M size, .gz names" {
	run -0 rastream -r hours.argus -M count 4000 -w 'c/argus.%H%M%S'
	run -0 ls c
	assert_output "argus.000000
argus.010640
argus.021320"
	assert_equal "$(stimes c/argus.000000 | wc -l)" 4000
	assert_equal "$(stimes c/argus.021320 | wc -l)" 2800
	run -0 rastream -r hours.argus -M size 200k -w 's/argus.%H%M%S.gz'
	local n=$(ls s | wc -l)
	[ "$n" -ge 3 ]
	for f in s/*; do gzip -t "$f"; done
	assert_equal "$(stimes s/* | sort)" "$(stimes hours.argus | sort)"
}

@test "rastream: a script past its timeout is killed and said; usage errors" {
	printf '#!/bin/sh\necho started\nsleep 60\n' >slow.sh
	chmod +x slow.sh
	run -0 --separate-stderr timeout 30 rastream -r hours.argus -M time 3h -w 'x.%H' -f ./slow.sh -T 1
	assert_equal "${stderr_lines[0]}" "rastream: ./slow.sh x.00: started"
	assert_equal "${stderr_lines[1]}" "rastream: ./slow.sh x.00: killed by signal 15 (ran past its timeout)"
	run -2 --separate-stderr rastream -r hours.argus -M time 1x -w x
	assert_equal "$stderr" "rastream: -M time 1x: not an interval (30s, 5m, 1h, 1d)"
	run -2 --separate-stderr rastream -r hours.argus -M time 1h
	assert_equal "$stderr" "rastream: no -w pattern: rastream writes files"
}

@test "rastream -S: hourly files from a replay of hours of records served by radium" {
	mkfifo replay
	radium -r replay -P 0 2>radium.err 3>&- &
	local rpid=$!
	PIDS="$rpid"
	until_true grep -q 'listening on 127.0.0.1:' radium.err
	local port=$(grep -o 'listening on 127.0.0.1:[0-9]*' radium.err | grep -o '[0-9]*$')
	rastream -S "127.0.0.1:$port" -M noreconnect -M time 1h -B 60 -w 'live/argus.%H' -f ./hook.sh - not man \
		2>rastream.err 3>&- &
	local spid=$!
	PIDS="$PIDS $spid"
	# streaming: radium has taken rastream's hello (its fifo open and quiet)
	exec 4>replay
	until_true grep -q ': streaming' radium.err
	ra -r hours.argus -w - >&4
	exec 4>&-
	wait "$rpid"
	local rc=0
	wait "$spid" || rc=$?
	cat rastream.err
	assert_equal "$rc" 0
	# the replay's hours and nothing else: radium's own status records (at
	# wall clock time) are not taken by "not man"
	run -0 ls live
	assert_equal "$output" "$(printf 'argus.00\nargus.01\nargus.02')"
	assert_equal "$(stimes live/* | sort)" "$(stimes hours.argus | sort)"
	assert_equal "$(grep -c ': closed live/argus.0[012] 3600$' rastream.err)" 3
}

@test "rastream on a full disk: the file and the loss said, every record written or counted, what was written reads cleanly" {
	small_disk
	# 926k of records into 256k: the first file fills the disk partway
	run -1 --separate-stderr timeout 60 rastream -r hours.argus -M count 4000 -w 'disk/argus.%H%M%S' -f ./hook.sh
	assert_equal "${stderr_lines[0]}" "rastream: disk/argus.000000: write: No space left on device; the file ends after its first 2290 records, the rest of it is lost"
	assert_equal "${stderr_lines[1]}" "rastream: disk/argus.000000: 1710 records lost (not written)"
	assert_equal "${stderr_lines[2]}" "rastream: disk/argus.010640: write: No space left on device; the file is removed, its records are lost"
	assert_equal "${stderr_lines[3]}" "rastream: disk/argus.010640: 4000 records lost (not written)"
	assert_equal "${stderr_lines[-1]}" "rastream: 8510 records lost: not written (write errors)"
	# no script on a file cut short
	[[ "$stderr" != *hook.sh* ]]
	run -0 ls disk
	assert_output argus.000000
	assert_equal "$(nrecs disk/argus.000000)" 2290
	# the records it holds are the stream's first, whole
	assert_equal "$(stimes disk/argus.000000)" "$(stimes hours.argus | head -2290)"
	umount disk && DISK=

	# by time, and from a live stream (radium -S): rastream keeps going to the end
	small_disk
	mkfifo replay
	radium -r replay -P 0 2>radium.err 3>&- &
	local rpid=$!
	PIDS="$rpid"
	until_true grep -q 'listening on 127.0.0.1:' radium.err
	local port=$(grep -o 'listening on 127.0.0.1:[0-9]*' radium.err | grep -o '[0-9]*$')
	rastream -S "127.0.0.1:$port" -M noreconnect -M time 1h -B 60 -w 'disk/argus.%H' - not man 2>rastream.err 3>&- &
	local spid=$!
	PIDS="$PIDS $spid"
	exec 4>replay
	until_true grep -q ': streaming' radium.err
	ra -r hours.argus -w - >&4
	exec 4>&-
	wait "$rpid"
	local rc=0
	wait "$spid" || rc=$?
	cat rastream.err
	assert_equal "$rc" 1
	run -0 grep -c 'disk/argus.0[012]: write: No space left on device; ' rastream.err
	[ "$output" -ge 1 ]
	# every record is in a file, whole, or counted as lost
	local written=0 f
	for f in disk/*; do written=$((written + $(nrecs "$f"))); done
	[ "$written" -gt 0 ]
	local lost=$(grep -o '^rastream: [0-9]* records lost: not written (write errors)$' rastream.err | grep -o '[0-9]*')
	assert_equal "$((written + lost))" 10800
	assert_equal "$(grep -o ': [0-9]* records lost (not written)$' rastream.err | grep -o '[0-9]*' | paste -sd+ | bc)" "$lost"
}
