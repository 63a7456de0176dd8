#!/bin/sh
# replay-cluster.sh - replays the cluster corpus through racluster's record path (TAP).
exec "$top_builddir/tests/fuzz/replay_cluster" "$top_srcdir"/tests/corpus/cluster/*
