# rastream/local.mk - rastream, the stream writer that rotates files.
bin_PROGRAMS += rastream/rastream
rastream_rastream_SOURCES = rastream/rastream.c rastream/script.c rastream/script.h
rastream_rastream_LDADD = $(LIBCOMMON)
dist_man_MANS += man/rastream.1
TESTS += tests/cli/rastream.bats
EXTRA_DIST += tests/cli/rastream.bats
