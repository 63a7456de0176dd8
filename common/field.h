/*
 * field.h - the one table of record fields.
 *
 * Every name that -s, -m, the filter, CSV headers and JSON keys accept is
 * resolved here.  A field has Argus's name, label and default width, a
 * type that says how it prints and compares, and flags that say whether
 * racluster may key on it (FF_KEY), how it merges, and whether it sorts
 * descending by default.  Adding a field here makes it printable,
 * sortable, clusterable and filterable everywhere.
 */
#ifndef COMMON_FIELD_H
#define COMMON_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

enum fld_type {
	FT_TIME,	/* u64 microseconds since the epoch */
	FT_DUR,		/* u64 microseconds, printed as seconds */
	FT_MSEC,	/* u64 microseconds, printed as milliseconds (jitter, intpkt) */
	FT_UINT,	/* unsigned integer */
	FT_HEX,		/* unsigned integer printed 0x.. (tcp flags) */
	FT_FLOAT,	/* double */
	FT_ADDR,	/* address, family dependent */
	FT_MAC,
	FT_PORT,
	FT_PROTO,
	FT_STATE,
	FT_DIR,
	FT_FLGS,
	FT_CAUSE,
	FT_USER,	/* captured payload bytes */
	FT_IFINDEX,	/* sFlow ifindex (2+30-bit format) */
	FT_SERVICE,	/* a name computed from payload signatures (service.h) */
};

enum {
	FF_KEY = 1 << 0,	/* identity field: racluster may key on it */
	FF_MASK = 1 << 1,	/* accepts /len in -m (addresses) */
	FF_SUM = 1 << 2,	/* additive counter: merged by summing */
	FF_DESC = 1 << 3,	/* rasort sorts it descending by default */
	FF_LEFT = 1 << 4,	/* left-aligned when printed */
	FF_DERIVED = 1 << 5,	/* computed from other fields (rate, load, ...) or read
				 * from a status record (host health): not in a flow */
};

/* Field identifiers, one per table row. */
enum fld_id {
	F_SRCID, F_STIME, F_LTIME, F_TRANS, F_FLGS, F_SEQ, F_DUR, F_RUNTIME,
	F_MEAN, F_STDDEV, F_SUM, F_MIN, F_MAX,
	F_SMAC, F_DMAC, F_SOUI, F_DOUI, F_SADDR, F_DADDR, F_PROTO, F_SPORT, F_DPORT,
	F_STOS, F_DTOS, F_SDSB, F_DDSB, F_STTL, F_DTTL, F_SMPLS, F_DMPLS, F_SVLAN, F_DVLAN,
	F_CAUSE, F_PKTS, F_SPKTS, F_DPKTS, F_BYTES, F_SBYTES, F_DBYTES,
	F_APPBYTES, F_SAPPBYTES, F_DAPPBYTES, F_LOAD, F_SLOAD, F_DLOAD,
	F_LOSS, F_SLOSS, F_DLOSS, F_PLOSS, F_PSLOSS, F_PDLOSS,
	F_RETRANS, F_SRETRANS, F_DRETRANS, F_PRETRANS, F_PSRETRANS, F_PDRETRANS,
	F_SOOO, F_DOOO, F_SWINSHUT, F_DWINSHUT,
	F_RATE, F_SRATE, F_DRATE, F_DIR, F_SINTPKT, F_DINTPKT, F_SJIT, F_DJIT,
	F_STATE, F_SUSER, F_DUSER, F_INODE, F_SYNACK, F_ACKDAT, F_TCPRTT,
	F_STCPFLAGS, F_DTCPFLAGS, F_SMEANSZ, F_DMEANSZ,
	F_SUBAGENT, F_SRATE_SAMPLING, F_INIF, F_OUTIF, F_FAMILY, F_ETYPE,
	F_SERVICE,
	/* a host health record's items (status.h enum ra_host_key) */
	F_CPU, F_CPUUSER, F_CPUSYS, F_CPUIOWAIT, F_CPUSOFTIRQ, F_MEMTOTAL, F_MEMAVAIL,
	F_LOAD1, F_LOAD5, F_LOAD15, F_SYNCOOKIESSENT, F_SYNCOOKIESRECV, F_SYNCOOKIESFAILED,
	F_LISTENOVERFLOWS, F_LISTENDROPS, F_REQQFULLDROP, F_REQQFULLDOCOOKIES,
	F_LPORT, F_ACCEPTQ, F_ACCEPTMAX, F_SYNRECV, F_ACCEPTPCT,
	F_COUNT
};

