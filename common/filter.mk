# common/filter.mk - the filter language, in the common library.
common_libcommon_a_SOURCES += common/filter.c common/filter.h
