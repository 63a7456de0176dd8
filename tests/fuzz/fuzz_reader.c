/*
 * fuzz_reader.c - libFuzzer harness: any bytes as a record stream file,
 * read and every record decoded.  Nothing may crash, hang or leak.  The
 * bytes are a memory file (memfd), reopened by its /proc path as the reader
 * opens any file: the reader's own paths (mapping, gzip, framing) run, and
 * nothing touches the disk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("fuzz_reader", 0);
	struct ra_reader *r;
	struct ra_err err;
	struct ra_flow f;
	struct ra_status *st = malloc(sizeof(*st));
	const uint8_t *rec;
	size_t len;
	enum ra_read_result rr;
	int guard = 0;

	if (fd < 0 || !st)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		free(st);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = ra_reader_new();
	ra_reader_add(r, path, false, &err);
	ra_flow_init(&f);
	while ((rr = ra_reader_next(r, &rec, &len, &err)) != RA_READ_END && guard++ < 1000000) {
		if (rr != RA_READ_OK)
			continue;
		if (rec[0] == RA_REC_FLOW)
			ra_decode_flow(rec, len, &f, &err);
		else if (rec[0] == RA_REC_STATUS)
			ra_decode_status(rec, len, st, &err);
	}
	ra_reader_free(r);
	close(fd);
	free(st);
	return 0;
}
