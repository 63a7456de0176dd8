/*
 * fuzz_addrset.c - libFuzzer harness for the address-file parser
 * (common/addrset.c): any bytes as the text of a -f file.  A failure must
 * name a line and a column; a success must give a set in which every
 * address the text names as a plain entry is found.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"
#include "field.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ra_addrset *s = ra_addrset_new();
	struct ra_err err;
	uint8_t zero6[16] = { 0 }, ones6[16];
	bool ok;

	if (!s)
		return 0;
	ra_err_clear(&err);
	ok = ra_addrset_add_text(s, (const char *)data, size, "fuzz", &err);
	if (!ok && (strncmp(err.path, "fuzz: line ", 11) != 0 || !strstr(err.path, ", column ")))
		abort();
	ra_addrset_finish(s, &err);
	memset(ones6, 0xff, sizeof(ones6));
	/* lookups at the edges must not read outside the ranges */
	(void)ra_addrset_has4(s, 0);
	(void)ra_addrset_has4(s, 0xffffffffu);
	(void)ra_addrset_has6(s, zero6);
	(void)ra_addrset_has6(s, ones6);
	if (ok && size < 4096) {
		/* each plain address line must now be in the set */
		char line[64];
		size_t pos = 0;
		while (pos < size) {
			size_t n = 0;
			while (pos + n < size && data[pos + n] != '\n')
				n++;
			if (n > 0 && n < sizeof(line) && !memchr(data + pos, '#', n) && !memchr(data + pos, '/', n) &&
			    !memchr(data + pos, '-', n) && !memchr(data + pos, ' ', n) && !memchr(data + pos, '\t', n) &&
			    !memchr(data + pos, '\r', n) && !memchr(data + pos, '\0', n)) {
				union ra_addr a;
				memcpy(line, data + pos, n);
				line[n] = '\0';
				unsigned dots = 0;
				for (size_t k = 0; k < n; k++)
					dots += line[k] == '.';
				unsigned fam = parse_addr(line, &a);
				if (fam == RA_AF_INET && (dots != 3 || strstr(line, ".0") || line[0] == '0'))
					fam = 0;	/* leading zeros, short forms: parsers differ */
				if (fam == RA_AF_INET && !ra_addrset_has4(s, a.v4))
					abort();
				if (fam == RA_AF_INET6 && !ra_addrset_has6(s, a.v6))
					abort();
			}
			pos += n + 1;
		}
	}
	ra_addrset_free(s);
	return 0;
}
