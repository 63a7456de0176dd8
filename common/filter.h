/*
 * filter.h - the filter language (ra-filter(7)): tcpdump-like expressions
 * over flow records, compiled once into a flat program of nodes with
 * true/false jumps and evaluated with no allocation or recursion.
 */
#ifndef COMMON_FILTER_H
#define COMMON_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "record.h"

struct ra_filter;

/*
 * Compile an expression.  On error returns NULL and fills err with code
 * RA_ERR_USAGE, err->offset = 1-based column of the offending token,
 * has_offset = 0 and msg = "column N: expected ..., found '...'".
 * An empty expression (or only blanks) compiles to "match everything".
 */
struct ra_filter *flt_compile(const char *expr, struct ra_err *err);
/* True when the flow passes.  A status record is tested through its view
 * (ra_status_view in status.h), which only "man" and words that hold for
 * any record select. */
bool flt_match(const struct ra_filter *flt, const struct ra_flow *f);
/* True when the filter names status records (the word "man"): tools print
 * or write status records only then. */
bool flt_names_status(const struct ra_filter *flt);
/* True when every test reads only a flow record's core fields (protocol,
 * ports, addresses, times, counters, ...): a record ra_decode_core takes
 * is then matched without decoding its blocks. */
bool flt_core_only(const struct ra_filter *flt);
/*
 * The filter run on a flow record's bytes where they lie (filter_raw.c),
 * for a program of the common tests only (family, protocol, port, address
 * under a mask); NULL for any other program, or out of memory.  Valid
 * while flt is.  flt_raw_match answers 1 pass, 0 fail, or -1 when the
 * record's core does not decide (damaged, or wide counters): decode it
 * and ask flt_match.
 */
struct flt_raw;
struct flt_raw *flt_raw_new(const struct ra_filter *flt);
int flt_raw_match(const struct flt_raw *x, const uint8_t *rec, size_t len);
void flt_raw_free(struct flt_raw *x);
/* Print the compiled program, one node a line, for -b.  Returns the length
 * the whole text needs (as snprintf does); cut to fit when that is >= cap. */
size_t flt_dump(const struct ra_filter *flt, char *buf, size_t cap);
void flt_free(struct ra_filter *flt);

#endif
