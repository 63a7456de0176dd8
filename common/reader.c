/*
 * reader.c - reading record streams from files, stdin, .gz and directories.
 *
 * Input is read in 1 MiB blocks (inflated through zlib when the bytes
 * start with the gzip magic, whatever the name), and records are handed
 * out in place.  The reader checks framing only: type, length, the stream
 * header at the start of every input and wherever one appears later.
 * An input that starts with an Argus 3 management record is an Argus 3
 * stream: its records are framed here and converted by argus3.c.
 */
#include "config.h"

#include "stream.h"

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "argus3.h"
#include "cursor.h"
#include "netin.h"

#define BLOCK (1u << 20)

struct input {
	char *path;
};

struct ra_reader {
	struct input *inputs;
	size_t ninputs, cap, next;	/* next input to open */

	/* the input being read */
	const char *path;		/* NULL when none is open */
	int fd;
	bool is_gzip, eof, gz_end;
	z_stream zs;
	uint8_t *zin;			/* compressed bytes, BLOCK */
	size_t zin_len;
	uint64_t file_off;		/* stream offset of buf[start] */
	uint64_t recno;			/* data records handed out from this input */
	bool first;			/* nothing framed yet in this input */

	uint8_t *buf;			/* BLOCK + RA_REC_MAX */
	const uint8_t *base;		/* buf, or the mapped file */
	uint8_t *map;			/* a regular file mapped whole, or NULL */
	size_t map_len;
	size_t released;		/* pages before this offset were given back */
	bool keep;			/* maps stay until ra_reader_free */
	bool resident;			/* and their pages are not given back behind the reading */
	bool map_kept;			/* the current map is one of them */
	struct kept_map { uint8_t *p; size_t len; } *kept;
	size_t nkept;
	size_t start, end;

	/* the record just returned */
	uint64_t rec_off;

	bool is_a3;			/* the input is an Argus 3 stream */
	struct a3_conv *a3;		/* its converter, made at the first one */
	/* -S servers, read once the files are done (netin.c) */
	struct netin *net;
	bool in_net;

	/* A caller's own descriptors (radium's clients), served while a pipe
	 * or fifo has nothing to read (ra_reader_on_poll, ra_reader_on_idle). */
	bool is_stream;			/* the input is not a regular file */
	unsigned xmax;
	unsigned (*xfill)(void *arg, struct pollfd *pfd, unsigned max);
	void (*xhandle)(void *arg, const struct pollfd *pfd, unsigned n);
	void *xarg;
	struct pollfd *xpfd;		/* 1 + xmax */
	void (*idle)(void *arg);
	void *idle_arg;
	volatile sig_atomic_t *stop;
};

struct ra_reader *ra_reader_new(void)
{
	struct ra_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->buf = malloc(BLOCK + RA_REC_MAX);
	r->base = r->buf;
	r->zin = malloc(BLOCK);
	r->fd = -1;
	if (!r->buf || !r->zin) {
		ra_reader_free(r);
		return NULL;
	}
	return r;
}

static void close_input(struct ra_reader *r)
{
	if (r->map && r->map_kept) {
		r->kept[r->nkept].p = r->map;
		r->kept[r->nkept++].len = r->map_len;
	} else if (r->map) {
		munmap(r->map, r->map_len);
	}
	r->map = NULL;
	r->map_kept = false;
	r->base = r->buf;
	if (r->fd > 0)
		close(r->fd);
	if (r->is_gzip)
		inflateEnd(&r->zs);
	r->fd = -1;
	r->path = NULL;
	r->is_gzip = false;
	r->is_a3 = false;
}

void ra_reader_free(struct ra_reader *r)
{
	if (!r)
		return;
	close_input(r);
	for (size_t i = 0; i < r->nkept; i++)
		munmap(r->kept[i].p, r->kept[i].len);
	free(r->kept);
	for (size_t i = 0; i < r->ninputs; i++)
		free(r->inputs[i].path);
	free(r->inputs);
	free(r->buf);
	free(r->zin);
	a3_conv_free(r->a3);
	netin_free(r->net);
	free(r->xpfd);
	free(r);
}

/* ---- live streams: the reader hands over to netin.c after the files ---- */

static bool want_net(struct ra_reader *r)
{
	return r->net || (r->net = netin_new()) != NULL;
}

void ra_reader_net(struct ra_reader *r, const char *filter, bool reconnect,
		   void (*notice)(void *arg, const char *msg), void *arg, volatile sig_atomic_t *stop)
{
	if (want_net(r))
		netin_configure(r->net, filter, reconnect, notice, arg, stop);
	r->stop = stop;
}

