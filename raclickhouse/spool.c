/*
 * spool.c - the spool file of raclickhouse (layout in spool.h and
 * raclickhouse(1)).  Little-endian; 32-byte header:
 *     "RACHSPL1", u64 confirmed offset, u64 schema hash, u64 zero
 * and per batch a 40-byte head:
 *     "BTCH", u32 rows, u64 identity, u64 length, u64 tmin, u64 tmax
 * followed by its RowBinary bytes.
 */
#include "config.h"

#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HDR 32u
#define BHDR 40u
#define BATCH_MAX (1ull << 31)	/* no batch is this long: a damaged head */

struct spool {
	int fd;
	char path[256];
	uint64_t max;
	uint64_t done;		/* offset of the first unconfirmed batch */
	uint64_t end;		/* the file's length */
	uint64_t peeked;	/* end of the batch spool_peek gave, 0 when none */
	uint64_t batches, rows;	/* waiting */
};

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static bool io_err(struct spool *s, struct ra_err *err, const char *what)
{
	ra_err_where(err, s->path, 0, 0);
	err->has_offset = 0;
	err->sys_errno = errno;
	ra_err_set(err, RA_ERR_IO, "%s: %s", what, strerror(errno));
	return false;
}

static bool pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t k = pread(fd, p, n, (off_t)off);
		if (k <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			if (k == 0)
				errno = EIO;
			return false;
		}
		p += k;
		n -= (size_t)k;
		off += (uint64_t)k;
	}
	return true;
}

static bool pwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t k = pwrite(fd, p, n, (off_t)off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += k;
		n -= (size_t)k;
		off += (uint64_t)k;
	}
	return true;
}

static bool write_done(struct spool *s, struct ra_err *err)
{
	uint8_t b[8];

	put64(b, s->done);
	if (!pwrite_all(s->fd, b, 8, 8) || fdatasync(s->fd) != 0)
		return io_err(s, err, "cannot write");
	return true;
}

/* Count the waiting batches, checking each head; a torn last append is cut off. */
static bool scan(struct spool *s, struct ra_err *err)
{
	uint64_t at = s->done;
	uint8_t h[BHDR];

	while (at < s->end) {
		uint64_t len;
		if (s->end - at < BHDR || !pread_all(s->fd, h, BHDR, at) || memcmp(h, "BTCH", 4) != 0 ||
		    (len = get64(h + 16)) > BATCH_MAX || len > s->end - at - BHDR)
			break;
		s->batches++;
		s->rows += (uint32_t)(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24);
		at += BHDR + len;
	}
	if (at < s->end) {	/* a batch whose append did not finish: it was never counted as spooled */
		if (ftruncate(s->fd, (off_t)at) != 0)
			return io_err(s, err, "cannot cut a torn batch");
		s->end = at;
	}
	return true;
}

struct spool *spool_open(const char *path, uint64_t max_bytes, uint64_t schema_hash, struct ra_err *err)
{
	struct spool *s = calloc(1, sizeof(*s));
	struct stat st;
	uint8_t h[HDR];

	if (!s) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->max = max_bytes;
	s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->fd < 0 || fstat(s->fd, &st) != 0) {
		io_err(s, err, "cannot open the spool");
		goto fail;
	}
	s->end = (uint64_t)st.st_size;
	if (s->end == 0) {
		memset(h, 0, sizeof(h));
		memcpy(h, "RACHSPL1", 8);
		put64(h + 8, HDR);
		put64(h + 16, schema_hash);
		if (!pwrite_all(s->fd, h, HDR, 0) || fdatasync(s->fd) != 0) {
			io_err(s, err, "cannot write");
			goto fail;
		}
		s->end = s->done = HDR;
		return s;
	}
	if (s->end < HDR || !pread_all(s->fd, h, HDR, 0) || memcmp(h, "RACHSPL1", 8) != 0) {
		ra_err_where(err, path, 0, 0);
		ra_err_set(err, RA_ERR_FORMAT, "not a raclickhouse spool file");
		goto fail;
	}
	if (get64(h + 16) != schema_hash) {
		ra_err_where(err, path, 16, 0);
		ra_err_set(err, RA_ERR_FORMAT, "spooled for another table layout (another raclickhouse version)");
		goto fail;
	}
	s->done = get64(h + 8);
	if (s->done < HDR || s->done > s->end) {
		ra_err_where(err, path, 8, 0);
		ra_err_set(err, RA_ERR_FORMAT, "confirmed offset %llu is outside the file",
			   (unsigned long long)s->done);
		goto fail;
	}
	if (!scan(s, err))
		goto fail;
	return s;
fail:
	spool_close(s);
	return NULL;
}

void spool_close(struct spool *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

uint64_t spool_batches(const struct spool *s) { return s->batches; }
const char *spool_path(const struct spool *s) { return s->path; }
uint64_t spool_offset(const struct spool *s) { return s->done; }
uint64_t spool_rows(const struct spool *s) { return s->rows; }

int spool_put(struct spool *s, const struct batch *b, struct ra_err *err)
{
	uint8_t h[BHDR];

	if (s->end + BHDR + b->len > s->max)
		return 0;
	memcpy(h, "BTCH", 4);
	h[4] = (uint8_t)b->rows; h[5] = (uint8_t)(b->rows >> 8);
	h[6] = (uint8_t)(b->rows >> 16); h[7] = (uint8_t)(b->rows >> 24);
	put64(h + 8, b->id);
	put64(h + 16, b->len);
	put64(h + 24, b->tmin);
	put64(h + 32, b->tmax);
	if (!pwrite_all(s->fd, h, BHDR, s->end) || !pwrite_all(s->fd, b->buf, b->len, s->end + BHDR) ||
	    fdatasync(s->fd) != 0) {
		io_err(s, err, "cannot write");
		if (ftruncate(s->fd, (off_t)s->end) != 0)
			return -1;
		return -1;
	}
	s->end += BHDR + b->len;
	s->batches++;
	s->rows += b->rows;
	return 1;
}

int spool_peek(struct spool *s, struct batch *b, struct ra_err *err)
{
	uint8_t h[BHDR];
	uint64_t len;

	if (s->done >= s->end)
		return 0;
	if (!pread_all(s->fd, h, BHDR, s->done))
		return io_err(s, err, "cannot read") ? -1 : -1;
	len = get64(h + 16);
	if (len > b->cap) {
		uint8_t *p = realloc(b->buf, len);
		if (!p) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return -1;
		}
		b->buf = p;
		b->cap = len;
	}
	if (!pread_all(s->fd, b->buf, len, s->done + BHDR))
		return io_err(s, err, "cannot read") ? -1 : -1;
	b->rows = (uint32_t)(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24);
	b->id = get64(h + 8);
	b->len = len;
	b->tmin = get64(h + 24);
	b->tmax = get64(h + 32);
	b->tried = true;	/* an earlier run may have sent some or all of it */
	s->peeked = s->done + BHDR + len;
	return 1;
}

bool spool_done(struct spool *s, struct ra_err *err)
{
	uint8_t h[BHDR];

	if (!s->peeked || !pread_all(s->fd, h, BHDR, s->done))
		return io_err(s, err, "cannot read");
	s->batches--;
	s->rows -= (uint32_t)(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24);
	s->done = s->peeked;
	s->peeked = 0;
	if (s->done >= s->end) {	/* all sent: back to an empty spool */
		s->done = s->end = HDR;
		if (!write_done(s, err))
			return false;
		if (ftruncate(s->fd, HDR) != 0 || fdatasync(s->fd) != 0)
			return io_err(s, err, "cannot cut");
		return true;
	}
	return write_done(s, err);
}
