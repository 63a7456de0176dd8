/*
 * spool.h - the local file that keeps batches while the server is away.
 *
 * A header (magic, the offset of the first batch not yet confirmed, the
 * schema's hash), then batches appended in order, each with its identity,
 * row count, time range and RowBinary bytes.  Appends are synced before
 * the batch counts as spooled; the confirmed offset moves (synced) after
 * each batch the server took; an empty spool is cut back to its header.
 * A new run finds the unconfirmed batches and sends them first.
 */
#ifndef RACLICKHOUSE_SPOOL_H
#define RACLICKHOUSE_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct batch {
	uint64_t id;		/* identity: every row carries it in column batch */
	uint32_t rows;
	uint64_t tmin, tmax;	/* stime range, to find its rows by the table's key */
	uint8_t *buf;		/* RowBinary rows */
	size_t len, cap;
	bool tried;		/* an attempt failed: the server may hold some of it */
};

struct spool;

/* Open or create path; a spool written for another schema is refused. */
struct spool *spool_open(const char *path, uint64_t max_bytes, uint64_t schema_hash, struct ra_err *err);
void spool_close(struct spool *s);

/* Batches waiting, and their rows. */
uint64_t spool_batches(const struct spool *s);
uint64_t spool_rows(const struct spool *s);

/* Append b (synced).  Returns 1 when spooled, 0 when the spool is full, -1 on error. */
int spool_put(struct spool *s, const struct batch *b, struct ra_err *err);

/* The oldest waiting batch into b (its buffer grown as needed): 1, 0 when none, -1 on error. */
int spool_peek(struct spool *s, struct batch *b, struct ra_err *err);
/* Where the batch spool_peek gave starts, for messages. */
const char *spool_path(const struct spool *s);
uint64_t spool_offset(const struct spool *s);
/* The batch spool_peek gave was taken by the server (or is dropped): move past it (synced). */
bool spool_done(struct spool *s, struct ra_err *err);

#endif
