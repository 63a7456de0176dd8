/*
 * fuzz_radump.c - libFuzzer harness for radump's protocol printers: the
 * first byte picks the printer (and TCP or UDP, and the delimiter), the
 * rest is one direction's payload.  The text must stay inside its buffer,
 * hold no control byte and, with a delimiter, no delimiter or quote.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "radump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[4 * RA_PAYLOAD_MAX + 64];
	struct rd_flow x = { 17, 0, 40000, 53, 0 };
	enum rd_proto proto;
	char delim;
	struct rd_style st;
	size_t n;
	uint8_t *copy;

	if (size < 1 || size > RA_PAYLOAD_MAX + 1)
		return 0;
	proto = (enum rd_proto)(1 + data[0] % (RD_NPROTO - 1));
	x.proto = (data[0] & 0x40) ? 6 : 17;
	x.dir = (data[0] >> 5) & 1;
	delim = (data[0] & 0x80) ? '^' : 0;
	/* an exact-size copy, so ASan sees a read past the payload */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	rd_style_init(&st, delim);
	n = rd_print(proto, &x, copy, size - 1, &st, out, sizeof(out));
	if (n > sizeof(out))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20 || c >= 0x7f || (delim && (c == (unsigned char)delim || c == '"')))
			abort();
	}
	(void)rd_choose(&x, copy, size - 1, copy, size - 1);
	free(copy);
	return 0;
}
