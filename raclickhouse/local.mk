# raclickhouse/local.mk - raclickhouse, records into ClickHouse: its program, suite and page.
bin_PROGRAMS += raclickhouse/raclickhouse
raclickhouse_raclickhouse_SOURCES = raclickhouse/raclickhouse.c raclickhouse/conf.c raclickhouse/conf.h \
	raclickhouse/schema.c raclickhouse/schema.h raclickhouse/chttp.c raclickhouse/chttp.h \
	raclickhouse/ship.c raclickhouse/ship.h raclickhouse/spool.c raclickhouse/spool.h
raclickhouse_raclickhouse_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
raclickhouse_raclickhouse_LDADD = $(LIBCOMMON) $(CURL_LIBS)
dist_man_MANS += man/raclickhouse.1

TESTS += tests/cli/raclickhouse.bats
EXTRA_DIST += tests/cli/raclickhouse.bats tests/clickhouse-test-server.sh
