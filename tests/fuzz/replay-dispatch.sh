#!/bin/sh
# replay-dispatch.sh - replays the packet corpus through the dispatch harness (TAP).
exec "$top_builddir/tests/fuzz/replay_dispatch" "$top_srcdir"/tests/corpus/packet/*
