#!/bin/sh
# replay-raban-conf.sh - replays the raban.conf corpus through the parser's harness (TAP).
exec "$top_builddir/tests/fuzz/replay_raban_conf" "$top_srcdir"/tests/corpus/raban-conf/*
