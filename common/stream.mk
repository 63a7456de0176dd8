# common/stream.mk - live record streams (common/serve.c, netin.c, netaddr.c):
# their unit test, and the address parsers' fuzz harness and corpus replay.
check_PROGRAMS += tests/unit/test_netaddr tests/fuzz/replay_netaddr
tests_unit_test_netaddr_LDADD = $(LIBCOMMON)
TESTS += tests/unit/test_netaddr
tests_fuzz_replay_netaddr_SOURCES = tests/fuzz/fuzz_netaddr.c tests/fuzz/replay.c
tests_fuzz_replay_netaddr_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-netaddr.sh
EXTRA_DIST += tests/fuzz/replay-netaddr.sh tests/corpus/netaddr bench/bench-stream.sh
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_netaddr
tests_fuzz_fuzz_netaddr_SOURCES = tests/fuzz/fuzz_netaddr.c
tests_fuzz_fuzz_netaddr_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_netaddr_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_netaddr_LDADD = $(LIBCOMMON)
endif