void ra_reader_stop_on(struct ra_reader *r, volatile sig_atomic_t *stop)
{
	r->stop = stop;
}

void ra_reader_on_idle(struct ra_reader *r, void (*idle)(void *arg), void *arg)
{
	r->idle = idle;
	r->idle_arg = arg;
	if (want_net(r))
		netin_on_idle(r->net, idle, arg);
}

void ra_reader_on_poll(struct ra_reader *r, unsigned maxfds,
		       unsigned (*fill)(void *arg, struct pollfd *pfd, unsigned max),
		       void (*handle)(void *arg, const struct pollfd *pfd, unsigned n), void *arg)
{
	free(r->xpfd);
	r->xpfd = calloc(1 + (size_t)maxfds, sizeof(*r->xpfd));
	if (r->xpfd) {
		r->xmax = maxfds;
		r->xfill = fill;
		r->xhandle = handle;
		r->xarg = arg;
	}
	if (want_net(r))
		netin_on_poll(r->net, maxfds, fill, handle, arg);
}

bool ra_reader_add_server(struct ra_reader *r, const char *spec, struct ra_err *err)
{
	if (!want_net(r)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	return netin_add(r->net, spec, err);
}

uint64_t ra_reader_lost(const struct ra_reader *r)
{
	return r->net ? netin_lost(r->net) : 0;
}

static bool push(struct ra_reader *r, const char *path, struct ra_err *err)
{
	if (r->ninputs == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		struct input *n = realloc(r->inputs, ncap * sizeof(*n));
		if (!n) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return false;
		}
		r->inputs = n;
		r->cap = ncap;
	}
	r->inputs[r->ninputs].path = strdup(path);
	if (!r->inputs[r->ninputs].path) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	r->ninputs++;
	return true;
}

static int name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool walk(struct ra_reader *r, const char *dir, int depth, struct ra_err *err)
{
	struct dirent **names;
	int n;
	bool ok = true;

	if (depth > 64) {
		ra_err_where(err, dir, 0, 0);
		err->has_offset = 0;
		ra_err_set(err, RA_ERR_IO, "directories nested too deep");
		return false;
	}
	n = scandir(dir, &names, NULL, name_order);
	if (n < 0) {
		ra_err_where(err, dir, 0, 0);
		err->has_offset = 0;
		err->sys_errno = errno;
		ra_err_set(err, RA_ERR_IO, "%s", strerror(errno));
		return false;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		if (ok && names[i]->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < sizeof(path) &&
		    lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				ok = walk(r, path, depth + 1, err);
			else if (S_ISREG(st.st_mode))
				ok = push(r, path, err);
		}
		free(names[i]);
	}
	free(names);
	return ok;
}

bool ra_reader_add(struct ra_reader *r, const char *path, bool dir, struct ra_err *err)
{
	return dir ? walk(r, path, 0, err) : push(r, path, err);
}

/* ---- block input ---- */

static bool fail_io(struct ra_reader *r, struct ra_err *err, const char *what)
{
	ra_err_where(err, r->path, r->file_off + (r->end - r->start), 0);
	err->sys_errno = errno;
	ra_err_set(err, RA_ERR_IO, "%s: %s", what, strerror(errno));
	return false;
}

