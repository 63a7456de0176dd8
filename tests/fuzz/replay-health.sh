#!/bin/sh
# replay-health.sh - replays the host health corpus through its harness (TAP).
exec "$top_builddir/tests/fuzz/replay_health" "$top_srcdir"/tests/corpus/health/*
