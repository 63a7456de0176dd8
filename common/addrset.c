/*
 * addrset.c - address sets (addrset.h): entries become [lo, hi] ranges,
 * sorted and merged once, then looked up by binary search.  IPv6
 * addresses are two 64-bit halves compared as one 128-bit number.
 */
#include "config.h"

#include "addrset.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDRSET_MAX_ENTRIES (64u << 20)	/* a hard cap on a set's size */

struct r4 { uint32_t lo, hi; };
struct u128 { uint64_t hi, lo; };
struct r6 { struct u128 lo, hi; };

struct ra_addrset {
	struct r4 *v4;
	size_t n4, cap4;
	struct r6 *v6;
	size_t n6, cap6;
	size_t entries;
	bool finished;
};

struct ra_addrset *ra_addrset_new(void)
{
	return calloc(1, sizeof(struct ra_addrset));
}

void ra_addrset_free(struct ra_addrset *s)
{
	if (!s)
		return;
	free(s->v4);
	free(s->v6);
	free(s);
}

static struct u128 u128_of(const uint8_t a[16])
{
	struct u128 u = { 0, 0 };

	for (int i = 0; i < 8; i++) {
		u.hi = u.hi << 8 | a[i];
		u.lo = u.lo << 8 | a[8 + i];
	}
	return u;
}

static int u128_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 256;
	void *q = realloc(*p, nc * size);
	if (!q)
		return false;
	*p = q;
	*cap = nc;
	return true;
}

static bool bad(struct ra_err *err, size_t col, const char *what, const char *entry, size_t len)
{
	char text[64];
	size_t n = len < sizeof(text) - 4 ? len : sizeof(text) - 4;

	memcpy(text, entry, n);
	memcpy(text + n, len > n ? "..." : "", len > n ? 4 : 1);
	ra_err_set(err, RA_ERR_USAGE, "%s, found '%s'", what, text);
	err->offset = col;
	return false;
}

/* IPv4 as Argus's address files write it: 1 to 4 decimal octets, leading
 * zeros allowed, missing octets zero ("10.1/16", IANA's "003/8"). */
static bool parse_v4(const char *s, size_t n, uint32_t *v4)
{
	uint32_t a = 0;
	unsigned parts = 0;
	size_t i = 0;

	while (i < n && parts < 4) {
		unsigned v = 0, digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (!digits || v > 255)
			return false;
		a = a << 8 | v;
		parts++;
		if (i == n)
			break;
		if (s[i++] != '.' || i == n)
			return false;
	}
	if (i != n)
		return false;
	*v4 = a << (8 * (4 - parts));
	return true;
}

/* One address of either family from s[0..n); 0 when it is none. */
static unsigned parse_one(const char *s, size_t n, uint32_t *v4, uint8_t v6[16])
{
	char buf[64];

	if (n == 0 || n >= sizeof(buf))
		return 0;
	if (parse_v4(s, n, v4))
		return RA_AF_INET;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (memchr(buf, ':', n) && inet_pton(AF_INET6, buf, v6) == 1)
		return RA_AF_INET6;
	return 0;
}

static bool add4(struct ra_addrset *s, uint32_t lo, uint32_t hi)
{
	if (!grow((void **)&s->v4, &s->cap4, s->n4, sizeof(*s->v4)))
		return false;
	s->v4[s->n4++] = (struct r4){ lo, hi };
	return true;
}

static bool add6(struct ra_addrset *s, struct u128 lo, struct u128 hi)
{
	if (!grow((void **)&s->v6, &s->cap6, s->n6, sizeof(*s->v6)))
		return false;
	s->v6[s->n6++] = (struct r6){ lo, hi };
	return true;
}