static ssize_t read_raw(int fd, uint8_t *dst, size_t n)
{
	ssize_t got;

	do
		got = read(fd, dst, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/*
 * A pipe or fifo with a caller's descriptors to serve (radium relaying
 * `argus -w - |`): wait for input in poll(2) with them, so that clients are
 * taken and kept while the input is quiet.  false when the caller's stop
 * flag is set (the input then ends) or poll fails (err filled).
 */
static bool wait_input(struct ra_reader *r, struct ra_err *err)
{
	if (!r->is_stream || !r->xfill)
		return true;
	for (;;) {
		unsigned nx;

		if (r->stop && *r->stop) {
			r->eof = true;
			return false;
		}
		if (r->idle)
			r->idle(r->idle_arg);
		r->xpfd[0].fd = r->fd;
		r->xpfd[0].events = POLLIN;
		r->xpfd[0].revents = 0;
		nx = r->xfill(r->xarg, r->xpfd + 1, r->xmax);
		if (poll(r->xpfd, 1 + nx, 1000) < 0) {
			if (errno == EINTR)
				continue;
			return fail_io(r, err, "poll");
		}
		if (nx)
			r->xhandle(r->xarg, r->xpfd + 1, nx);
		if (r->xpfd[0].revents)
			return true;
	}
}

/* Append more bytes after buf[end]; sets eof when the input is done. */
static bool fill(struct ra_reader *r, struct ra_err *err)
{
	size_t room;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	room = BLOCK + RA_REC_MAX - r->end;
	if (!wait_input(r, err))
		return r->eof;	/* stopped: the input ends here */
	if (!r->is_gzip) {
		ssize_t got = read_raw(r->fd, r->buf + r->end, room);
		if (got < 0)
			return fail_io(r, err, "read");
		if (got == 0)
			r->eof = true;
		r->end += (size_t)got;
		return true;
	}
	while (room > 0) {
		int rc;
		if (r->zs.avail_in == 0) {
			ssize_t got;
			if (!wait_input(r, err))
				return r->eof;
			got = read_raw(r->fd, r->zin, BLOCK);
			if (got < 0)
				return fail_io(r, err, "read");
			if (got == 0) {
				r->eof = true;
				if (!r->gz_end) {
					ra_err_where(err, r->path, r->file_off + (r->end - r->start), 0);
					ra_err_set(err, RA_ERR_TRUNCATED, "gzip stream cut short");
					return false;
				}
				return true;
			}
			r->zs.next_in = r->zin;
			r->zs.avail_in = (uInt)got;
		}
		if (r->gz_end) {	/* another gzip member follows */
			if (inflateReset(&r->zs) != Z_OK)
				return fail_io(r, err, "gzip");
			r->gz_end = false;
		}
		r->zs.next_out = r->buf + r->end;
		r->zs.avail_out = (uInt)room;
		rc = inflate(&r->zs, Z_NO_FLUSH);
		r->end += room - r->zs.avail_out;
		room = r->zs.avail_out;
		if (rc == Z_STREAM_END) {
			r->gz_end = true;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			ra_err_where(err, r->path, r->file_off + (r->end - r->start), 0);
			ra_err_set(err, RA_ERR_FORMAT, "gzip data is corrupt (%s)",
				   r->zs.msg ? r->zs.msg : "inflate failed");
			r->eof = true;
			return false;
		}
		if (r->end - r->start >= 4096)
			break;	/* enough to go on with */
	}
	return true;
}

#define MAX_KEPT 4096	/* maps kept at once: well under the kernel's limit of maps */

/* Room to keep one more map (a file past MAX_KEPT is read as before). */
static bool keep_room(struct ra_reader *r)
{
	if (r->nkept >= MAX_KEPT)
		return false;
	if (!r->kept && !(r->kept = malloc(MAX_KEPT * sizeof(*r->kept))))
		return false;
	return true;
}

void ra_reader_keep(struct ra_reader *r, bool resident)
{
	r->keep = true;
	r->resident = resident;
}

bool ra_reader_kept(const struct ra_reader *r) { return r->map_kept && !r->is_a3; }

static bool open_next(struct ra_reader *r, struct ra_err *err)
{
	const char *path = r->inputs[r->next++].path;
	ssize_t got;

	r->path = path;
	r->start = r->end = 0;
	r->file_off = 0;
	r->recno = 0;
	r->eof = false;
	r->first = true;
	r->is_gzip = false;
	r->gz_end = false;
	if (strcmp(path, "-") == 0) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			ra_err_where(err, path, 0, 0);
			err->has_offset = 0;
			err->sys_errno = errno;
			ra_err_set(err, RA_ERR_IO, "%s", strerror(errno));
			r->path = NULL;
			return false;
		}
	}
	/* A plain regular file is mapped whole: records are handed out in place,
	 * with no copy through the kernel.  gzip and pipes are read in blocks. */
	{
		struct stat st;
		r->is_stream = fstat(r->fd, &st) == 0 && !S_ISREG(st.st_mode);
		if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 4 &&
		    (uint64_t)st.st_size <= SIZE_MAX) {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, r->fd, 0);
			if (m != MAP_FAILED) {
				const uint8_t *b = m;
				if (b[0] == 0x1f && b[1] == 0x8b) {
					munmap(m, (size_t)st.st_size);
				} else {
					madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
					r->map_kept = r->keep && keep_room(r);
					r->map = m;
					r->map_len = (size_t)st.st_size;
					r->released = 0;
					r->base = r->map;
					r->end = r->map_len;
					r->eof = true;
					return true;
				}
			}
		}
	}
	/* Look at the first bytes for the gzip magic. */
	if (!wait_input(r, err)) {
		if (!r->eof)
			return false;
		got = 0;	/* stopped before anything came */
	} else {
		got = read_raw(r->fd, r->zin, BLOCK);
	}
	if (got < 0)
		return fail_io(r, err, "read");
	if (got >= 2 && r->zin[0] == 0x1f && r->zin[1] == 0x8b) {
		memset(&r->zs, 0, sizeof(r->zs));
		if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK)
			return fail_io(r, err, "gzip");
		r->is_gzip = true;
		r->zs.next_in = r->zin;
		r->zs.avail_in = (uInt)got;
	} else {
		memcpy(r->buf, r->zin, (size_t)got);
		r->end = (size_t)got;
		if (got == 0)
			r->eof = true;
	}
	return true;
}

