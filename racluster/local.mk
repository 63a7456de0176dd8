# racluster/local.mk - racluster, a main on the aggregation engine (common/cluster.mk):
# its program, suite and page.
bin_PROGRAMS += racluster/racluster
racluster_racluster_SOURCES = racluster/racluster.c
racluster_racluster_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
dist_man_MANS += man/racluster.1
TESTS += tests/cli/racluster.bats
EXTRA_DIST += tests/cli/racluster.bats
