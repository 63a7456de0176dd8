# rafilteraddr/local.mk - rafilteraddr, records by a file of addresses: program, suite, page,
# the address-file fuzz replay and its libFuzzer harness.
bin_PROGRAMS += rafilteraddr/rafilteraddr
rafilteraddr_rafilteraddr_SOURCES = rafilteraddr/rafilteraddr.c
rafilteraddr_rafilteraddr_LDADD = $(LIBCOMMON)
dist_man_MANS += man/rafilteraddr.1
TESTS += tests/cli/rafilteraddr.bats
EXTRA_DIST += tests/cli/rafilteraddr.bats

check_PROGRAMS += tests/fuzz/replay_addrset
tests_fuzz_replay_addrset_SOURCES = tests/fuzz/fuzz_addrset.c tests/fuzz/replay.c
tests_fuzz_replay_addrset_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-addrset.sh
EXTRA_DIST += tests/fuzz/replay-addrset.sh tests/corpus/addrset
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_addrset
tests_fuzz_fuzz_addrset_SOURCES = tests/fuzz/fuzz_addrset.c
tests_fuzz_fuzz_addrset_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_addrset_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_addrset_LDADD = $(LIBCOMMON)
endif
EXTRA_DIST += bench/bench-rafilteraddr.sh
