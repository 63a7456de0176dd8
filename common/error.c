/* error.c - building and formatting struct ra_err values. */
#include "config.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ra_err_clear(struct ra_err *e)
{
	/* cheap enough to call per record: only what ra_err_string looks at */
	e->code = RA_OK;
	e->sys_errno = 0;
	e->offset = e->recno = 0;
	e->has_offset = 0;
	e->path[0] = '\0';
	e->msg[0] = '\0';
}

void ra_err_set(struct ra_err *e, enum ra_errcode code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void ra_err_where(struct ra_err *e, const char *path, uint64_t offset, uint64_t recno)
{
	snprintf(e->path, sizeof(e->path), "%s", path ? path : "");
	e->offset = offset;
	e->recno = recno;
	e->has_offset = 1;
}

const char *ra_err_string(const struct ra_err *e, char *buf, unsigned size)
{
	int n = 0;

	buf[0] = '\0';
	if (e->path[0])
		n = snprintf(buf, size, "%s: ", e->path);
	if (n >= 0 && (unsigned)n < size && e->has_offset) {
		if (e->recno)
			n += snprintf(buf + n, size - (unsigned)n, "byte %llu (record %llu): ",
				      (unsigned long long)e->offset, (unsigned long long)e->recno);
		else
			n += snprintf(buf + n, size - (unsigned)n, "byte %llu: ",
				      (unsigned long long)e->offset);
	}
	if (n >= 0 && (unsigned)n < size)
		snprintf(buf + n, size - (unsigned)n, "%s", e->msg);
	return buf;
}
