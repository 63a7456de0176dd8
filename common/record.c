/*
 * record.c - encode and decode records of the stream format, version 1.
 *
 * Layout of a flow record core (argus-record(5) has the full table):
 *
 *   0 type  2 length  4 proto  5 rflags(family:3, cause:2)  6 state  7 dir
 *   8 stime(u64 us)  16 dur(u32 us)  20 sport  22 dport
 *  24 sttl dttl stos dtos  28 stcpflags dtcpflags  30 flgs(u16)
 *  32 spkts  36 dpkts  40 sbytes  44 dbytes  48 sappbytes  52 dappbytes (u32)
 *  56 saddr, daddr: 4 bytes each (IPv4, ARP) or 16 each (IPv6, MAC flows)
 *
 * then optional blocks: u16 type, u16 length, data; 8-byte aligned.
 */
#include "config.h"

#include "record.h"

#include <string.h>

#include "cursor.h"

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static bool family_is_wide(unsigned fam) { return fam == RA_AF_INET6 || fam == RA_AF_ETHER; }

void ra_flow_init(struct ra_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->trans = 1;
}

/* ---- addresses ---- */

static void put_addr(uint8_t *p, unsigned fam, const union ra_addr *a, uint16_t etype, bool src)
{
	if (!family_is_wide(fam)) {
		p[0] = (uint8_t)(a->v4 >> 24); p[1] = (uint8_t)(a->v4 >> 16);
		p[2] = (uint8_t)(a->v4 >> 8); p[3] = (uint8_t)a->v4;
	} else if (fam == RA_AF_INET6) {
		memcpy(p, a->v6, 16);
	} else {
		memset(p, 0, 16);
		memcpy(p, a->mac, 6);
		if (src) {
			p[6] = (uint8_t)(etype >> 8);
			p[7] = (uint8_t)etype;
		}
	}
}

static void get_addr(const uint8_t *p, unsigned fam, union ra_addr *a, uint16_t *etype, bool src)
{
	memset(a, 0, sizeof(*a));
	if (!family_is_wide(fam)) {
		a->v4 = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	} else if (fam == RA_AF_INET6) {
		memcpy(a->v6, p, 16);
	} else {
		memcpy(a->mac, p, 6);
		if (src)
			*etype = (uint16_t)(p[6] << 8 | p[7]);
	}
}

static size_t addr_len(unsigned fam) { return fam == RA_AF_INET6 ? 16 : 4; }

static void put_any_addr(uint8_t *p, unsigned fam, const union ra_addr *a)
{
	memset(p, 0, 16);
	if (fam == RA_AF_INET6)
		memcpy(p, a->v6, 16);
	else if (fam)
		put_addr(p, RA_AF_INET, a, 0, false);
}

/* An address of a block that names its family; none (all zero) when the
 * family is neither IPv4 nor IPv6, so that equal records decode equal. */
static void get_any_addr(const uint8_t *p, unsigned fam, union ra_addr *a)
{
	uint16_t unused = 0;

	if (fam != RA_AF_INET && fam != RA_AF_INET6) {
		memset(a, 0, sizeof(*a));
		return;
	}
	get_addr(p, fam, a, &unused, false);
	(void)addr_len;
}

/* ---- flow encode ---- */

static uint8_t *block_start(uint8_t *out, size_t *off, uint16_t type, uint16_t len)
{
	uint8_t *p = out + *off;
	memset(p, 0, align8(len));
	st_le16(p, type);
	st_le16(p + 2, len);
	*off += align8(len);
	return p + 4;
}

static bool needs_wide(const struct ra_flow *f)
{
	uint64_t dur = f->ltime > f->stime ? f->ltime - f->stime : 0;
	return ((dur | f->spkts | f->dpkts | f->sbytes | f->dbytes | f->sappbytes | f->dappbytes) >> 32) != 0;
}

static void put_payload(uint8_t *out, size_t *off, uint16_t type, const uint8_t *data, size_t n)
{
	size_t room = RA_REC_MAX - *off - 4;	/* keep space for the block header */
	if (room > RA_REC_MAX)
		return;
	/* leave room for the fixed blocks that follow (at most ~256 bytes) */
	room = room > 512 ? room - 512 : 0;
	if (n > room)
		n = room;
	if (n > RA_PAYLOAD_MAX)
		n = RA_PAYLOAD_MAX;
	uint8_t *p = block_start(out, off, type, (uint16_t)(4 + n));
	memcpy(p, data, n);
}

