# ra/local.mk - ra, the record printer.
bin_PROGRAMS += ra/ra
ra_ra_SOURCES = ra/ra.c
ra_ra_LDADD = $(LIBCOMMON)
TESTS += tests/cli/ra-options.bats
EXTRA_DIST += tests/cli/ra-options.bats
