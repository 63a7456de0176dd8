/*
 * service.h - flows named by payload signature, Argus's raservices model.
 *
 * A signature (one "Service:" line of a std.sig file, see
 * raservices.sig(5)) holds up to 16 leading bytes expected from the source
 * and from the destination, with wildcard bytes, the service's protocol and
 * port, and how many flows it was learnt from.  A flow takes the name of
 * the signature whose fixed bytes all match and that matches the most of
 * them; failing that, the name of its well-known port.  The field table's
 * `service` uses the signatures compiled from raservices/services.sig
 * (svc_builtin); raservices(1) may load others with svc_load().
 */
#ifndef COMMON_SERVICE_H
#define COMMON_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

#define SVC_SIGLEN 16		/* bytes a signature holds per direction */
#define SVC_NAMELEN 16		/* a name and its NUL */

enum { SVC_ENCRYPTED = 1 };	/* also a flow on the port whose bytes look random */

struct svc_sig {
	char name[SVC_NAMELEN];
	uint8_t proto;			/* 6 or 17 */
	uint8_t flags;			/* SVC_x */
	uint16_t port;
	uint32_t count;			/* n = ...: flows it was learnt from */
	uint8_t sval[SVC_SIGLEN], smask[SVC_SIGLEN];	/* mask 0: any byte; 0xdf: a letter, any case */
	uint8_t dval[SVC_SIGLEN], dmask[SVC_SIGLEN];
	uint8_t slen, dlen;		/* bytes up to the last fixed one; 0: no pattern */
	uint8_t sfixed, dfixed;		/* fixed bytes */
};

/* Signatures and their index: by protocol and the first byte of the source
 * pattern (256 buckets, then one for a wildcard first byte). */
#define SVC_BUCKETS 257
struct svc_table {
	const struct svc_sig *sigs;
	size_t n;
	const uint16_t *order;			/* signature numbers, grouped by bucket */
	const uint32_t (*start)[SVC_BUCKETS + 1];	/* [proto 0 tcp, 1 udp][bucket]: offsets into order */
};

/* A table one owns (svc_load, svc_table_build); svc_table_free releases it. */
struct svc_owned {
	struct svc_table t;
	struct svc_sig *sigs;
	uint16_t *order;
	uint32_t (*start)[SVC_BUCKETS + 1];
	size_t cap;
};

/* One line of a signature file into *s.  Returns 1 for a signature, 0 for
 * a comment or blank line, -1 on a format error (why and column filled). */
int svc_parse_line(const char *line, struct svc_sig *s, const char **why, size_t *column);

/* Read a signature file; errors name the file, line and column. */
bool svc_load(const char *path, struct svc_owned *o, struct ra_err *err);
/* Add one signature (for -M learn and the generator); then svc_table_build(). */
bool svc_add(struct svc_owned *o, const struct svc_sig *s);
bool svc_table_build(struct svc_owned *o);
void svc_free(struct svc_owned *o);

/* The signatures compiled in (raservices/services.sig). */
const struct svc_table *svc_builtin(void);

/* The best signature for the flow, or NULL. */
const struct svc_sig *svc_match(const struct svc_table *t, const struct ra_flow *f);

/* The flow's service name: the best signature's, else the well-known name
 * of its destination or source port (svc_port_name), else "".  Returns the length. */
size_t svc_name(const struct svc_table *t, const struct ra_flow *f, char out[SVC_NAMELEN]);

/* The same name where it lives: in t's signatures (which must outlive its
 * use) or the port table built in, else "" (static); shorter than
 * SVC_NAMELEN.  For a label kept past the record (racluster -m service). */
const char *svc_label(const struct svc_table *t, const struct ra_flow *f);

/* The IANA name of a well-known TCP or UDP port from a table built in, or NULL. */
const char *svc_port_name(uint8_t proto, uint16_t port);

/* Names as 64-bit keys that sort like the names: the first six characters,
 * then a 16-bit hash of the rest (racluster -m service, rasort -m service). */
uint64_t svc_key(const char *name, size_t len);

/* A signature as a line of the file format (out holds at least 160 bytes). */
size_t svc_format(const struct svc_sig *s, char *out, size_t cap);

#endif
