/*
 * bins.c - the -M words of a binning client, and a record cut into one
 * piece per time bin it spans, its counters shared out as Debian's rabins
 * shares them (packets in proportion to time, bytes in proportion to
 * packets), the last piece taking what is left so nothing is lost or made.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bins.h"
#include "units.h"

/* "N[smhd]": a positive whole number of seconds, as microseconds. */
static bool parse_width(const char *w, uint64_t *usec)
{
	return w[0] >= '0' && w[0] <= '9' && ra_parse_seconds(w, 100ull * 365 * 86400, usec);
}

/* "N[kmb]" (count: thousands, millions, billions; size: kilo-, mega-,
 * gigabytes, 'b' bytes): a positive number. */
static bool parse_load(const char *w, bool size, uint64_t *v)
{
	char *end;
	unsigned long long n;
	uint64_t mul = 1;

	if (w[0] < '0' || w[0] > '9')
		return false;
	n = strtoull(w, &end, 10);
	if (end[0] && end[1])
		return false;
	switch (end[0]) {
	case '\0': break;
	case 'k': case 'K': mul = size ? 1024 : 1000; break;
	case 'm': case 'M': mul = size ? 1024 * 1024 : 1000000; break;
	case 'g': case 'G': mul = size ? 1024ull * 1024 * 1024 : 1000000000; break;
	case 'b': case 'B': mul = size ? 1 : 1000000000; break;
	default: return false;
	}
	if (n == 0 || n > UINT64_MAX / mul / 2)
		return false;
	*v = n * mul;
	return true;
}

bool bin_spec_parse(struct bin_spec *b, const char *const *words, int n, const char **rest, int *nrest,
		    struct ra_err *err)
{
	bool have = false;

	memset(b, 0, sizeof(*b));
	*nrest = 0;
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		if (strcmp(w, "hard") == 0) {
			b->hard = true;
		} else if (strcmp(w, "nomodify") == 0) {
			b->nomodify = true;
		} else if (strcmp(w, "time") == 0 || strcmp(w, "count") == 0 || strcmp(w, "size") == 0) {
			bool ok;
			if (i + 1 >= n) {
				ra_err_set(err, RA_ERR_USAGE, "-M %s: needs a %s", w,
					   w[0] == 't' ? "bin width (10s, 5m, 1h, 1d)" : "number");
				return false;
			}
			b->mode = w[0] == 't' ? BIN_TIME : w[0] == 'c' ? BIN_COUNT : BIN_SIZE;
			ok = b->mode == BIN_TIME ? parse_width(words[i + 1], &b->width)
						 : parse_load(words[i + 1], b->mode == BIN_SIZE, &b->limit);
			if (!ok) {
				ra_err_set(err, RA_ERR_USAGE, "-M %s %s: %s", w, words[i + 1],
					   b->mode == BIN_TIME ? "the width must be a positive whole number of "
								 "seconds, with s, m, h or d"
							       : "must be a positive number, with k, m or b");
				return false;
			}
			have = true;
			i++;
		} else if (parse_width(w, &b->width)) {	/* Argus's "-M 1s" */
			b->mode = BIN_TIME;
			have = true;
		} else {
			rest[(*nrest)++] = w;
		}
	}
	if (!have) {
		ra_err_set(err, RA_ERR_USAGE, "-M: no bins given (-M time 1m, -M 10s, -M count 1000, -M size 1m)");
		return false;
	}
	if (b->mode != BIN_TIME && (b->hard || b->nomodify)) {
		ra_err_set(err, RA_ERR_USAGE, "-M %s: only with time bins", b->hard ? "hard" : "nomodify");
		return false;
	}
	return true;
}

void bin_cut_start(struct bin_cut *c, const struct bin_spec *s, const struct ra_flow *f)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->f = f;
	bin_span(s, f->stime, f->ltime, &c->bin, &c->last);
	if (f->spkts + f->dpkts == 0)	/* no packets to place it by: whole in its first bin */
		c->last = c->bin;
	c->left[0][0] = f->sbytes;
	c->left[1][0] = f->dbytes;
	c->left[0][1] = f->sappbytes;
	c->left[1][1] = f->dappbytes;
	c->left[0][2] = f->sretrans;
	c->left[1][2] = f->dretrans;
	c->left[0][3] = f->sooo;
	c->left[1][3] = f->dooo;
	c->left[0][4] = f->swinshut;
	c->left[1][4] = f->dwinshut;
	c->first = true;
}

/* v * num / den, rounded down, num <= den, den > 0 */
static uint64_t share(uint64_t v, uint64_t num, uint64_t den)
{
	if ((v | num) <= UINT32_MAX)
		return v * num / den;
	return (uint64_t)((unsigned __int128)v * num / den);
}

