/*
 * fuzz_filter.c - libFuzzer harness for the filter compiler: any bytes as
 * an expression.  When it compiles, the program must have only forward
 * jumps, must run over a few flows, and must print with flt_dump.
 *
 *   clang -fsanitize=fuzzer,address -Icommon -I. tests/fuzz/fuzz_filter.c common/filter_*.c ...
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "filter_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_flow flows[3];
	struct ra_err err;
	struct ra_filter *flt;
	char *expr, dump[1024];

	if (size > FLT_MAX_EXPR + 16)
		return 0;
	expr = malloc(size + 1);
	if (!expr)
		return 0;
	memcpy(expr, data, size);
	expr[size] = 0;	/* an embedded NUL ends the expression, as in argv */
	ra_err_clear(&err);
	flt = flt_compile(expr, &err);
	if (!flt) {
		/* an error names a column inside the expression or just after it */
		if (err.offset < 1 || err.offset > strlen(expr) + 1 || strncmp(err.msg, "column ", 7) != 0)
			abort();
		free(expr);
		return 0;
	}
	for (uint32_t i = 0; i < flt->n; i++)
		if (flt->nodes[i].jt <= i || flt->nodes[i].jf <= i ||
		    flt->nodes[i].jt > flt->n + 1 || flt->nodes[i].jf > flt->n + 1)
			abort();
	for (int i = 0; i < 3; i++) {
		ra_flow_init(&flows[i]);
		flows[i].family = (uint8_t)(i + 1);
		flows[i].proto = i == 0 ? 6 : 17;
		flows[i].spkts = (uint64_t)i * 1000;
		flows[i].ltime = (uint64_t)i * 1000000;
		RA_SET(&flows[i], RA_BLK_L2);
		(void)flt_match(flt, &flows[i]);
	}
	(void)flt_dump(flt, dump, sizeof(dump));
	flt_free(flt);
	free(expr);
	return 0;
}
