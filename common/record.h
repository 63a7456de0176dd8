/*
 * record.h - the record stream format, version 1 (see argus-record(5)).
 *
 * On disk everything is little-endian, framed as
 *     u16 type, u16 length (bytes, header included, a multiple of 8)
 * and 8-byte aligned.  A flow record is a fixed core (64 bytes for IPv4,
 * 88 for IPv6) followed by optional typed blocks
 *     u16 block type, u16 block length (bytes, header included)
 * each starting on an 8-byte boundary; a reader skips block types it does
 * not know.  In memory a flow is a struct ra_flow with every field at a
 * fixed offset; decode and encode convert between the two.
 */
#ifndef COMMON_RECORD_H
#define COMMON_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define RA_VERSION_MAJOR 1
#define RA_VERSION_MINOR 0

/* Record types. */
enum {
	RA_REC_STREAM = 0x0001,	/* stream header */
	RA_REC_FLOW = 0x0002,	/* flow record */
	RA_REC_STATUS = 0x0003,	/* daemon / agent / interface status */
};

#define RA_STREAM_MAGIC "\x89" "ARG"	/* 4 bytes at offset 4 of a stream header */
#define RA_STREAM_HDR_LEN 48		/* fixed part; producer name is 16 bytes of it */
#define RA_REC_MAX 65528u		/* largest record length */
#define RA_FLOW_CORE4 64u
#define RA_FLOW_CORE6 88u

/*
 * Where each field of a flow record's core starts (argus-record(5) draws
 * it): every reader and writer of record bytes names them from here, so
 * the layout lives in one place.  After the 8-byte frame:
 */
enum ra_core_at {
	RA_AT_PROTO = 4,	/* u8 IP protocol */
	RA_AT_RFLAGS = 5,	/* u8 bits 0-2 family, bits 3-4 cause */
	RA_AT_STATE = 6,	/* u8 enum ra_state */
	RA_AT_DIR = 7,		/* u8 enum ra_dir */
	RA_AT_STIME = 8,	/* u64 microseconds */
	RA_AT_DUR = 16,		/* u32 microseconds (high bits in RA_BLK_WIDE) */
	RA_AT_SPORT = 20,	/* u16 */
	RA_AT_DPORT = 22,	/* u16 */
	RA_AT_STTL = 24, RA_AT_DTTL = 25,	/* u8 each */
	RA_AT_STOS = 26, RA_AT_DTOS = 27,	/* u8 each */
	RA_AT_STCPFLAGS = 28, RA_AT_DTCPFLAGS = 29,	/* u8 each */
	RA_AT_FLGS = 30,	/* u16 RA_FL_x */
	RA_AT_SPKTS = 32, RA_AT_DPKTS = 36,	/* u32 each (low bits) */
	RA_AT_SBYTES = 40, RA_AT_DBYTES = 44,
	RA_AT_SAPPBYTES = 48, RA_AT_DAPPBYTES = 52,
	RA_AT_SADDR = 56,	/* source address (4 or 16 bytes, or a MAC) */
	RA_AT_DADDR4 = 60,	/* destination address of a 64-byte core */
	RA_AT_ETYPE = 62,	/* u16 big-endian ethertype of a MAC-keyed core */
	RA_AT_DADDR6 = 72,	/* destination address of an 88-byte core */
};
#define RA_PAYLOAD_MAX 16384u		/* per direction */
/* A flow whose start time plus duration does not fit in 64 bits of
 * microseconds is damaged: every decoder says so, in these words. */
#define RA_TIME_OVERFLOW "flow record's start time plus duration is past the year 586524"

/* Address families of a flow (low 3 bits of the core's rflags byte). */
enum ra_family {
	RA_AF_NONE = 0,
	RA_AF_INET = 1,		/* IPv4 addresses */
	RA_AF_INET6 = 2,	/* IPv6 addresses */
	RA_AF_ARP = 3,		/* ARP/RARP: IPv4 sender/target protocol addresses */
	RA_AF_ETHER = 4,	/* non-IP frame keyed by MAC addresses, etype below */
	RA_AF_STATUS = 7,	/* never on disk: a status record seen as a flow by
				 * the filter (ra_status_view, the word "man") */
};

