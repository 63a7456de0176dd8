# common/cluster.mk - the aggregation engine (cluster.h): -m keys, groups, merge,
# emit.  racluster is a main on it, as rabins, ratop and raban are.
noinst_LIBRARIES += common/libcluster.a
common_libcluster_a_SOURCES = common/cluster.h common/cluster_int.h common/table.h \
	common/plain4.h common/plain6.h \
	common/cluster.c common/cluster_out.c common/clkey.c common/clrec.c common/merge.c \
	common/clintake.c \
	common/pipeline.c common/ring.c \
	common/bins.h common/bins.c common/binner.c common/hbinner.c

# Keys, merge, intake and emit, unit by unit.
check_PROGRAMS += tests/unit/test_cluster
tests_unit_test_cluster_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
TESTS += tests/unit/test_cluster

# Corpus replay of the intake (cl_feed, then record by record, the groups
# compared) over tests/corpus/cluster/*; with --enable-fuzzers, the libFuzzer binary.
check_PROGRAMS += tests/fuzz/replay_cluster
tests_fuzz_replay_cluster_SOURCES = tests/fuzz/fuzz_cluster.c tests/fuzz/replay.c
tests_fuzz_replay_cluster_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
TESTS += tests/fuzz/replay-cluster.sh
EXTRA_DIST += tests/fuzz/replay-cluster.sh
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_cluster
tests_fuzz_fuzz_cluster_SOURCES = tests/fuzz/fuzz_cluster.c
tests_fuzz_fuzz_cluster_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_cluster_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
endif

# Time bins: -M words, records cut into bins, the binner (bins.h).
check_PROGRAMS += tests/unit/test_bins
tests_unit_test_bins_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
TESTS += tests/unit/test_bins

# Corpus replay of the bins' intake (binner_feed, then record by record) over
# tests/corpus/bins/*; with --enable-fuzzers, the libFuzzer binary.
check_PROGRAMS += tests/fuzz/replay_bins
tests_fuzz_replay_bins_SOURCES = tests/fuzz/fuzz_bins.c tests/fuzz/replay.c
tests_fuzz_replay_bins_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
TESTS += tests/fuzz/replay-bins.sh
EXTRA_DIST += tests/fuzz/replay-bins.sh
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_bins
tests_fuzz_fuzz_bins_SOURCES = tests/fuzz/fuzz_bins.c
tests_fuzz_fuzz_bins_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_bins_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
endif
