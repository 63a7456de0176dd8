#!/bin/sh
# bench-health.sh - the CPU cost of one host health sample (ARGUS_HOST_HEALTH)
# with 1,000 listening TCP sockets: python3 opens them in a network namespace
# of the benchmark's own (so the dump holds those and nothing else; needs
# root and unshare), then bench/bench-health-sample times -n samples (the
# four /proc files, two sock_diag dumps per family, the records encoded).
#   sh bench/bench-health.sh [LISTENERS] [SAMPLES]     (default 1000 and 2000)
# Goal: under 1 ms of CPU per sample.
. "$(dirname "$0")/common.sh"
L=${1:-1000}
N=${2:-2000}
[ -x "$B/bench/bench-health-sample" ] || make -s -C "$B" bench/bench-health-sample
unshare -n sh -c "
ip link set lo up
python3 -c '
import socket, sys, time
socks = []
for i in range($L):
    s = socket.socket(socket.AF_INET6 if i % 2 else socket.AF_INET)
    s.bind((\"::1\" if i % 2 else \"127.0.0.1\", 20000 + i)); s.listen(128); socks.append(s)
open(\"$WORK/health-ready\", \"w\").close()
time.sleep(120)
' & p=\$!
rm -f '$WORK/health-ready'
while [ ! -f '$WORK/health-ready' ]; do sleep 0.1; done
echo \"listeners: \$(ss -Hlnt | wc -l) (half IPv4, half IPv6)\"
echo 'every listener:'; '$B/bench/bench-health-sample' -n $N
echo 'ARGUS_HOST_HEALTH_PORTS=20000-20009:'; '$B/bench/bench-health-sample' -n $N -p 20000-20009
echo 'no listener watched (the /proc files and the dumps alone):'; '$B/bench/bench-health-sample' -n $N -p 1
echo 'every listener, ARGUS_HOST_HEALTH_SYNRECV=no (no walk of the established hash):'; '$B/bench/bench-health-sample' -n $N -s
echo 'no listener watched, ARGUS_HOST_HEALTH_SYNRECV=no (the /proc files alone, and the listen dump):'; '$B/bench/bench-health-sample' -n $N -p 1 -s
kill \$p
"
