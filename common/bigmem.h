/*
 * bigmem.h - large blocks of zeroed memory straight from the kernel: the
 * arenas and indexes of the flow table and the aggregation engine.
 *
 * A block costs nothing until its pages are touched (unless populated), is
 * zeroed, and with RA_BIG_HUGE starts on a 2 MB boundary and asks for
 * transparent huge pages: a table of millions of entries read at random
 * otherwise spends much of its time on TLB misses.  The mapping is exactly
 * as long as asked (rounded to a page), so a tail short of a whole huge
 * page stays in small pages and memory is what is asked for.
 */
#ifndef COMMON_BIGMEM_H
#define COMMON_BIGMEM_H

#include <stddef.h>

enum {
	RA_BIG_HUGE = 1 << 0,		/* 2 MB aligned, on huge pages where the kernel allows */
	RA_BIG_POPULATE = 1 << 1,	/* every page faulted in now, in one call */
};

/* bytes of zeroed memory, or NULL. */
void *ra_big_alloc(size_t bytes, unsigned flags);
/* Give back a block from ra_big_alloc (bytes as asked); NULL is ignored. */
void ra_big_free(void *p, size_t bytes);
/* Ask for huge pages over a block already in use (one that has grown into
 * a large table); the kernel may collapse its pages in the background. */
void ra_big_advise_huge(void *p, size_t bytes);

#endif
