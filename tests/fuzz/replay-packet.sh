#!/bin/sh
# replay-packet.sh - replays the packet corpus through the packet harness (TAP).
exec "$top_builddir/tests/fuzz/replay_packet" "$top_srcdir"/tests/corpus/packet/*
