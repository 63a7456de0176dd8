# raclickhouse/local.mk - raclickhouse, records into ClickHouse: its program, suite and page.
bin_PROGRAMS += raclickhouse/raclickhouse
raclickhouse_raclickhouse_SOURCES = raclickhouse/raclickhouse.c raclickhouse/conf.c raclickhouse/conf.h \
	raclickhouse/schema.c raclickhouse/schema.h raclickhouse/chttp.c raclickhouse/chttp.h \
	raclickhouse/ship.c raclickhouse/ship.h raclickhouse/spool.c raclickhouse/spool.h \
	raclickhouse/senders.c raclickhouse/senders.h raclickhouse/native.c raclickhouse/native.h
raclickhouse_raclickhouse_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) -pthread
raclickhouse_raclickhouse_LDADD = $(LIBCOMMON) $(CURL_LIBS) -lpthread
dist_man_MANS += man/raclickhouse.1

TESTS += tests/cli/raclickhouse.bats
EXTRA_DIST += tests/cli/raclickhouse.bats tests/clickhouse-test-server.sh

# Corpus replay: the spool reader and the row walker over tests/corpus/spool/*;
# with --enable-fuzzers, the libFuzzer binary.
SPOOL_CORE = raclickhouse/spool.c raclickhouse/spool.h raclickhouse/schema.c raclickhouse/schema.h \
	raclickhouse/conf.c raclickhouse/conf.h raclickhouse/native.c raclickhouse/native.h
check_PROGRAMS += tests/fuzz/replay_spool
tests_fuzz_replay_spool_SOURCES = tests/fuzz/fuzz_spool.c tests/fuzz/replay.c $(SPOOL_CORE)
tests_fuzz_replay_spool_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-spool.sh
EXTRA_DIST += tests/fuzz/replay-spool.sh tests/corpus/spool
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_spool
tests_fuzz_fuzz_spool_SOURCES = tests/fuzz/fuzz_spool.c $(SPOOL_CORE)
tests_fuzz_fuzz_spool_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_spool_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_spool_LDADD = $(LIBCOMMON)
endif
