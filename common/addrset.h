/*
 * addrset.h - a set of IPv4 and IPv6 addresses read from a text file of
 * addresses, CIDR blocks and a-b ranges, one a line, '#' comments: the
 * file rafilteraddr(1) takes with -f, and what raban can reuse for its
 * prefixes.  The set is kept as sorted, merged ranges per family, so a
 * lookup is a binary search whatever the number of entries.
 */
#ifndef COMMON_ADDRSET_H
#define COMMON_ADDRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

struct ra_addrset;

struct ra_addrset *ra_addrset_new(void);
void ra_addrset_free(struct ra_addrset *s);

/*
 * Add one entry: "10.1.2.3", "10.0.0.0/8", "10.0.0.1-10.0.0.9", "2001:db8::/32",
 * "::1-::ff".  Returns false with err filled ("expected ..."; err->offset
 * the 1-based column in the entry) for anything else.
 */
bool ra_addrset_add(struct ra_addrset *s, const char *entry, size_t len, struct ra_err *err);

/*
 * Add every line of a file's text (len bytes): the first word of a line is
 * the entry, the rest a label (Argus's address files name their blocks);
 * blank lines and '#' comments (whole-line or trailing) are skipped.
 * IPv4 may be written with fewer octets ("10.1/16", IANA's "003/8").  On error err names
 * "path: line N, column C" and nothing after that line is added.
 */
bool ra_addrset_add_text(struct ra_addrset *s, const char *text, size_t len, const char *path,
			 struct ra_err *err);
/* The same for a file by name ("-" is standard input). */
bool ra_addrset_load(struct ra_addrset *s, const char *path, struct ra_err *err);

/* Sort and merge; call once after the last add, before any lookup. */
bool ra_addrset_finish(struct ra_addrset *s, struct ra_err *err);

bool ra_addrset_has4(const struct ra_addrset *s, uint32_t a);		/* host order */
bool ra_addrset_has6(const struct ra_addrset *s, const uint8_t a[16]);
/* Does the flow's source or destination address fall in the set?  IPv4,
 * IPv6 and ARP records (their IPv4 sender and target); others never. */
bool ra_addrset_match_flow(const struct ra_addrset *s, const struct ra_flow *f);

/* Entries added, and ranges after merging (per family). */
void ra_addrset_counts(const struct ra_addrset *s, size_t *entries, size_t *ranges4, size_t *ranges6);

#endif