/* Why the record was written (bits 3-4 of rflags), Argus's "cause". */
enum ra_cause {
	RA_CAUSE_START = 0,
	RA_CAUSE_STATUS = 1,
	RA_CAUSE_STOP = 2,	/* flow ended: closed, reset or idle timeout */
	RA_CAUSE_SHUTDOWN = 3,	/* flushed at end of input or on a signal */
};

/* Argus's Dir column. */
enum ra_dir {
	RA_DIR_NONE = 0,
	RA_DIR_FWD,		/* "->"  */
	RA_DIR_BOTH,		/* "<->" */
	RA_DIR_REV,		/* "<-"  */
	RA_DIR_FWD_UNK,		/* "?>"  started before capture, src->dst only */
	RA_DIR_BOTH_UNK,	/* "<?>" */
	RA_DIR_REV_UNK,		/* "<?"  */
	RA_DIR_WHO,		/* "who" ARP request */
	RA_DIR_COUNT
};

/* The same direction seen from the other side: -> and <-, ?> and <? trade places. */
static inline uint8_t ra_dir_reversed(uint8_t dir)
{
	switch (dir) {
	case RA_DIR_FWD: return RA_DIR_REV;
	case RA_DIR_REV: return RA_DIR_FWD;
	case RA_DIR_FWD_UNK: return RA_DIR_REV_UNK;
	case RA_DIR_REV_UNK: return RA_DIR_FWD_UNK;
	default: return dir;
	}
}

/* Flow states: Argus's state words.  Names in state.c. */
enum ra_state {
	RA_ST_NONE = 0,
	/* TCP */
	RA_ST_REQ, RA_ST_ACC, RA_ST_CON, RA_ST_CLO, RA_ST_FIN, RA_ST_RST,
	RA_ST_TIM, RA_ST_EST, RA_ST_STA,
	/* UDP, other IP, non-IP */
	RA_ST_INT, RA_ST_DRP,
	/* ICMP */
	RA_ST_ECO, RA_ST_ECR, RA_ST_SRC, RA_ST_RED, RA_ST_TXD, RA_ST_PAR,
	RA_ST_TST, RA_ST_TSR, RA_ST_IRQ, RA_ST_IRR, RA_ST_MAS, RA_ST_MSR,
	RA_ST_RTA, RA_ST_RTS, RA_ST_URN, RA_ST_URH, RA_ST_URP, RA_ST_URPR,
	RA_ST_URF, RA_ST_URS, RA_ST_URNU, RA_ST_URHU, RA_ST_URAD, RA_ST_UR,
	RA_ST_MLQ, RA_ST_MLR, RA_ST_NBS, RA_ST_NBA, RA_ST_RDR, RA_ST_PTB,
	RA_ST_COUNT
};

/* Flgs column bits (Argus's flow flags). */
enum {
	RA_FL_ETHER = 1u << 0,		/* 'e' Ethernet encapsulation */
	RA_FL_8021Q = 1u << 1,		/* 'q' 802.1Q/802.1ad tags */
	RA_FL_MPLS = 1u << 2,		/* 'm' MPLS labels */
	RA_FL_PPP = 1u << 3,		/* 'p' PPP */
	RA_FL_MULTIMAC = 1u << 4,	/* 'M' more than one MAC pair */
	RA_FL_FRAG = 1u << 5,		/* 'F' fragments seen */
	RA_FL_FRAG_PART = 1u << 6,	/* 'f' partial fragment (not all arrived) */
	RA_FL_FRAG_OVER = 1u << 7,	/* 'V' overlapping fragments */
	RA_FL_ICMP_MAP = 1u << 8,	/* 'I' an ICMP error referred to this flow */
	RA_FL_ECN = 1u << 9,		/* 'E' ECN */
	RA_FL_SLL = 1u << 10,		/* 's' Linux cooked capture */
	RA_FL_TUNNEL = 1u << 11,	/* 'T' tunnel (GRE, VXLAN, 6in4) */
	RA_FL_SAMPLED = 1u << 12,	/* 'S' counts from sampled traffic (sFlow) */
	RA_FL_RTP = 1u << 13,		/* UDP flow Argus's heuristic labels RTP (proto "rtp") */
	RA_FL_RTCP = 1u << 14,		/* ... or RTCP (proto "rtcp") */
};

