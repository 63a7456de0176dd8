/*
 * timerange.c - Argus's -t time ranges:
 *
 *   2012/12/24               that whole day (the unit of the last part given)
 *   2012/12/24.12:00:00-2012/12/24.13:00:00
 *   2012/12/24.12+1h         a start and a length (s m h d w M y)
 *   12:00-13:00              today
 *   -1d                      the last day, up to now
 *   1356350400-1356354000    seconds since the epoch
 *
 * Dates may also be written 2012-12-24 and joined to times with '.', 'T' or ' '.
 */
#include "config.h"

#include "options.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool digits(const char **p, int min, int max, long *v)
{
	int n = 0;
	*v = 0;
	while (isdigit((unsigned char)**p) && n < max) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min;
}

static uint64_t unit_us(char u)
{
	switch (u) {
	case 's': return 1000000ull;
	case 'm': return 60ull * 1000000;
	case 'h': return 3600ull * 1000000;
	case 'd': return 86400ull * 1000000;
	case 'w': return 7 * 86400ull * 1000000;
	case 'M': return 30 * 86400ull * 1000000;
	case 'y': return 365 * 86400ull * 1000000;
	default: return 0;
	}
}

static bool duration(const char **p, uint64_t *us)
{
	long n;
	uint64_t u;

	if (!digits(p, 1, 9, &n))
		return false;
	u = unit_us(**p);
	if (u)
		(*p)++;
	else
		u = 1000000ull;		/* bare number: seconds */
	*us = (uint64_t)n * u;
	return true;
}

static time_t make_time(struct tm *tm, bool utc)
{
	tm->tm_isdst = -1;
	return utc ? timegm(tm) : mktime(tm);
}

/* One point in time; *span is the length of its least significant unit. */
static bool point(const char **pp, uint64_t now, bool utc, uint64_t *t, uint64_t *span)
{
	const char *p = *pp, *q;
	struct tm tm;
	time_t nowsec = (time_t)(now / 1000000);
	long a, b, c;
	int parts = 0;

	/* epoch seconds: 9 or more digits */
	q = p;
	while (isdigit((unsigned char)*q))
		q++;
	if (q - p >= 9) {
		long long s = strtoll(p, NULL, 10);
		uint64_t frac = 0, scale = 100000;
		*span = 1000000;
		if (*q == '.') {
			q++;
			*span = 1;
			while (isdigit((unsigned char)*q)) {
				frac += (uint64_t)(*q++ - '0') * scale;
				scale /= 10;
			}
		}
		*t = (uint64_t)s * 1000000 + frac;
		*pp = q;
		return true;
	}
	if (utc ? !gmtime_r(&nowsec, &tm) : !localtime_r(&nowsec, &tm))
		return false;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;

	/* a date: [yyyy/]mm/dd or yyyy-mm-dd */
	q = p;
	if (digits(&q, 1, 4, &a) && (*q == '/' || (*q == '-' && q - p == 4 && isdigit((unsigned char)q[1])))) {
		char sep = *q++;
		if (!digits(&q, 1, 2, &b))
			return false;
		if (*q == sep && isdigit((unsigned char)q[1])) {
			q++;
			if (!digits(&q, 1, 2, &c))
				return false;
			tm.tm_year = (int)a - 1900;
			tm.tm_mon = (int)b - 1;
			tm.tm_mday = (int)c;
		} else {
			if (sep == '-')
				return false;
			tm.tm_mon = (int)a - 1;
			tm.tm_mday = (int)b;
		}
		if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31)
			return false;
		*span = 86400ull * 1000000;
		parts = 1;
		p = q;
		if ((*p == '.' || *p == 'T' || *p == ' ') && isdigit((unsigned char)p[1]))
			p++;
		else
			goto done;
	}
	/* a time: hh[:mm[:ss[.frac]]] */
	if (!digits(&p, 1, 2, &a) || a > 23)
		return parts > 0;
	tm.tm_hour = (int)a;
	*span = 3600ull * 1000000;
	parts++;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, 2, &b) || b > 59)
			return false;
		tm.tm_min = (int)b;
		*span = 60ull * 1000000;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, 2, &c) || c > 60)
				return false;
			tm.tm_sec = (int)c;
			*span = 1000000;
		}
	}
done:
	{
		time_t s = make_time(&tm, utc);
		uint64_t frac = 0, scale = 100000;
		if (s == (time_t)-1)
			return false;
		if (*span == 1000000 && *p == '.' && isdigit((unsigned char)p[1])) {
			p++;
			while (isdigit((unsigned char)*p)) {
				frac += (uint64_t)(*p++ - '0') * scale;
				scale /= 10;
			}
			*span = 1;
		}
		*t = (uint64_t)s * 1000000 + frac;
	}
	*pp = p;
	return true;
}

bool ra_time_range_parse(const char *s, uint64_t now_us, bool utc, struct time_range *tr,
			 struct ra_err *err)
{
	const char *p = s;
	uint64_t t0, span0, t1, span1, d;

	if (*p == '-') {		/* relative: the last N units */
		p++;
		if (!duration(&p, &d) || *p)
			goto bad;
		tr->start = now_us > d ? now_us - d : 0;
		tr->end = now_us + 1;
		tr->set = true;
		return true;
	}
	if (!point(&p, now_us, utc, &t0, &span0))
		goto bad;
	if (*p == '\0') {
		tr->start = t0;
		tr->end = t0 + span0;
	} else if (*p == '+') {
		p++;
		if (!duration(&p, &d) || *p)
			goto bad;
		tr->start = t0;
		tr->end = t0 + d;
	} else if (*p == '-') {
		p++;
		if (!point(&p, now_us, utc, &t1, &span1) || *p)
			goto bad;
		tr->start = t0;
		tr->end = t1 + span1;
	} else {
		goto bad;
	}
	if (tr->end <= tr->start) {
		ra_err_set(err, RA_ERR_USAGE, "-t: '%s' ends before it starts", s);
		return false;
	}
	tr->set = true;
	return true;
bad:
	ra_err_set(err, RA_ERR_USAGE,
		   "-t: '%s' is not a time range (column %d); try 2024/01/31.12:00-13:00, 2024/01/31, -1h",
		   s, (int)(p - s) + 1);
	return false;
}