size_t ra_encode_flow(const struct ra_flow *f, uint8_t *out)
{
	unsigned fam = f->family & 7;
	size_t off = family_is_wide(fam) ? RA_FLOW_CORE6 : RA_FLOW_CORE4;
	uint64_t dur = f->ltime > f->stime ? f->ltime - f->stime : 0;

	if (off == RA_FLOW_CORE4)	/* sizes the compiler knows: a few stores, not a call */
		memset(out, 0, RA_FLOW_CORE4);
	else
		memset(out, 0, RA_FLOW_CORE6);
	st_le16(out, RA_REC_FLOW);
	out[RA_AT_PROTO] = f->proto;
	out[RA_AT_RFLAGS] = (uint8_t)(fam | (f->cause & 3) << 3);
	out[RA_AT_STATE] = f->state;
	out[RA_AT_DIR] = f->dir;
	st_le64(out + RA_AT_STIME, f->stime);
	st_le32(out + RA_AT_DUR, (uint32_t)dur);
	st_le16(out + RA_AT_SPORT, f->sport);
	st_le16(out + RA_AT_DPORT, f->dport);
	out[RA_AT_STTL] = f->sttl; out[RA_AT_DTTL] = f->dttl; out[RA_AT_STOS] = f->stos; out[RA_AT_DTOS] = f->dtos;
	out[RA_AT_STCPFLAGS] = f->stcpflags; out[RA_AT_DTCPFLAGS] = f->dtcpflags;
	st_le16(out + RA_AT_FLGS, (uint16_t)f->flgs);
	st_le32(out + RA_AT_SPKTS, (uint32_t)f->spkts);
	st_le32(out + RA_AT_DPKTS, (uint32_t)f->dpkts);
	st_le32(out + RA_AT_SBYTES, (uint32_t)f->sbytes);
	st_le32(out + RA_AT_DBYTES, (uint32_t)f->dbytes);
	st_le32(out + RA_AT_SAPPBYTES, (uint32_t)f->sappbytes);
	st_le32(out + RA_AT_DAPPBYTES, (uint32_t)f->dappbytes);
	if (family_is_wide(fam)) {
		put_addr(out + RA_AT_SADDR, fam, &f->saddr, f->etype, true);
		put_addr(out + RA_AT_DADDR6, fam, &f->daddr, f->etype, false);
	} else {
		put_addr(out + RA_AT_SADDR, fam, &f->saddr, 0, true);
		put_addr(out + RA_AT_DADDR4, fam, &f->daddr, 0, false);
	}

	/* payload blocks come first */
	if (RA_HAS(f, RA_BLK_PAYLOAD_SRC) && f->spayload)
		put_payload(out, &off, RA_BLK_PAYLOAD_SRC, f->spayload, f->spaylen);
	if (RA_HAS(f, RA_BLK_PAYLOAD_DST) && f->dpayload)
		put_payload(out, &off, RA_BLK_PAYLOAD_DST, f->dpayload, f->dpaylen);
	if (needs_wide(f)) {
		uint8_t *p = block_start(out, &off, RA_BLK_WIDE, 32);
		st_le32(p, (uint32_t)(dur >> 32));
		st_le32(p + 4, (uint32_t)(f->spkts >> 32));
		st_le32(p + 8, (uint32_t)(f->dpkts >> 32));
		st_le32(p + 12, (uint32_t)(f->sbytes >> 32));
		st_le32(p + 16, (uint32_t)(f->dbytes >> 32));
		st_le32(p + 20, (uint32_t)(f->sappbytes >> 32));
		st_le32(p + 24, (uint32_t)(f->dappbytes >> 32));
	}
	if (RA_HAS(f, RA_BLK_L2)) {
		uint8_t *p = block_start(out, &off, RA_BLK_L2, 28);
		memcpy(p, f->smac, 6);
		memcpy(p + 6, f->dmac, 6);
		st_le16(p + 12, f->svlan);
		st_le16(p + 14, f->dvlan);
		st_le32(p + 16, f->smpls);
		st_le32(p + 20, f->dmpls);
	}
	if (RA_HAS(f, RA_BLK_TCP)) {
		/* two halves, each written only when it holds something */
		if (f->sretrans | f->dretrans | f->sooo | f->dooo | f->swinshut | f->dwinshut) {
			uint8_t *p = block_start(out, &off, RA_BLK_TCP, RA_BLK_TCP_LEN);
			st_le32(p, f->sretrans); st_le32(p + 4, f->dretrans);
			st_le32(p + 8, f->sooo); st_le32(p + 12, f->dooo);
			st_le32(p + 16, f->swinshut); st_le32(p + 20, f->dwinshut);
		}
		if (f->synack | f->ackdat) {
			uint8_t *p = block_start(out, &off, RA_BLK_TCPRTT, RA_BLK_TCPRTT_LEN);
			st_le32(p, f->synack); st_le32(p + 4, f->ackdat);
		}
	}
	if (RA_HAS(f, RA_BLK_TIMING)) {
		uint8_t *p = block_start(out, &off, RA_BLK_TIMING, 20);
		st_le32(p, f->sjit); st_le32(p + 4, f->djit);
		st_le32(p + 8, f->sintpkt); st_le32(p + 12, f->dintpkt);
	}
	if (RA_HAS(f, RA_BLK_ID) &&
	    (f->srcid_family | f->subagent | f->rate | f->inif | f->outif) != 0) {
		uint8_t *p = block_start(out, &off, RA_BLK_ID, 44);
		p[0] = f->srcid_family;
		/* p + 4: reserved (seq has its own block) */
		st_le32(p + 8, f->subagent);
		st_le32(p + 12, f->rate);
		st_le32(p + 16, f->inif);
		st_le32(p + 20, f->outif);
		put_any_addr(p + 24, f->srcid_family, &f->srcid);
	}
	if (f->seq) {
		uint8_t *p = block_start(out, &off, RA_BLK_SEQ, RA_BLK_SEQ_LEN);
		st_le32(p, f->seq);
	}
	if (RA_HAS(f, RA_BLK_AGG) || f->trans != 1) {
		const struct ra_agg a = {
			.trans = f->trans, .dur_min = f->dur_min, .dur_max = f->dur_max, .dur_sum = f->dur_sum,
			.dur_sumsq = f->dur_sumsq, .blank = { f->blank[0], f->blank[1] }, .prefix_set = f->prefix_set,
			.sprefix = f->sprefix, .dprefix = f->dprefix,
			.marks = (f->blank[0] | f->blank[1] | f->prefix_set) != 0,
		};
		off += ra_agg_write(&a, out + off);
	}
	if (RA_HAS(f, RA_BLK_ICMP)) {
		uint8_t *p = block_start(out, &off, RA_BLK_ICMP, 24);
		p[0] = f->inode_family;
		p[1] = f->icmp_type;
		p[2] = f->icmp_code;
		put_any_addr(p + 4, f->inode_family, &f->inode);
	}
	st_le16(out + 2, (uint16_t)off);
	return off;
}

