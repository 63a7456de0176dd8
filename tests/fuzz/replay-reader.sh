#!/bin/sh
# replay-reader.sh - replays the reader corpus through the reader harness (TAP).
exec "$top_builddir/tests/fuzz/replay_reader" "$top_srcdir"/tests/corpus/reader/*
