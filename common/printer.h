/*
 * printer.h - records as text for people: aligned columns, CSV or JSON lines.
 *
 * Lines are assembled in one large buffer and written in blocks; each
 * value is formatted once by fld_format().  Text columns widen when a
 * value does not fit (they never truncate with '*', as Argus does).
 */
#ifndef COMMON_PRINTER_H
#define COMMON_PRINTER_H

#include <stdbool.h>

#include "error.h"
#include "field.h"
#include "record.h"

enum out_mode { OUT_TEXT, OUT_CSV, OUT_JSON };

#define RA_MAX_COLS 128

struct column {
	const struct ra_field *fd;
	int width;			/* text mode width */
	int limit;			/* suser:N / duser:N: at most N payload bytes; 0 all */
};

struct printer_opts {
	enum out_mode mode;
	char delim;			/* CSV delimiter */
	int labels;			/* -1 never, 0 once at the top, N every N lines */
	char quote;			/* RA_FIELD_QUOTED: every CSV value in this quote; 0 as needed */
	struct fmt_opts fmt;
};

struct printer;

struct printer *printer_new(const struct printer_opts *o, const struct column *cols, int ncols,
			    int fd, struct ra_err *err);
bool printer_flow(struct printer *p, const struct ra_flow *f, struct ra_err *err);
/*
 * The same, for merged records (racluster): fields whose id is set in
 * blank (bit id of blank[id / 64]) print empty, and saddr/daddr print as
 * "addr/len" with len = prefix[0] / prefix[1] unless that is 255.
 * Either pointer may be NULL.
 */
bool printer_flow_masked(struct printer *p, const struct ra_flow *f, const uint64_t blank[2],
			 const uint8_t prefix[2], struct ra_err *err);
/*
 * A status record (status.h): text "time man kind source name=value ...",
 * CSV one row per item (StartTime, Proto, Kind, Source, Item, Value: the
 * labels before the first), JSON one object with the items as keys.
 */
struct ra_status;
bool printer_status(struct printer *p, const struct ra_status *st, struct ra_err *err);
/* Write one free-form line (already terminated by the caller or not). */
bool printer_line(struct printer *p, const char *text, size_t len, struct ra_err *err);
bool printer_flush(struct printer *p, struct ra_err *err);
void printer_free(struct printer *p);

#endif
