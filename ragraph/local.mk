# ragraph/local.mk - ragraph, graphs of time bins drawn with cairo: its program,
# suite and page.  The bins are rabins' (common/bins.h).
bin_PROGRAMS += ragraph/ragraph
ragraph_ragraph_SOURCES = ragraph/ragraph.c ragraph/draw.c ragraph/ragraph.h
ragraph_ragraph_CFLAGS = $(AM_CFLAGS) $(CAIRO_CFLAGS)
ragraph_ragraph_LDADD = $(LIBCLUSTER) $(LIBCOMMON) $(CAIRO_LIBS) -lm
dist_man_MANS += man/ragraph.1
TESTS += tests/cli/ragraph.bats
EXTRA_DIST += tests/cli/ragraph.bats
