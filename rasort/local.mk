# rasort/local.mk - rasort, the sorter: its program, unit test, suite and page.
bin_PROGRAMS += rasort/rasort
rasort_rasort_SOURCES = rasort/rasort.c rasort/store.c rasort/store.h \
	rasort/sortkey.c rasort/sortkey.h
rasort_rasort_LDADD = $(LIBCOMMON)
dist_man_MANS += man/rasort.1
TESTS += tests/cli/rasort.bats
EXTRA_DIST += tests/cli/rasort.bats
