/*
 * store.h - rasort's records in memory and on disk: an arena of the raw
 * records with their keys extracted once, sorted when the input ends or
 * when memory runs out; full buffers are spilled as sorted runs into
 * temporary files and merged at the end.
 */
#ifndef RASORT_STORE_H
#define RASORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sortkey.h"

struct store;

/* keep: records that can ever be output (-N: first + count), 0 = all. */
struct store *store_new(const struct sk_spec *spec, size_t mem_limit, uint64_t keep,
			const char *tmpdir, struct ra_err *err);
void store_free(struct store *s);	/* removes its temporary files */

/* Add one flow record: its framed bytes and its decoded form.  stays: the
 * bytes remain valid and unchanged until store_free (a record in a file
 * the caller has mapped), so the store refers to them instead of copying. */
bool store_add(struct store *s, const uint8_t *rec, size_t len, bool stays, const struct ra_flow *f,
	       struct ra_err *err);

/* Called with each record in order, raw and decoded; return false to stop
 * (an error already reported, or enough output). */
typedef bool (*store_emit_fn)(void *ctx, const uint8_t *rec, size_t len, const struct ra_flow *f);

/* Sort what is held, merge with the spilled runs, emit in order.  Without
 * decode, fn may get f == NULL (the raw record is all a writer needs). */
bool store_finish(struct store *s, store_emit_fn fn, void *ctx, bool decode, struct ra_err *err);

uint64_t store_runs(const struct store *s);	/* how many runs were spilled */
size_t store_peak(const struct store *s);	/* most bytes held at once */

#endif