/* TCP flag bits as in the TCP header. */
enum {
	RA_TCP_FIN = 0x01, RA_TCP_SYN = 0x02, RA_TCP_RST = 0x04, RA_TCP_PSH = 0x08,
	RA_TCP_ACK = 0x10, RA_TCP_URG = 0x20, RA_TCP_ECE = 0x40, RA_TCP_CWR = 0x80,
};

/* Optional flow blocks; the same numbers are bits in ra_flow.present. */
enum ra_block {
	RA_BLK_PAYLOAD_SRC = 1,	/* captured payload, source to destination */
	RA_BLK_PAYLOAD_DST = 2,	/* captured payload, destination to source */
	RA_BLK_WIDE = 3,	/* high 32 bits of counters and duration */
	RA_BLK_L2 = 4,		/* MACs, VLANs, MPLS labels */
	RA_BLK_TCP = 5,		/* TCP: retrans, ooo, winshut (block 5, when any is set)
				 * and synack, ackdat (block 11, when either is set) */
	RA_BLK_TIMING = 6,	/* jitter and mean inter-packet time */
	RA_BLK_ID = 7,		/* srcid, seq, sFlow sub-agent, rate, ifindex */
	RA_BLK_AGG = 8,		/* trans and record-duration statistics */
	RA_BLK_ICMP = 9,	/* ICMP error mapped onto this flow (inode) */
	RA_BLK_SEQ = 10,	/* the daemon's flow sequence number (written when seq != 0) */
	RA_BLK_TCPRTT = 11,	/* on disk only: the handshake half of RA_BLK_TCP */
};
/* The bodies of the daemon's usual blocks as the encoder writes them, and
 * their first word (type, then that length, little-endian): how readers
 * that take those blocks without the general loop know them. */
enum { RA_BLK_TCP_LEN = 28, RA_BLK_TCPRTT_LEN = 12, RA_BLK_SEQ_LEN = 8 };
#define RA_BLK_WORD(type, len) ((uint32_t)(type) | (uint32_t)(len) << 16)
#define RA_WORD_TCP RA_BLK_WORD(RA_BLK_TCP, RA_BLK_TCP_LEN)
#define RA_WORD_TCPRTT RA_BLK_WORD(RA_BLK_TCPRTT, RA_BLK_TCPRTT_LEN)
#define RA_WORD_SEQ RA_BLK_WORD(RA_BLK_SEQ, RA_BLK_SEQ_LEN)
#define RA_HAS(f, blk) (((f)->present >> (blk)) & 1u)
#define RA_SET(f, blk) ((f)->present |= 1u << (blk))

union ra_addr {
	uint32_t v4;		/* IPv4 in host byte order: 10.0.0.1 == 0x0a000001 */
	uint8_t v6[16];		/* IPv6 in network byte order */
	uint8_t mac[6];		/* RA_AF_ETHER */
};

/* One flow, decoded.  Every field is at a fixed offset. */
struct ra_flow {
	uint64_t stime;		/* first packet, microseconds since the epoch */
	uint64_t ltime;		/* last packet */
	union ra_addr saddr, daddr;
	uint64_t spkts, dpkts, sbytes, dbytes, sappbytes, dappbytes;
	uint32_t present;	/* 1 << RA_BLK_x for each optional block */
	uint32_t flgs;		/* RA_FL_x */
	uint16_t sport, dport;	/* ICMP: sport = type, dport = id or code */
	uint16_t etype;		/* RA_AF_ETHER: ethertype, or 0 for 802.2 LLC */
	uint8_t family;		/* enum ra_family */
	uint8_t proto;		/* IP protocol */
	uint8_t state;		/* enum ra_state */
	uint8_t dir;		/* enum ra_dir */
	uint8_t cause;		/* enum ra_cause */
	uint8_t stcpflags, dtcpflags;	/* OR of TCP flags seen per direction */
	uint8_t sttl, dttl, stos, dtos;

	/* RA_BLK_L2 */
	uint8_t smac[6], dmac[6];
	uint16_t svlan, dvlan;		/* 802.1Q id + 0x1000 marker bit unused: 0 = none */
	uint32_t smpls, dmpls;		/* top label, 0 = none */

	/* RA_BLK_TCP */
	uint32_t sretrans, dretrans, sooo, dooo, swinshut, dwinshut;
	uint32_t synack, ackdat;	/* handshake round trips, microseconds */

