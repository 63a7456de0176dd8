/*
 * ratop.h - what ratop's files share: the input thread's queue (input.c),
 * the live table with its rate windows and ranking (table.c), rows as text
 * (columns.c), the terminal screen (screen.c) and main (ratop.c).
 */
#ifndef RATOP_RATOP_H
#define RATOP_RATOP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "client.h"
#include "field.h"
#include "filter.h"
#include "sortkey.h"

#define RT_UPDATE_US 500000ull		/* RA_UPDATE_INTERVAL: 0.5 s */
#define RT_TIMEOUT_US 60000000ull	/* RA_TIMEOUT_INTERVAL: 60 s */
#define RT_SLOTS 5			/* rate window: 5 slots of a second */
#define RT_SLOT_US 1000000ull
#define RT_MAX_PROBES 16

/* ---- input.c: a reader thread feeding a bounded queue ---- */

struct feed {
	struct ra_reader *rd;		/* the thread's while it runs */
	uint8_t *ring;			/* records: 8-byte header (length) then bytes, 8-aligned */
	size_t cap;			/* a power of two */
	_Atomic uint64_t head, tail;	/* bytes written, bytes taken */
	_Atomic int done;		/* every input read */
	_Atomic uint64_t errors;	/* damage met: records lost */
	_Atomic uint64_t records;	/* records queued */
	_Atomic bool stop;
	_Atomic uint64_t server_lost;	/* records the servers (-S) said they dropped for us */
	_Atomic uint32_t notices;	/* how many notices came */
	pthread_mutex_t mu;		/* guards errmsg and notice */
	char errmsg[600];		/* the latest reader error */
	char notice[700];		/* the latest -S notice: connected, reconnecting, lost */
	pthread_t th;
	bool started;
};

bool feed_start(struct feed *q, struct ra_reader *rd, struct ra_err *err);
/* The next record queued (its bytes stay until feed_release): false when none is. */
bool feed_peek(struct feed *q, const uint8_t **rec, size_t *len);
void feed_release(struct feed *q);
void feed_stop(struct feed *q);
void feed_errmsg(struct feed *q, char *buf, size_t cap);
/* The client's notice callback (-S connection state, loss reports), called
 * on the input thread; feed_notice_text copies the latest out. */
void feed_notice(void *arg, const char *msg);
void feed_notice_text(struct feed *q, char *buf, size_t cap);

/* ---- columns.c: -s words and a group as a line ---- */

enum { COL_FIELD, COL_RANK, COL_PPS, COL_BPS };

struct col {
	uint8_t kind;
	const struct ra_field *fd;	/* COL_FIELD */
	int width;
};

/* A group as shown: the merged record, its marks, its rank and rates. */
struct row {
	struct cl_group g;
	uint64_t rank;			/* 1-based */
	double pps, bps;
};

/* -s words (fields, rank, pps, bps, name:width, +name, -name) into cols;
 * -1 with err on an unknown word. */
int cols_parse(const char *const *words, int n, struct col *cols, struct ra_err *err);
/* The labels, and one row, as a line of text (no newline) in out; returns
 * its length.  cut: values cut to their column's width (the screen), else
 * a wider value widens its cell. */
size_t cols_labels(const struct col *cols, int n, char *out, size_t cap);
/* Widen the columns to the widest of these rows' values (the screen's page). */
void cols_fit(struct col *cols, int n, const struct row *rows, size_t nrows, struct fmt_cache *fc);
size_t cols_row(const struct col *cols, int n, const struct row *r, struct fmt_cache *fc, bool cut, char *out,
		size_t cap);

/* ---- table.c: the live table ---- */

/* What ratop keeps per group, by its place in the table (cl_scan). */
struct side {
	uint64_t pkts, bytes;		/* at the last scan */
	uint32_t trans;			/* records merged, at the last scan */
	uint32_t changed;		/* tick of the last change */
	uint32_t wp[RT_SLOTS], wb[RT_SLOTS];	/* packets, bytes per slot of the window */
};

