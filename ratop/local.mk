# ratop/local.mk - ratop, a live top on the aggregation engine (common/cluster.mk)
# and ncurses: its program, suite and page.
bin_PROGRAMS += ratop/ratop
ratop_ratop_SOURCES = ratop/ratop.h ratop/ratop.c ratop/input.c ratop/table.c ratop/rank.c \
	ratop/columns.c ratop/screen.c
ratop_ratop_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) -pthread
ratop_ratop_LDFLAGS = $(AM_LDFLAGS) -pthread
ratop_ratop_LDADD = $(LIBCLUSTER) $(LIBCOMMON) $(NCURSES_LIBS)
dist_man_MANS += man/ratop.1
TESTS += tests/cli/ratop.bats
EXTRA_DIST += tests/cli/ratop.bats
