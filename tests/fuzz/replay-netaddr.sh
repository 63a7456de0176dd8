#!/bin/sh
# replay-netaddr.sh - replays the address corpus through the netaddr harness (TAP).
exec "$top_builddir/tests/fuzz/replay_netaddr" "$top_srcdir"/tests/corpus/netaddr/*
