# bench/local.mk - benchmark programs and scripts (run by hand, not by make check).
EXTRA_DIST += bench/common.sh bench/bench-ra.sh
# The issue-26 table: ours, Debian's Argus and nfdump on one generated capture.
EXTRA_DIST += bench/bench-table.sh
# The capture daemon's benchmark: a deterministic pcap generator and the script timing
# our argus against Debian's on the same file (bench/bench-argus.sh).
noinst_PROGRAMS += bench/gen-pcap
bench_gen_pcap_SOURCES = bench/gen-pcap.c
EXTRA_DIST += bench/bench-argus.sh
# The filter's benchmarks (bench/bench-filter.sh); bench-filter times flt_match alone.
noinst_PROGRAMS += bench/bench-filter
bench_bench_filter_SOURCES = bench/bench-filter.c
bench_bench_filter_LDADD = $(LIBCOMMON)
EXTRA_DIST += bench/bench-filter.sh
# racluster and rasort against Debian's and nfdump (bench/bench-cluster.sh).
EXTRA_DIST += bench/bench-cluster.sh
# ratop against 1M records a second and 1M live groups (bench/bench-ratop.sh).
EXTRA_DIST += bench/bench-ratop.sh
# radump and raservices (bench/bench-radump.sh); gen-dns-pcap.py makes its capture.
EXTRA_DIST += bench/bench-radump.sh bench/gen-dns-pcap.py
# raclickhouse into a local clickhouse-server (bench/bench-clickhouse.sh).
EXTRA_DIST += bench/bench-clickhouse.sh
# rabins and ragraph, rabins against Debian's (bench/bench-rabins.sh).
EXTRA_DIST += bench/bench-rabins.sh
# Reading Argus 3 files against Debian's ra (bench/bench-argus3.sh).
EXTRA_DIST += bench/bench-argus3.sh