bool ra_flow_reencodes(const uint8_t *buf, size_t len)
{
	unsigned fam = len >= RA_FLOW_CORE4 ? buf[5] & 7 : 0;
	size_t off = fam == RA_AF_INET ? RA_FLOW_CORE4 : fam == RA_AF_INET6 ? RA_FLOW_CORE6 : 0;

	/* a core the decoder carries through unchanged: bits 5-7 of byte 5
	 * are dropped, unknown states and directions made none */
	if (!off || len < off || len > off + 56 || (buf[5] & 0xe0) || buf[6] >= RA_ST_COUNT ||
	    buf[7] >= RA_DIR_COUNT)
		return false;
	/* the blocks as put above: each written only when it holds something */
	if (len - off >= 32 && ld_le32(buf + off) == RA_WORD_TCP) {
		const uint8_t *b = buf + off + 4;	/* 24 bytes of counters, 4 of padding */
		if ((ld_le64(b) | ld_le64(b + 8) | ld_le64(b + 16)) == 0 || ld_le32(b + 24) != 0)
			return false;
		off += 32;
	}
	if (len - off >= 16 && ld_le32(buf + off) == RA_WORD_TCPRTT) {
		if (ld_le64(buf + off + 4) == 0 || ld_le32(buf + off + 12) != 0)	/* the times, padding */
			return false;
		off += 16;
	}
	if (len - off >= 8 && ld_le32(buf + off) == RA_WORD_SEQ) {
		if (ld_le32(buf + off + 4) == 0)
			return false;
		off += 8;
	}
	return off == len;
}

