/*
 * sortkey.c - rasort's key strings and sorts.
 *
 * Each -m field becomes a fixed number of big-endian bytes (numbers, IEEE
 * doubles turned into order-preserving integers, addresses with their
 * family first), inverted when the field sorts descending, so that the
 * whole key compares with memcmp and is computed once per record.  Keys of
 * up to 8 bytes are packed into an integer and radix sorted: LSD through a
 * second array when memory allows (stable by construction), otherwise in
 * place by an MSD radix sort (American flag sort) with the record's input
 * position as the tie-break; longer keys go through a stable merge sort of
 * record numbers.
 */
#include "config.h"

#include "sortkey.h"

#include <stdlib.h>
#include <string.h>

#include "field.h"


bool sk_spec_parse(struct sk_spec *s, const char *const *words, int n, struct ra_err *err)
{
	static const char *const by_time[] = { "stime" };

	memset(s, 0, sizeof(*s));
	if (n == 0) {
		words = by_time;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		const char *w = words[i];
		size_t nl = strcspn(w, ":/");
		char name[64];
		const struct ra_field *fd;
		struct sk_item *it;
		const char *rest = w + nl;

		if (nl == 0 || nl >= sizeof(name)) {
			ra_err_set(err, RA_ERR_USAGE, "-m: '%s' is not a field", w);
			return false;
		}
		memcpy(name, w, nl);
		name[nl] = '\0';
		fd = fld_lookup(name);
		if (!fd) {
			ra_err_set(err, RA_ERR_USAGE, "-m: unknown field '%s' (rasort -h lists them)", name);
			return false;
		}
		if (s->nitems >= SK_MAX_KEYS) {
			ra_err_set(err, RA_ERR_USAGE, "-m: more than %d sort fields", SK_MAX_KEYS);
			return false;
		}
		it = &s->items[s->nitems++];
		it->field = fd->id;
		it->size = (uint8_t)fld_key_size(fd->id);
		it->masklen = 255;
		it->desc = (fd->flags & FF_DESC) != 0;
		if (*rest == '/') {
			char *end;
			unsigned long l = strtoul(rest + 1, &end, 10);
			if (!(fd->flags & FF_MASK) || rest[1] < '0' || rest[1] > '9' || l > 128 ||
			    (*end && *end != ':')) {
				ra_err_set(err, RA_ERR_USAGE, "-m: '%s': only addresses take a mask, a length from 0 to 128", w);
				return false;
			}
			it->masklen = (uint8_t)l;
			rest = end;
		}
		if (*rest == ':') {
			const char *d = rest + 1;
			if (strcmp(d, "desc") == 0 || strcmp(d, "d") == 0) {
				it->desc = true;
			} else if (strcmp(d, "asc") == 0 || strcmp(d, "a") == 0) {
				it->desc = false;
			} else {
				ra_err_set(err, RA_ERR_USAGE, "-m: '%s': the order is :asc or :desc", w);
				return false;
			}
		} else if (*rest) {
			ra_err_set(err, RA_ERR_USAGE, "-m: '%s' is not a field", w);
			return false;
		}
		s->keylen += it->size;
	}
	return true;
}

