#!/bin/sh
# replay-sflow.sh - replays the sFlow corpus through the sFlow harness (TAP).
exec "$top_builddir/tests/fuzz/replay_sflow" "$top_srcdir"/tests/corpus/sflow/*
