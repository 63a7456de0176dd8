# radium/local.mk - radium, the record stream relay.
bin_PROGRAMS += radium/radium
radium_radium_SOURCES = radium/radium.c
radium_radium_LDADD = $(LIBCOMMON)
dist_man_MANS += man/radium.8
TESTS += tests/cli/radium.bats
EXTRA_DIST += tests/cli/radium.bats
