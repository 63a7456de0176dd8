#!/bin/sh
# gen-health-flood.sh - makes health-flood.argus: argus -i lo with host health
# records (-M 1) and flows (-S 1) in a network namespace of its own, while a
# listener on 127.0.0.1:24443 with backlog 1 never accepts: 127.0.0.2 fills
# its accept queue with two connections, then 127.0.0.9 tries 24 connections,
# 127.0.0.7 six and 127.0.0.3 one (their SYNs are dropped, ListenOverflows,
# and sent again); after 7 s everything closes, and argus records 4 s more.
# Needs root; run from the build directory: sh ../tests/data/gen-health-flood.sh
set -e
PORT=24443
out=$(pwd)/health-flood.argus
cd "$(mktemp -d)"
cat > flood.py <<'PY'
import socket, sys, time
port, hold = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(1)
held = []
def attempt(src, n):
    for _ in range(n):
        c = socket.socket(); c.setblocking(False); c.bind((src, 0))
        try: c.connect(("127.0.0.1", port))
        except BlockingIOError: pass
        held.append(c)
attempt("127.0.0.2", 2)
time.sleep(0.3)
attempt("127.0.0.9", 24); attempt("127.0.0.7", 6); attempt("127.0.0.3", 1)
time.sleep(hold)
for c in held: c.close()
s.close()
PY
unshare -n sh -c "set -e
	ip link set lo up
	argus -X -d -i lo -S 1 -M 1 -o ARGUS_HOST_HEALTH=yes -o ARGUS_HOST_HEALTH_PORTS=$PORT -w '$out' 3>&- &
	a=\$!
	sleep 1.5
	python3 flood.py $PORT 7
	sleep 4
	kill -TERM \$a; wait \$a"
