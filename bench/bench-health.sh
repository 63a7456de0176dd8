#!/bin/sh
# bench-health.sh - the CPU cost of one host health sample (ARGUS_HOST_HEALTH)
# with 1,000 listening TCP sockets: python3 opens them in a network namespace
# of the benchmark's own (so the dump holds those and nothing else; needs
# root and unshare), then bench/bench-health-sample times -n samples (the
# four /proc files, two sock_diag dumps per family, the records encoded).
#   sh bench/bench-health.sh [LISTENERS] [SAMPLES]     (default 1000 and 2000)
# Goal: under 1 ms of CPU per sample.  The half-open count walks the kernel's
# whole established hash (net.ipv4.tcp_ehash_entries buckets; a namespace
# shares the host's unless net.ipv4.tcp_child_ehash_entries gave it its own):
# the last lines run again in a namespace with its own hash of 1024 buckets.
. "$(dirname "$0")/common.sh"
L=${1:-1000}
N=${2:-2000}
[ -x "$B/bench/bench-health-sample" ] || make -s -C "$B" bench/bench-health-sample
S="$B/bench/bench-health-sample"
cat > "$WORK/health-listen.py" <<PY
import socket, sys, time
socks = []
for i in range($L):
    s = socket.socket(socket.AF_INET6 if i % 2 else socket.AF_INET)
    s.bind(("::1" if i % 2 else "127.0.0.1", 20000 + i)); s.listen(128); socks.append(s)
open("$WORK/health-ready", "w").close()
time.sleep(300)
PY
# In a fresh namespace: the listeners, then the runs ($1: all, or short).
cat > "$WORK/health-run.sh" <<SH
ip link set lo up
rm -f '$WORK/health-ready'
python3 '$WORK/health-listen.py' & p=\$!
while [ ! -f '$WORK/health-ready' ]; do sleep 0.1; done
echo "listeners: \$(ss -Hlnt | wc -l) (half IPv4, half IPv6); established hash: \$(cat /proc/sys/net/ipv4/tcp_ehash_entries) buckets (negative: the host's, shared)"
echo 'every listener:'; '$S' -n $N
echo 'ARGUS_HOST_HEALTH_PORTS=20000-20009 (the kernel filters by port):'; '$S' -n $N -p 20000-20009
if [ "\$1" = all ]; then
echo 'no listener watched (the /proc files and the dumps alone):'; '$S' -n $N -p 1
echo 'every listener, ARGUS_HOST_HEALTH_SYNRECV=no (no walk of the established hash):'; '$S' -n $N -s
echo 'ARGUS_HOST_HEALTH_PORTS=20000-20009, ARGUS_HOST_HEALTH_SYNRECV=no:'; '$S' -n $N -p 20000-20009 -s
echo 'no listener watched, ARGUS_HOST_HEALTH_SYNRECV=no (the /proc files alone, and the listen dump):'; '$S' -n $N -p 1 -s
fi
kill \$p
SH
unshare -n sh "$WORK/health-run.sh" all
echo
echo "In a namespace with an established hash of its own (net.ipv4.tcp_child_ehash_entries=1024):"
unshare -n sh -c "sysctl -qw net.ipv4.tcp_child_ehash_entries=1024 && unshare -n sh '$WORK/health-run.sh' short" ||
	echo "(this kernel has no net.ipv4.tcp_child_ehash_entries)"
