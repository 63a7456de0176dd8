/*
 * plain4.h - the common flow record read straight from its bytes: IPv4,
 * not merged before, with no blocks but the sequence number, the
 * handshake times and the TCP counters.  clrec.c decodes such records in
 * straight-line code; ring.c merges them into their groups without
 * decoding them first.  The blocks and the key are read here for plain
 * IPv6 records too (plain6.h has the rest).
 */
#ifndef COMMON_PLAIN4_H
#define COMMON_PLAIN4_H

#include "cluster_int.h"
#include "cursor.h"

/*
 * Copy n bytes, 64 <= n <= 512: two fixed-size copies that overlap, which
 * compile to a few vector moves (a copy of varying length would go to a
 * string instruction that is slow to start, or a byte loop).
 */
static inline void copy_record(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (n <= 128) {
		memcpy(dst, src, 64);
		memcpy(dst + n - 64, src + n - 64, 64);
	} else if (n <= 256) {
		memcpy(dst, src, 128);
		memcpy(dst + n - 128, src + n - 128, 128);
	} else {
		memcpy(dst, src, 256);
		memcpy(dst + n - 256, src + n - 256, 256);
	}
}

/* What a plain record's blocks hold. */
struct plain4_blocks {
	uint64_t seq_hi;	/* the sequence number, in id1's high half */
	uint32_t synack, ackdat;
	uint32_t present;	/* 1 << RA_BLK_x */
	bool has_tcp;		/* TCP counters, in tcp */
	uint32_t tcp[6];
};

static inline uint32_t plain4_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The blocks of a plain record (IPv4 or IPv6: plain6.h), from off (the
 * end of its core) to len, into x; false for any other blocks, damaged
 * ones included. */
static inline __attribute__((always_inline)) bool plain_blocks(const uint8_t *b, size_t len, size_t off,
								struct plain4_blocks *x)
{
	x->seq_hi = 0;
	x->synack = x->ackdat = x->present = 0;
	x->has_tcp = false;
	/* the blocks as the daemon writes them: handshake times (TCP flows),
	 * then a sequence number; each as likely there as not, so taken
	 * without a branch */
	if (len >= off + 16) {
		bool rtt = ld_le32(b + off) == RA_WORD_TCPRTT;
		x->synack = rtt ? ld_le32(b + off + 4) : 0;
		x->ackdat = rtt ? ld_le32(b + off + 8) : 0;
		x->present = rtt ? 1u << RA_BLK_TCP : 0;
		off += rtt ? 16 : 0;
	}
	if (len >= off + 8) {
		bool seq = ld_le32(b + off) == RA_WORD_SEQ;
		x->seq_hi = seq ? (uint64_t)ld_le32(b + off + 4) << 32 : 0;
		x->present |= seq ? 1u << RA_BLK_SEQ : 0;
		off += seq ? 8 : 0;
	}
	for (; off < len;) {	/* any other way, block by block */
		unsigned type, blen;
		if (len - off < 4)
			return false;
		type = ld_le16(b + off);
		blen = ld_le16(b + off + 2);
		if (blen > len - off)
			return false;
		if (type == RA_BLK_SEQ && blen >= 8) {
			x->seq_hi = (uint64_t)ld_le32(b + off + 4) << 32;
			x->present |= 1u << RA_BLK_SEQ;
		} else if (type == RA_BLK_TCPRTT && blen >= 12) {
			x->synack = ld_le32(b + off + 4);
			x->ackdat = ld_le32(b + off + 8);
			x->present |= 1u << RA_BLK_TCP;
		} else if (type == RA_BLK_TCP && blen >= 28) {
			for (int i = 0; i < 6; i++)
				x->tcp[i] = ld_le32(b + off + 4 + 4 * i);
			x->has_tcp = true;
			x->present |= 1u << RA_BLK_TCP;
		} else {
			return false;
		}
		off += (blen + 7) & ~7u;
	}
	return true;
}

/* Is b (len framed bytes) such a record?  Its blocks into x when it is;
 * false for any other record, damaged ones included. */
static inline __attribute__((always_inline)) bool plain4_check(const uint8_t *b, size_t len, struct plain4_blocks *x)
{
	/* one branch for all: each test alone would be one more */
	if ((len - RA_FLOW_CORE4 > 128 - RA_FLOW_CORE4) | ((b[RA_AT_RFLAGS] & 7) != RA_AF_INET) | (b[RA_AT_STATE] >= RA_ST_COUNT) |
	    (b[RA_AT_DIR] >= RA_DIR_COUNT) | (ld_le64(b + RA_AT_STIME) + ld_le32(b + RA_AT_DUR) < ld_le64(b + RA_AT_STIME)))
		return false;	/* the last, a time past the end of time (RA_TIME_OVERFLOW) */
	return plain_blocks(b, len, RA_FLOW_CORE4, x);
}

