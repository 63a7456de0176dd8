/*
 * writer.c - writing record streams: a file (created or truncated, never
 * appended to), stdout, optionally gzip-compressed.
 *
 * Records are encoded straight into a 1 MiB buffer that is written out
 * whole; a stream header starts every file, and every reopened file.
 */
#include "config.h"

#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#define WBLOCK (1u << 20)

struct ra_writer {
	char *path;
	int fd;
	bool gzip, is_stdout;
	z_stream zs;
	uint8_t *buf;		/* WBLOCK + RA_REC_MAX */
	size_t len;
	uint8_t *zout;		/* WBLOCK */
	char producer[17];
	off_t good;		/* file bytes that end on a whole record (a sync point for .gz) */
	bool broken;		/* a write failed: the file was cut back to good */
};

static bool write_all(struct ra_writer *w, const uint8_t *p, size_t n, struct ra_err *err)
{
	while (n > 0) {
		ssize_t put = write(w->fd, p, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0) {
			ra_err_where(err, w->path, 0, 0);
			err->has_offset = 0;
			err->sys_errno = errno;
			ra_err_set(err, RA_ERR_IO, "write: %s", strerror(errno));
			return false;
		}
		p += put;
		n -= (size_t)put;
	}
	return true;
}

static bool deflate_out(struct ra_writer *w, int flush, struct ra_err *err)
{
	w->zs.next_in = w->buf;
	w->zs.avail_in = (uInt)w->len;
	do {
		int rc;
		w->zs.next_out = w->zout;
		w->zs.avail_out = WBLOCK;
		rc = deflate(&w->zs, flush);
		if (rc == Z_STREAM_ERROR) {
			ra_err_where(err, w->path, 0, 0);
			err->has_offset = 0;
			ra_err_set(err, RA_ERR_IO, "gzip compression failed");
			return false;
		}
		if (!write_all(w, w->zout, WBLOCK - w->zs.avail_out, err))
			return false;
	} while (w->zs.avail_out == 0);
	w->len = 0;
	return true;
}

/*
 * A failed write (a full disk) may leave part of a record at the file's end:
 * the file is cut back to the last whole record, so what it holds reads
 * cleanly, and the writer writes no more.
 */
static bool drain(struct ra_writer *w, int zflush, struct ra_err *err)
{
	bool ok;

	if (w->broken) {
		ra_err_where(err, w->path, 0, 0);
		err->has_offset = 0;
		ra_err_set(err, RA_ERR_IO, "not written after an earlier write error");
		return false;
	}
	if (w->gzip) {
		ok = deflate_out(w, zflush, err);
	} else {
		ok = write_all(w, w->buf, w->len, err);
		if (ok)
			w->len = 0;
	}
	if (ok && !w->is_stdout && (!w->gzip || zflush != Z_NO_FLUSH))
		w->good = lseek(w->fd, 0, SEEK_CUR);
	if (!ok && !w->is_stdout) {
		w->broken = true;
		if (w->good >= 0 && ftruncate(w->fd, w->good) != 0)
			w->good = -1;
	}
	return ok;
}

static uint64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static bool start_file(struct ra_writer *w, struct ra_err *err)
{
	struct ra_stream_hdr h;

	w->good = 0;
	w->broken = false;
	if (w->is_stdout) {
		w->fd = 1;
	} else {
		w->fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (w->fd < 0) {
			ra_err_where(err, w->path, 0, 0);
			err->has_offset = 0;
			err->sys_errno = errno;
			ra_err_set(err, RA_ERR_IO, "%s", strerror(errno));
			return false;
		}
	}
	if (w->gzip) {
		memset(&w->zs, 0, sizeof(w->zs));
		if (deflateInit2(&w->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
			ra_err_where(err, w->path, 0, 0);
			err->has_offset = 0;
			ra_err_set(err, RA_ERR_NOMEM, "cannot start gzip compression");
			return false;
		}
	}
	memset(&h, 0, sizeof(h));
	h.major = RA_VERSION_MAJOR;
	h.minor = RA_VERSION_MINOR;
	h.start_time = now_us();
	memcpy(h.producer, w->producer, sizeof(h.producer));
	w->len = ra_encode_stream_hdr(&h, w->buf);
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

struct ra_writer *ra_writer_open(const char *path, bool gzip, bool force_tty, const char *producer,
				 struct ra_err *err)
{
	struct ra_writer *w;

	if (strcmp(path, "-") == 0 && isatty(1) && !force_tty) {
		ra_err_where(err, "-w -", 0, 0);
		err->has_offset = 0;
		ra_err_set(err, RA_ERR_USAGE,
			   "refusing to write binary records to a terminal; redirect to a file or a pipe");
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) || !(w->buf = malloc(WBLOCK + RA_REC_MAX))) {
		if (w) {
			free(w->path);
			free(w);
		}
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	w->is_stdout = strcmp(path, "-") == 0;
	w->gzip = gzip || (!w->is_stdout && ends_with(path, ".gz"));
	if (w->gzip && !(w->zout = malloc(WBLOCK))) {
		free(w->buf);
		free(w->path);
		free(w);
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	snprintf(w->producer, sizeof(w->producer), "%s", producer ? producer : "");
	if (!start_file(w, err)) {
		free(w->zout);
		free(w->buf);
		free(w->path);
		free(w);
		return NULL;
	}
	return w;
}

bool ra_writer_put(struct ra_writer *w, const uint8_t *rec, size_t len, struct ra_err *err)
{
	if (w->len + len > WBLOCK && !drain(w, Z_NO_FLUSH, err))
		return false;
	memcpy(w->buf + w->len, rec, len);
	w->len += len;
	return true;
}

bool ra_writer_put_flow(struct ra_writer *w, const struct ra_flow *f, struct ra_err *err)
{
	if (w->len > WBLOCK && !drain(w, Z_NO_FLUSH, err))
		return false;
	w->len += ra_encode_flow(f, w->buf + w->len);
	return true;
}

bool ra_writer_put_status(struct ra_writer *w, const struct ra_status *st, struct ra_err *err)
{
	if (w->len > WBLOCK && !drain(w, Z_NO_FLUSH, err))
		return false;
	w->len += ra_encode_status(st, w->buf + w->len);
	return true;
}

bool ra_writer_flush(struct ra_writer *w, struct ra_err *err)
{
	return drain(w, w->gzip ? Z_SYNC_FLUSH : Z_NO_FLUSH, err);
}

static bool finish_file(struct ra_writer *w, struct ra_err *err)
{
	bool ok = drain(w, Z_FINISH, err);

	if (w->gzip)
		deflateEnd(&w->zs);
	if (!w->is_stdout && close(w->fd) != 0 && ok) {
		ra_err_where(err, w->path, 0, 0);
		err->has_offset = 0;
		err->sys_errno = errno;
		ra_err_set(err, RA_ERR_IO, "close: %s", strerror(errno));
		ok = false;
	}
	w->fd = -1;
	return ok;
}

bool ra_writer_reopen(struct ra_writer *w, struct ra_err *err)
{
	if (w->is_stdout)
		return ra_writer_flush(w, err);
	if (!finish_file(w, err))
		return false;
	return start_file(w, err);
}

bool ra_writer_close(struct ra_writer *w, struct ra_err *err)
{
	bool ok = true;

	if (!w)
		return true;
	if (w->fd >= 0)
		ok = finish_file(w, err);
	free(w->zout);
	free(w->buf);
	free(w->path);
	free(w);
	return ok;
}
