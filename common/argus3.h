/*
 * argus3.h - reading record streams written by Argus 3 (argus 3.0.x).
 *
 * An Argus 3 stream is a sequence of big-endian records, each framed by a
 * 4-byte header (type and version, cause, length in 4-byte words); a flow
 * record (FAR) is a list of data set records (DSRs), a management record
 * (MAR) a fixed structure.  The reader recognises the stream by its first
 * MAR (a3_sniff), frames records with a3_frame, and a3_convert turns each
 * one into a record of ours (argus-record(5)) which it hands out in place
 * of the original: every client reads Argus 3 files as if they were ours.
 */
#ifndef COMMON_ARGUS3_H
#define COMMON_ARGUS3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

#define A3_COOKIE 0xe5712dcbu	/* in the first MAR of every Argus 3 stream */
#define A3_MIN_SNIFF 12u	/* bytes a3_sniff needs */

/* Do the n bytes at p start an Argus 3 stream (its opening MAR)? */
bool a3_sniff(const uint8_t *p, size_t n);

/* The length in bytes of the record whose 4-byte header is at p, or 0
 * when the header is not one of an Argus 3 record. */
size_t a3_frame(const uint8_t *p);

struct a3_conv;			/* scratch for one reader: a flow, a status, an output record */
struct a3_conv *a3_conv_new(void);
void a3_conv_free(struct a3_conv *c);

enum a3_result {
	A3_BAD = -1,		/* damaged: err says why (without path or offset) */
	A3_SKIP = 0,		/* a record with nothing we carry (an event record) */
	A3_OK = 1,		/* *out, *outlen: one record of ours (flow or status) */
};

/*
 * Convert the framed Argus 3 record rec (len bytes, as a3_frame said) into
 * one of ours, encoded in c's buffer: valid until the next call.  Flows
 * become flow records, MARs the daemon's status records.
 */
enum a3_result a3_convert(struct a3_conv *c, const uint8_t *rec, size_t len, const uint8_t **out,
			  size_t *outlen, struct ra_err *err);

/* The same, decoded only: for tests and tools that want the flow itself.
 * Returns A3_OK with *is_flow saying which of f or st was filled. */
enum a3_result a3_decode(const uint8_t *rec, size_t len, struct ra_flow *f, struct ra_status *st,
			 bool *is_flow, struct ra_err *err);

#endif
