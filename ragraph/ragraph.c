/*
 * ragraph.c - graphs of flow records over time: the records cut into time
 * bins and merged by key as rabins does it (common/bins.h), the top keys
 * kept as series and the rest summed into "other", then drawn (draw.c) as
 * PNG, SVG or PDF, or written as the table the graph draws (CSV).
 *
 *   ragraph bytes dport -M 1m -r day.argus -w ports.png
 *   ra -r day.argus -w - - src host 10.0.0.5 | ragraph dbytes daddr -M 1s -r -
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bins.h"
#include "client.h"
#include "cluster.h"
#include "ragraph.h"
#include "status.h"

#define MAX_WORDS 16
#define MAX_BINS 10000000u	/* bins a graph holds (115 days of seconds) */

static void usage(FILE *fp)
{
	fprintf(fp, "usage: ragraph METRIC ... [KEY ...] -M width [options] [-r file ...] [- filter]\n"
		"Draw flow records over time: one series per key value, stacked.\n%s"
		"  METRIC          a counter: pkts spkts dpkts bytes sbytes dbytes appbytes sappbytes\n"
		"                  dappbytes trans (d... below the axis when s... are drawn too)\n"
		"  KEY             keys as racluster -m takes them (saddr/24, dport, proto ...)\n"
		"  -M N[smhd]      bin width (also -M time N)\n"
		"  -N n            the n keys with the most traffic, the rest as \"other\" (10)\n"
		"  -w file         .png (the default), .svg, .pdf, or .csv for the table drawn;\n"
		"                  '-' is PNG on standard output (default file: ragraph.png)\n"
		"  -title text     the graph's title;  -width px, -height px: its size\n"
		"  -log            logarithmic value axis;  -upper value: the axis top (units/s)\n"
		"  -stack, -split  stacked areas (default), or lines\n",
		ra_common_usage);
}

