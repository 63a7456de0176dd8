/* test_timerange.c - Argus's -t forms. */
#include "config.h"

#include <stdlib.h>

#include "options.h"
#include "../tests/unit/tap.h"

#define US 1000000ull

int main(void)
{
	struct time_range tr;
	struct ra_err err;
	uint64_t now = 1704110400ull * US;	/* 2024-01-01 12:00:00 UTC */

	tap_plan(14);
	ok(ra_time_range_parse("2024/01/01", now, true, &tr, &err) &&
	   tr.start == 1704067200ull * US && tr.end == tr.start + 86400 * US, "a date is that whole day");
	ok(ra_time_range_parse("2024/01/01.12:00:00-2024/01/01.13:00:00", now, true, &tr, &err) &&
	   tr.start == 1704110400ull * US && tr.end == 1704114001ull * US, "a range includes its last second");
	ok(ra_time_range_parse("2024-01-01T12:30", now, true, &tr, &err) &&
	   tr.start == 1704112200ull * US && tr.end == tr.start + 60 * US, "ISO date, minute precision");
	ok(ra_time_range_parse("12:00-13:00", now, true, &tr, &err) &&
	   tr.start == 1704110400ull * US && tr.end == 1704114060ull * US, "times of today");
	ok(ra_time_range_parse("2024/01/01.12+30m", now, true, &tr, &err) &&
	   tr.end - tr.start == 1800 * US, "start plus a length");
	ok(ra_time_range_parse("-1h", now, true, &tr, &err) && tr.start == now - 3600 * US, "the last hour");
	ok(ra_time_range_parse("1704110400-1704110460", now, true, &tr, &err) &&
	   tr.start == 1704110400ull * US && tr.end == 1704110461ull * US, "epoch seconds");
	ok(ra_time_range_parse("01/01", now, true, &tr, &err) && tr.start == 1704067200ull * US, "month/day of this year");
	ok(!ra_time_range_parse("yesterday", now, true, &tr, &err), "words are refused");
	ok(!ra_time_range_parse("2024/13/01", now, true, &tr, &err), "month 13 is refused");
	ok(!ra_time_range_parse("25:00", now, true, &tr, &err), "hour 25 is refused");
	ok(!ra_time_range_parse("13:00-12:00", now, true, &tr, &err), "a range ending before it starts is refused");
	ok(ra_time_range_match(&(struct time_range){ true, 10, 20 }, 5, 10), "a record overlapping the start matches");
	ok(!ra_time_range_match(&(struct time_range){ true, 10, 20 }, 20, 30), "a record after the end does not");
	return tap_done();
}
