/*
 * table.c - ratop's live table: records from the input queue merged by the
 * aggregation engine (common/cluster.h), and at every tick (0.5 s) one scan
 * of the groups (cl_scan) that updates each group's rate window, applies
 * the display filter and makes its sort key, then a radix sort, and the
 * groups idle too long or ranked past -M max marked to leave at the next
 * tick (cl_evict_set).  What ratop keeps per group (struct side) is in an
 * array by the group's place in the table, which follows the table.
 */
#include "config.h"

#include "ratop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t top_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Words of a text (spaces or commas between them) into w; returns the count. */
static int split(char *text, const char **w, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *p = strtok_r(text, " ,\t", &save); p && n < max; p = strtok_r(NULL, " ,\t", &save))
		w[n++] = p;
	return n;
}

bool top_sort_parse(struct sortspec *s, const char *text, struct ra_err *err)
{
	char buf[256];
	const char *w[SK_MAX_KEYS];
	int n;
	struct sortspec ns;

	memset(&ns, 0, sizeof(ns));
	snprintf(buf, sizeof(buf), "%s", text);
	n = split(buf, w, SK_MAX_KEYS);
	if (n == 0) {
		ra_err_set(err, RA_ERR_USAGE, "sort: no key given");
		return false;
	}
	for (int i = 0; i < n; i++) {
		size_t l = strcspn(w[i], ":");
		bool pps = l == 3 && strncasecmp(w[i], "pps", 3) == 0, bps = l == 3 && strncasecmp(w[i], "bps", 3) == 0;
		if (!pps && !bps)
			continue;
		if (n > 1) {
			ra_err_set(err, RA_ERR_USAGE, "sort: %s is a key of its own, not one of several", w[i]);
			return false;
		}
		ns.rate = pps ? COL_PPS : COL_BPS;
		ns.asc = w[i][l] == ':' && (w[i][l + 1] == 'a');
	}
	if (!ns.rate && !sk_spec_parse(&ns.sk, w, n, err))
		return false;
	snprintf(ns.text, sizeof(ns.text), "%s", text);
	*s = ns;
	return true;
}

/* A new, empty table under keys text (words); the old one goes. */
bool top_keys_set(struct top *tp, const char *text, struct ra_err *err)
{
	char buf[256];
	const char *w[CL_MAX_KEYS];
	int n;
	struct cl_spec spec;
	struct cl_table *t;

	snprintf(buf, sizeof(buf), "%s", text);
	n = split(buf, w, CL_MAX_KEYS);
	if (!cl_spec_parse(&spec, w, n, tp->rmon, err))
		return false;
	if (tp->nocorrect)
		spec.flow = false;
	if (!(t = cl_table_new(&spec, err)))
		return false;
	if (tp->t) {
		cl_drain(tp->t, err);
		cl_table_free(tp->t);
	}
	tp->t = t;
	tp->spec = spec;
	tp->npending = 0;
	tp->nside = tp->nent = tp->nshown = 0;
	tp->any_gone = false;
	snprintf(tp->keys_text, sizeof(tp->keys_text), "%s", n ? text : "flow");
	return true;
}

bool top_setup_table(struct top *tp, struct ra_err *err)
{
	char text[256] = "";
	size_t at = 0;

	for (int i = 0; i < tp->c.o.nkeys; i++) {
		int k = snprintf(text + at, sizeof(text) - at, "%s%s", i ? " " : "", tp->c.o.keys[i]);
		if (k < 0 || (size_t)k >= sizeof(text) - at) {
			ra_err_set(err, RA_ERR_USAGE, "-m: too many keys");
			return false;
		}
		at += (size_t)k;
	}
	tp->status = malloc(sizeof(*tp->status));
	if (!tp->status) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	for (int b = 0; b < CL_INFLIGHT; b++)
		for (int i = 0; i < CL_BATCH; i++)
			ra_flow_init(&tp->full[b][i]);
	ra_flow_init(&tp->scratch);
	return top_keys_set(tp, text, err);
}

/* ---- intake ---- */

