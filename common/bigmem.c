/*
 * bigmem.c - large blocks of zeroed memory from mmap, on huge pages where
 * asked (bigmem.h).
 */
#include "config.h"

#include "bigmem.h"

#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *ra_big_alloc(size_t bytes, unsigned flags)
{
	size_t extra = (flags & RA_BIG_HUGE) && bytes >= HUGE_PAGE ? HUGE_PAGE : 0;
	uint8_t *p;

	if (!bytes)
		return NULL;
	p = mmap(NULL, bytes + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (extra) {	/* keep the 2 MB aligned part, exactly bytes long */
		size_t lead = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
		if (lead)
			munmap(p, lead);
		if (extra - lead)
			munmap(p + lead + bytes, extra - lead);
		p += lead;
	}
	if (flags & RA_BIG_HUGE)
		ra_big_advise_huge(p, bytes);
#ifdef MADV_POPULATE_WRITE
	if (flags & RA_BIG_POPULATE)
		madvise(p, bytes, MADV_POPULATE_WRITE);
#endif
	return p;
}

void ra_big_free(void *p, size_t bytes)
{
	if (p && bytes)
		munmap(p, bytes);
}

void ra_big_advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	if (p && bytes)
		madvise(p, bytes, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}
