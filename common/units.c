/* units.c - sizes and durations with a unit suffix (units.h). */
#include "config.h"

#include "units.h"

#include <errno.h>
#include <stdlib.h>

/* Digits, then at most one suffix character; 0 when the text is not that. */
static bool number(const char *s, unsigned long long *v, char *suffix)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *v == 0 || (end[0] && end[1]))
		return false;
	*suffix = end[0];
	return true;
}

bool ra_parse_size(const char *s, uint64_t max, uint64_t *bytes)
{
	unsigned long long v;
	unsigned shift;
	char u;

	if (!number(s, &v, &u))
		return false;
	switch (u) {
	case '\0': shift = 0; break;
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: return false;
	}
	if (v > (max >> shift))
		return false;
	*bytes = (uint64_t)v << shift;
	return true;
}

bool ra_parse_seconds(const char *s, uint64_t max_seconds, uint64_t *usec)
{
	unsigned long long v;
	uint64_t mult;
	char u;

	if (!number(s, &v, &u))
		return false;
	switch (u) {
	case '\0': case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	default: return false;
	}
	if (v > max_seconds / mult)
		return false;
	*usec = (uint64_t)v * mult * 1000000u;
	return true;
}
