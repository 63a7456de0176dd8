# rabins/local.mk - rabins, time bins on the aggregation engine (common/bins.h,
# common/cluster.mk): its program, suite and page.
bin_PROGRAMS += rabins/rabins
rabins_rabins_SOURCES = rabins/rabins.c
rabins_rabins_LDADD = $(LIBCLUSTER) $(LIBCOMMON)
dist_man_MANS += man/rabins.1
TESTS += tests/cli/rabins.bats tests/cli/rabins-health.bats
EXTRA_DIST += tests/cli/rabins.bats tests/cli/rabins-health.bats