/* ---- flow decode ---- */

static bool bad(struct ra_err *err, const char *what)
{
	ra_err_set(err, RA_ERR_FORMAT, "%s", what);
	return false;
}

const uint8_t ra_block_need[RA_BLK_NEED_TYPES] = {
	[RA_BLK_WIDE] = 28, [RA_BLK_L2] = 24, [RA_BLK_TCP] = 24, [RA_BLK_TIMING] = 16,
	[RA_BLK_ID] = 40, [RA_BLK_AGG] = 36, [RA_BLK_ICMP] = 20, [RA_BLK_SEQ] = 4, [RA_BLK_TCPRTT] = 8,
};

int ra_flow_block_damaged(const uint8_t *buf, size_t len, size_t at, struct ra_err *err)
{
	unsigned type, blen;

	if (len - at < 4) {
		bad(err, "flow block header cut short");
		return -1;
	}
	type = ld_le16(buf + at);
	blen = ld_le16(buf + at + 2);
	if (blen < 4)
		bad(err, "flow block length below 4");
	else if (blen > len - at)
		bad(err, "flow block runs past its record");
	else if (type < RA_BLK_NEED_TYPES && blen - 4u < ra_block_need[type])
		bad(err, "flow block shorter than its type needs");
	else
		bad(err, "flow block damaged");
	return -1;
}

void ra_agg_read(const uint8_t *p, size_t n, struct ra_agg *a)
{
	uint64_t bits = ld_le64(p + 28);

	a->trans = ld_le32(p);
	a->dur_min = ld_le64(p + 4);
	a->dur_max = ld_le64(p + 12);
	a->dur_sum = ld_le64(p + 20);
	memcpy(&a->dur_sumsq, &bits, 8);
	a->marks = n >= 56;
	a->blank[0] = a->marks ? ld_le64(p + 36) : 0;
	a->blank[1] = a->marks ? ld_le64(p + 44) : 0;
	a->prefix_set = a->marks ? p[52] & 3 : 0;
	a->sprefix = a->marks ? p[53] : 0;
	a->dprefix = a->marks ? p[54] : 0;
}

size_t ra_agg_write(const struct ra_agg *a, uint8_t *out)
{
	size_t len = a->marks ? 60 : 40;
	uint8_t *p = out + 4;
	uint64_t bits;

	if (a->marks)	/* sizes the compiler knows: a few stores, not a call */
		memset(out, 0, 64);
	else
		memset(out, 0, 40);
	st_le16(out, RA_BLK_AGG);
	st_le16(out + 2, (uint16_t)len);
	st_le32(p, a->trans);
	st_le64(p + 4, a->dur_min);
	st_le64(p + 12, a->dur_max);
	st_le64(p + 20, a->dur_sum);
	memcpy(&bits, &a->dur_sumsq, 8);
	st_le64(p + 28, bits);
	if (a->marks) {
		st_le64(p + 36, a->blank[0]);
		st_le64(p + 44, a->blank[1]);
		p[52] = a->prefix_set & 3;
		p[53] = a->sprefix;
		p[54] = a->dprefix;
	}
	return align8(len);
}