/* cl_rec.id0 of such a record: proto family sttl dttl sdsb ddsb secn decn. */
static inline uint64_t plain4_id0(const uint8_t *b)
{
	uint64_t tos = ld_le16(b + RA_AT_STOS);	/* stos, dtos */

	return (uint64_t)b[RA_AT_PROTO] | (uint64_t)RA_AF_INET << 8 | (uint64_t)ld_le16(b + RA_AT_STTL) << 16 |
	       ((tos >> 2) & 0x3f3f) << 32 | (tos & 0x0303) << 48;
}

/* The core's six packet and byte counters (spelt out: a loop was not unrolled). */
static inline void plain4_counters(const uint8_t *b, uint64_t cnt[6])
{
	cnt[0] = ld_le32(b + RA_AT_SPKTS);
	cnt[1] = ld_le32(b + RA_AT_DPKTS);
	cnt[2] = ld_le32(b + RA_AT_SBYTES);
	cnt[3] = ld_le32(b + RA_AT_DBYTES);
	cnt[4] = ld_le32(b + RA_AT_SAPPBYTES);
	cnt[5] = ld_le32(b + RA_AT_DAPPBYTES);
}

/* Such a record (checked by plain4_check) into r, as cl_rec_decode
 * decodes it; its bytes are copied to copy unless in_place. */
static inline __attribute__((always_inline)) void plain4_decode(const uint8_t *b, size_t len, const struct plain4_blocks *x, struct cl_rec *r,
				 uint8_t *copy, bool in_place)
{
	uint64_t d = ld_le32(b + RA_AT_DUR);

	r->id0 = plain4_id0(b);
	r->id1 = (uint64_t)ld_le32(b + RA_AT_SPORT) | x->seq_hi;
	memset(&r->saddr, 0, sizeof(r->saddr));
	memset(&r->daddr, 0, sizeof(r->daddr));
	r->saddr.v4 = plain4_be32(b + RA_AT_SADDR);
	r->daddr.v4 = plain4_be32(b + RA_AT_DADDR4);
	plain4_counters(b, r->cnt);
	r->stime = ld_le64(b + RA_AT_STIME);
	r->ltime = r->stime + d;
	r->dur_min = r->dur_max = r->dur_sum = d;
	r->dur_sumsq = (double)d * (double)d;
	r->blank[0] = r->blank[1] = 0;
	r->trans = 1;
	r->synack = x->synack;
	r->ackdat = x->ackdat;
	r->present = x->present;
	r->flgs = ld_le16(b + RA_AT_FLGS);
	r->etype = 0;
	r->len = (uint16_t)len;
	r->family = RA_AF_INET;
	r->state = b[RA_AT_STATE];
	r->cause = (b[RA_AT_RFLAGS] >> 3) & 3;
	r->dir = b[RA_AT_DIR];
	r->stcpflags = b[RA_AT_STCPFLAGS];
	r->dtcpflags = b[RA_AT_DTCPFLAGS];
	r->prefix_set = r->sprefix = r->dprefix = 0;
	r->cold = false;
	r->has_tcp = x->has_tcp;
	if (x->has_tcp)
		memcpy(r->tcp, x->tcp, sizeof(r->tcp));
	r->full = NULL;
	r->in_place = in_place;
	r->raw = b;
	if (!in_place) {
		copy_record(copy, b, len);
		r->raw = copy;
	}
}

/* What a merge takes from such a record (as plain4_decode would give it). */
static inline __attribute__((always_inline)) void plain4_mv(const uint8_t *b, const struct plain4_blocks *x, struct cl_mv *v)
{
	uint64_t d = ld_le32(b + RA_AT_DUR);

	v->id0 = plain4_id0(b);
	v->id1 = (uint64_t)ld_le32(b + RA_AT_SPORT) | x->seq_hi;
	v->sa = plain4_be32(b + RA_AT_SADDR);
	v->da = plain4_be32(b + RA_AT_DADDR4);
	plain4_counters(b, v->cnt);
	v->stime = ld_le64(b + RA_AT_STIME);
	v->ltime = v->stime + d;
	v->dur_min = v->dur_max = v->dur_sum = d;
	v->dur_sumsq = (double)d * (double)d;
	v->trans = 1;
	v->synack = x->synack;
	v->ackdat = x->ackdat;
	v->present = x->present;
	v->flgs = ld_le16(b + RA_AT_FLGS);
	v->state = b[RA_AT_STATE];
	v->cause = (b[RA_AT_RFLAGS] >> 3) & 3;
	v->dir = b[RA_AT_DIR];
	v->stcpflags = b[RA_AT_STCPFLAGS];
	v->dtcpflags = b[RA_AT_DTCPFLAGS];
}

/* Items of a compiled IPv4 key (struct cl_op4.kind). */
enum { CL_K4_ADDR, CL_K4_PORT, CL_K4_ID0, CL_K4_TOS, CL_K4_TCPFLAGS };

