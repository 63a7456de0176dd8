#!/bin/sh
# replay-addrset.sh - replays the address-file corpus through its harness (TAP).
exec "$top_builddir/tests/fuzz/replay_addrset" "$top_srcdir"/tests/corpus/addrset/*