static void decode_block(struct ra_flow *f, unsigned type, const uint8_t *p, size_t n)
{
	switch (type) {
	case RA_BLK_PAYLOAD_SRC:
		f->spayload = p;
		f->spaylen = (uint16_t)n;
		break;
	case RA_BLK_PAYLOAD_DST:
		f->dpayload = p;
		f->dpaylen = (uint16_t)n;
		break;
	case RA_BLK_WIDE: {
		uint64_t dur = f->ltime - f->stime + ((uint64_t)ld_le32(p) << 32);
		f->ltime = f->stime + dur;
		f->spkts |= (uint64_t)ld_le32(p + 4) << 32;
		f->dpkts |= (uint64_t)ld_le32(p + 8) << 32;
		f->sbytes |= (uint64_t)ld_le32(p + 12) << 32;
		f->dbytes |= (uint64_t)ld_le32(p + 16) << 32;
		f->sappbytes |= (uint64_t)ld_le32(p + 20) << 32;
		f->dappbytes |= (uint64_t)ld_le32(p + 24) << 32;
		break;
	}
	case RA_BLK_L2:
		memcpy(f->smac, p, 6);
		memcpy(f->dmac, p + 6, 6);
		f->svlan = ld_le16(p + 12);
		f->dvlan = ld_le16(p + 14);
		f->smpls = ld_le32(p + 16);
		f->dmpls = ld_le32(p + 20);
		break;
	case RA_BLK_TCP:
		f->sretrans = ld_le32(p); f->dretrans = ld_le32(p + 4);
		f->sooo = ld_le32(p + 8); f->dooo = ld_le32(p + 12);
		f->swinshut = ld_le32(p + 16); f->dwinshut = ld_le32(p + 20);
		break;
	case RA_BLK_TCPRTT:
		f->synack = ld_le32(p); f->ackdat = ld_le32(p + 4);
		type = RA_BLK_TCP;	/* one "present" bit for both halves */
		break;
	case RA_BLK_TIMING:
		f->sjit = ld_le32(p); f->djit = ld_le32(p + 4);
		f->sintpkt = ld_le32(p + 8); f->dintpkt = ld_le32(p + 12);
		break;
	case RA_BLK_ID:
		f->srcid_family = p[0];
		if (f->srcid_family != RA_AF_INET && f->srcid_family != RA_AF_INET6)
			f->srcid_family = 0;
		f->subagent = ld_le32(p + 8);
		f->rate = ld_le32(p + 12);
		f->inif = ld_le32(p + 16);
		f->outif = ld_le32(p + 20);
		get_any_addr(p + 24, f->srcid_family, &f->srcid);
		break;
	case RA_BLK_AGG: {
		struct ra_agg a;
		ra_agg_read(p, n, &a);
		f->trans = a.trans;
		f->dur_min = a.dur_min;
		f->dur_max = a.dur_max;
		f->dur_sum = a.dur_sum;
		f->dur_sumsq = a.dur_sumsq;
		if (a.marks) {
			memcpy(f->blank, a.blank, sizeof(f->blank));
			f->prefix_set = a.prefix_set;
			f->sprefix = a.sprefix;
			f->dprefix = a.dprefix;
		}
		break;
	}
	case RA_BLK_SEQ:
		f->seq = ld_le32(p);
		break;
	case RA_BLK_ICMP:
		f->inode_family = p[0];
		if (f->inode_family != RA_AF_INET && f->inode_family != RA_AF_INET6)
			f->inode_family = 0;
		f->icmp_type = p[1];
		f->icmp_code = p[2];
		get_any_addr(p + 4, f->inode_family, &f->inode);
		break;
	default:
		return;		/* a later minor version's block: skip it */
	}
	f->present |= 1u << type;
}

/* Zero the fields of the blocks the previous decode filled: cheaper than
 * clearing the whole struct for every record. */
static void clear_blocks(struct ra_flow *f)
{
	uint32_t prev = f->present;

	if (prev & (1u << RA_BLK_L2)) {
		memset(f->smac, 0, 12);
		f->svlan = f->dvlan = 0;
		f->smpls = f->dmpls = 0;
	}
	if (prev & (1u << RA_BLK_TCP)) {
		f->sretrans = f->dretrans = f->sooo = f->dooo = f->swinshut = f->dwinshut = 0;
		f->synack = f->ackdat = 0;
	}
	if (prev & (1u << RA_BLK_TIMING))
		f->sjit = f->djit = f->sintpkt = f->dintpkt = 0;
	if (prev & (1u << RA_BLK_ID)) {
		memset(&f->srcid, 0, sizeof(f->srcid));
		f->srcid_family = 0;
		f->subagent = f->rate = f->inif = f->outif = 0;
	}
	if (prev & (1u << RA_BLK_AGG)) {
		f->dur_min = f->dur_max = f->dur_sum = 0;
		f->dur_sumsq = 0;
		f->blank[0] = f->blank[1] = 0;
		f->prefix_set = f->sprefix = f->dprefix = 0;
	}
	if (prev & (1u << RA_BLK_ICMP)) {
		memset(&f->inode, 0, sizeof(f->inode));
		f->inode_family = f->icmp_type = f->icmp_code = 0;
	}
	f->seq = 0;
	f->etype = 0;
	memset(&f->saddr, 0, sizeof(f->saddr));
	memset(&f->daddr, 0, sizeof(f->daddr));
}

