# rasort/local.mk - rasort, the sorter: its program, its store, suite and page.
# (Sort keys are the library's: common/sortkey.h, tests/unit/test_sortkey.c.)
bin_PROGRAMS += rasort/rasort
rasort_rasort_SOURCES = rasort/rasort.c rasort/store.c rasort/store.h
rasort_rasort_LDADD = $(LIBCOMMON)
dist_man_MANS += man/rasort.1
TESTS += tests/cli/rasort.bats
EXTRA_DIST += tests/cli/rasort.bats