	/* RA_BLK_TIMING: microseconds */
	uint32_t sjit, djit, sintpkt, dintpkt;

	/* RA_BLK_SEQ: written whenever seq != 0 */
	uint32_t seq;			/* flow sequence number from the daemon */

	/* RA_BLK_ID */
	union ra_addr srcid;		/* probe or sFlow agent */
	uint8_t srcid_family;		/* RA_AF_INET or RA_AF_INET6, 0 = none */
	uint32_t subagent;		/* sFlow sub-agent id */
	uint32_t rate;			/* sampling rate, 0 or 1 = unsampled */
	uint32_t inif, outif;		/* ifindex, sFlow 2+30-bit format kept */

	/* RA_BLK_AGG */
	uint32_t trans;			/* records merged into this one; 1 when absent */
	uint64_t dur_min, dur_max, dur_sum;	/* microseconds */
	double dur_sumsq;		/* sum of squared durations, seconds^2 */
	uint64_t blank[2];		/* fields that differed across the merged records:
					 * bit n is field id n (enum fld_id, append-only) */
	uint8_t prefix_set;		/* bit 0: sprefix holds, bit 1: dprefix holds */
	uint8_t sprefix, dprefix;	/* common prefix length of differing addresses */

	/* RA_BLK_ICMP */
	union ra_addr inode;		/* who sent the ICMP error */
	uint8_t inode_family;
	uint8_t icmp_type, icmp_code;

	/* RA_BLK_PAYLOAD_x: point into the decode buffer or the daemon's flow */
	const uint8_t *spayload, *dpayload;
	uint16_t spaylen, dpaylen;

	/* Not on disk: a service name a tool gave the flow (raservices -f);
	 * NULL: the field `service` is computed (service.h).  Decoding leaves it. */
	const char *service;
	/* Not on disk: the status record this flow is the view of
	 * (ra_status_view), whose items the host health fields read. */
	const struct ra_status *status;
};

/* Status record kinds and item keys (argus-record(5) lists them all). */
enum ra_status_kind {
	RA_STATUS_DAEMON = 1,		/* the daemon's own health */
	RA_STATUS_AGENT = 2,		/* one sFlow agent's figures */
	RA_STATUS_IFACE = 3,		/* one interface's counters (sFlow counter sample) */
	RA_STATUS_LOSS = 4,		/* records a stream server dropped for this client */
	RA_STATUS_HOST = 5,		/* the host's health (argus ARGUS_HOST_HEALTH): one
					 * host-wide record, one per listening socket */
};

#define RA_STATUS_MAX_ITEMS 512
struct ra_status_item {
	uint32_t key;
	uint32_t aux;			/* e.g. ifindex or sub-agent; 0 when unused */
	uint64_t value;
};

struct ra_status {
	uint64_t time;			/* microseconds since the epoch */
	uint8_t kind;			/* enum ra_status_kind */
	uint8_t family;			/* of source: RA_AF_INET/INET6, 0 = none */
	union ra_addr source;		/* agent or probe address */
	uint16_t nitems;
	struct ra_status_item items[RA_STATUS_MAX_ITEMS];
};

/* Stream header. */
struct ra_stream_hdr {
	uint16_t major, minor;
	uint32_t flags;
	uint64_t start_time;		/* microseconds since the epoch */
	char producer[17];		/* e.g. "argus 0.1", NUL-terminated */
};

/* A decoded record of any type. */
struct ra_record {
	uint16_t type;
	uint16_t len;			/* bytes on disk */
	union {
		struct ra_flow flow;
		struct ra_stream_hdr hdr;
	} u;
	struct ra_status *status;	/* RA_REC_STATUS: points at caller-owned storage */
};

/* Initialise a flow to "nothing seen": all zero, trans = 1. */
void ra_flow_init(struct ra_flow *f);

/*
 * Decode one record from buf (len bytes, which must be the record's own
 * framed length).  Flow payload pointers point into buf.  A status record
 * is decoded into *st when st is not NULL.  Returns false and fills err
 * (without path/offset) on malformed input.
 * ra_decode_flow: f must have been set up by ra_flow_init() (or by an
 * earlier decode) before its first use; only the parts the previous
 * record filled are cleared, which keeps decoding cheap.
 */
