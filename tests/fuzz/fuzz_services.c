/*
 * fuzz_services.c - libFuzzer harness for the signature-line parser
 * (common/service.c): any bytes as one line.  A line that parses must
 * format and parse back to the same signature, and match a flow whose
 * payload is the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svc_sig s, back;
	struct svc_owned o;
	struct ra_flow f;
	const char *why;
	size_t col;
	char *line, text[256];
	int rc;

	if (size > 4096)
		return 0;
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = 0;
	rc = svc_parse_line(line, &s, &why, &col);
	if (rc < 0 && (col < 1 || col > strlen(line) + 1))
		abort();
	if (rc > 0) {
		if (!svc_format(&s, text, sizeof(text)) || svc_parse_line(text, &back, &why, &col) != 1)
			abort();
		if (memcmp(back.sval, s.sval, SVC_SIGLEN) || memcmp(back.dmask, s.dmask, SVC_SIGLEN) ||
		    back.port != s.port || back.proto != s.proto || strcmp(back.name, s.name))
			abort();
		memset(&o, 0, sizeof(o));
		if (svc_add(&o, &s) && svc_table_build(&o)) {
			ra_flow_init(&f);
			f.proto = s.proto;
			f.dport = s.port;
			f.spayload = data;
			f.spaylen = (uint16_t)size;
			f.dpayload = data;
			f.dpaylen = (uint16_t)size;
			(void)svc_match(&o.t, &f);
		}
		svc_free(&o);
	}
	free(line);
	return 0;
}
