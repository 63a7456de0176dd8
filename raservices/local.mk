# raservices/local.mk - raservices, flows named by payload signature: program, suite, pages.
bin_PROGRAMS += raservices/raservices
raservices_raservices_SOURCES = raservices/raservices.c raservices/learn.c raservices/learn.h
raservices_raservices_LDADD = $(LIBCOMMON)
dist_man_MANS += man/raservices.1 man/raservices.sig.5
dist_pkgdata_DATA = raservices/services.sig

TESTS += tests/cli/raservices.bats
EXTRA_DIST += tests/cli/raservices.bats

# Corpus replay: the signature-line parser over tests/corpus/services/*.
check_PROGRAMS += tests/fuzz/replay_services
tests_fuzz_replay_services_SOURCES = tests/fuzz/fuzz_services.c tests/fuzz/replay.c
tests_fuzz_replay_services_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-services.sh
EXTRA_DIST += tests/fuzz/replay-services.sh
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_services
tests_fuzz_fuzz_services_SOURCES = tests/fuzz/fuzz_services.c
tests_fuzz_fuzz_services_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_services_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_services_LDADD = $(LIBCOMMON)
endif
