# ra/local.mk - ra, the record printer.
bin_PROGRAMS += ra/ra
ra_ra_SOURCES = ra/ra.c
ra_ra_LDADD = $(LIBCOMMON)
TESTS += tests/cli/ra-options.bats
EXTRA_DIST += tests/cli/ra-options.bats
# The status item table (common/status.c) against the daemon's own key enums.
check_PROGRAMS += tests/unit/test_status
tests_unit_test_status_SOURCES = tests/unit/test_status.c
tests_unit_test_status_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_unit_test_status_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_unit_test_status_LDADD = $(LIBCOMMON)
TESTS += tests/unit/test_status tests/cli/ra-status.bats
EXTRA_DIST += tests/cli/ra-status.bats
