/*
 * clintake.c - a client's kept input framed by the aggregation engine's
 * intake (cl_intake_next, cluster.h): the span, the filter as the
 * selection, the reader's advance.  racluster and rabins share it.
 */
#include "config.h"

#include "cluster.h"
#include "filter.h"
#include "stream.h"

/* cl_select_fn over the client's filter: the record decoded whole first. */
static int select_filter(void *ctx, const uint8_t *rec, size_t len)
{
	struct cl_intake *in = ctx;
	struct ra_err err;

	if (!ra_decode_flow(rec, len, in->f, &err))
		return -1;
	return flt_match(in->flt, in->f);
}

bool cl_intake_next(struct cl_intake *in, bool *fed, struct ra_err *err)
{
	const uint8_t *p;
	size_t n = ra_reader_span(in->rd, &p), used = 0;
	uint64_t nrec = 0;

	*fed = false;
	if (!n)
		return true;
	if (n > CL_INTAKE_BYTES)
		n = CL_INTAKE_BYTES;
	if (!in->feed(in->ctx, p, n, in->tr, in->flt ? select_filter : NULL, in, &used, &nrec, err))
		return false;
	ra_reader_advance(in->rd, used, nrec);
	*fed = used != 0;
	return true;
}
