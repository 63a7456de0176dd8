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

/* A suffix and what it multiplies by; the first entry is "no suffix". */
struct unit {
	char c;
	uint64_t mult;
};

/* Digits with one of units' suffixes, the product at most max. */
static bool scaled(const char *s, uint64_t max, const struct unit *units, size_t n, uint64_t *out)
{
	unsigned long long v;
	char u;

	if (!number(s, &v, &u))
		return false;
	for (size_t i = 0; i < n; i++)
		if (units[i].c == u) {
			if (v > max / units[i].mult)
				return false;
			*out = (uint64_t)v * units[i].mult;
			return true;
		}
	return false;
}

bool ra_parse_size(const char *s, uint64_t max, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ '\0', 1 }, { 'k', 1u << 10 }, { 'K', 1u << 10 }, { 'm', 1u << 20 }, { 'M', 1u << 20 },
		{ 'g', 1u << 30 }, { 'G', 1u << 30 },
	};
	return scaled(s, max, units, sizeof(units) / sizeof(*units), bytes);
}

bool ra_parse_seconds(const char *s, uint64_t max_seconds, uint64_t *usec)
{
	static const struct unit units[] = {
		{ '\0', 1 }, { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	uint64_t secs;

	if (!scaled(s, max_seconds, units, sizeof(units) / sizeof(*units), &secs))
		return false;
	*usec = secs * 1000000u;
	return true;
}