static void put_be(uint8_t *out, uint64_t v, size_t size)
{
	for (size_t i = size; i > 0; i--) {
		out[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

/* IEEE double to an integer with the same order (negative values inverted). */
static uint64_t double_order(double d)
{
	uint64_t u;

	if (d == 0)
		d = 0;		/* -0 sorts with 0 */
	memcpy(&u, &d, sizeof(u));
	return (u >> 63) ? ~u : u | (1ull << 63);
}

static void put_addr(uint8_t *out, const struct sk_item *it, const struct ra_flow *f)
{
	union ra_addr a;
	unsigned fam = fld_addr(it->field, f, &a);
	unsigned len = it->masklen;

	memset(out, 0, 17);
	out[0] = (uint8_t)fam;
	if (fam == RA_AF_INET || fam == RA_AF_ARP) {
		uint32_t v = a.v4;
		if (len < 32)
			v = len ? v & (0xffffffffu << (32 - len)) : 0;
		put_be(out + 1, v, 4);
		return;
	}
	if (fam == RA_AF_ETHER) {
		memcpy(out + 1, a.mac, 6);
		return;
	}
	memcpy(out + 1, a.v6, 16);
	if (len < 128)
		for (unsigned i = 0; i < 16; i++) {
			unsigned lo = i * 8;
			if (lo >= len)
				out[1 + i] = 0;
			else if (lo + 8 > len)
				out[1 + i] &= (uint8_t)(0xff << (8 - (len - lo)));
		}
}

void sk_extract(const struct sk_spec *s, const struct ra_flow *f, uint8_t *out)
{
	for (int i = 0; i < s->nitems; i++) {
		const struct sk_item *it = &s->items[i];
		const struct ra_field *fd = &ra_fields[it->field];

		if (fd->type == FT_ADDR) {
			put_addr(out, it, f);
		} else if (fd->type == FT_MAC) {
			union ra_addr a;
			fld_addr(it->field, f, &a);
			memcpy(out, a.mac, it->size);
		} else if (fd->real) {	/* rates, loads, stddev: by their double */
			put_be(out, double_order(fld_double(it->field, f)), 8);
		} else {
			put_be(out, fld_uint(it->field, f), it->size);
		}
		if (it->desc)
			for (unsigned k = 0; k < it->size; k++)
				out[k] = (uint8_t)~out[k];
		out += it->size;
	}
}

/* ---- short keys: American flag sort on (key, ref) ---- */

static inline bool entry_less(const struct sk_entry *a, const struct sk_entry *b)
{
	return a->key < b->key || (a->key == b->key && a->ref < b->ref);
}

static void insertion(struct sk_entry *e, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sk_entry x = e[i];
		size_t j = i;
		while (j > 0 && entry_less(&x, &e[j - 1])) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
}

static inline uint64_t field_of(const struct sk_entry *x, bool by_ref)
{
	return by_ref ? x->ref : x->key;
}

static void flag_sort(struct sk_entry *e, size_t n, int shift, bool by_ref);

/* Entries with equal keys: put them back in input order (refs are unique). */
static void order_refs(struct sk_entry *e, size_t n)
{
	uint64_t any = 0, all = ~0ull;
	int shift = 56;

	if (n < 32) {
		insertion(e, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		any |= e[i].ref;
		all &= e[i].ref;
	}
	while (shift > 0 && !(((any ^ all) >> shift) & 255))
		shift -= 8;
	flag_sort(e, n, shift, true);
}

/* MSD radix on the key's (or, for equal keys, the ref's) bytes from shift down. */
static void flag_sort(struct sk_entry *e, size_t n, int shift, bool by_ref)
{
	size_t count[256], head[256], tail[256];

	while (n >= 32) {
		size_t at = 0;
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(field_of(&e[i], by_ref) >> shift) & 255]++;
		if (count[(field_of(&e[0], by_ref) >> shift) & 255] == n) {	/* one bucket: next byte */
			if (shift == 0) {
				if (!by_ref)
					order_refs(e, n);
				return;
			}
			shift -= 8;
			continue;
		}
		for (int b = 0; b < 256; b++) {
			head[b] = at;
			at += count[b];
			tail[b] = at;
		}
		for (int b = 0; b < 256; b++) {
			while (head[b] < tail[b]) {
				struct sk_entry x = e[head[b]];
				unsigned d = (unsigned)(field_of(&x, by_ref) >> shift) & 255;
				while (d != (unsigned)b) {	/* carry x to its bucket, take what was there */
					struct sk_entry y = e[head[d]];
					e[head[d]++] = x;
					x = y;
					d = (unsigned)(field_of(&x, by_ref) >> shift) & 255;
				}
				e[head[b]++] = x;
			}
		}
		at = 0;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];
			if (c > 1) {
				if (shift > 0)
					flag_sort(e + at, c, shift - 8, by_ref);
				else if (!by_ref)
					order_refs(e + at, c);
			}
			at += c;
		}
		return;
	}
	insertion(e, n);
}

void sk_sort_entries(struct sk_entry *e, size_t n)
{
	uint64_t any = 0, all = ~0ull;
	int shift = 56;

	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		any |= e[i].key;
		all &= e[i].key;
	}
	if (any == all) {		/* every key the same */
		order_refs(e, n);
		return;
	}
	while (shift > 0 && !(((any ^ all) >> shift) & 255))
		shift -= 8;		/* skip leading bytes no key differs in */
	flag_sort(e, n, shift, false);
}

