/*
 * fuzz_cluster.c - libFuzzer harness, differential: any bytes as the records
 * racluster frames in a mapped input (cl_feed, the fast intake), for -m
 * saddr, -m proto daddr/24 and the flow key, with a time range and without;
 * what cl_feed leaves is decoded record by record and merged as racluster
 * merges a pipe's records.  The same bytes also go the general way: each
 * record decoded whole by ra_decode_flow and merged with cl_add.  Both
 * tables must emit the same groups, in the same order, with the same
 * merged values (compared as the records ra_encode_flow makes of them) and
 * the same blank fields and prefixes; a difference aborts.  Groups of one
 * plain record are also written as their bytes in a third run.  -m
 * service saddr, which cl_feed does not take, goes racluster's way for
 * such keys instead (each record decoded whole and labelled, cl_rec_whole)
 * against cl_add.  Nothing may crash, hang or leak.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a table emitted: each group's digest (FNV-1a of its encoded record,
 * blank marks and prefixes), in order. */
struct emitted {
	uint64_t *digest;
	size_t n, cap;
	uint8_t *buf;		/* RA_REC_MAX bytes of scratch */
	bool oom;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static bool collect(void *ctx, struct cl_group *g)
{
	struct emitted *e = ctx;
	size_t len = ra_encode_flow(&g->f, e->buf);
	uint64_t h = fnv(0xcbf29ce484222325ull, e->buf, len);

	h = fnv(h, g->blank, sizeof(g->blank));
	h = fnv(h, g->prefix, sizeof(g->prefix));
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 64;
		uint64_t *d = realloc(e->digest, cap * sizeof(*d));
		if (!d) {
			e->oom = true;
			return false;
		}
		e->digest = d;
		e->cap = cap;
	}
	e->digest[e->n++] = h;
	return true;
}

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

/* The fast way: cl_feed over the mapped bytes, the rest record by record. */
static void fast(struct cl_table *t, const uint8_t *data, size_t size, const struct time_range *tr,
		 struct ra_flow *full)
{
	size_t off = 0, used, len;
	uint64_t nrec;
	struct ra_err err;

	while (off + 8 <= size) {
		if (!cl_feed(t, data + off, size - off, tr, NULL, NULL, &used, &nrec, &err))
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
}

/* racluster's way under a service key: each record decoded whole from its
 * bytes, selected by time, labelled (cl_rec_whole), merged in a batch. */
static void whole(struct cl_table *t, const uint8_t *data, size_t size, const struct time_range *tr,
		  struct ra_flow *full)
{
	size_t off = 0, len;
	uint8_t copy[CL_REC_COPY_MAX];
	struct cl_rec r;
	const struct cl_rec *rp = &r;
	struct ra_err err;

	while (off + 8 <= size) {
		len = (size_t)(data[off + 2] | data[off + 3] << 8);
		if (len < 8 || len % 8 || len > size - off)
			break;
		if (data[off] == RA_REC_FLOW && data[off + 1] == 0 && cl_rec_decode(data + off, len, &r, copy, false, &err) &&
		    ra_time_range_match(tr, r.stime, r.ltime) && ra_decode_flow(data + off, len, full, &err)) {
			cl_rec_whole(&r, full, NULL);
			if (cl_add_batch(t, &rp, 1, &err))
				cl_drain(t, &err);
		}
		off += len;
	}
}

/* The general way: every record decoded whole, selected by time, cl_add. */
static void general(struct cl_table *t, const uint8_t *data, size_t size, const struct time_range *tr,
		    struct ra_flow *full)
{
	size_t off = 0, len;
	struct ra_err err;

	while (off + 8 <= size) {
		len = (size_t)(data[off + 2] | data[off + 3] << 8);
		if (len < 8 || len % 8 || len > size - off)
			break;
		if (data[off] == RA_REC_FLOW && data[off + 1] == 0) {
			ra_flow_init(full);
			if (ra_decode_flow(data + off, len, full, &err) &&
			    ra_time_range_match(tr, full->stime, full->ltime))
				cl_add(t, full, &err);
		}
		off += len;
	}
}

static struct cl_table *table(const char *const *keys, int n)
{
	struct cl_spec s;
	struct ra_err err;

	return cl_spec_parse(&s, keys, n, false, &err) ? cl_table_new(&s, &err) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[][2] = { { "saddr" }, { "proto", "daddr/24" }, { NULL }, { "service", "saddr" } };
	static const int nkeys[] = { 1, 2, 0, 2 };
	struct ra_flow *full = malloc(sizeof(*full));
	uint8_t *buf = malloc(RA_REC_MAX);

	if (!full || !buf) {
		free(full);
		free(buf);
		return 0;
	}
	for (int k = 0; k < 4; k++) {
		for (int mode = 0; mode < 3; mode++) {	/* whole, time range, time range written raw */
			struct time_range tr = { mode != 0, 1000000, 2000000000000000ull };
			struct cl_table *t = table(keys[k], nkeys[k]), *g = table(keys[k], nkeys[k]);
			struct emitted a = { .buf = buf }, b = { .buf = buf };
			struct ra_err err;
			size_t groups = 0;

			if (!t || !g) {
				cl_table_free(t);
				cl_table_free(g);
				continue;
			}
			ra_flow_init(full);
			if (k == 3)
				whole(t, data, size, &tr, full);
			else
				fast(t, data, size, &tr, full);
			general(g, data, size, &tr, full);
			if (mode == 2) {	/* groups of one plain record as their bytes */
				cl_flush_raw(t, count, count_raw, &groups);
			} else {
				cl_drain(t, &err);
				cl_drain(g, &err);
				cl_flush(t, collect, &a);
				cl_flush(g, collect, &b);
				if (!a.oom && !b.oom &&
				    (a.n != b.n || (a.n && memcmp(a.digest, b.digest, a.n * sizeof(*a.digest))))) {
					fprintf(stderr, "fuzz_cluster: key %d, mode %d: the fast intake made %zu groups, the "
							"general path %zu, or their values differ\n", k, mode, a.n, b.n);
					abort();
				}
			}
			free(a.digest);
			free(b.digest);
			cl_table_free(t);
			cl_table_free(g);
		}
	}
	free(full);
	free(buf);
	return 0;
}