bool ra_decode_flow(const uint8_t *buf, size_t len, struct ra_flow *f, struct ra_err *err)
{
	unsigned fam;
	size_t core, off;

	if (len < RA_FLOW_CORE4)
		return bad(err, "flow record shorter than its core");
	fam = buf[RA_AT_RFLAGS] & 7;
	if (fam > RA_AF_ETHER)
		return bad(err, "flow record has an unknown address family");
	core = family_is_wide(fam) ? RA_FLOW_CORE6 : RA_FLOW_CORE4;
	if (len < core)
		return bad(err, "flow record shorter than its core");

	clear_blocks(f);
	f->present = 0;
	f->proto = buf[RA_AT_PROTO];
	f->family = (uint8_t)fam;
	f->cause = (buf[RA_AT_RFLAGS] >> 3) & 3;
	f->state = buf[RA_AT_STATE] < RA_ST_COUNT ? buf[RA_AT_STATE] : RA_ST_NONE;
	f->dir = buf[RA_AT_DIR] < RA_DIR_COUNT ? buf[RA_AT_DIR] : RA_DIR_NONE;
	f->stime = ld_le64(buf + RA_AT_STIME);
	f->ltime = f->stime + ld_le32(buf + RA_AT_DUR);
	if (f->ltime < f->stime)
		return bad(err, RA_TIME_OVERFLOW);
	f->sport = ld_le16(buf + RA_AT_SPORT);
	f->dport = ld_le16(buf + RA_AT_DPORT);
	f->sttl = buf[RA_AT_STTL]; f->dttl = buf[RA_AT_DTTL]; f->stos = buf[RA_AT_STOS]; f->dtos = buf[RA_AT_DTOS];
	f->stcpflags = buf[RA_AT_STCPFLAGS]; f->dtcpflags = buf[RA_AT_DTCPFLAGS];
	f->flgs = ld_le16(buf + RA_AT_FLGS);
	f->spkts = ld_le32(buf + RA_AT_SPKTS);
	f->dpkts = ld_le32(buf + RA_AT_DPKTS);
	f->sbytes = ld_le32(buf + RA_AT_SBYTES);
	f->dbytes = ld_le32(buf + RA_AT_DBYTES);
	f->sappbytes = ld_le32(buf + RA_AT_SAPPBYTES);
	f->dappbytes = ld_le32(buf + RA_AT_DAPPBYTES);
	if (family_is_wide(fam)) {
		get_addr(buf + RA_AT_SADDR, fam, &f->saddr, &f->etype, true);
		get_addr(buf + RA_AT_DADDR6, fam, &f->daddr, &f->etype, false);
	} else {
		get_addr(buf + RA_AT_SADDR, fam, &f->saddr, &f->etype, true);
		get_addr(buf + RA_AT_DADDR4, fam, &f->daddr, &f->etype, false);
	}
	f->trans = 1;
	f->spayload = f->dpayload = NULL;
	f->spaylen = f->dpaylen = 0;

	/* Optional blocks: only their "present" bit says they are valid. */
	off = core;
	/* the daemon's usual ones (handshake times of a TCP flow, then a
	 * sequence number) without the general loop's tests of each */
	if (len - off == 24 && ld_le32(buf + off) == RA_WORD_TCPRTT &&
	    ld_le32(buf + off + 16) == RA_WORD_SEQ) {
		decode_block(f, RA_BLK_TCPRTT, buf + off + 4, 8);
		decode_block(f, RA_BLK_SEQ, buf + off + 20, 4);
		return true;
	}
	if (len - off == 8 && ld_le32(buf + off) == RA_WORD_SEQ) {
		decode_block(f, RA_BLK_SEQ, buf + off + 4, 4);
		return true;
	}
	for (;;) {
		unsigned btype = 0;
		const uint8_t *body = NULL;
		size_t n = 0;
		int more = ra_flow_next_block(buf, len, &off, &btype, &body, &n, err);
		if (more < 0)
			return false;
		if (more == 0)	/* the duration's high bits (block 3) may have run past the end of time */
			return f->ltime >= f->stime || bad(err, RA_TIME_OVERFLOW);
		decode_block(f, btype, body, n);
	}
}

