# racluster/local.mk - racluster, the aggregator: its program, unit test, suite and page.
bin_PROGRAMS += racluster/racluster
racluster_racluster_SOURCES = racluster/racluster.c racluster/cluster.c racluster/cluster.h \
	racluster/clkey.c racluster/clrec.c racluster/merge.c racluster/cluster_int.h \
	racluster/pipeline.c racluster/ring.c racluster/plain4.h racluster/table.h
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
