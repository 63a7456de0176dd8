#!/bin/sh
# replay-services.sh - replays the signature-line corpus through its harness (TAP).
exec "$top_builddir/tests/fuzz/replay_services" "$top_srcdir"/tests/corpus/services/*