bool ra_addrset_add(struct ra_addrset *s, const char *e, size_t len, struct ra_err *err)
{
	size_t cut = 0;
	uint32_t a4 = 0, b4 = 0;
	uint8_t a6[16], b6[16];
	unsigned fa, fb;

	if (s->finished)
		return bad(err, 1, "the set is already finished", e, len);
	if (s->entries >= ADDRSET_MAX_ENTRIES)
		return bad(err, 1, "more than 67108864 entries", e, len);
	while (cut < len && e[cut] != '/' && e[cut] != '-')
		cut++;
	fa = parse_one(e, cut, &a4, a6);
	if (!fa)
		return bad(err, 1, "expected an IPv4 or IPv6 address, a CIDR block or a range a-b", e, len);
	if (cut == len) {
		b4 = a4;
		memcpy(b6, a6, 16);
	} else if (e[cut] == '/') {
		unsigned bits = 0, max = fa == RA_AF_INET ? 32 : 128;
		size_t i = cut + 1;
		if (i == len)
			return bad(err, i + 1, "expected a prefix length after '/'", e, len);
		for (; i < len; i++) {
			if (e[i] < '0' || e[i] > '9' || bits > 128)
				return bad(err, i + 1, "expected a prefix length after '/'", e, len);
			bits = bits * 10 + (unsigned)(e[i] - '0');
		}
		if (bits > max)
			return bad(err, cut + 2, fa == RA_AF_INET ? "an IPv4 prefix is 0 to 32 bits" :
				   "an IPv6 prefix is 0 to 128 bits", e, len);
		if (fa == RA_AF_INET) {
			uint32_t mask = bits ? ~0u << (32 - bits) : 0;
			a4 &= mask;
			b4 = a4 | ~mask;
		} else {
			for (unsigned k = 0; k < 16; k++) {
				unsigned keep = bits > k * 8 ? (bits - k * 8 >= 8 ? 8 : bits - k * 8) : 0;
				uint8_t m = keep ? (uint8_t)(0xff << (8 - keep)) : 0;
				a6[k] &= m;
				b6[k] = a6[k] | (uint8_t)~m;
			}
		}
	} else {
		fb = parse_one(e + cut + 1, len - cut - 1, &b4, b6);
		if (fb != fa)
			return bad(err, cut + 2, fb ? "a range's ends must be of one family" :
				   "expected an address after '-'", e, len);
	}
	if (fa == RA_AF_INET) {
		if (b4 < a4)
			return bad(err, cut + 2, "a range must not end before it starts", e, len);
		if (!add4(s, a4, b4))
			goto nomem;
	} else {
		struct u128 lo = u128_of(a6), hi = u128_of(b6);
		if (u128_cmp(hi, lo) < 0)
			return bad(err, cut + 2, "a range must not end before it starts", e, len);
		if (!add6(s, lo, hi))
			goto nomem;
	}
	s->entries++;
	return true;
nomem:
	ra_err_set(err, RA_ERR_NOMEM, "out of memory");
	return false;
}

bool ra_addrset_add_text(struct ra_addrset *s, const char *text, size_t len, const char *path,
			 struct ra_err *err)
{
	size_t pos = 0;
	unsigned line = 0;

	while (pos < len) {
		const char *l = text + pos;
		size_t n = 0, a, b;

		while (pos + n < len && l[n] != '\n')
			n++;
		pos += n + (pos + n < len);
		line++;
		for (size_t i = 0; i < n; i++)
			if (l[i] == '#') {
				n = i;
				break;
			}
		a = 0;
		while (a < n && (l[a] == ' ' || l[a] == '\t' || l[a] == '\r'))
			a++;
		b = n;
		while (b > a && (l[b - 1] == ' ' || l[b - 1] == '\t' || l[b - 1] == '\r'))
			b--;
		if (a == b)
			continue;
		for (size_t i = a; i < b; i++)
			if (l[i] == ' ' || l[i] == '\t') {
				b = i;		/* the rest is a label, as in Argus's files */
				break;
			}
		if (!ra_addrset_add(s, l + a, b - a, err)) {
			err->offset += a;
			goto where;
		}
	}
	return true;
where: {
		char w[300], msg[sizeof(err->msg)];
		snprintf(w, sizeof(w), "%s: line %u, column %zu", path, line, (size_t)err->offset);
		memcpy(msg, err->msg, sizeof(msg));
		ra_err_where(err, w, 0, 0);
		err->has_offset = 0;
		ra_err_set(err, err->code, "%s", msg);
		return false;
	}
}

