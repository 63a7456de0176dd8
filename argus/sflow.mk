# argus/sflow.mk - sFlow v5: the decoder library (decoder, agent table, engine
# feed, UDP framing) the daemon links, as raban will; its unit test, fuzz replay
# and CLI suite.

noinst_LIBRARIES += argus/libsflow.a
argus_libsflow_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
argus_libsflow_a_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
argus_libsflow_a_SOURCES = argus/sflow_decode.c argus/sflow_decode.h \
	argus/sflow_agents.c argus/sflow_agents.h \
	argus/sflow_feed.c argus/sflow_feed.h \
	argus/sflow_udp.c argus/sflow_udp.h

check_PROGRAMS += tests/unit/test_sflow
tests_unit_test_sflow_SOURCES = tests/unit/test_sflow.c
tests_unit_test_sflow_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus -I$(top_srcdir)/tests/unit
tests_unit_test_sflow_LDADD = $(LIBSFLOW) $(LIBFLOW) $(LIBCOMMON) $(PCAP_LIBS)
TESTS += tests/unit/test_sflow

check_PROGRAMS += tests/fuzz/replay_sflow
tests_fuzz_replay_sflow_SOURCES = tests/fuzz/fuzz_sflow.c tests/fuzz/replay.c
tests_fuzz_replay_sflow_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_replay_sflow_LDADD = $(LIBSFLOW) $(LIBFLOW) $(LIBCOMMON)
TESTS += tests/fuzz/replay-sflow.sh
EXTRA_DIST += tests/fuzz/replay-sflow.sh

# Prints status records (ra prints flows only): used by tests/cli/sflow.bats
# and bench/bench-sflow.sh.
check_PROGRAMS += tests/gen/sflow_status
tests_gen_sflow_status_SOURCES = tests/gen/sflow_status.c
tests_gen_sflow_status_LDADD = $(LIBCOMMON)

# The loopback sender (tests/cli/sflow.bats, bench/bench-sflow.sh).
check_PROGRAMS += bench/sflow-send
bench_sflow_send_SOURCES = bench/sflow-send.c
bench_sflow_send_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
bench_sflow_send_LDADD = $(LIBSFLOW) $(PCAP_LIBS)

TESTS += tests/cli/sflow.bats
EXTRA_DIST += tests/cli/sflow.bats

# Decoder-only throughput (bench/bench-sflow.sh).
check_PROGRAMS += bench/sflow-bench-decode
bench_sflow_bench_decode_SOURCES = bench/sflow-bench-decode.c
bench_sflow_bench_decode_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
bench_sflow_bench_decode_LDADD = $(LIBSFLOW) $(LIBFLOW) $(LIBCOMMON) $(PCAP_LIBS)
EXTRA_DIST += bench/bench-sflow.sh

# libFuzzer binary (./configure --enable-fuzzers CC=clang):
#   tests/fuzz/fuzz_sflow -max_len=2048 tests/corpus/sflow
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_sflow
tests_fuzz_fuzz_sflow_SOURCES = tests/fuzz/fuzz_sflow.c
tests_fuzz_fuzz_sflow_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_fuzz_sflow_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_sflow_LDADD = $(LIBSFLOW) $(LIBFLOW) $(LIBCOMMON)
endif
