#!/bin/sh
# replay-argus3.sh - replays the Argus 3 corpus through the Argus 3 harness (TAP).
exec "$top_builddir/tests/fuzz/replay_argus3" "$top_srcdir"/tests/corpus/argus3/*