/* LSD radix: one stable counting pass per key byte that varies, through tmp;
 * entries arrive in input order, so equal keys stay in it. */
void sk_sort_entries_lsd(struct sk_entry *e, struct sk_entry *tmp, size_t n)
{
	uint64_t any = 0, all = ~0ull;
	struct sk_entry *src = e, *dst = tmp;

	for (size_t i = 0; i < n; i++) {
		any |= e[i].key;
		all &= e[i].key;
	}
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[256] = { 0 }, at = 0;
		if (!(((any ^ all) >> shift) & 255))
			continue;	/* every key has the same byte here */
		for (size_t i = 0; i < n; i++)
			count[(src[i].key >> shift) & 255]++;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].key >> shift) & 255]++] = src[i];
		struct sk_entry *t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, n * sizeof(*e));
}

/* ---- long keys: stable bottom-up merge sort of record numbers ---- */

bool sk_sort_index(uint32_t *idx, size_t n, const uint8_t *keys, size_t keylen)
{
	uint32_t *tmp, *src = idx, *dst;

	if (n < 2)
		return true;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return false;
	dst = tmp;
	/* runs of 16 by insertion first */
	for (size_t lo = 0; lo < n; lo += 16) {
		size_t hi = lo + 16 < n ? lo + 16 : n;
		for (size_t i = lo + 1; i < hi; i++) {
			uint32_t x = idx[i];
			size_t j = i;
			while (j > lo && memcmp(keys + (size_t)x * keylen, keys + (size_t)idx[j - 1] * keylen, keylen) < 0) {
				idx[j] = idx[j - 1];
				j--;
			}
			idx[j] = x;
		}
	}
	for (size_t width = 16; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi) {
				/* take from the right only when strictly smaller: stable */
				if (memcmp(keys + (size_t)src[b] * keylen, keys + (size_t)src[a] * keylen, keylen) < 0)
					dst[k++] = src[b++];
				else
					dst[k++] = src[a++];
			}
			while (a < mid)
				dst[k++] = src[a++];
			while (b < hi)
				dst[k++] = src[b++];
		}
		uint32_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != idx)
		memcpy(idx, src, n * sizeof(*idx));
	free(tmp);
	return true;
}

/* Entries e[0..n) sorted by their keys' bytes from off on: the radix sort
 * on 8 of them, then each run that ties there on the next 8. */
static void sort_from(struct sk_entry *e, size_t n, const uint8_t *keys, size_t keylen, size_t off)
{
	size_t take = keylen - off < 8 ? keylen - off : 8;

	for (size_t i = 0; i < n; i++) {
		const uint8_t *k = keys + (size_t)e[i].ref * keylen + off;
		uint64_t v = 0;
		for (size_t b = 0; b < 8; b++)
			v = v << 8 | (b < take ? k[b] : 0);
		e[i].key = v;
	}
	sk_sort_entries(e, n);
	if (off + 8 >= keylen)
		return;
	for (size_t lo = 0, hi; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && e[hi].key == e[lo].key; hi++)
			;
		if (hi - lo > 1)
			sort_from(e + lo, hi - lo, keys, keylen, off + 8);
	}
}

/*
 * Long keys, faster when n entries more can be had: a radix sort on the
 * keys' first 8 bytes (no memcmp, no key fetched twice), then each run that
 * ties there on the next 8, and so on.  Ties between whole keys keep their
 * record order (the radix sort orders them by reference), so the order is
 * the merge sort's.  Returns false (idx untouched) without the memory.
 */
bool sk_sort_index_prefix(uint32_t *idx, size_t n, const uint8_t *keys, size_t keylen)
{
	struct sk_entry *e = malloc((n ? n : 1) * sizeof(*e));

	if (!e)
		return false;
	for (size_t i = 0; i < n; i++)
		e[i].ref = idx[i];
	sort_from(e, n, keys, keylen, 0);
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)e[i].ref;
	free(e);
	return true;
}
