#!/bin/sh
# replay-filter.sh - replays the filter corpus through the filter harness (TAP).
exec "$top_builddir/tests/fuzz/replay_filter" "$top_srcdir"/tests/corpus/filter/*
