/*
 * fuzz_bins.c - libFuzzer harness: any bytes as the records rabins bins
 * (common/bins.h): framed from a kept input by binner_feed as far as it
 * takes them, the rest through binner_put one by one (cut into time bins,
 * late pieces counted), under time bins of several widths and modes, held
 * and not, and count bins; host health (status) records into the health
 * bins (hbinner); every bin then closed and emitted.  Nothing may
 * crash, hang or leak.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bins.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	uint64_t groups, ends;
};

static bool count(void *ctx, const struct bin_info *b, struct cl_group *g)
{
	struct tally *t = ctx;

	(void)b;
	if (g)
		t->groups++;
	else
		t->ends++;
	return true;
}

static bool hcount(void *ctx, const struct bin_info *b, const struct ra_status *st, uint64_t ltime)
{
	struct tally *t = ctx;

	(void)b;
	(void)ltime;
	t->groups += st->nitems > 0;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_status *st = malloc(sizeof(*st));

	static const char *const modes[][3] = {
		{ "1s" }, { "hard", "time", "1m" }, { "nomodify", "10s" }, { "count", "7" }, { "time", "1d" },
	};
	static const int nmodes[] = { 1, 3, 2, 2, 2 };
	static const char *const keys[][2] = { { "proto", "dport" }, { NULL }, { "saddr/24" }, { "none" }, { "dport" } };
	static const int nkeys[] = { 2, 0, 1, 1, 1 };
	static const uint64_t holds[] = { BINNER_HOLD_ALL, 2000000, BINNER_HOLD_ALL, BINNER_HOLD_ALL, 0 };

	for (int k = 0; k < 5; k++) {
		struct bin_spec bs;
		struct cl_spec cs;
		struct binner *b;
		struct ra_err err;
		struct tally t = { 0, 0 };
		const char *rest[3];
		int nrest;
		size_t off = 0, used;
		uint64_t nrec;
		struct time_range tr = { k == 2, 1000000, 2000000000000000ull };

		struct hbinner *hb = NULL;

		if (!bin_spec_parse(&bs, modes[k], nmodes[k], rest, &nrest, &err) ||
		    !cl_spec_parse(&cs, keys[k], nkeys[k], false, &err) ||
		    !(b = binner_new(&bs, &cs, bs.mode == BIN_TIME ? holds[k] : BINNER_HOLD_ALL, count, &t, &err)))
			continue;
		/* host health records of the same input in bins of their own (time bins only) */
		if (st && bs.mode == BIN_TIME)
			hb = hbinner_new(&bs, (unsigned)k % 4, hcount, &t, &err);
		while (off + 8 <= size) {
			size_t len;
			bool late;
			if (!binner_feed(b, data + off, size - off, &tr, NULL, NULL, &used, &nrec, &err))
				break;
			off += used;
			if (off + 8 > size)
				break;
			len = (size_t)(data[off + 2] | data[off + 3] << 8);	/* what the feed left */
			if (len < 8 || len % 8 || len > size - off)
				break;
			if (data[off] == RA_REC_FLOW && data[off + 1] == 0 &&
			    binner_put(b, data + off, len, true, NULL, &late, &err) == 0)
				break;
			if (hb && data[off] == RA_REC_STATUS && data[off + 1] == 0 &&
			    ra_decode_status(data + off, len, st, &err) && !hbinner_put(hb, st, &err))
				break;
			off += len;
		}
		binner_finish(b, &err);
		if (hb)
			hbinner_finish(hb);
		binner_free(b);
		hbinner_free(hb);
	}
	free(st);
	return 0;
}
