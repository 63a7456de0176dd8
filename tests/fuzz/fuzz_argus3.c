/*
 * fuzz_argus3.c - libFuzzer harness: any bytes as an Argus 3 stream,
 * framed record by record as the reader frames them, each converted into
 * one of ours (argus3.c) and that decoded again.  Nothing may crash, hang,
 * leak, or convert into a record our decoder refuses.
 */
#include "config.h"

#include <stdlib.h>

#include "argus3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct a3_conv *c;
	static struct ra_status st;
	struct ra_flow f;
	struct ra_err err;
	size_t off = 0;

	if (!c && !(c = a3_conv_new()))
		return 0;
	ra_flow_init(&f);
	while (size - off >= 4) {
		size_t len = a3_frame(data + off);
		const uint8_t *out;
		size_t outlen;

		if (!len || len > size - off)
			break;
		if (a3_convert(c, data + off, len, &out, &outlen, &err) == A3_OK) {
			bool ok = out[0] == RA_REC_FLOW ? ra_decode_flow(out, outlen, &f, &err)
							: ra_decode_status(out, outlen, &st, &err);
			if (!ok)
				abort();	/* we wrote a record we cannot read */
		}
		off += len;
	}
	return 0;
}