bool ra_decode_flow(const uint8_t *buf, size_t len, struct ra_flow *f, struct ra_err *err);
bool ra_decode_status(const uint8_t *buf, size_t len, struct ra_status *st, struct ra_err *err);
bool ra_decode_stream_hdr(const uint8_t *buf, size_t len, struct ra_stream_hdr *h, struct ra_err *err);

/*
 * Walk a flow record's optional blocks: the block at *off (start at the
 * end of the core) gives its type, body and body length, and *off moves
 * past it.  Returns 1 for a block, 0 at the end of the record, -1 with
 * err set when the block is damaged (cut short, or shorter than its type
 * needs).  Both flow decoders walk blocks with it; inline, since it runs
 * for every block of every record.
 */
#define RA_BLK_NEED_TYPES 12
extern const uint8_t ra_block_need[RA_BLK_NEED_TYPES];	/* body bytes each type needs */
int ra_flow_block_damaged(const uint8_t *buf, size_t len, size_t at, struct ra_err *err);

static inline int ra_flow_next_block(const uint8_t *buf, size_t len, size_t *off, unsigned *type,
				     const uint8_t **body, size_t *n, struct ra_err *err)
{
	size_t at = *off;
	unsigned t, blen;

	if (at >= len)
		return 0;
	if (len - at < 4)
		return ra_flow_block_damaged(buf, len, at, err);
	t = (unsigned)(buf[at] | buf[at + 1] << 8);
	blen = (unsigned)(buf[at + 2] | buf[at + 3] << 8);
	if (blen < 4 || blen > len - at || (t < RA_BLK_NEED_TYPES && blen - 4u < ra_block_need[t]))
		return ra_flow_block_damaged(buf, len, at, err);
	*type = t;
	*body = buf + at + 4;
	*n = blen - 4u;
	*off = at + ((blen + 7u) & ~7u);
	return 1;
}

/* The AGG block's fields (trans, record-duration statistics, and in its
 * long form the blank marks and address prefixes) as both flow decoders
 * read them; dur_sumsq in seconds^2 as on disk.  n: the body's bytes. */
struct ra_agg {
	uint32_t trans;
	uint64_t dur_min, dur_max, dur_sum;
	double dur_sumsq;
	uint64_t blank[2];
	uint8_t prefix_set, sprefix, dprefix;
	bool marks;			/* the long form: blank and prefixes were read */
};
void ra_agg_read(const uint8_t *p, size_t n, struct ra_agg *a);
/* The whole AGG block ra_encode_flow writes for a (the long form when
 * a->marks) into out; returns its bytes (40 or 64). */
size_t ra_agg_write(const struct ra_agg *a, uint8_t *out);

/* Peek at framing: fills type and length from 4 bytes; no validation. */
static inline void ra_frame(const uint8_t *p, uint16_t *type, uint16_t *len)
{
	*type = (uint16_t)(p[0] | p[1] << 8);
	*len = (uint16_t)(p[2] | p[3] << 8);
}

/*
 * Encode into out (at least RA_REC_MAX bytes).  Returns the number of
 * bytes written, or 0 if the record cannot be represented (payload too
 * long for one record: it is cut to fit instead, so 0 means a bug).
 */
size_t ra_encode_flow(const struct ra_flow *f, uint8_t *out);
/*
 * Are buf's len bytes what ra_encode_flow writes for the record
 * ra_decode_flow makes of them?  Answered for the daemon's usual records
 * (an IPv4 or IPv6 core; TCP counters, handshake times and a sequence
 * number, each only when not zero, in the encoder's order): false for any
 * other record, even one that would come out the same.
 */
bool ra_flow_reencodes(const uint8_t *buf, size_t len);
size_t ra_encode_status(const struct ra_status *st, uint8_t *out);
size_t ra_encode_stream_hdr(const struct ra_stream_hdr *h, uint8_t *out);

/* Names. */
const char *ra_state_name(unsigned state);		/* "CON", "" for NONE */
int ra_state_lookup(const char *name);			/* -1 if unknown; case-insensitive */
/* The state an ICMP (v6: ICMPv6) type and code stand for; RA_ST_NONE if none. */
unsigned ra_icmp_state(unsigned type, unsigned code, bool v6);
const char *ra_dir_symbol(unsigned dir);		/* "->" ... */
const char *ra_cause_name(unsigned cause);		/* "Start" ... */

#endif
