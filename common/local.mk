# common/local.mk - the library every program links.
noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
common_libcommon_a_SOURCES = \
	common/cursor.h \
	common/error.c common/error.h \
	common/record.c common/record.h common/state.c \
	common/field.c common/field_table.c common/field.h common/fmt.c \
	common/reader.c common/writer.c common/stream.h \
	common/argus3.c common/argus3.h common/argus3_derive.c common/argus3_int.h \
	common/printer.c common/printer.h common/status.c common/status.h \
	common/options.c common/options.h common/rarc.c \
	common/timerange.c \
	common/client.c common/client.h \
	common/units.c common/units.h common/hash.h \
	common/sortkey.c common/sortkey.h \
	common/bigmem.c common/bigmem.h \
	common/netaddr.c common/netaddr.h common/netin.c common/netin.h \
	common/serve.c common/serve.h \
	common/userdata.c common/userdata.h \
	common/addrset.c common/addrset.h \
	common/service.c common/service.h

# The signatures of raservices/services.sig compiled into the library (the field
# `service`), by raservices/sigc, a build tool that does not link the library.
nodist_common_libcommon_a_SOURCES = common/service_builtin.c
CLEANFILES += common/service_builtin.c
noinst_PROGRAMS += raservices/sigc
raservices_sigc_SOURCES = raservices/sigc.c common/service.c common/service.h common/error.c
raservices_sigc_LDADD = -lm
common/service_builtin.c: $(srcdir)/raservices/services.sig raservices/sigc$(EXEEXT)
	@$(MKDIR_P) common
	raservices/sigc$(EXEEXT) $(srcdir)/raservices/services.sig > $@.tmp && mv $@.tmp $@