/* The k-th shared counter of direction d of f (bytes, app bytes, retrans, ooo, winshut). */
static uint64_t counter(const struct ra_flow *f, int d, int k)
{
	switch (k) {
	case 0: return d ? f->dbytes : f->sbytes;
	case 1: return d ? f->dappbytes : f->sappbytes;
	case 2: return d ? f->dretrans : f->sretrans;
	case 3: return d ? f->dooo : f->sooo;
	default: return d ? f->dwinshut : f->swinshut;
	}
}

/* On to the next bin a packet falls in (or the last): a long record with
 * few packets is not walked bin by bin. */
static void skip_empty(struct bin_cut *c, const uint64_t tot[2], uint64_t dur)
{
	const struct ra_flow *f = c->f;
	uint64_t next = c->last;

	if (c->first || c->bin >= c->last)
		return;
	for (int d = 0; d < 2; d++) {
		unsigned __int128 need;
		uint64_t t, bin;
		if (tot[d] <= c->pkts[d] || !dur)
			continue;
		/* the packets up to a bin reach pkts + 1 once the bin ends at or after t */
		need = ((unsigned __int128)(c->pkts[d] + 1) * dur + tot[d] - 1) / tot[d];
		t = need > dur ? f->ltime : f->stime + (uint64_t)need;
		bin = t ? (t - 1) / c->s->width : 0;
		if (bin < next)
			next = bin;
	}
	if (next > c->bin)
		c->bin = next;
}

bool bin_cut_next(struct bin_cut *c, struct ra_flow *p)
{
	const struct ra_flow *f = c->f;
	const struct bin_spec *s = c->s;
	uint64_t dur = f->ltime > f->stime ? f->ltime - f->stime : 0;
	uint64_t tot[2] = { f->spkts, f->dpkts };

	while (c->bin <= c->last) {
		skip_empty(c, tot, dur);
		uint64_t b = c->bin++, lo = b * s->width, hi = lo + s->width;
		uint64_t end = f->ltime < hi ? f->ltime : hi;	/* the piece's end */
		bool last = b == c->last, first = c->first;
		uint64_t got[2], val[2][5], n = 0;

		c->first = false;
		for (int d = 0; d < 2; d++) {
			uint64_t cum = tot[d];
			if (!last) {
				cum = dur ? share(tot[d], end - f->stime, dur) : tot[d];
				if (cum == 0 && tot[d])
					cum = 1;	/* the first packet is at the start */
			}
			if (cum < c->pkts[d])
				cum = c->pkts[d];
			got[d] = cum - c->pkts[d];
			c->pkts[d] = cum;
			n += got[d];
			for (int k = 0; k < 5; k++) {
				uint64_t v;
				if (last)
					v = c->left[d][k];
				else if (!c->left[d][k])
					v = 0;
				else if (tot[d])	/* in proportion to the packets, as Debian's rabins computes it */
					v = (uint64_t)((double)counter(f, d, k) * ((double)got[d] / (double)tot[d]));
				else		/* no packets: in proportion to time */
					v = share(c->left[d][k], end - (first ? f->stime : lo),
						  f->ltime - (first ? f->stime : lo));
				if (v > c->left[d][k])
					v = c->left[d][k];
				c->left[d][k] -= v;
				val[d][k] = v;
			}
			n += val[d][0];
		}
		if (n == 0 && !(first && last))
			continue;
		*p = *f;
		p->spkts = got[0];
		p->dpkts = got[1];
		p->sbytes = val[0][0];
		p->dbytes = val[1][0];
		p->sappbytes = val[0][1];
		p->dappbytes = val[1][1];
		p->sretrans = (uint32_t)val[0][2];
		p->dretrans = (uint32_t)val[1][2];
		p->sooo = (uint32_t)val[0][3];
		p->dooo = (uint32_t)val[1][3];
		p->swinshut = (uint32_t)val[0][4];
		p->dwinshut = (uint32_t)val[1][4];
		if (s->hard) {
			p->stime = lo;
			p->ltime = hi;
		} else if (!(first && last)) {
			p->stime = first ? f->stime : lo;
			p->ltime = end;
			if (got[0] + got[1] == 1) {	/* one packet: at the start, or at the end */
				if (first)
					p->ltime = p->stime;
				else if (last && end < hi)
					p->stime = end;
			}
		}
		if (!(first && last)) {
			p->spayload = p->dpayload = NULL;
			p->spaylen = p->dpaylen = 0;
			p->present &= ~((1u << RA_BLK_PAYLOAD_SRC) | (1u << RA_BLK_PAYLOAD_DST));
			if (p->trans <= 1)
				p->present &= ~(1u << RA_BLK_AGG);
		}
		return true;
	}
	return false;
}
