/*
 * clrec.c - a flow record as racluster's table takes it: the core and the
 * common blocks decoded into a few fixed words (struct cl_rec), without the
 * cost of a whole struct ra_flow, and the record's bytes kept without its
 * payload.  Also: a record's key built from those words, and its two
 * directions swapped.
 */
#include "config.h"

#include <string.h>

#include "plain4.h"
#include "service.h"

static bool bad(struct ra_err *err, const char *what)
{
	ra_err_set(err, RA_ERR_FORMAT, "%s", what);
	return false;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static inline void get_addr(const uint8_t *p, unsigned fam, union ra_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (fam == RA_AF_INET6)
		memcpy(a->v6, p, 16);
	else if (fam == RA_AF_ETHER)
		memcpy(a->mac, p, 6);
	else
		a->v4 = plain4_be32(p);
}

/* The fields of the core and of the blocks the table merges itself. */
static bool read_core(const uint8_t *b, unsigned fam, struct cl_rec *r)
{
	uint8_t stos = b[RA_AT_STOS], dtos = b[RA_AT_DTOS];

	r->family = (uint8_t)fam;
	r->cause = (b[RA_AT_RFLAGS] >> 3) & 3;
	r->state = b[RA_AT_STATE] < RA_ST_COUNT ? b[RA_AT_STATE] : RA_ST_NONE;
	r->dir = b[RA_AT_DIR] < RA_DIR_COUNT ? b[RA_AT_DIR] : RA_DIR_NONE;
	r->id0 = (uint64_t)b[RA_AT_PROTO] | (uint64_t)fam << 8 | (uint64_t)b[RA_AT_STTL] << 16 | (uint64_t)b[RA_AT_DTTL] << 24 |
		 (uint64_t)(stos >> 2) << 32 | (uint64_t)(dtos >> 2) << 40 | (uint64_t)(stos & 3) << 48 |
		 (uint64_t)(dtos & 3) << 56;
	r->id1 = (uint64_t)ld_le16(b + RA_AT_SPORT) | (uint64_t)ld_le16(b + RA_AT_DPORT) << 16;
	r->stime = ld_le64(b + RA_AT_STIME);
	r->ltime = r->stime + ld_le32(b + RA_AT_DUR);
	r->stcpflags = b[RA_AT_STCPFLAGS];
	r->dtcpflags = b[RA_AT_DTCPFLAGS];
	r->flgs = ld_le16(b + RA_AT_FLGS);
	plain4_counters(b, r->cnt);
	r->etype = 0;
	if (fam == RA_AF_INET6 || fam == RA_AF_ETHER) {
		get_addr(b + RA_AT_SADDR, fam, &r->saddr);
		get_addr(b + RA_AT_DADDR6, fam, &r->daddr);
		if (fam == RA_AF_ETHER)
			r->etype = (uint16_t)((uint16_t)(b[RA_AT_ETYPE] << 8 | b[RA_AT_ETYPE + 1]));
	} else {
		get_addr(b + RA_AT_SADDR, fam, &r->saddr);
		get_addr(b + RA_AT_DADDR4, fam, &r->daddr);
	}
	return true;
}

static void read_block(struct cl_rec *r, unsigned type, const uint8_t *p, size_t n)
{
	switch (type) {
	case RA_BLK_WIDE: {
		uint64_t dur = r->ltime - r->stime + ((uint64_t)ld_le32(p) << 32);
		r->ltime = r->stime + dur;
		for (int i = 0; i < 6; i++)
			r->cnt[i] |= (uint64_t)ld_le32(p + 4 + 4 * i) << 32;
		break;
	}
	case RA_BLK_TCPRTT:
		r->synack = ld_le32(p);
		r->ackdat = ld_le32(p + 4);
		r->present |= 1u << RA_BLK_TCP;
		return;
	case RA_BLK_SEQ:	/* set, not or'ed: a second block's value wins, as in ra_decode_flow */
		r->id1 = (uint32_t)r->id1 | (uint64_t)ld_le32(p) << 32;
		break;
	case RA_BLK_AGG: {
		struct ra_agg a;
		ra_agg_read(p, n, &a);
		r->trans = a.trans;
		r->dur_min = a.dur_min;
		r->dur_max = a.dur_max;
		r->dur_sum = a.dur_sum;
		r->dur_sumsq = a.dur_sumsq * 1e12;	/* seconds^2 to microseconds^2 */
		if (a.marks) {
			memcpy(r->blank, a.blank, sizeof(r->blank));
			r->prefix_set = a.prefix_set;
			r->sprefix = a.sprefix;
			r->dprefix = a.dprefix;
		}
		break;
	}
	case RA_BLK_TCP:
		for (int i = 0; i < 6; i++)
			r->tcp[i] = ld_le32(p + 4 * i);
		r->has_tcp = true;
		break;
	case RA_BLK_L2: case RA_BLK_TIMING: case RA_BLK_ID: case RA_BLK_ICMP:
		r->cold = true;		/* decoded whole by the caller */
		break;
	default:
		return;
	}
	r->present |= 1u << type;
}

/* Copy a record without its payload and blocks of later versions; the
 * blocks are known good.  Returns the length of the copy. */
static size_t strip_copy(const uint8_t *buf, size_t len, size_t core, uint8_t *copy)
{
	size_t out = core;

	memcpy(copy, buf, core);
	for (size_t off = core; off < len;) {
		unsigned btype = ld_le16(buf + off), blen = ld_le16(buf + off + 2);
		size_t whole = align8(blen);
		if (btype > RA_BLK_PAYLOAD_DST && btype <= RA_BLK_TCPRTT && out + whole <= CL_REC_COPY_MAX) {
			memcpy(copy + out, buf + off, blen);
			memset(copy + out + blen, 0, whole - blen);
			out += whole;
		}
		off += whole;
	}
	return out;
}

bool cl_rec_decode(const uint8_t *buf, size_t len, struct cl_rec *r, uint8_t *copy, bool in_place,
		   struct ra_err *err)
{
	struct plain4_blocks x;
	unsigned fam;

	if (plain4_check(buf, len, &x)) {	/* the common record, in straight-line code */
		plain4_decode(buf, len, &x, r, copy, in_place);
		return true;
	}
	size_t core, off, out;
	bool strip;

	if (len < RA_FLOW_CORE4)
		return bad(err, "flow record shorter than its core");
	fam = buf[RA_AT_RFLAGS] & 7;
	if (fam > RA_AF_ETHER)
		return bad(err, "flow record has an unknown address family");
	core = fam == RA_AF_INET6 || fam == RA_AF_ETHER ? RA_FLOW_CORE6 : RA_FLOW_CORE4;
	if (len < core)
		return bad(err, "flow record shorter than its core");
	r->present = 0;
	r->cold = false;
	r->has_tcp = false;
	r->trans = 0;
	r->synack = r->ackdat = 0;
	r->blank[0] = r->blank[1] = 0;
	r->prefix_set = r->sprefix = r->dprefix = 0;
	r->full = NULL;
	r->in_place = false;
	read_core(buf, fam, r);
	strip = false;
	off = core;
	for (;;) {
		unsigned btype = 0;
		const uint8_t *body = NULL;
		size_t n = 0;
		int more = ra_flow_next_block(buf, len, &off, &btype, &body, &n, err);
		if (more < 0)
			return false;
		if (more == 0)
			break;
		if (btype > RA_BLK_PAYLOAD_DST && btype <= RA_BLK_TCPRTT)
			read_block(r, btype, body, n);
		else
			strip = true;	/* payload, or a block of a later version */
	}
	if (r->ltime < r->stime)
		return bad(err, RA_TIME_OVERFLOW);
	if (!strip && len <= CL_REC_COPY_MAX) {
		copy_record(copy, buf, len);	/* the common case: the record as it is */
		out = len;
	} else {
		out = strip_copy(buf, len, core, copy);
	}
	if (!(r->present & 1u << RA_BLK_AGG) || r->trans == 0) {
		uint64_t d = r->ltime - r->stime;
		r->trans = 1;
		r->dur_min = r->dur_max = r->dur_sum = d;
		r->dur_sumsq = (double)d * (double)d;
	}
	st_le16(copy + 2, (uint16_t)out);
	r->raw = copy;
	r->len = (uint16_t)out;
	return true;
}

void cl_rec_whole(struct cl_rec *r, struct ra_flow *f, const char *label)
{
	f->service = label ? label : svc_label(svc_builtin(), f);
	f->spayload = f->dpayload = NULL;
	f->spaylen = f->dpaylen = 0;
	f->present &= ~(1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST);
	r->full = f;
	r->cold = true;	/* merged through the cold part, which keeps f (and its label) */
}

/* ---- keys ---- */

static inline void put_addr_key(uint8_t *p, unsigned fam, const union ra_addr *a, uint8_t masklen, bool arp)
{
	p[0] = (uint8_t)(arp ? RA_AF_ARP : fam);
	if (fam == RA_AF_INET) {	/* the common case, without copying the union */
		uint32_t v = a->v4;
		if (masklen < 32)
			v = masklen ? v & (0xffffffffu << (32 - masklen)) : 0;
		memcpy(p + 1, &v, 4);
		memset(p + 5, 0, 12);
		return;
	}
	if (masklen != CL_NO_PREFIX) {
		union ra_addr m = *a;
		cl_mask_addr(fam, &m, masklen);
		memcpy(p + 1, &m, 16);
	} else {
		memcpy(p + 1, a, 16);
	}
}

/* ---- the key of an IPv4 record without cold blocks, compiled ---- */

/* Where a plain record holds the value of op (its kind and arg set). */
static void plain4_op_source(struct cl_op4 *op)
{
	op->be = false;
	op->rshift = 0;
	switch (op->kind) {
	case CL_K4_ADDR:
		op->src = (uint8_t)(RA_AT_SADDR + 4 * op->arg);	/* saddr, then daddr (RA_AT_DADDR4) */
		op->be = true;
		op->vmask = op->mask;
		return;
	case CL_K4_PORT: op->src = (uint8_t)(RA_AT_SPORT + 2 * op->arg); op->vmask = 0xffff; return;
	case CL_K4_TOS: op->src = (uint8_t)(RA_AT_STOS + op->arg); op->vmask = 0xff; return;
	case CL_K4_TCPFLAGS: op->src = (uint8_t)(RA_AT_STCPFLAGS + op->arg); op->vmask = 0xff; return;
	default: break;
	}
	op->vmask = 0xff;	/* CL_K4_ID0 */
	switch (op->arg) {
	case CL_B_PROTO: op->src = RA_AT_PROTO; return;
	case CL_B_STTL: op->src = RA_AT_STTL; return;
	case CL_B_DTTL: op->src = RA_AT_DTTL; return;
	case CL_B_SDSB: case CL_B_DDSB:
		op->src = (uint8_t)(RA_AT_STOS + (op->arg == CL_B_DDSB));
		op->rshift = 2;
		op->vmask = 0x3f;
		return;
	default:	/* the family (never compiled as an op) and ECN bits */
		op->src = (uint8_t)(RA_AT_STOS + (op->arg == CL_B_DECN));
		op->vmask = 3;
		return;
	}
}

/* Is flow key item which (saddr daddr sport dport proto) where plain4_flow_keys puts it? */
static bool flow4_at(const struct cl_spec *s, int which, unsigned word, unsigned shift)
{
	const struct cl_op4 *op = &s->ops4[s->flow4_op[which]];
	return op->word == word && op->shift == shift;
}

void cl_key4_compile(struct cl_spec *s)
{
	uint8_t *k = (uint8_t *)s->key4, *k6 = (uint8_t *)s->key6;

	memset(s->key4, 0, sizeof(s->key4));
	memset(s->key6, 0, sizeof(s->key6));
	s->nops4 = 0;
	s->flow4 = false;
	s->addr1 = false;
	if (s->keylen > CL_MAX_KEYLEN || s->whole) {	/* whole: keys come from the decoded record */
		s->nops4 = -1;
		return;
	}
	for (int i = 0; i < s->nitems; i++) {
		const struct cl_keyitem *it = &s->items[i];
		struct cl_op4 op = { .offset = it->offset };

		switch (it->field) {
		case F_SADDR: case F_DADDR: {
			unsigned len = it->masklen > 32 ? 32 : it->masklen;
			union ra_addr m6;
			k[it->offset] = RA_AF_INET;	/* the family byte */
			k6[it->offset] = RA_AF_INET6;
			op.kind = CL_K4_ADDR;
			op.arg = it->field == F_DADDR;
			op.mask = (uint32_t)(~0ull << (32 - len));
			memset(&m6, 0xff, sizeof(m6));
			if (it->masklen != CL_NO_PREFIX)
				cl_mask_addr(RA_AF_INET6, &m6, it->masklen);
			memcpy(op.mask6, m6.v6, 16);
			break;
		}
		case F_FAMILY: k[it->offset] = RA_AF_INET; k6[it->offset] = RA_AF_INET6; continue;
		case F_SPORT: case F_DPORT: op.kind = CL_K4_PORT; op.arg = it->field == F_DPORT; break;
		case F_PROTO: op.kind = CL_K4_ID0; op.arg = CL_B_PROTO; break;
		case F_STTL: op.kind = CL_K4_ID0; op.arg = CL_B_STTL; break;
		case F_DTTL: op.kind = CL_K4_ID0; op.arg = CL_B_DTTL; break;
		case F_SDSB: op.kind = CL_K4_ID0; op.arg = CL_B_SDSB; break;
		case F_DDSB: op.kind = CL_K4_ID0; op.arg = CL_B_DDSB; break;
		case F_STOS: case F_DTOS: op.kind = CL_K4_TOS; op.arg = it->field == F_DTOS; break;
		case F_STCPFLAGS: case F_DTCPFLAGS: op.kind = CL_K4_TCPFLAGS; op.arg = it->field == F_DTCPFLAGS; break;
		default:	/* etype, and fields of blocks such records lack: zero */
			continue;
		}
		plain4_op_source(&op);
		{	/* an address follows its family byte */
			unsigned at = op.offset + (op.kind == CL_K4_ADDR);
			unsigned size = op.kind == CL_K4_ADDR ? 4 : op.kind == CL_K4_PORT ? 2 : 1;
			op.word = (uint8_t)(at / 8);
			op.shift = (uint8_t)(at % 8 * 8);
			op.spill = at % 8 + size > 8;
		}
		s->ops4[s->nops4++] = op;
	}
	s->addr1 = s->nops4 == 1 && s->ops4[0].kind == CL_K4_ADDR && s->ops4[0].word == 0 && s->ops4[0].shift == 8 &&
		   !s->ops4[0].spill;
	/* the flow key, when its varying items are the five plain4_flow_keys writes */
	if (s->flow && s->keylen <= 64 && s->nops4 == 5 && s->addr_mask[0] == CL_NO_PREFIX &&
	    s->addr_mask[1] == CL_NO_PREFIX) {
		int found = 0;
		for (int i = 0; i < s->nops4; i++) {
			const struct cl_op4 *op = &s->ops4[i];
			int which = op->kind == CL_K4_ADDR ? op->arg : op->kind == CL_K4_PORT ? 2 + op->arg :
				    op->kind == CL_K4_ID0 && op->arg == CL_B_PROTO ? 4 : -1;
			if (which >= 0 && !(found & 1 << which)) {
				s->flow4_op[which] = (int8_t)i;
				found |= 1 << which;
			}
		}
		s->flow4 = found == 31 && s->keylen == 64 && flow4_at(s, 0, 0, 40) && flow4_at(s, 1, 2, 48) &&
			   flow4_at(s, 2, 4, 48) && flow4_at(s, 3, 5, 0) && flow4_at(s, 4, 0, 8);
	}
}

/* The compiled key; rev: addresses and ports trade places (the flow key's reverse). */
static inline void rec_key4(const struct cl_spec *s, const struct cl_rec *r, uint64_t *out, unsigned rev)
{
	uint32_t addr[2] = { r->saddr.v4, r->daddr.v4 };
	uint16_t port[2] = { (uint16_t)r->id1, (uint16_t)(r->id1 >> 16) };
	uint8_t flags[2] = { r->stcpflags, r->dtcpflags };

	plain4_key(s, addr, port, r->id0, flags, out, rev);
}

/* Both flow keys of an IPv4 record without cold blocks (plain4_flow_keys). */
bool cl_rec_flow_keys4(const struct cl_spec *s, const struct cl_rec *r, uint64_t *key, uint64_t *rkey)
{
	if (r->family != RA_AF_INET || r->full || !s->flow4)
		return false;
	plain4_flow_keys(s, r->saddr.v4, r->daddr.v4, (uint16_t)r->id1, (uint16_t)(r->id1 >> 16),
			 CL_ID0_BYTE(r->id0, CL_B_PROTO), key, rkey);
	return true;
}

/* The time bin's word (cl_spec_bin) into a key made without it. */
static inline void put_bin(const struct cl_spec *s, const struct cl_rec *r, uint64_t *key)
{
	if (s->bin_width)
		key[s->bin_at / 8] = r->stime / s->bin_width;
}

void cl_rec_keys(const struct cl_spec *s, const struct cl_rec *r, uint64_t *key, uint64_t *rkey, bool *ip)
{
	*ip = s->flow && (r->family == RA_AF_INET || r->family == RA_AF_INET6);
	if (*ip && cl_rec_flow_keys4(s, r, key, rkey)) {
		put_bin(s, r, key);
		put_bin(s, r, rkey);
		return;
	}
	cl_rec_key(s, r, key);
	if (*ip)
		cl_reverse_key(s, key, rkey);
}

/*
 * r's key into out, as cl_build_key makes it from the whole record: fields
 * of the blocks decoded only whole are zero here, which is what they are
 * in a record without those blocks (a record with them comes with r->full,
 * and its key is built from that).
 */
static void rec_key_fields(const struct cl_spec *s, const struct cl_rec *r, uint64_t *out);

void cl_rec_key(const struct cl_spec *s, const struct cl_rec *r, uint64_t *out)
{
	rec_key_fields(s, r, out);
	put_bin(s, r, out);
}

static void rec_key_fields(const struct cl_spec *s, const struct cl_rec *r, uint64_t *out)
{
	uint8_t *k = (uint8_t *)out;
	unsigned fam = r->family == RA_AF_ARP ? RA_AF_INET : r->family;
	bool arp = r->family == RA_AF_ARP;

	if (r->full) {
		cl_build_key(s, r->full, out);
		return;
	}
	if (r->family == RA_AF_INET && s->nops4 >= 0) {
		rec_key4(s, r, out, 0);
		return;
	}
	memset(out, 0, s->keylen);	/* IPv6, MACs and ARP: IPv4 keys are compiled (above) */
	for (int i = 0; i < s->nitems; i++) {
		const struct cl_keyitem *it = &s->items[i];
		uint8_t *p = k + it->offset;
		uint16_t v16;

		switch (it->field) {
		case F_SADDR: put_addr_key(p, fam, &r->saddr, it->masklen, arp); break;
		case F_DADDR: put_addr_key(p, fam, &r->daddr, it->masklen, arp); break;
		case F_PROTO: p[0] = CL_ID0_BYTE(r->id0, CL_B_PROTO); break;
		case F_FAMILY: p[0] = r->family; break;
		case F_STTL: p[0] = CL_ID0_BYTE(r->id0, CL_B_STTL); break;
		case F_DTTL: p[0] = CL_ID0_BYTE(r->id0, CL_B_DTTL); break;
		case F_SDSB: p[0] = CL_ID0_BYTE(r->id0, CL_B_SDSB); break;
		case F_DDSB: p[0] = CL_ID0_BYTE(r->id0, CL_B_DDSB); break;
		case F_STOS: p[0] = cl_rec_stos(r->id0, 0); break;
		case F_DTOS: p[0] = cl_rec_stos(r->id0, 1); break;
		case F_STCPFLAGS: p[0] = r->stcpflags; break;
		case F_DTCPFLAGS: p[0] = r->dtcpflags; break;
		case F_SPORT: v16 = (uint16_t)r->id1; memcpy(p, &v16, 2); break;
		case F_DPORT: v16 = (uint16_t)(r->id1 >> 16); memcpy(p, &v16, 2); break;
		case F_ETYPE: memcpy(p, &r->etype, 2); break;
		default:	/* a field of a block this record lacks: zero */
			break;
		}
	}
}

/* ---- swapping directions ---- */

/* Fields that come as a source and a destination pair. */
static const uint8_t cl_pair_fields[] = {
	F_SADDR, F_DADDR, F_SPORT, F_DPORT, F_STTL, F_DTTL, F_STOS, F_DTOS, F_SDSB, F_DDSB,
	F_SMAC, F_DMAC, F_SOUI, F_DOUI, F_SVLAN, F_DVLAN, F_SMPLS, F_DMPLS,
};

static uint64_t swap_bytes(uint64_t w, unsigned a, unsigned b)
{
	uint64_t x = ((w >> 8 * a) ^ (w >> 8 * b)) & 0xff;
	return w ^ (x << 8 * a) ^ (x << 8 * b);
}

void cl_swap_marks(uint64_t blank[2], uint8_t *prefix_set, uint8_t *sprefix, uint8_t *dprefix)
{
	if (*prefix_set) {
		uint8_t t8 = *sprefix;
		*sprefix = *dprefix;
		*dprefix = t8;
		*prefix_set = (uint8_t)((*prefix_set & 1) << 1 | (*prefix_set >> 1 & 1));
	}
	for (unsigned i = 0; i < sizeof(cl_pair_fields) / sizeof(*cl_pair_fields); i += 2) {
		unsigned a0 = cl_pair_fields[i], b0 = cl_pair_fields[i + 1];
		bool x = cl_bit_has(blank, a0), y = cl_bit_has(blank, b0);
		if (x != y) {
			blank[a0 >> 6] ^= 1ull << (a0 & 63);
			blank[b0 >> 6] ^= 1ull << (b0 & 63);
		}
	}
}

void cl_rec_swap(struct cl_rec *r, struct ra_flow *full)
{
	union ra_addr a = r->saddr;
	uint64_t c;
	uint8_t t8;

	r->saddr = r->daddr;
	r->daddr = a;
	r->id0 = swap_bytes(r->id0, CL_B_STTL, CL_B_DTTL);
	r->id0 = swap_bytes(r->id0, CL_B_SDSB, CL_B_DDSB);
	r->id0 = swap_bytes(r->id0, CL_B_SECN, CL_B_DECN);
	r->id1 = (r->id1 & 0xffffffff00000000ull) | (r->id1 >> 16 & 0xffff) | (r->id1 & 0xffff) << 16;
	for (int i = 0; i < 6; i += 2) {
		c = r->cnt[i];
		r->cnt[i] = r->cnt[i + 1];
		r->cnt[i + 1] = c;
	}
	t8 = r->stcpflags;
	r->stcpflags = r->dtcpflags;
	r->dtcpflags = t8;
	for (int i = 0; i < 6; i += 2) {
		uint32_t n = r->tcp[i];
		r->tcp[i] = r->tcp[i + 1];
		r->tcp[i + 1] = n;
	}
	r->dir = ra_dir_reversed(r->dir);
	cl_swap_marks(r->blank, &r->prefix_set, &r->sprefix, &r->dprefix);
	if (full) {
		cl_swap_flow(full);
		r->full = full;
	}
}

const struct cl_rec *cl_rec_swapped(struct cl_rec *c, struct ra_flow *full, const struct cl_rec *r)
{
	*c = *r;
	if (r->full)
		*full = *r->full;
	cl_rec_swap(c, r->full ? full : NULL);
	return c;
}