static const char *what_is_it(const uint8_t *p, size_t n)
{
	if (n >= 4) {
		uint32_t m = ld_le32(p);
		if (m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1)
			return "a pcap capture, not a record stream (read captures with argus -r)";
		if (m == 0x0a0d0d0a)
			return "a pcapng capture, not a record stream (read captures with argus -r)";
	}
	if (n >= A3_MIN_SNIFF && (p[0] & 0xf0) == 0x80 && (p[0] & 0x0f) != 3 &&
	    (ld_le32(p + 8) == 0xcb7a61e5 || ld_le32(p + 8) == 0xcb2d71e5)) {
		return "an Argus stream of a version other than 3 (Argus 3 files are read, not these)";
	}
	if (n >= 1) {
		size_t text = 0, k = n < 64 ? n : 64;
		for (size_t i = 0; i < k; i++)
			if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' || p[i] == '\t' || p[i] == '\r')
				text++;
		if (text == k)
			return "text, not a record stream";
	}
	return "not a record stream (no stream header)";
}

static enum ra_read_result damaged(struct ra_reader *r, struct ra_err *err, enum ra_errcode code,
				   const char *msg, unsigned a, unsigned b)
{
	ra_err_where(err, r->path, r->file_off, r->recno + 1);
	ra_err_set(err, code, msg, a, b);
	close_input(r);
	return RA_READ_ERROR;
}

/* Give back the mapped pages already read, so a long file does not fill
 * the resident set; they would be read from the page cache again if used. */
static void release_behind(struct ra_reader *r)
{
	const size_t step = 64u << 20;
	size_t upto = (size_t)r->rec_off & ~(size_t)0xfff;

	if (upto > r->released + step && upto <= r->map_len) {
		madvise(r->map + r->released, upto - r->released, MADV_DONTNEED);
		r->released = upto;
	}
}

/*
 * The Argus 3 record at the reading point, converted: 1 with *rec and *len
 * set, 0 to go on (a record skipped, more bytes read, our own stream
 * header following an Argus 3 stream), -1 with err set.
 */
static int next_a3(struct ra_reader *r, uint16_t type, size_t have, const uint8_t **rec, size_t *len,
		   struct ra_err *err)
{
	const uint8_t *p = r->base + r->start;
	size_t alen = a3_frame(p);
	enum a3_result res;

	if (!r->is_a3) {
		if (!r->a3 && !(r->a3 = a3_conv_new())) {
			ra_err_where(err, r->path, r->file_off, 0);
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			close_input(r);
			return -1;
		}
		r->is_a3 = true;
		r->first = false;
	}
	if (!alen) {
		if (type == RA_REC_STREAM && have >= 8 && memcmp(p + 4, RA_STREAM_MAGIC, 4) == 0) {
			r->is_a3 = false;	/* "cat old.argus new.argus" */
			return 0;
		}
		damaged(r, err, RA_ERR_FORMAT, "bad Argus 3 record header 0x%02x%02x", p[0], p[1]);
		return -1;
	}
	if (have < alen) {
		if (!r->eof) {
			if (!fill(r, err)) {
				close_input(r);
				return -1;
			}
			return 0;
		}
		damaged(r, err, RA_ERR_TRUNCATED, "file ends inside an Argus 3 record (%u of %u bytes present)",
			(unsigned)have, (unsigned)alen);
		return -1;
	}
	r->rec_off = r->file_off;
	r->start += alen;
	r->file_off += alen;
	res = a3_convert(r->a3, p, alen, rec, len, err);
	if (res == A3_SKIP)
		return 0;
	if (res == A3_BAD) {
		ra_err_where(err, r->path, r->rec_off, r->recno + 1);
		close_input(r);
		return -1;
	}
	r->recno++;
	return 1;
}

