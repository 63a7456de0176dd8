#!/bin/sh
# replay-bins.sh - replays the bins corpus through rabins' record path (TAP).
exec "$top_builddir/tests/fuzz/replay_bins" "$top_srcdir"/tests/corpus/bins/*