struct probe {
	uint8_t family;
	union ra_addr addr;
	uint64_t time, cpu, dropped, received;	/* latest status */
	double cpu_pct;				/* between the last two */
	bool seen2;
};

struct sortspec {
	int rate;			/* 0: keys below; COL_PPS or COL_BPS: by that rate */
	bool asc;			/* of a rate */
	struct sk_spec sk;
	char text[256];			/* as given */
};

struct top {
	struct client c;
	struct cl_spec spec;
	struct cl_table *t;
	char keys_text[256];
	struct sortspec sort;
	struct ra_filter *display;	/* display filter, NULL: all */
	char display_text[512];
	bool live;			/* rates over the window, idle groups leave */
	bool frozen;			/* -r files read to the end: the table stays */
	uint64_t idle_us, update_us, max_groups;
	bool rmon, nocorrect;

	/* intake */
	struct feed q;
	struct cl_rec batch[CL_INFLIGHT][CL_BATCH];
	uint8_t copies[CL_INFLIGHT][CL_BATCH][CL_REC_COPY_MAX];
	struct ra_flow full[CL_INFLIGHT][CL_BATCH];
	struct ra_flow scratch;
	const struct cl_rec *pending[CL_BATCH];
	int npending, bi;
	uint64_t nrecords, nflows, damaged, evicted_idle, evicted_max;
	struct ra_status *status;
	struct probe probes[RT_MAX_PROBES];
	int nprobes;

	/* ticks */
	uint32_t tick;
	uint64_t t0, now, slot_start;	/* monotonic microseconds */
	int slot;
	uint64_t last_records, last_tick_at;
	double rec_rate;

	/* by place */
	struct side *side;
	size_t nside, side_cap;
	uint64_t *gone;			/* places to drop at the next tick */
	size_t gone_words;
	bool any_gone;
	uint64_t *hidden;		/* not shown by the display filter */
	size_t hidden_words;

	/* ranking of the last tick */
	struct sk_entry *ent, *ent_tmp;
	uint8_t *keys;
	uint32_t *order;		/* places, best first */
	uint32_t *shown;		/* the places shown, best first */
	size_t nent, nshown, ent_cap;
	double *rate_of;		/* by place: the sort rate */
	struct row *rowbuf;		/* fetched rows */
	size_t rowbuf_cap;
	uint32_t *fetch_place;		/* fetch_rows' scratch */
	bool fetch_failed;

	struct col cols[RA_MAX_COLS];
	int ncols;
	int numeric_orig;
	struct fmt_cache *fc;
};

bool top_setup_table(struct top *tp, struct ra_err *err);
/* Queued records merged, for at most budget_us; returns true when any was. */
bool top_intake(struct top *tp, uint64_t budget_us);
/* Is the table half as large again as -M max?  Then intake stops and
 * ticks come at once: the groups past max leave within two of them. */
bool top_over(const struct top *tp);
/* Evictions due, rates, ranking. */
bool top_tick(struct top *tp, struct ra_err *err);
/* n rows from shown rank first into tp->rowbuf; returns how many. */
size_t top_rows(struct top *tp, size_t first, size_t n);
bool top_sort_parse(struct sortspec *s, const char *text, struct ra_err *err);
bool top_keys_set(struct top *tp, const char *text, struct ra_err *err);
uint64_t top_clock(void);
/* The header line: time, sources, probes, rates. */
size_t top_header(struct top *tp, bool paused, char *out, size_t cap);
/* Rank of the first shown row at or after `from` whose line contains s; -1: none. */
long top_find(struct top *tp, size_t from, const char *s);
/* The whole table as text to fd (plain mode, :w); false on a write error. */
bool top_print(struct top *tp, int fd, uint64_t max_rows, bool header);

/* Was ratop told to stop (SIGINT, SIGTERM while reading -S)? */
bool top_signalled(void);

/* ---- screen.c ---- */

int screen_run(struct top *tp);

#endif
