/*
 * error.h - error values that say where a problem is.
 *
 * common/ never prints and never exits: it fills a struct ra_err and
 * returns.  The caller prints it as "tool: path: byte N (record M): what".
 */
#ifndef COMMON_ERROR_H
#define COMMON_ERROR_H

#include <stdint.h>

enum ra_errcode {
	RA_OK = 0,
	RA_ERR_IO,		/* open/read/write failed (errno in sys_errno) */
	RA_ERR_FORMAT,		/* bytes that are not a valid record stream */
	RA_ERR_TRUNCATED,	/* stream ended inside a record */
	RA_ERR_USAGE,		/* bad argument: unknown field, bad time, ... */
	RA_ERR_NOMEM,
};

struct ra_err {
	enum ra_errcode code;
	int sys_errno;
	uint64_t offset;	/* byte offset in the file, when known */
	uint64_t recno;		/* 1-based record number, 0 when not known */
	int has_offset;
	char path[256];
	char msg[256];
};

void ra_err_clear(struct ra_err *e);
/* Set code and a printf-style message; path/offset are left as they are. */
void ra_err_set(struct ra_err *e, enum ra_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ra_err_where(struct ra_err *e, const char *path, uint64_t offset, uint64_t recno);
/* "path: byte N (record M): message" into buf; returns buf. */
const char *ra_err_string(const struct ra_err *e, char *buf, unsigned size);

#endif