static void fail(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "ragraph: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

/* One key value seen: its label and totals. */
struct keyval {
	char label[160];
	double total[RG_MAX_METRICS];
	int rank;		/* series color, or -1: "other" */
};

/* One group of one bin: its key and counts. */
struct ent {
	uint64_t bin;
	uint32_t key;
	double v[RG_MAX_METRICS];
};

struct run {
	struct client c;
	struct rg_graph g;
	struct rg_look look;
	struct bin_spec bs;
	struct cl_spec spec;
	struct binner *b;
	const char *keywords[MAX_WORDS];
	int nkeys;
	const struct ra_field *keyfd[MAX_WORDS];
	const char *keymask[MAX_WORDS];	/* "/24" or "" */
	int topn;
	const char *out;
	char title[256];
	enum rg_format fmt;
	struct fmt_cache *cache;
	struct keyval *keys;
	size_t nkv, capkv;
	uint32_t *kidx;			/* hash of labels to keys */
	size_t kcap;
	struct ent *ents;
	size_t nent, capent;
	uint64_t minbin, maxbin;
	bool failed;
	bool damaged;			/* damaged input, reported: status 1, the rest still drawn */
	struct ra_flow f;
	struct ra_err err;
	struct hbinner *hb;		/* host health records, when the filter names them */
	struct ra_status *st;
	struct ra_flow view;
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* The key id of label, added when new; UINT32_MAX when out of memory. */
static uint32_t key_id(struct run *r, const char *label)
{
	size_t m;

	if (r->nkv * 2 >= r->kcap) {
		size_t cap = r->kcap ? 2 * r->kcap : 1024;
		uint32_t *k = malloc(cap * sizeof(*k));
		if (!k)
			return UINT32_MAX;
		memset(k, 0xff, cap * sizeof(*k));
		for (size_t i = 0; i < r->nkv; i++) {
			size_t j = hash_str(r->keys[i].label) & (cap - 1);
			while (k[j] != UINT32_MAX)
				j = (j + 1) & (cap - 1);
			k[j] = (uint32_t)i;
		}
		free(r->kidx);
		r->kidx = k;
		r->kcap = cap;
	}
	m = r->kcap - 1;
	for (size_t j = hash_str(label) & m;; j = (j + 1) & m) {
		uint32_t id = r->kidx[j];
		if (id == UINT32_MAX) {
			if (r->nkv == r->capkv) {
				size_t cap = r->capkv ? 2 * r->capkv : 256;
				struct keyval *n = realloc(r->keys, cap * sizeof(*n));
				if (!n)
					return UINT32_MAX;
				r->keys = n;
				r->capkv = cap;
			}
			memset(&r->keys[r->nkv], 0, sizeof(r->keys[r->nkv]));
			snprintf(r->keys[r->nkv].label, sizeof(r->keys[r->nkv].label), "%s", label);
			r->kidx[j] = (uint32_t)r->nkv;
			return (uint32_t)r->nkv++;
		}
		if (strcmp(r->keys[id].label, label) == 0)
			return id;
	}
}

/* A group of a closed bin (a flow record, or a host health record's view):
 * its key and counts kept. */
static bool take_view(struct run *r, const struct bin_info *bi, const struct ra_flow *f)
{
	char label[160];
	size_t n = 0;
	uint32_t id;
	struct ent *e;

	for (int i = 0; i < r->nkeys; i++) {
		char v[128];
		size_t l = fld_format(r->keyfd[i], f, r->cache, v, sizeof(v));
		int w = snprintf(label + n, sizeof(label) - n, "%s%.*s%s", i ? " " : "", (int)l, v, r->keymask[i]);
		if (w < 0 || (size_t)w >= sizeof(label) - n)
			break;
		n += (size_t)w;
	}
	label[n] = '\0';
	if ((id = key_id(r, label)) == UINT32_MAX)
		goto nomem;
	if (r->nent == r->capent) {
		size_t cap = r->capent ? 2 * r->capent : 4096;
		struct ent *ne = realloc(r->ents, cap * sizeof(*ne));
		if (!ne)
			goto nomem;
		r->ents = ne;
		r->capent = cap;
	}
	e = &r->ents[r->nent++];
	e->bin = bi->index;
	e->key = id;
	for (int m = 0; m < r->g.nmetrics; m++) {
		e->v[m] = r->g.m[m].gauge ? fld_double(r->g.m[m].field, f) : (double)fld_uint(r->g.m[m].field, f);
		r->keys[id].total[m] += e->v[m];
	}
	if (bi->index < r->minbin)
		r->minbin = bi->index;
	if (bi->index > r->maxbin)
		r->maxbin = bi->index;
	return true;
nomem:
	ra_err_set(&r->err, RA_ERR_NOMEM, "out of memory");
	fail(&r->err);
	r->failed = true;
	return false;
}

static bool take(void *ctx, const struct bin_info *bi, struct cl_group *g)
{
	return !g || take_view(ctx, bi, &g->f);
}

/* A bin's host health group (bins.h, hbinner), through its flow view. */
static bool take_health(void *ctx, const struct bin_info *bi, const struct ra_status *st, uint64_t ltime)
{
	struct run *r = ctx;
	ra_status_view(st, &r->view);
	r->view.ltime = ltime;
	return take_view(r, bi, &r->view);
}

/* A metric word: a counter, with its direction and unit, or a host health gauge. */
static bool metric_word(struct run *r, const struct ra_field *fd, const char *w)
{
	struct rg_metric *m = &r->g.m[r->g.nmetrics];
	const char *n = fd->name;

	if (r->g.nmetrics < RG_MAX_METRICS && fd->id >= F_CPU && fd->id <= F_ACCEPTPCT && fd->id != F_LPORT &&
	    !(fd->flags & FF_SUM)) {
		m->field = fd->id;
		m->name = w;
		m->gauge = true;
		m->scale = 1;
		m->unit = fd->id <= F_CPUSOFTIRQ || fd->id == F_ACCEPTPCT ? "%" :
			  fd->id == F_MEMTOTAL || fd->id == F_MEMAVAIL ? "B" : "";
		r->g.nmetrics++;
		return true;
	}
	if (!(fd->flags & FF_SUM) && fd->id != F_TRANS)
		return false;
	if (r->g.nmetrics >= RG_MAX_METRICS)
		return false;
	m->field = fd->id;
	m->name = w;
	m->below = n[0] == 'd';	/* kept below only with a source metric beside it (take_args) */
	m->scale = strstr(n, "bytes") ? 8 : 1;
	m->unit = strstr(n, "bytes") ? "bps" : strstr(n, "pkts") ? "pps" : fd->id == F_TRANS ? "flows/s" : "/s";
	r->g.nmetrics++;
	return true;
}

/* The leading words (metrics and keys) and ragraph's own options taken out
 * of argv; what is left is every client's.  Returns argc left, -1 on a
 * usage error (reported). */
static int take_args(struct run *r, int argc, char **argv)
{
	int n = 1, i = 1;

	for (; i < argc && argv[i][0] != '-'; i++) {
		char name[64];
		size_t l = strcspn(argv[i], "/");
		const struct ra_field *fd;
		if (l >= sizeof(name) || !(memcpy(name, argv[i], l), name[l] = '\0', fd = fld_lookup(name))) {
			fprintf(stderr, "ragraph: '%s' is not a field (ragraph -h lists metrics and keys)\n", argv[i]);
			return -1;
		}
		if (fd->flags & FF_KEY) {
			if (r->nkeys >= MAX_WORDS) {
				fprintf(stderr, "ragraph: too many keys\n");
				return -1;
			}
			r->keyfd[r->nkeys] = fd;
			r->keymask[r->nkeys] = argv[i][l] ? argv[i] + l : "";
			r->keywords[r->nkeys++] = argv[i];
		} else if (argv[i][l] || !metric_word(r, fd, argv[i])) {
			fprintf(stderr, "ragraph: '%s' is not a counter: a metric is one of pkts spkts dpkts bytes "
				"sbytes dbytes appbytes sappbytes dappbytes trans, a host health counter (syncookiessent "
				"listenoverflows ...) or gauge (cpu memavail acceptq ...), a key an identity field\n",
				argv[i]);
			return -1;
		}
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;
		if (strcmp(a, "-r") == 0 && v && strcmp(v, "-") == 0) {	/* standard input, not the filter */
			argv[n++] = argv[i++];
			argv[n++] = argv[i];
			continue;
		}
		if (strcmp(a, "-") == 0 || strcmp(a, "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(a, "-title") == 0 || strcmp(a, "-width") == 0 || strcmp(a, "-height") == 0 ||
		    strcmp(a, "-upper") == 0 || strcmp(a, "-N") == 0 || strcmp(a, "-w") == 0) {
			if (!v) {
				fprintf(stderr, "ragraph: option %s needs an argument\n", a);
				return -1;
			}
			i++;
			if (a[1] == 't') {
				r->look.title = v;
			} else if (a[1] == 'w' && a[2] == '\0') {
				r->out = v;
			} else if (a[1] == 'u') {
				r->look.upper = strtod(v, &end);
				if (*end || !(r->look.upper > 0)) {
					fprintf(stderr, "ragraph: -upper '%s': must be a positive number\n", v);
					return -1;
				}
			} else {
				long x = strtol(v, &end, 10);
				long lo = a[1] == 'N' ? 1 : 100, hi = a[1] == 'N' ? 100 : 8000;
				if (*end || x < lo || x > hi) {
					fprintf(stderr, "ragraph: %s '%s': must be a whole number from %ld to %ld\n", a, v,
						lo, hi);
					return -1;
				}
				if (a[1] == 'N')
					r->topn = (int)x;
				else if (a[1] == 'w')
					r->look.width = (int)x;
				else
					r->look.height = (int)x;
			}
			continue;
		}
		if (strcmp(a, "-log") == 0) {
			r->look.log = true;
			continue;
		}
		if (strcmp(a, "-stack") == 0 || strcmp(a, "-split") == 0) {
			r->look.stack = a[2] == 't';
			continue;
		}
		argv[n++] = argv[i];
	}
	argv[n] = NULL;
	if (!r->g.nmetrics) {
		fprintf(stderr, "ragraph: no metric to draw (for example: ragraph bytes dport -M 1m -r day.argus)\n");
		return -1;
	}
	{	/* destination metrics go below the axis when source ones are drawn too */
		bool src = false;
		for (int m = 0; m < r->g.nmetrics; m++)
			src |= r->g.m[m].name[0] == 's';
		for (int m = 0; m < r->g.nmetrics; m++)
			r->g.m[m].below &= src;
	}
	return n;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int setup(struct run *r, struct ra_err *err)
{
	const char *rest[RA_MAX_ARGS];
	int nrest, rc;

	if (!bin_spec_parse(&r->bs, r->c.o.modes, r->c.o.nmodes, rest, &nrest, err)) {
		fail(err);
		return 2;
	}
	if (r->bs.mode != BIN_TIME || nrest) {
		fprintf(stderr, "ragraph: -M: a graph takes time bins (-M 1m, -M time 10s)%s%s\n",
			nrest ? "; unknown: " : "", nrest ? rest[0] : "");
		return 2;
	}
	r->bs.hard = true;
	if (r->nkeys) {
		if (!cl_spec_parse(&r->spec, r->keywords, r->nkeys, false, err)) {
			fail(err);
			return 2;
		}
	} else {
		const char *none = "none";
		cl_spec_parse(&r->spec, &none, 1, false, err);
	}
	if (!r->out)
		r->out = "ragraph.png";
	r->fmt = ends_with(r->out, ".svg") ? RG_SVG : ends_with(r->out, ".pdf") ? RG_PDF
		 : ends_with(r->out, ".csv") ? RG_CSV : RG_PNG;
	if (strcmp(r->out, "-") == 0 && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ragraph: -w -: standard output is a terminal; redirect it to a file "
			"or a viewer (ragraph ... -w - > graph.png)\n");
		return 2;
	}
	rc = client_open(&r->c, "ragraph", NULL, 0, false, err);
	if (rc) {
		char buf[1200];
		fprintf(stderr, "ragraph: %s\n", client_error_text(&r->c, err, buf, sizeof(buf)));
		return rc;
	}
	r->g.width = r->bs.width;
	if (!r->look.title) {
		size_t n = (size_t)snprintf(r->title, sizeof(r->title), "%s", r->g.m[0].name);
		for (int m = 1; m < r->g.nmetrics && n < sizeof(r->title); m++)
			n += (size_t)snprintf(r->title + n, sizeof(r->title) - n, ", %s", r->g.m[m].name);
		for (int k = 0; k < r->nkeys && n < sizeof(r->title); k++)
			n += (size_t)snprintf(r->title + n, sizeof(r->title) - n, "%s%s", k ? " " : " by ", r->keywords[k]);
		if (n < sizeof(r->title))
			snprintf(r->title + n, sizeof(r->title) - n, ", per %s bin", r->c.o.modes[r->c.o.nmodes - 1]);
		r->look.title = r->title;
	}
	r->look.utc = r->c.o.pr.fmt.utc;
	r->cache = fmt_cache_new(&r->c.o.pr.fmt);
	r->b = binner_new(&r->bs, &r->spec, BINNER_HOLD_ALL, take, r, err);
	if (!r->cache || !r->b) {
		fail(err);
		return 1;
	}
	if (flt_names_status(r->c.flt)) {
		unsigned keys = 0;
		for (int i = 0; i < r->nkeys; i++)
			keys |= r->keyfd[i]->id == F_LPORT ? HB_KEY_LPORT :
				r->keyfd[i]->id == F_SADDR || r->keyfd[i]->id == F_SRCID ? HB_KEY_SADDR : 0;
		if (!(r->st = malloc(sizeof(*r->st))) || !(r->hb = hbinner_new(&r->bs, keys, take_health, r, err))) {
			if (!r->st)
				ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			fail(err);
			return 1;
		}
	}
	return 0;
}

static int read_all(struct run *r)
{
	int status = 0;

	ra_flow_init(&r->f);
	ra_err_clear(&r->err);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		enum ra_read_result rr = ra_reader_next(r->c.rd, &rec, &len, &r->err);
		const struct ra_flow *decoded = NULL;
		bool late;
		int rc;

		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			fail(&r->err);
			ra_err_clear(&r->err);
			r->damaged = true;
			continue;
		}
		if ((uint16_t)(rec[0] | rec[1] << 8) == RA_REC_STATUS && r->hb) {
			if (!ra_decode_status(rec, len, r->st, &r->err))
				goto damaged;
			if (r->st->kind != RA_STATUS_HOST ||
			    !ra_time_range_match(&r->c.o.trange, r->st->time, r->st->time))
				continue;
			ra_status_view(r->st, &r->view);
			if (r->c.o.filter[0] && !flt_match(r->c.flt, &r->view))
				continue;
			if (!hbinner_put(r->hb, r->st, &r->err)) {
				fail(&r->err);
				return 1;
			}
			r->g.records++;
			continue;
		}
		if ((uint16_t)(rec[0] | rec[1] << 8) != RA_REC_FLOW)
			continue;
		if (r->c.o.filter[0] || r->c.o.trange.set) {
			if (!ra_decode_flow(rec, len, &r->f, &r->err))
				goto damaged;
			if (!ra_time_range_match(&r->c.o.trange, r->f.stime, r->f.ltime) ||
			    (r->c.o.filter[0] && !flt_match(r->c.flt, &r->f)))
				continue;
			decoded = &r->f;
		}
		rc = binner_put(r->b, rec, len, false, decoded, &late, &r->err);
		if (rc < 0)
			goto damaged;
		if (rc == 0) {
			if (r->err.msg[0])
				fail(&r->err);
			return 1;
		}
		r->g.records++;
		continue;
damaged:
		ra_err_where(&r->err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
		fail(&r->err);
		ra_err_clear(&r->err);
		ra_reader_abandon(r->c.rd);
		r->damaged = true;
	}
	if (!binner_finish(r->b, &r->err) || (r->hb && !hbinner_finish(r->hb))) {
		if (r->err.msg[0])
			fail(&r->err);
		return 1;
	}
	return r->failed ? 1 : status;
}

/* Keys by traffic, the most first (total[0] holds every metric's by then). */
static int rank_keys(const void *a, const void *b)
{
	const struct keyval *x = a, *y = b;
	return x->total[0] < y->total[0] ? 1 : x->total[0] > y->total[0] ? -1 : strcmp(x->label, y->label);
}

/* The series: top N keys by traffic, "other" for the rest, per metric. */
static bool build(struct run *r)
{
	struct rg_graph *g = &r->g;
	uint32_t *map;
	int nk = r->nkv < (size_t)r->topn ? (int)r->nkv : r->topn;
	bool other = r->nkv > (size_t)nk;
	int per = nk + other;

	for (size_t i = 0; i < r->nkv; i++)	/* every metric counts toward the rank */
		for (int m = 1; m < g->nmetrics; m++)
			r->keys[i].total[0] += r->keys[i].total[m] * (g->m[m].scale / g->m[0].scale);
	/* keys sorted by total; ids remapped */
	map = malloc((r->nkv ? r->nkv : 1) * sizeof(*map));
	for (size_t i = 0; map && i < r->nkv; i++)
		r->keys[i].rank = (int)i;	/* the old id, kept through the sort */
	if (!map)
		return false;
	if (r->nkv)
		qsort(r->keys, r->nkv, sizeof(*r->keys), rank_keys);
	for (size_t i = 0; i < r->nkv; i++)
		map[r->keys[i].rank] = (uint32_t)(i < (size_t)nk ? i : (size_t)nk);
	g->bin0 = r->minbin;
	g->nbins = r->maxbin - r->minbin + 1;
	g->nseries = per * g->nmetrics;
	g->per = per;
	g->keyed = r->nkeys > 0;
	g->s = calloc((size_t)g->nseries, sizeof(*g->s));
	if (!g->s) {
		free(map);
		return false;
	}
	for (int m = 0; m < g->nmetrics; m++)
		for (int k = 0; k < per; k++) {
			struct rg_series *s = &g->s[m * per + k];
			const char *kl = k < nk ? r->keys[k].label : "other";
			s->metric = m;
			s->color = k < nk ? k : -1;
			if (!r->nkeys) {
				snprintf(s->label, sizeof(s->label), "%s", g->m[m].name);
			} else if (g->nmetrics > 1) {
				if (snprintf(s->label, sizeof(s->label), "%s %s", g->m[m].name, kl) >= (int)sizeof(s->label))
					s->label[sizeof(s->label) - 2] = '~';	/* cut short: say so */
			} else {
				snprintf(s->label, sizeof(s->label), "%s", kl);
			}
			if (!r->nkeys)
				s->color = m;
			if (!(s->v = calloc(g->nbins, sizeof(double)))) {
				free(map);
				return false;
			}
		}
	for (size_t i = 0; i < r->nent; i++) {
		const struct ent *e = &r->ents[i];
		uint32_t k = map[e->key];
		for (int m = 0; m < g->nmetrics; m++) {
			g->s[m * per + (int)k].v[e->bin - g->bin0] += e->v[m];
			g->s[m * per + (int)k].total += e->v[m];
		}
	}
	free(map);
	return true;
}

/* The table the graph draws: a row per bin, a column per series. */
static bool write_csv(struct run *r, FILE *fp)
{
	const struct rg_graph *g = &r->g;
	char t[64];

	fputs("StartTime", fp);
	for (int s = 0; s < g->nseries; s++)
		fprintf(fp, ",%s", g->s[s].label);
	fputc('\n', fp);
	for (uint64_t b = 0; b < g->nbins; b++) {
		size_t n = fmt_time(r->cache, (g->bin0 + b) * g->width, t, sizeof(t));
		fprintf(fp, "%.*s", (int)n, t);
		for (int s = 0; s < g->nseries; s++)
			fprintf(fp, g->m[g->s[s].metric].gauge ? ",%.2f" : ",%.0f", g->s[s].v[b]);
		fputc('\n', fp);
	}
	return !ferror(fp);
}

static int output(struct run *r)
{
	bool to_stdout = strcmp(r->out, "-") == 0;
	FILE *fp = to_stdout ? stdout : fopen(r->out, "wb");
	struct ra_err err;
	bool ok;

	if (!fp) {
		fprintf(stderr, "ragraph: %s: %s\n", r->out, strerror(errno));
		return 1;
	}
	ra_err_clear(&err);
	ok = r->fmt == RG_CSV ? write_csv(r, fp) : rg_draw(&r->g, &r->look, r->fmt, fp, &err);
	if (!ok && err.msg[0])
		fail(&err);
	else if (!ok)
		fprintf(stderr, "ragraph: %s: %s\n", r->out, strerror(errno));
	if ((to_stdout ? fflush(fp) : fclose(fp)) != 0 && ok) {
		fprintf(stderr, "ragraph: %s: %s\n", r->out, strerror(errno));
		ok = false;
	}
	if (!ok && !to_stdout)
		unlink(r->out);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct run *r = calloc(1, sizeof(*r));
	struct ra_err err;
	int rc, status;

	if (!r) {
		fprintf(stderr, "ragraph: out of memory\n");
		return 1;
	}
	r->topn = 10;
	r->look.width = 900;
	r->look.height = 450;
	r->look.stack = true;
	r->minbin = UINT64_MAX;
	ra_err_clear(&err);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			free(r);
			return 0;
		}
	argc = take_args(r, argc, argv);
	if (argc < 0) {
		free(r);
		return 2;
	}
	rc = ra_opts_parse(&r->c.o, "ragraph", "", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			fail(&err);
		client_close(&r->c, 0, &err);
		free(r);
		return rc == 1 ? 0 : 2;
	}
	status = setup(r, &err);
	if (status == 0)
		status = read_all(r);
	if (status == 0 && !r->nent && r->c.o.trange.set) {
		/* a window asked for, and quiet: its graph is empty, not missing */
		fprintf(stderr, "ragraph: no flow records in the time range: the graph is empty\n");
		r->minbin = r->c.o.trange.start / r->bs.width;
		r->maxbin = (r->c.o.trange.end - 1) / r->bs.width;
	} else if (status == 0 && !r->nent) {
		fprintf(stderr, "ragraph: no flow records in the input: nothing to draw\n");
		status = 1;
	}
	if (status == 0 && r->maxbin - r->minbin >= MAX_BINS) {
		fprintf(stderr, "ragraph: %llu bins of -M %s: more than %u to draw; a wider -M or a shorter "
			"-t range\n", (unsigned long long)(r->maxbin - r->minbin + 1),
			r->c.o.modes[r->c.o.nmodes - 1], MAX_BINS);
		status = 1;
	}
	if (status == 0 && !build(r)) {
		fprintf(stderr, "ragraph: out of memory\n");
		status = 1;
	}
	if (status == 0)
		status = output(r);
	if (status == 0 && r->damaged)
		status = 1;
	binner_free(r->b);
	hbinner_free(r->hb);
	free(r->st);
	fmt_cache_free(r->cache);
	for (int s = 0; r->g.s && s < r->g.nseries; s++)
		free(r->g.s[s].v);
	free(r->g.s);
	free(r->keys);
	free(r->kidx);
	free(r->ents);
	rc = client_close(&r->c, status, &err);
	free(r);
	return rc;
}
