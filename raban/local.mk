# raban/local.mk - raban, thresholds that run ban and unban scripts (apermon's
# model): its program on argus's sFlow decoder (argus/libsflow.a), its pages,
# suite, config fuzz harness and benchmark.
bin_PROGRAMS += raban/raban
RABAN_CONF_SOURCES = raban/conf.h raban/conf_int.h raban/conf_lex.h raban/conf_lex.c \
	raban/conf_parse.c raban/conf_trigger.c raban/conf_health.c raban/conf_check.c
RABAN_CORE_SOURCES = $(RABAN_CONF_SOURCES) raban/sample.h raban/sample.c \
	raban/detect.h raban/det_int.h raban/detect.c raban/detect_ban.c raban/detect_health.c \
	raban/sflow_in.h raban/sflow_in.c
raban_raban_SOURCES = $(RABAN_CORE_SOURCES) raban/script.h raban/script.c \
	raban/state.h raban/state.c raban/raban.c
raban_raban_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
raban_raban_LDADD = $(LIBSFLOW) $(LIBCOMMON)
dist_man_MANS += man/raban.8 man/raban.conf.5
TESTS += tests/cli/raban.bats tests/cli/raban-health.bats
EXTRA_DIST += tests/cli/raban.bats tests/cli/raban-health.bats tests/cli/raban-apermon.conf

# The configuration parser's fuzz harness, replayed over tests/corpus/raban-conf.
check_PROGRAMS += tests/fuzz/replay_raban_conf
tests_fuzz_replay_raban_conf_SOURCES = tests/fuzz/fuzz_raban_conf.c tests/fuzz/replay.c $(RABAN_CONF_SOURCES)
tests_fuzz_replay_raban_conf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/raban
tests_fuzz_replay_raban_conf_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-raban-conf.sh
EXTRA_DIST += tests/fuzz/replay-raban-conf.sh

# Ingest throughput and memory per host (bench/bench-raban.sh).
check_PROGRAMS += bench/raban-bench
bench_raban_bench_SOURCES = bench/raban-bench.c $(RABAN_CORE_SOURCES)
bench_raban_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus -I$(top_srcdir)/raban
bench_raban_bench_LDADD = $(LIBSFLOW) $(LIBCOMMON)
EXTRA_DIST += bench/bench-raban.sh

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_raban_conf
tests_fuzz_fuzz_raban_conf_SOURCES = tests/fuzz/fuzz_raban_conf.c $(RABAN_CONF_SOURCES)
tests_fuzz_fuzz_raban_conf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/raban
tests_fuzz_fuzz_raban_conf_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_raban_conf_LDADD = $(LIBCOMMON)
endif
