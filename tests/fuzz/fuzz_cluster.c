/*
 * fuzz_cluster.c - libFuzzer harness: any bytes as the records racluster
 * frames in a mapped input (cl_feed), for -m saddr, -m proto dport/24 and
 * the flow key, with a time range and without; what cl_feed leaves is
 * decoded record by record and merged as racluster merges a pipe's
 * records.  Every group is then emitted (groups of one plain record as
 * their bytes, in half the runs).  Nothing may crash, hang or leak.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool count(void *ctx, struct cl_group *g)
{
	(void)g;
	++*(size_t *)ctx;
	return true;
}

static bool count_raw(void *ctx, const uint8_t *rec, size_t len)
{
	(void)rec;
	*(size_t *)ctx += len != 0;
	return true;
}

/* One framed record at p (of n bytes) merged the way a pipe's are. */
static void one_by_one(struct cl_table *t, const uint8_t *p, size_t len, struct ra_flow *full)
{
	uint8_t copy[CL_REC_COPY_MAX];
	struct cl_rec r;
	const struct cl_rec *rp = &r;
	struct ra_err err;

	if (!cl_rec_decode(p, len, &r, copy, false, &err))
		return;
	if (r.cold) {
		if (!ra_decode_flow(p, len, full, &err))
			return;
		r.full = full;
	}
	if (cl_add_batch(t, &rp, 1, &err))
		cl_drain(t, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[][2] = { { "saddr" }, { "proto", "daddr/24" }, { NULL } };
	static const int nkeys[] = { 1, 2, 0 };
	struct ra_flow *full = malloc(sizeof(*full));

	if (!full)
		return 0;
	for (int k = 0; k < 3; k++) {
		for (int ranged = 0; ranged < 2; ranged++) {
			struct time_range tr = { ranged != 0, 1000000, 2000000000000000ull };
			struct cl_spec s;
			struct cl_table *t;
			struct ra_err err;
			size_t off = 0, used, groups = 0;
			uint64_t nrec;

			if (!cl_spec_parse(&s, keys[k], nkeys[k], false, &err) || !(t = cl_table_new(&s, &err)))
				continue;
			ra_flow_init(full);
			while (off + 8 <= size) {
				size_t len;
				if (!cl_feed(t, data + off, size - off, &tr, NULL, NULL, &used, &nrec, &err))
					break;
				off += used;
				if (off + 8 > size)
					break;
				len = (size_t)(data[off + 2] | data[off + 3] << 8);	/* what cl_feed left */
				if (len < 8 || len % 8 || len > size - off)
					break;
				if (data[off] == RA_REC_FLOW && data[off + 1] == 0)
					one_by_one(t, data + off, len, full);
				off += len;
			}
			if (ranged)	/* groups of one plain record as their bytes, too */
				cl_flush_raw(t, count, count_raw, &groups);
			else
				cl_flush(t, count, &groups);
			cl_table_free(t);
		}
	}
	free(full);
	return 0;
}
