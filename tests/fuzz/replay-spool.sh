#!/bin/sh
# replay-spool.sh - replays the spool corpus through raclickhouse's spool reader (TAP).
exec "$top_builddir/tests/fuzz/replay_spool" "$top_srcdir"/tests/corpus/spool/*
