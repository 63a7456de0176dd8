#!/bin/sh
# replay-radump.sh - replays the radump corpus through the printers' harness (TAP).
exec "$top_builddir/tests/fuzz/replay_radump" "$top_srcdir"/tests/corpus/radump/*
