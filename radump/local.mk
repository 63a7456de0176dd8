# radump/local.mk - radump, the payload printer: its program, printers, suite, page and fuzz replay.
RADUMP_PRINTERS = radump/radump.h radump/out.c radump/dispatch.c radump/print-dns.c \
	radump/print-http.c radump/print-tls.c radump/print-ssh.c radump/print-mail.c \
	radump/print-ntp.c radump/print-dhcp.c radump/print-sip.c
bin_PROGRAMS += radump/radump
radump_radump_SOURCES = radump/radump.c $(RADUMP_PRINTERS)
radump_radump_LDADD = $(LIBCOMMON)
dist_man_MANS += man/radump.1

TESTS += tests/cli/radump.bats tests/cli/userdata.bats
EXTRA_DIST += tests/cli/radump.bats tests/cli/userdata.bats tests/cli/radump-compare.py tests/gen/radump-pcap.py doc/HACKING.md

# Corpus replay: every printer over tests/corpus/radump/* (the first byte picks the printer).
check_PROGRAMS += tests/fuzz/replay_radump
tests_fuzz_replay_radump_SOURCES = tests/fuzz/fuzz_radump.c tests/fuzz/replay.c $(RADUMP_PRINTERS)
tests_fuzz_replay_radump_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/radump
tests_fuzz_replay_radump_LDADD = $(LIBCOMMON)
TESTS += tests/fuzz/replay-radump.sh
EXTRA_DIST += tests/fuzz/replay-radump.sh

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_radump
tests_fuzz_fuzz_radump_SOURCES = tests/fuzz/fuzz_radump.c $(RADUMP_PRINTERS)
tests_fuzz_fuzz_radump_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/radump
tests_fuzz_fuzz_radump_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_radump_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_radump_LDADD = $(LIBCOMMON)
endif