bool ra_addrset_load(struct ra_addrset *s, const char *path, struct ra_err *err)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	bool ok;

	if (!fp) {
		ra_err_where(err, path, 0, 0);
		err->has_offset = 0;
		err->sys_errno = errno;
		ra_err_set(err, RA_ERR_IO, "%s", strerror(errno));
		return false;
	}
	for (;;) {
		if (len + 65536 > cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 1 << 20);
			if (!nb) {
				ok = false;
				ra_err_set(err, RA_ERR_NOMEM, "out of memory");
				goto out;
			}
			buf = nb;
			cap = cap ? cap * 2 : 1 << 20;
		}
		size_t got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		ra_err_where(err, path, 0, 0);
		err->has_offset = 0;
		ra_err_set(err, RA_ERR_IO, "read error%s", "");
		ok = false;
		goto out;
	}
	ok = ra_addrset_add_text(s, buf ? buf : "", len, path, err);
out:
	free(buf);
	if (fp != stdin)
		fclose(fp);
	return ok;
}

static int cmp4(const void *a, const void *b)
{
	const struct r4 *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int cmp6(const void *a, const void *b)
{
	return u128_cmp(((const struct r6 *)a)->lo, ((const struct r6 *)b)->lo);
}

bool ra_addrset_finish(struct ra_addrset *s, struct ra_err *err)
{
	size_t k = 0;

	(void)err;
	if (s->n4)	/* qsort must not see NULL, even with no elements */
		qsort(s->v4, s->n4, sizeof(*s->v4), cmp4);
	for (size_t i = 0; i < s->n4; i++) {
		if (k && (uint64_t)s->v4[i].lo <= (uint64_t)s->v4[k - 1].hi + 1) {
			if (s->v4[i].hi > s->v4[k - 1].hi)
				s->v4[k - 1].hi = s->v4[i].hi;
		} else {
			s->v4[k++] = s->v4[i];
		}
	}
	s->n4 = k;
	if (s->n6)
		qsort(s->v6, s->n6, sizeof(*s->v6), cmp6);
	k = 0;
	for (size_t i = 0; i < s->n6; i++) {
		struct u128 next = s->v6[k ? k - 1 : 0].hi;
		bool touch = false;
		if (k) {
			next.lo++;
			if (next.lo == 0)
				next.hi++;
			/* all-ones + 1 wraps to 0: everything after it touches */
			touch = (next.hi == 0 && next.lo == 0) || u128_cmp(s->v6[i].lo, next) <= 0;
		}
		if (touch) {
			if (u128_cmp(s->v6[i].hi, s->v6[k - 1].hi) > 0)
				s->v6[k - 1].hi = s->v6[i].hi;
		} else {
			s->v6[k++] = s->v6[i];
		}
	}
	s->n6 = k;
	s->finished = true;
	return true;
}

bool ra_addrset_has4(const struct ra_addrset *s, uint32_t a)
{
	size_t lo = 0, hi = s->n4;

	while (lo < hi) {		/* first range whose lo > a */
		size_t mid = lo + (hi - lo) / 2;
		if (s->v4[mid].lo <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && a <= s->v4[lo - 1].hi;
}

bool ra_addrset_has6(const struct ra_addrset *s, const uint8_t a[16])
{
	struct u128 x = u128_of(a);
	size_t lo = 0, hi = s->n6;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (u128_cmp(s->v6[mid].lo, x) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && u128_cmp(x, s->v6[lo - 1].hi) <= 0;
}

bool ra_addrset_match_flow(const struct ra_addrset *s, const struct ra_flow *f)
{
	switch (f->family) {
	case RA_AF_INET:
	case RA_AF_ARP:
		return ra_addrset_has4(s, f->saddr.v4) || ra_addrset_has4(s, f->daddr.v4);
	case RA_AF_INET6:
		return ra_addrset_has6(s, f->saddr.v6) || ra_addrset_has6(s, f->daddr.v6);
	default:
		return false;
	}
}

void ra_addrset_counts(const struct ra_addrset *s, size_t *entries, size_t *ranges4, size_t *ranges6)
{
	*entries = s->entries;
	*ranges4 = s->n4;
	*ranges6 = s->n6;
}
