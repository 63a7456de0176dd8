/*
 * fuzz_raban_conf.c - libFuzzer harness for raban's configuration parser:
 * any bytes as a raban.conf.  It must never crash, and every message must
 * name the file with a line and a column (or say it gave up).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(void *ctx, const char *msg)
{
	(void)ctx;
	if (strncmp(msg, "fuzz.conf", 9) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c;

	if (size > (1u << 20))
		return 0;
	c = conf_parse("fuzz.conf", (const char *)data, size, false, check_msg, NULL);
	conf_free(c);
	return 0;
}