enum ra_read_result ra_reader_next(struct ra_reader *r, const uint8_t **rec, size_t *len,
				   struct ra_err *err)
{
	if (r->map && !(r->map_kept && r->resident))
		release_behind(r);
	for (;;) {
		uint16_t type, rlen;
		size_t have;

		if (!r->path) {
			if (r->next >= r->ninputs && r->net && netin_count(r->net)) {
				r->in_net = true;
				return netin_next(r->net, rec, len, err);
			}
			if (r->next >= r->ninputs)
				return RA_READ_END;
			if (!open_next(r, err)) {
				close_input(r);
				return RA_READ_ERROR;
			}
		}
		have = r->end - r->start;
		if (have < 4 && !r->eof) {
			if (!fill(r, err)) {
				close_input(r);
				return RA_READ_ERROR;
			}
			continue;
		}
		if (have == 0 && r->stop && *r->stop && r->is_stream) {
			close_input(r);		/* stopped while the pipe was quiet */
			r->next = r->ninputs;
			return RA_READ_END;
		}
		if (have == 0) {
			if (r->first)
				return damaged(r, err, RA_ERR_FORMAT, "empty input, not a record stream", 0, 0);
			close_input(r);
			continue;
		}
		if (have < 4)
			return damaged(r, err, RA_ERR_TRUNCATED, "file ends inside a record header (%u of 4 bytes)", (unsigned)have, 0);
		if (r->first && have < A3_MIN_SNIFF && !r->eof) {
			if (!fill(r, err)) {
				close_input(r);
				return RA_READ_ERROR;
			}
			continue;
		}
		ra_frame(r->base + r->start, &type, &rlen);
		if (r->is_a3 || a3_sniff(r->base + r->start, have)) {
			int res = next_a3(r, type, have, rec, len, err);
			if (res == 0)
				continue;
			return res > 0 ? RA_READ_OK : RA_READ_ERROR;
		}
		if (r->first && (type != RA_REC_STREAM || rlen < RA_STREAM_HDR_LEN ||
				 (have >= 8 && memcmp(r->base + r->start + 4, RA_STREAM_MAGIC, 4) != 0))) {
			ra_err_where(err, r->path, 0, 0);
			ra_err_set(err, RA_ERR_FORMAT, "%s", what_is_it(r->base + r->start, have));
			close_input(r);
			return RA_READ_ERROR;
		}
		if (type == 0 || type > 0xff)
			return damaged(r, err, RA_ERR_FORMAT, "bad record type 0x%04x", type, 0);
		if (rlen < 8 || rlen % 8)
			return damaged(r, err, RA_ERR_FORMAT, "bad record length %u (type %u)", rlen, type);
		if (have < rlen) {
			if (!r->eof) {
				if (!fill(r, err)) {
					close_input(r);
					return RA_READ_ERROR;
				}
				continue;
			}
			return damaged(r, err, RA_ERR_TRUNCATED,
				       "file ends inside a record (%u of %u bytes present)", (unsigned)have, rlen);
		}
		r->rec_off = r->file_off;
		*rec = r->base + r->start;
		*len = rlen;
		r->start += rlen;
		r->file_off += rlen;
		if (type == RA_REC_STREAM) {
			struct ra_stream_hdr h;
			r->first = false;
			if (!ra_decode_stream_hdr(*rec, rlen, &h, err)) {
				ra_err_where(err, r->path, r->rec_off, 0);
				close_input(r);
				return RA_READ_ERROR;
			}
			continue;
		}
		r->recno++;
		return RA_READ_OK;
	}
}

size_t ra_reader_span(struct ra_reader *r, const uint8_t **p)
{
	if (!r->path || r->first || !r->map_kept || r->is_a3)
		return 0;
	*p = r->base + r->start;
	return r->end - r->start;
}

void ra_reader_advance(struct ra_reader *r, size_t bytes, uint64_t records)
{
	if (!bytes)
		return;
	r->start += bytes;
	r->file_off += bytes;
	r->rec_off = r->file_off;
	r->recno += records;
	if (!r->resident)
		release_behind(r);
}

void ra_reader_abandon(struct ra_reader *r)
{
	if (r->in_net)
		netin_abandon(r->net);
	else
		close_input(r);
}

const char *ra_reader_path(const struct ra_reader *r)
{
	if (r->in_net)
		return netin_path(r->net);
	return r->path ? r->path : "";
}

uint64_t ra_reader_offset(const struct ra_reader *r)
{
	return r->in_net ? netin_offset(r->net) : r->rec_off;
}

uint64_t ra_reader_recno(const struct ra_reader *r)
{
	return r->in_net ? netin_recno(r->net) : r->recno;
}