/* ---- status records ---- */

size_t ra_encode_status(const struct ra_status *st, uint8_t *out)
{
	unsigned n = st->nitems;
	size_t len;

	if (n > RA_STATUS_MAX_ITEMS)
		n = RA_STATUS_MAX_ITEMS;
	len = 32 + 16 * (size_t)n;
	memset(out, 0, 32);
	st_le16(out, RA_REC_STATUS);
	st_le16(out + 2, (uint16_t)len);
	out[4] = st->kind;
	out[5] = st->family;
	st_le16(out + 6, (uint16_t)n);
	st_le64(out + 8, st->time);
	put_any_addr(out + 16, st->family, &st->source);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = out + 32 + 16 * i;
		st_le32(p, st->items[i].key);
		st_le32(p + 4, st->items[i].aux);
		st_le64(p + 8, st->items[i].value);
	}
	return len;
}

bool ra_decode_status(const uint8_t *buf, size_t len, struct ra_status *st, struct ra_err *err)
{
	unsigned n;

	if (len < 32)
		return bad(err, "status record shorter than 32 bytes");
	n = ld_le16(buf + 6);
	if (n > RA_STATUS_MAX_ITEMS)
		return bad(err, "status record has too many items");
	if (32 + 16 * (size_t)n > len)
		return bad(err, "status record items run past its length");
	st->kind = buf[4];
	st->family = buf[5];
	if (st->family != RA_AF_INET && st->family != RA_AF_INET6)
		st->family = 0;
	st->nitems = (uint16_t)n;
	st->time = ld_le64(buf + 8);
	get_any_addr(buf + 16, st->family, &st->source);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *p = buf + 32 + 16 * i;
		st->items[i].key = ld_le32(p);
		st->items[i].aux = ld_le32(p + 4);
		st->items[i].value = ld_le64(p + 8);
	}
	return true;
}

/* ---- stream header ---- */

size_t ra_encode_stream_hdr(const struct ra_stream_hdr *h, uint8_t *out)
{
	memset(out, 0, RA_STREAM_HDR_LEN);
	st_le16(out, RA_REC_STREAM);
	st_le16(out + 2, RA_STREAM_HDR_LEN);
	memcpy(out + 4, RA_STREAM_MAGIC, 4);
	st_le16(out + 8, h->major);
	st_le16(out + 10, h->minor);
	st_le32(out + 12, h->flags);
	st_le64(out + 16, h->start_time);
	memcpy(out + 24, h->producer, strnlen(h->producer, 16));
	return RA_STREAM_HDR_LEN;
}

bool ra_decode_stream_hdr(const uint8_t *buf, size_t len, struct ra_stream_hdr *h, struct ra_err *err)
{
	if (len < RA_STREAM_HDR_LEN)
		return bad(err, "stream header shorter than 48 bytes");
	if (memcmp(buf + 4, RA_STREAM_MAGIC, 4) != 0)
		return bad(err, "stream header has a bad magic number");
	h->major = ld_le16(buf + 8);
	h->minor = ld_le16(buf + 10);
	if (h->major != RA_VERSION_MAJOR) {
		ra_err_set(err, RA_ERR_FORMAT, "record stream version %u.%u, this reader knows %u.x",
			   h->major, h->minor, RA_VERSION_MAJOR);
		return false;
	}
	h->flags = ld_le32(buf + 12);
	h->start_time = ld_le64(buf + 16);
	memcpy(h->producer, buf + 24, 16);
	h->producer[16] = '\0';
	for (int i = 0; i < 16; i++)
		if (h->producer[i] && (h->producer[i] < 0x20 || h->producer[i] > 0x7e))
			h->producer[i] = '?';
	return true;
}
