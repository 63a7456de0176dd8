/*
 * sortkey.h - rasort's keys: -m fields compiled once into a byte string per
 * record that compares with memcmp (big-endian, descending keys inverted),
 * and the sorts over those strings.
 */
#ifndef COMMON_SORTKEY_H
#define COMMON_SORTKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

#define SK_MAX_KEYS 32

struct sk_item {
	uint8_t field;		/* enum fld_id */
	uint8_t size;		/* bytes in the key string */
	uint8_t masklen;	/* addresses: prefix length, 255 = whole */
	bool desc;
};

struct sk_spec {
	int nitems;
	struct sk_item items[SK_MAX_KEYS];
	size_t keylen;		/* bytes of the whole key string */
};

/*
 * Compile -m words: "field", "field:asc", "field:desc" (":a", ":d"),
 * "saddr/24".  Counters and rates descend by default, as in Argus; the
 * rest ascend.  n == 0 sorts by start time.
 */
bool sk_spec_parse(struct sk_spec *s, const char *const *words, int n, struct ra_err *err);

/* Write f's key string (s->keylen bytes) into out. */
void sk_extract(const struct sk_spec *s, const struct ra_flow *f, uint8_t *out);

/* A key of at most 8 bytes as a number that orders the same way. */
static inline uint64_t sk_pack(const uint8_t *key, size_t len)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++)
		v = v << 8 | key[i];
	return v;
}

/* An entry of the short-key sort: the packed key and the record's place
 * (its offset in input order, so equal keys keep their input order). */
struct sk_entry {
	uint64_t key;
	uint64_t ref;
};

/* Sort by (key, ref): in place, MSD radix on the key bytes. */
void sk_sort_entries(struct sk_entry *e, size_t n);
/* The same, faster, when n more entries of memory (tmp) can be had: LSD
 * radix, stable, so e must be in ref order on entry (as input order is). */
void sk_sort_entries_lsd(struct sk_entry *e, struct sk_entry *tmp, size_t n);

/* Sort idx[0..n) (record numbers, ascending on entry) by their keys in
 * keys[i * keylen], stably: the path for keys longer than 8 bytes.
 * Returns false when the merge buffer cannot be allocated. */
bool sk_sort_index(uint32_t *idx, size_t n, const uint8_t *keys, size_t keylen);
/* The same, faster, with n entries of memory more: radix sorts on 8 key
 * bytes at a time.  false (idx untouched) without that memory. */
bool sk_sort_index_prefix(uint32_t *idx, size_t n, const uint8_t *keys, size_t keylen);

#endif