/*
 * One row of the table: what a field is called and how it prints, and
 * where its value comes from, so that every reader (the printer, -s, -m in
 * racluster and rasort, the filter, CSV headers, JSON keys) derives the
 * field from its row:
 *   - a value stored in struct ra_flow: off and size (1, 2, 4 or 8 bytes,
 *     an unsigned integer; 16 an address, 6 a MAC, 3 an OUI);
 *   - an address or MAC also names the byte that holds its family
 *     (fam_off; MACs: none, they exist when the L2 block does);
 *   - a computed value: calc (an integer) or real (a double), given the
 *     row's arg (a host health item's key);
 *   - key_size: the bytes the value takes in a key (racluster's and
 *     rasort's -m): the least that holds every value it can have.
 * Adding a field is one row here (common/field_table.c) and, when it is
 * stored, a member of struct ra_flow and its decoder.
 */
struct ra_field {
	const char *name;	/* Argus's name: "saddr" */
	const char *label;	/* column label: "SrcAddr" */
	uint8_t width;		/* default print width */
	uint8_t type;		/* enum fld_type: how it prints, compares and sorts */
	uint8_t flags;		/* FF_x */
	uint8_t id;		/* enum fld_id */
	uint16_t off;		/* stored: offset in struct ra_flow */
	uint16_t fam_off;	/* FT_ADDR: offset of the family byte */
	uint8_t size;		/* stored: bytes at off; 0 computed */
	uint8_t key_size;	/* bytes in a key */
	uint16_t arg;		/* argument of calc/real */
	uint64_t (*calc)(const struct ra_flow *f, unsigned arg);
	double (*real)(const struct ra_flow *f, unsigned arg);
	const char *help;	/* one line for man pages and --help */
};

extern const struct ra_field ra_fields[F_COUNT];

/* Look a name up (case-insensitive); NULL if unknown. */
const struct ra_field *fld_lookup(const char *name);

/* Bytes a field's value takes in a key (racluster's -m, rasort's -m): the
 * row's key_size; addresses 17 (a family byte and 16).  One answer for
 * every key builder. */
size_t fld_key_size(unsigned id);
/* Does the field have a numeric value (everything but addresses, MACs and
 * identities printed as text)?  fld_uint and fld_double answer 0 for the rest. */
bool fld_numeric(unsigned id);
/* Numeric view of a field: integers as they are, floating values (rates,
 * loads, percentages) truncated, stddev in microseconds; 0 when not numeric. */
uint64_t fld_uint(unsigned id, const struct ra_flow *f);
/* Floating view: FT_FLOAT fields, and every numeric field as a double; 0.0
 * when not numeric. */
double fld_double(unsigned id, const struct ra_flow *f);
/* Address view: FT_ADDR/FT_MAC fields; returns the family (RA_AF_x) and the
 * address, or 0 when the record has none for this field. */
unsigned fld_addr(unsigned id, const struct ra_flow *f, union ra_addr *out);

/* Options that change how values print. */
struct fmt_opts {
	const char *time_format;	/* strftime(3) with %f for fractions */
	int usec_digits;		/* digits %f prints, 0..6 (default 6) */
	int float_digits;		/* -p: digits after the point (default 6) */
	bool epoch;			/* -u: seconds since the epoch */
	int numeric;			/* -n count: 1 numeric ports, 2 numeric protocols too */
	bool utc;			/* print times in UTC rather than local time */
	/* captured payload (suser, duser): Argus's encoding (enum ud_encode,
	 * RA_USERDATA_ENCODE), or, when user_decode is set, the text it
	 * writes (radump's protocol printers); dir is 0 source, 1 destination */
	int user_encode;
	size_t (*user_decode)(void *ctx, const struct ra_flow *f, int dir, char *out, size_t cap);
	void *user_ctx;
};
void fmt_opts_default(struct fmt_opts *o);

/* Caches for names and times; one per printer, not shared. */
struct fmt_cache;
struct fmt_cache *fmt_cache_new(const struct fmt_opts *o);
void fmt_cache_free(struct fmt_cache *c);

/* Format a field's value into out (cap bytes; FT_USER may need
 * 4 * RA_PAYLOAD_MAX + 16).  Returns the length written (no NUL counted).
 * quote_json: escape for a JSON string. */
size_t fld_format(const struct ra_field *fd, const struct ra_flow *f, struct fmt_cache *c,
		  char *out, size_t cap);
/* An FT_USER field cut to at most max payload bytes, as Argus's suser:N
 * prints it ("s[N]=..." counts the bytes printed), in the cache's encoding
 * or through its decoder. */
size_t fld_format_user(const struct ra_field *fd, const struct ra_flow *f, struct fmt_cache *c, size_t max,
		       char *out, size_t cap);
/* True when the field's JSON value is a number (no quotes). */
bool fld_json_number(const struct ra_field *fd);

/* Helpers other modules share. */
size_t fmt_u64(char *out, uint64_t v);
size_t fmt_addr(char *out, unsigned family, const union ra_addr *a);
size_t fmt_time(struct fmt_cache *c, uint64_t usec, char *out, size_t cap);
/* Parse an address ("10.1.2.3", "::1", "0:1:2:3:4:5"); returns family or 0. */
unsigned parse_addr(const char *s, union ra_addr *out);

#endif
