/* test_sortkey.c - sort keys (common/sortkey.h): key strings, directions, and the sorts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sortkey.h"
#include "../tests/unit/tap.h"

static int entry_cmp(const void *a, const void *b)
{
	const struct sk_entry *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

int main(void)
{
	struct ra_err err;
	struct ra_flow a, b;

	tap_plan(6);
	/* rasort keys: doubles order, descending inverts */
	{
		struct sk_spec ss;
		const char *k1[] = { "load:asc" }, *k2[] = { "bytes" };
		uint8_t x[8], y[8];
		ra_flow_init(&a);
		a.stime = 0;
		a.ltime = 1000000;
		a.spkts = 10;
		a.sbytes = 1000;
		b = a;
		b.sbytes = 2000;
		sk_spec_parse(&ss, k1, 1, &err);
		sk_extract(&ss, &a, x);
		sk_extract(&ss, &b, y);
		ok(memcmp(x, y, 8) < 0, "load ascending: smaller load sorts first");
		sk_spec_parse(&ss, k2, 1, &err);
		sk_extract(&ss, &a, x);
		sk_extract(&ss, &b, y);
		ok(memcmp(x, y, 8) > 0 && ss.items[0].desc, "bytes descend by default");
	}

	/* the radix sort agrees with qsort on (key, ref), many ties */
	{
		size_t n = 100000;
		struct sk_entry *e = malloc(n * sizeof(*e)), *r = malloc(n * sizeof(*r));
		uint64_t seed = 42;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			e[i].key = (seed >> 33) % 5000 + ((i % 7 == 0) ? (1ull << 40) : 0);
			e[i].ref = i * 3;
		}
		struct sk_entry *l = malloc(n * sizeof(*l)), *tmp = malloc(n * sizeof(*tmp));
		memcpy(r, e, n * sizeof(*e));
		memcpy(l, e, n * sizeof(*e));
		sk_sort_entries(e, n);
		qsort(r, n, sizeof(*r), entry_cmp);
		ok(memcmp(e, r, n * sizeof(*e)) == 0, "radix sort equals the reference, ties in input order");
		sk_sort_entries_lsd(l, tmp, n);
		ok(memcmp(l, r, n * sizeof(*e)) == 0, "LSD radix sort equals the reference too");
		free(e);
		free(r);
		free(l);
		free(tmp);
	}
	/* long keys: the radix sort 8 bytes at a time orders as the merge sort,
	 * ties (whole keys, and runs tied in the first 8 bytes) included */
	{
		size_t n = 50000, kl = 19;
		uint8_t *keys = malloc(n * kl);
		uint32_t *i1 = malloc(n * sizeof(*i1)), *i2 = malloc(n * sizeof(*i2));
		uint64_t seed = 7;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			memset(keys + i * kl, 0, kl);
			keys[i * kl] = (uint8_t)(seed >> 60);		/* few first bytes: long tie runs */
			keys[i * kl + 9] = (uint8_t)(seed >> 40) % 3;	/* a tie in the second 8 too */
			keys[i * kl + 17] = (uint8_t)(seed >> 20) % 5;	/* the last, short, word */
			keys[i * kl + 18] = (uint8_t)(seed >> 30) % 2;
			i1[i] = i2[i] = (uint32_t)i;
		}
		sk_sort_index(i1, n, keys, kl);
		ok(sk_sort_index_prefix(i2, n, keys, kl) && memcmp(i1, i2, n * sizeof(*i1)) == 0,
		   "long keys: the radix sort by 8 bytes at a time equals the stable merge sort");
		free(keys);
		free(i1);
		free(i2);
	}
	/* the long-key merge sort is stable */
	{
		uint8_t keys[6 * 9];
		uint32_t idx[6] = { 0, 1, 2, 3, 4, 5 };
		const char *ks[6] = { "bbbbbbbbb", "aaaaaaaaa", "bbbbbbbbb", "aaaaaaaaa", "ccccccccc", "aaaaaaaaa" };
		for (int i = 0; i < 6; i++)
			memcpy(keys + 9 * i, ks[i], 9);
		sk_sort_index(idx, 6, keys, 9);
		ok(idx[0] == 1 && idx[1] == 3 && idx[2] == 5 && idx[3] == 0 && idx[4] == 2 && idx[5] == 4,
		   "long keys: stable merge sort");
	}
	return tap_done();
}
