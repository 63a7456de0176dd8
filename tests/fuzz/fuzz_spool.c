/*
 * fuzz_spool.c - libFuzzer harness: any bytes as a raclickhouse spool file.
 * The file is opened (in half the runs with the header's schema hash made
 * right, so the batches are reached), every waiting batch is read back and
 * its rows walked as a resend of the missing rows walks them, and each is
 * confirmed.  Nothing may crash, hang or leak.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../raclickhouse/conf.h"
#include "../raclickhouse/native.h"
#include "../raclickhouse/schema.h"
#include "../raclickhouse/spool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ch_schema schema;
	static bool ready;
	char path[] = "/tmp/fuzz_spool.XXXXXX";
	struct ra_err err;
	struct batch b;
	struct spool *s;
	uint8_t *copy;
	int fd;

	if (!ready) {
		ch_schema_init(&schema);
		ready = true;
	}
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (size >= 24 && (data[size - 1] & 1)) {
		uint64_t h = conf_schema_hash(&schema);
		for (int i = 0; i < 8; i++)
			copy[16 + i] = (uint8_t)(h >> (8 * i));
	}
	fd = mkstemp(path);
	if (fd < 0 || write(fd, copy, size) != (ssize_t)size) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(copy);
		return 0;
	}
	close(fd);
	free(copy);
	memset(&b, 0, sizeof(b));
	ra_err_clear(&err);
	s = spool_open(path, 1u << 30, conf_schema_hash(&schema), &err);
	if (s) {
		while (spool_peek(s, &b, &err) == 1) {
			long rows = ch_native_rows(&schema, b.buf, b.len);
			if (rows >= 0 && (uint32_t)rows == b.rows && b.rows > 0) {
				/* cut it down as a resend of a partly inserted batch does */
				uint8_t *present = calloc(b.rows, 1), *out = malloc(b.len);
				uint32_t kept;
				if (present && out) {
					for (uint32_t r = 0; r < b.rows; r += 2)
						present[r] = 1;
					(void)ch_native_subset(&schema, b.buf, b.len, present, b.rows, out, &kept);
				}
				free(present);
				free(out);
			}
			if (!spool_done(s, &err))
				break;
		}
		spool_close(s);
	}
	free(b.buf);
	unlink(path);
	return 0;
}
