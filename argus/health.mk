# argus/health.mk - host health records (ARGUS_HOST_HEALTH): the /proc
# parsers and sock_diag sampler, their unit test, fuzz harness and corpus
# replay, the live suite and the sampling benchmark.

noinst_LIBRARIES += argus/libhealth.a
argus_libhealth_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
argus_libhealth_a_SOURCES = argus/health.c argus/health.h argus/health_proc.c argus/health_proc.h \
	argus/health_diag.c argus/health_diag.h

check_PROGRAMS += tests/unit/test_health tests/fuzz/replay_health
tests_unit_test_health_SOURCES = tests/unit/test_health.c
tests_unit_test_health_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus -I$(top_srcdir)/tests/unit
tests_unit_test_health_LDADD = argus/libhealth.a $(LIBCOMMON)
tests_fuzz_replay_health_SOURCES = tests/fuzz/fuzz_health.c tests/fuzz/replay.c
tests_fuzz_replay_health_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_replay_health_LDADD = argus/libhealth.a $(LIBCOMMON)
TESTS += tests/unit/test_health tests/fuzz/replay-health.sh tests/cli/health.bats
EXTRA_DIST += tests/fuzz/replay-health.sh tests/corpus/health tests/data/health tests/cli/health.bats \
	bench/bench-health.sh
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_health
tests_fuzz_fuzz_health_SOURCES = tests/fuzz/fuzz_health.c
tests_fuzz_fuzz_health_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_fuzz_health_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_health_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_health_LDADD = argus/libhealth.a $(LIBCOMMON)
endif
# bench/bench-health.sh times this: one sample's CPU with 1,000 listeners.
noinst_PROGRAMS += bench/bench-health-sample
bench_bench_health_sample_SOURCES = bench/bench-health-sample.c
bench_bench_health_sample_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
bench_bench_health_sample_LDADD = argus/libhealth.a $(LIBCOMMON)
