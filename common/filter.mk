# common/filter.mk - the filter language (ra-filter(7)), in the common library.
common_libcommon_a_SOURCES += common/filter.h common/filter_int.h \
	common/filter_lex.c common/filter_value.c common/filter_parse.c \
	common/filter_words.c common/filter_cmp.c common/filter_gen.c \
	common/filter_eval.c common/filter_dump.c common/filter_raw.c

# The expression table.
check_PROGRAMS += tests/unit/test_filter
tests_unit_test_filter_LDADD = $(LIBCOMMON)
TESTS += tests/unit/test_filter

# The parser's fuzz harness, replayed over tests/corpus/filter/*.
check_PROGRAMS += tests/fuzz/replay_filter
tests_fuzz_replay_filter_SOURCES = tests/fuzz/fuzz_filter.c tests/fuzz/replay.c
tests_fuzz_replay_filter_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-filter.sh
EXTRA_DIST += tests/fuzz/replay-filter.sh

dist_man_MANS += man/ra-filter.7

# ra with filters, end to end; and against Debian's ra.
TESTS += tests/cli/filter.bats tests/cli/filter-argus-diff.bats
EXTRA_DIST += tests/cli/filter.bats tests/cli/filter-argus-diff.bats
