/* filter.c - interim: only the empty filter; the filter issue replaces this file. */
#include "filter.h"

#include <stdlib.h>
#include <string.h>

struct ra_filter { int empty; };

struct ra_filter *flt_compile(const char *expr, struct ra_err *err)
{
	size_t i = strspn(expr, " \t\n");
	if (expr[i]) {
		ra_err_set(err, RA_ERR_USAGE, "column %zu: filter expressions are not supported yet", i + 1);
		err->offset = i + 1;
		return NULL;
	}
	return calloc(1, sizeof(struct ra_filter));
}

bool flt_match(const struct ra_filter *flt, const struct ra_flow *f) { (void)flt; (void)f; return true; }
size_t flt_dump(const struct ra_filter *flt, char *buf, size_t cap) { (void)flt; if (cap) buf[0] = 0; return 0; }
void flt_free(struct ra_filter *flt) { free(flt); }
