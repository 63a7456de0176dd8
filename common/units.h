/*
 * units.h - numbers with a unit suffix, as options and config files take
 * them: sizes ("64k", "512M", "2G", binary multiples) and durations
 * ("300", "30s", "5m", "2h", "1d").
 */
#ifndef COMMON_UNITS_H
#define COMMON_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* A positive size in bytes, at most max; false on anything else. */
bool ra_parse_size(const char *s, uint64_t max, uint64_t *bytes);
/* A positive duration, at most max_seconds; returns microseconds. */
bool ra_parse_seconds(const char *s, uint64_t max_seconds, uint64_t *usec);

#endif