/* A value into a key, where op says. */
static inline void plain4_put(uint64_t *k, const struct cl_op4 *op, uint64_t v)
{
	k[op->word] |= v << op->shift;
	if (op->spill)
		k[op->word + 1] |= v >> (64 - op->shift);
}

/* The compiled IPv4 key (cl_key4_compile) of a record's values; rev:
 * addresses and ports trade places (the flow key's reverse).  Values go
 * in as whole words: a key read as words right after being written byte
 * by byte would wait for the bytes to reach the cache (no store
 * forwarding from several smaller stores). */
static inline void plain4_key(const struct cl_spec *s, const uint32_t addr[2], const uint16_t port[2], uint64_t id0,
			      const uint8_t tcpflags[2], uint64_t *out, unsigned rev)
{
	if (s->keylen <= 64)	/* key buffers hold CL_MAX_KEYLEN: a copy of fixed size is a few moves */
		memcpy(out, s->key4, 64);
	else
		memcpy(out, s->key4, s->keylen);
	for (int i = 0; i < s->nops4; i++) {
		const struct cl_op4 *op = &s->ops4[i];
		uint64_t v;

		switch (op->kind) {
		case CL_K4_ADDR: v = addr[op->arg ^ rev] & op->mask; break;
		case CL_K4_PORT: v = port[op->arg ^ rev]; break;
		case CL_K4_ID0: v = CL_ID0_BYTE(id0, op->arg); break;
		case CL_K4_TOS: v = cl_rec_stos(id0, op->arg); break;
		default: v = tcpflags[op->arg]; break;
		}
		plain4_put(out, op, v);
	}
}

/* The compiled key (cl_key4_compile) of a plain IPv4 record, or with v6 of
 * an IPv6 one (plain6.h), read from its bytes: what cl_build_key makes of
 * the whole record (words: s->keylen / 8, at most 8).  An IPv6 record's
 * addresses go in whole, masked to their prefix. */
static inline __attribute__((always_inline)) void plain_key_raw(const struct cl_spec *s, const uint8_t *b,
								uint64_t *out, size_t words, bool v6)
{
	const uint64_t *tmpl = v6 ? s->key6 : s->key4;

	if (!v6 && s->addr1) {	/* one address at the key's start (-m saddr ...): no loop, a third of
				 * the instructions */
		out[0] = tmpl[0] | (uint64_t)(plain4_be32(b + s->ops4[0].src) & s->ops4[0].mask) << 8;
		for (size_t w = 1; w < words; w++)
			out[w] = tmpl[w];
		return;
	}
	for (size_t w = 0; w < words; w++)
		out[w] = tmpl[w];
	for (int i = 0; i < s->nops4; i++) {
		const struct cl_op4 *op = &s->ops4[i];
		uint32_t v;
		if (v6 && op->kind == CL_K4_ADDR) {
			uint64_t a[2], m[2];
			memcpy(a, b + RA_AT_SADDR + 16 * op->arg, 16);
			memcpy(m, op->mask6, 16);
			a[0] &= m[0];
			a[1] &= m[1];
			memcpy((uint8_t *)out + op->offset + 1, a, 16);
			continue;
		}
		v = ld_le32(b + op->src);
		v = op->be ? __builtin_bswap32(v) : v;
		plain4_put(out, op, (v >> op->rshift) & op->vmask);
	}
}

/*
 * The flow key (s->flow4) of a record's values: its varying items are the
 * protocol, the addresses and the ports, at the places cl_key4_compile
 * checked (the flow key's layout: family, proto, etype, saddr, daddr,
 * sport, dport, srcid); the rest is the compiled key's template.  Built in
 * registers, word by word.
 */
static inline void plain4_flow_key(const struct cl_spec *s, uint32_t sa, uint32_t da, uint16_t sp, uint16_t dp,
				   uint8_t proto, uint64_t *key)
{
	const uint64_t *k4 = s->key4;

	key[0] = k4[0] | (uint64_t)proto << 8 | (uint64_t)sa << 40;	/* saddr: key bytes 5-8 */
	key[1] = k4[1] | sa >> 24;
	key[2] = k4[2] | (uint64_t)da << 48;	/* daddr: bytes 22-25 */
	key[3] = k4[3] | da >> 16;
	key[4] = k4[4] | (uint64_t)sp << 48;	/* sport: bytes 38-39 */
	key[5] = k4[5] | dp;			/* dport: bytes 40-41 */
	key[6] = k4[6];
	key[7] = k4[7];
}

/* That key and the reverse direction's. */
static inline void plain4_flow_keys(const struct cl_spec *s, uint32_t sa, uint32_t da, uint16_t sp, uint16_t dp,
				    uint8_t proto, uint64_t *key, uint64_t *rkey)
{
	plain4_flow_key(s, sa, da, sp, dp, proto, key);
	plain4_flow_key(s, da, sa, dp, sp, proto, rkey);
}

#endif
