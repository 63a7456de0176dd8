# racluster/local.mk - racluster, the aggregator: its program, unit test, suite and page.
bin_PROGRAMS += racluster/racluster
racluster_racluster_SOURCES = racluster/racluster.c racluster/cluster.c racluster/cluster.h \
	racluster/clkey.c racluster/clrec.c racluster/merge.c racluster/cluster_int.h \
	racluster/pipeline.c racluster/ring.c racluster/plain4.h racluster/plain6.h racluster/table.h
racluster_racluster_LDADD = $(LIBCOMMON)
dist_man_MANS += man/racluster.1

# Unit test of the keys, merge and sorts (rasort's key code too).
check_PROGRAMS += tests/unit/test_cluster
tests_unit_test_cluster_SOURCES = tests/unit/test_cluster.c racluster/cluster.c racluster/pipeline.c racluster/ring.c \
	racluster/plain4.h racluster/table.h \
	racluster/clkey.c racluster/clrec.c racluster/merge.c racluster/cluster_int.h \
	racluster/cluster.h rasort/sortkey.c rasort/sortkey.h
tests_unit_test_cluster_LDADD = $(LIBCOMMON)
TESTS += tests/unit/test_cluster tests/cli/racluster.bats
EXTRA_DIST += tests/cli/racluster.bats

# Corpus replay: racluster's record path (cl_feed, then record by record)
# over tests/corpus/cluster/*; with --enable-fuzzers, the libFuzzer binary.
CLUSTER_CORE = racluster/cluster.c racluster/pipeline.c racluster/ring.c racluster/clkey.c racluster/clrec.c \
	racluster/merge.c racluster/cluster.h racluster/cluster_int.h racluster/plain4.h racluster/table.h
check_PROGRAMS += tests/fuzz/replay_cluster
tests_fuzz_replay_cluster_SOURCES = tests/fuzz/fuzz_cluster.c tests/fuzz/replay.c $(CLUSTER_CORE)
tests_fuzz_replay_cluster_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-cluster.sh
EXTRA_DIST += tests/fuzz/replay-cluster.sh tests/corpus/cluster
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_cluster
tests_fuzz_fuzz_cluster_SOURCES = tests/fuzz/fuzz_cluster.c $(CLUSTER_CORE)
tests_fuzz_fuzz_cluster_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_cluster_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_cluster_LDADD = $(LIBCOMMON)
endif