static void merge_pending(struct top *tp)
{
	struct ra_err err;

	if (tp->npending && !cl_add_batch(tp->t, tp->pending, tp->npending, &err))
		tp->damaged++;	/* out of memory: these records are lost, and counted */
	tp->npending = 0;
	tp->bi = (tp->bi + 1) % CL_INFLIGHT;
}

/* A probe's status record: its packets dropped and its CPU share. */
static void status_in(struct top *tp, const uint8_t *rec, size_t len)
{
	struct ra_status *st = tp->status;
	struct ra_err err;
	struct probe *p = NULL;
	uint64_t cpu = 0, dropped = 0, received = 0;

	if (!ra_decode_status(rec, len, st, &err) || st->kind != RA_STATUS_DAEMON)
		return;
	for (int i = 0; i < tp->nprobes && !p; i++)
		if (tp->probes[i].family == st->family && memcmp(&tp->probes[i].addr, &st->source, sizeof(st->source)) == 0)
			p = &tp->probes[i];
	if (!p) {
		if (tp->nprobes == RT_MAX_PROBES)
			return;
		p = &tp->probes[tp->nprobes++];
		memset(p, 0, sizeof(*p));
		p->family = st->family;
		p->addr = st->source;
	}
	/* the keys argus(8) lists: 3 received, 4 and 5 dropped, 12 and 13 CPU */
	for (unsigned i = 0; i < st->nitems; i++) {
		uint32_t k = st->items[i].key;
		if (k == 3)
			received = st->items[i].value;
		else if (k == 4 || k == 5)
			dropped += st->items[i].value;
		else if (k == 12 || k == 13)
			cpu += st->items[i].value;
	}
	if (p->time && st->time > p->time && cpu >= p->cpu) {
		p->cpu_pct = 100.0 * (double)(cpu - p->cpu) / (double)(st->time - p->time);
		p->seen2 = true;
	}
	p->time = st->time;
	p->cpu = cpu;
	p->dropped = dropped;
	p->received = received;
}

static void flow_in(struct top *tp, const uint8_t *rec, size_t len)
{
	struct cl_rec *cr = &tp->batch[tp->bi][tp->npending];
	struct ra_err err;

	tp->nflows++;
	if (!cl_rec_decode(rec, len, cr, tp->copies[tp->bi][tp->npending], false, &err))
		goto damaged;
	if (!ra_time_range_match(&tp->c.o.trange, cr->stime, cr->ltime))
		return;
	if (tp->c.o.filter[0]) {	/* decoded whole: the filter sees the payload too */
		if (!ra_decode_flow(rec, len, &tp->scratch, &err))
			goto damaged;
		if (!flt_match(tp->c.flt, &tp->scratch))
			return;
	}
	if (tp->spec.whole) {	/* -m service: labelled from the payload, then dropped */
		struct ra_flow *f = &tp->full[tp->bi][tp->npending];
		if (!ra_decode_flow(rec, len, f, &err))
			goto damaged;
		cl_rec_whole(cr, f, NULL);
	} else if (cr->cold) {	/* from the copy, which stays while the batch waits */
		struct ra_flow *f = &tp->full[tp->bi][tp->npending];
		if (!ra_decode_flow(cr->raw, cr->len, f, &err))
			goto damaged;
		cr->full = f;
	}
	tp->pending[tp->npending++] = cr;
	if (tp->npending == CL_BATCH)
		merge_pending(tp);
	return;
damaged:
	tp->damaged++;
}

bool top_over(const struct top *tp)
{
	return tp->max_groups && cl_count(tp->t) > tp->max_groups + tp->max_groups / 2 + CL_BATCH * CL_INFLIGHT;
}

bool top_intake(struct top *tp, uint64_t budget_us)
{
	uint64_t until = top_clock() + budget_us, n = 0;
	const uint8_t *rec;
	size_t len;

	while (feed_peek(&tp->q, &rec, &len)) {
		uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);
		if (type == RA_REC_FLOW)
			flow_in(tp, rec, len);
		else if (type == RA_REC_STATUS)
			status_in(tp, rec, len);
		feed_release(&tp->q);
		tp->nrecords++;
		if (++n % 4096 == 0 && (top_clock() >= until || top_over(tp)))
			break;
	}
	if (tp->npending)
		merge_pending(tp);
	return n > 0;
}
