# argus/local.mk - the capture daemon: decoders, flow table, inputs, outputs;
# its unit tests, packet fuzz replay, bats suites and man page.
# (argus/sflow.mk adds the sFlow decoder library and input.)

# The flow engine: decoders, flow table, records out.  Compiled once, linked by
# the daemon, its unit tests and the packet fuzzer.
noinst_LIBRARIES += argus/libflow.a
argus_libflow_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
argus_libflow_a_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
argus_libflow_a_SOURCES = argus/engine.h argus/engine_int.h argus/engine.c argus/engine_record.c \
	argus/flowtab.c argus/frag.c argus/origin.c argus/origin.h argus/output.c argus/output.h \
	argus/decode_link.c argus/decode_ip.c argus/decode_ip6.c argus/decode_tcp.c \
	argus/decode_udp.c argus/decode_icmp.c argus/decode_arp.c

sbin_PROGRAMS += argus/argus
argus_argus_SOURCES = argus/main.c argus/input.h argus/settings.c argus/settings.h \
	argus/daemon.c argus/daemon.h argus/source_pcap.c argus/source_pcap.h \
	argus/sflow_input.c argus/sflow.h \
	argus/workers.c argus/workers.h argus/dispatch_ring.h argus/dispatch_key.c argus/dispatch_key.h
argus_argus_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus -DSYSCONFDIR='"$(sysconfdir)"'
argus_argus_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS) -pthread
argus_argus_LDFLAGS = $(AM_LDFLAGS) -pthread
argus_argus_LDADD = $(LIBSFLOW) $(LIBFLOW) argus/libhealth.a $(LIBCOMMON) $(PCAP_LIBS)

dist_man_MANS += man/argus.8

TESTS += tests/cli/argus.bats tests/cli/argus-compat.bats tests/cli/argus-live.bats tests/cli/stream.bats
EXTRA_DIST += tests/cli/argus.bats tests/cli/argus-compat.bats tests/cli/argus-live.bats tests/cli/stream.bats
# ICMPv6 echo keys and RTP/RTCP labels against Debian's argus (issue 24, section 3)
TESTS += tests/cli/argus-flowmodel.bats
EXTRA_DIST += tests/cli/argus-flowmodel.bats
# worker threads (-W): the same flows as one engine (issue 26)
TESTS += tests/cli/argus-workers.bats
EXTRA_DIST += tests/cli/argus-workers.bats

# Corpus replay: the packet harness over tests/corpus/packet/*.
check_PROGRAMS += tests/fuzz/replay_packet
tests_fuzz_replay_packet_SOURCES = tests/fuzz/fuzz_packet.c tests/fuzz/replay.c
tests_fuzz_replay_packet_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_replay_packet_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_fuzz_replay_packet_LDADD = $(LIBFLOW) $(LIBCOMMON)
TESTS += tests/fuzz/replay-packet.sh
EXTRA_DIST += tests/fuzz/replay-packet.sh
# The worker dispatch walk (argus/dispatch_key.c) over the same corpus.
check_PROGRAMS += tests/fuzz/replay_dispatch
tests_fuzz_replay_dispatch_SOURCES = tests/fuzz/fuzz_dispatch.c tests/fuzz/replay.c argus/dispatch_key.c
tests_fuzz_replay_dispatch_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_replay_dispatch_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
TESTS += tests/fuzz/replay-dispatch.sh
EXTRA_DIST += tests/fuzz/replay-dispatch.sh
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_dispatch
tests_fuzz_fuzz_dispatch_SOURCES = tests/fuzz/fuzz_dispatch.c argus/dispatch_key.c
tests_fuzz_fuzz_dispatch_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus
tests_fuzz_fuzz_dispatch_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

check_PROGRAMS += tests/unit/test_argus_engine
tests_unit_test_argus_engine_SOURCES = tests/unit/test_argus_engine.c
tests_unit_test_argus_engine_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus -I$(top_srcdir)/tests/unit
tests_unit_test_argus_engine_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_unit_test_argus_engine_LDADD = $(LIBFLOW) $(LIBCOMMON)
TESTS += tests/unit/test_argus_engine
check_PROGRAMS += tests/unit/test_origin
tests_unit_test_origin_SOURCES = tests/unit/test_origin.c
tests_unit_test_origin_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/argus -I$(top_srcdir)/tests/unit
tests_unit_test_origin_LDADD = $(LIBFLOW) $(LIBCOMMON)
TESTS += tests/unit/test_origin
