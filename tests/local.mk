# tests/local.mk - unit tests of common/, the fuzz replays, the ra suites, the man page lint.
UNIT_LDADD = $(LIBCOMMON)

check_PROGRAMS += tests/unit/test_cursor tests/unit/test_record tests/unit/test_field \
	tests/unit/test_stream tests/unit/test_timerange tests/unit/test_options tests/unit/test_sortkey tests/gen/ragen
tests_unit_test_cursor_LDADD = $(UNIT_LDADD)
tests_unit_test_record_LDADD = $(UNIT_LDADD)
tests_unit_test_field_LDADD = $(UNIT_LDADD)
tests_unit_test_stream_LDADD = $(UNIT_LDADD)
tests_unit_test_timerange_LDADD = $(UNIT_LDADD)
tests_unit_test_options_LDADD = $(UNIT_LDADD)
tests_unit_test_sortkey_LDADD = $(UNIT_LDADD)
tests_gen_ragen_SOURCES = tests/gen/ragen.c
# The bundled site capture (tests/data/site.pcap) is this program's output.
check_PROGRAMS += tests/gen/gensite
tests_gen_gensite_SOURCES = tests/gen/gensite.c
tests_gen_ragen_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/test_cursor tests/unit/test_record tests/unit/test_field \
	tests/unit/test_stream tests/unit/test_timerange tests/unit/test_options tests/unit/test_sortkey
check_PROGRAMS += tests/unit/test_argus3
tests_unit_test_argus3_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/test_argus3

# Corpus replay: the reader harness over tests/corpus/reader/*.
check_PROGRAMS += tests/fuzz/replay_reader
tests_fuzz_replay_reader_SOURCES = tests/fuzz/fuzz_reader.c tests/fuzz/replay.c
tests_fuzz_replay_reader_LDADD = $(UNIT_LDADD)
TESTS += tests/fuzz/replay-reader.sh

# Corpus replay: the Argus 3 harness over tests/corpus/argus3/*.
check_PROGRAMS += tests/fuzz/replay_argus3
tests_fuzz_replay_argus3_SOURCES = tests/fuzz/fuzz_argus3.c tests/fuzz/replay.c
tests_fuzz_replay_argus3_LDADD = $(UNIT_LDADD)
TESTS += tests/fuzz/replay-argus3.sh
EXTRA_DIST += tests/fuzz/replay-argus3.sh

TESTS += tests/banned.sh
EXTRA_DIST += tests/banned.sh

# libFuzzer binaries (./configure --enable-fuzzers CC=clang): tests/fuzz/fuzz_reader
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_reader tests/fuzz/fuzz_filter tests/fuzz/fuzz_packet
tests_fuzz_fuzz_reader_SOURCES = tests/fuzz/fuzz_reader.c
tests_fuzz_fuzz_reader_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_reader_LDADD = $(UNIT_LDADD)
tests_fuzz_fuzz_filter_SOURCES = tests/fuzz/fuzz_filter.c
tests_fuzz_fuzz_filter_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_filter_LDADD = $(UNIT_LDADD)
tests_fuzz_fuzz_packet_SOURCES = tests/fuzz/fuzz_packet.c
tests_fuzz_fuzz_packet_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_fuzz_packet_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_packet_LDADD = $(LIBFLOW) $(UNIT_LDADD)
noinst_PROGRAMS += tests/fuzz/fuzz_argus3
tests_fuzz_fuzz_argus3_SOURCES = tests/fuzz/fuzz_argus3.c
tests_fuzz_fuzz_argus3_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_argus3_LDADD = $(UNIT_LDADD)
endif

TESTS += tests/cli/ra.bats tests/cli/ra-errors.bats tests/cli/man.bats tests/cli/man-examples.bats tests/cli/site.bats
TESTS += tests/cli/argus3.bats
TESTS += tests/cli/argus3-live.bats
EXTRA_DIST += tests/cli/argus3.bats
EXTRA_DIST += tests/cli/argus3-live.bats
EXTRA_DIST += tests/unit/tap.h tests/cli/test_helper.bash tests/cli/ra.bats \
	tests/cli/ra-errors.bats tests/cli/man.bats tests/cli/man-examples.bats tests/cli/site.bats tests/fuzz/replay-reader.sh \
	tests/data tests/corpus

# The printer's fast formatting (common/fmtnum.c, fmt.c) against snprintf, inet_ntop, strftime, getservbyport.
check_PROGRAMS += tests/unit/test_fmtnum
tests_unit_test_fmtnum_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/test_fmtnum

# The filter on a record's bytes (common/filter_raw.c) against the filter on the decoded flow.
check_PROGRAMS += tests/unit/test_filter_raw
tests_unit_test_filter_raw_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/test_filter_raw
