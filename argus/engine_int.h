/*
 * engine_int.h - the daemon core's internal types, shared by the decoders,
 * the flow table and the outputs (not by capture inputs: they use engine.h).
 *
 * A packet is decoded into a struct pkt: the flow key (family, protocol,
 * addresses, ports, DNS transaction id), the link-layer facts (MACs, VLAN,
 * MPLS, encapsulation flags) and what the transport layer says (TCP flags
 * and sequence numbers, ICMP type and code, payload).  The flow table
 * finds or creates the struct flow for the key and the per-protocol
 * update functions fold the packet into it.
 */
#ifndef ARGUS_ENGINE_INT_H
#define ARGUS_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "record.h"
#include "stream.h"

/* Malformed-packet reasons, counted per reason in the status record. */
enum mal_reason {
	MAL_LINK_SHORT,		/* link header cut short */
	MAL_LINK_UNSUPPORTED,	/* unsupported link type */
	MAL_IP_SHORT,		/* IPv4 header cut short */
	MAL_IP_BADHDR,		/* IPv4 version or header length wrong */
	MAL_IP_BADLEN,		/* IPv4 total length smaller than the header */
	MAL_IP6_SHORT,		/* IPv6 header or extension header cut short */
	MAL_TCP_SHORT,
	MAL_TCP_BADOFF,		/* TCP data offset < 5 or beyond the packet */
	MAL_UDP_SHORT,
	MAL_ICMP_SHORT,
	MAL_ARP_SHORT,
	MAL_TRUNCATED,		/* caplen < wirelen: counted, still decoded */
	MAL_OTHER,		/* reasons named by other inputs (sFlow ...) */
	MAL_COUNT
};

/* Flow key.  Addresses as in struct ra_flow (IPv4 host order in .v4). */
struct flow_key {
	union ra_addr saddr, daddr;
	uint16_t sport, dport;
	uint16_t etype;		/* RA_AF_ETHER */
	uint16_t xid;		/* DNS transaction id on port 53, 0 otherwise */
	uint8_t family, proto;
	uint8_t portdir;	/* 1: ports swap with addresses (TCP, UDP ...);
				 * 2: never matched reversed (ARP: the decoder orients) */
	uint8_t pad;
	uint32_t agent_hash;	/* sFlow origin's exact number (origin.c); 0 when captured here */
};

/* One decoded packet. */
struct pkt {
	uint64_t ts;			/* microseconds */
	uint32_t wirelen, caplen, weight;
	const struct pkt_origin *origin;
	struct flow_key key;
	uint32_t flgs;			/* RA_FL_ETHER, 8021Q, MPLS, SLL, PPP, FRAG ... */
	bool have_mac;
	uint8_t smac[6], dmac[6];
	uint16_t vlan;
	uint32_t mpls;
	uint8_t ttl, tos;
	/* transport */
	bool no_l4;			/* transport header missing or malformed */
	uint8_t tcpflags;
	uint32_t seq, ack;
	uint16_t win;
	uint32_t applen;		/* payload bytes the packet claims */
	const uint8_t *payload;		/* captured part of it */
	uint32_t paycap;
	uint8_t icmp_type, icmp_code;
	bool icmp_error;		/* ICMP error: inner key in ikey */
	bool icmp_reply;		/* a reply: its flow's source is the requester */
	bool force_rev;			/* key.portdir == 2: the decoder says the direction */
	uint8_t arp_op;
	uint32_t hash;			/* of key, set when the engine batches packets */
	/* fragments */
	bool frag_later;		/* fragment with offset > 0 (no transport header) */
	bool frag_first;		/* offset 0, more fragments follow */
	bool frag_more;			/* a later fragment that is not the last */
	uint32_t frag_id;
	/* Last, not cleared per packet (read only when icmp_error is set): */
	struct flow_key ikey;		/* the flow an ICMP error refers to */
};

/*
 * A flow in the table, 64-byte aligned: two cache lines that packets read
 * and write (fetched ahead of a batch, FLOW_HOT_BYTES), then a cold part
 * of three lines: the first written when the flow is made and once per
 * record (the table's bookkeeping, the record's rarer counters, when it
 * started), the second once per record or by rare packets (upper halves of
 * the counters, VLANs, MPLS labels, sequence holes), the third only by rare
 * packets (handshakes, retransmissions, ICMP errors).  What only some
 * options need (-J, -m, sFlow origins) is in a struct flow_ext of its own,
 * in a side array that is touched only when they are used.  The record
 * being built is kept as counters here and put together as a struct
 * ra_flow only when it is written (engine_emit_flow); the fields named as
 * in struct ra_flow hold what that record's fields would hold.  Packet and
 * byte counters are 64-bit, kept as a lower half in the hot lines and an
 * upper half in the cold ones that a carry reaches (FLOW_ADD, FLOW_GET).
 * TCP sequence tracking is per direction (index 0: from the source, 1:
 * from the destination).
 */
struct flow {
	/* line 0: lookup */
	_Alignas(64) struct flow_key key;	/* as the source sent it */
	uint64_t last_ts;
	uint64_t stime;			/* of the current record (<= rec_start) */
	/* line 1 */
	uint64_t ltime;			/* of the current record */
	uint32_t spkts, dpkts, sbytes, dbytes, sappbytes, dappbytes;	/* lower halves */
	uint32_t present;		/* RA_BLK_x of the record (RA_SET, RA_HAS work) */
	uint32_t flgs;			/* RA_FL_x */
	uint8_t sttl, dttl, stos, dtos, stcpflags, dtcpflags;
	uint8_t tclass;			/* timeout class */
	uint8_t tcpstate;		/* TCP progress, TS_x (flow_closed()) */
	uint8_t icmp_state;		/* ICMP state word so far */
	uint8_t rec_open;		/* rec_start != 0 */
	union {				/* by protocol: */
		uint8_t seq_seen[2];	/* TCP: a segment was seen this way */
		uint8_t rtp_n[2];	/* UDP labelled RTP: packets with the direction's SSRC */
	};
	uint32_t hs_ts;			/* low 32 bits of the SYN's time until the SYN-ACK
					 * came, then of the SYN-ACK's (handshake round trips) */
	union {
		uint32_t max_seq[2];	/* TCP: highest sequence number seen + length */
		uint32_t rtp_ssrc[2];	/* UDP labelled RTP: each direction's SSRC */
	};
	/* Cold, line 2: written when the flow is made and once per record. */
	_Alignas(64) uint32_t idx;	/* its index in the table */
	uint32_t hslot;			/* slot in the hash table */
	uint32_t seq;			/* sequence number of the flow */
	uint32_t synack, ackdat;	/* handshake round trips of the record */
	uint32_t sretrans, dretrans, sooo, dooo;
	uint8_t in_use;			/* in the table (flowtab.c: its generation) */
	uint64_t enq_ts;		/* when it was (re)queued on its idle list */
	uint64_t rec_start;		/* first packet of the current record, 0 = empty */
	uint32_t swinshut, dwinshut;
	/* Line 3: once per record, or rare packets. */
	uint32_t spkts_hi, dpkts_hi, sbytes_hi, dbytes_hi, sappbytes_hi, dappbytes_hi;
	uint16_t svlan, dvlan;
	uint8_t records;		/* records written so far (cause Start/Status) */
	uint8_t arp_who;		/* an ARP request was seen */
	uint8_t own_origin;		/* the record's origin is in the flow_ext (sFlow),
					 * not the daemon's own -e srcid */
	uint8_t mpls_set;		/* the record's MPLS labels are in the flow_ext */
	uint32_t hole_lo[2], hole_hi[2];	/* sequence space skipped by a jump ahead */
	uint64_t hole_ts[2];		/* when the hole opened, 0 = none (read by
					 * retransmissions only) */
};

/* TCP progress of a flow (tcpstate), set by decode_tcp.c. */
enum {
	TS_SYN = 1 << 0,	/* SYN from the source */
	TS_SYNACK = 1 << 1,	/* SYN-ACK from the destination */
	TS_EST = 1 << 2,	/* ACK from the source after the SYN-ACK */
	TS_FIN_S = 1 << 3,
	TS_FIN_D = 1 << 4,
	TS_RST = 1 << 5,
	TS_ACKDAT = 1 << 6,	/* ackdat measured */
};

/* FIN both ways or RST: the record may end (the state only grows). */
static inline bool flow_closed(const struct flow *f)
{
	return (f->tcpstate & TS_RST) || (f->tcpstate & (TS_FIN_S | TS_FIN_D)) == (TS_FIN_S | TS_FIN_D);
}

/* Add v to a counter of the flow (modulo 2^64, as a uint64_t would): the
 * upper half is touched only when the lower one carries. */
static inline void flow_add(uint32_t *lo, uint32_t *hi, uint64_t v)
{
	if (v <= (uint64_t)(UINT32_MAX - *lo)) {
		*lo += (uint32_t)v;
		return;
	}
	uint64_t sum = ((uint64_t)*hi << 32 | *lo) + v;
	*lo = (uint32_t)sum;
	*hi = (uint32_t)(sum >> 32);
}
#define FLOW_ADD(f, name, v) flow_add(&(f)->name, &(f)->name##_hi, (v))
#define FLOW_GET(f, name) ((uint64_t)(f)->name##_hi << 32 | (f)->name)

/* What only some options or rare packets need, apart from the flows
 * (flowtab.c keeps it in a side array, never touched when unused):
 * inter-packet times (-J), MAC addresses (-m, valid when the record has
 * RA_BLK_L2), the sFlow origin (valid when the flow's own_origin is set),
 * MPLS labels (when its mpls_set is), the ICMP error's facts (when the
 * record has RA_BLK_ICMP) and the payload (-U). */
struct flow_ext {
	uint64_t slast, dlast;		/* last packet per direction (-J) */
	double sint_sum, dint_sum, sint_sq, dint_sq;
	uint32_t sint_n, dint_n;	/* inter-packet times (-J) */
	uint32_t subagent, rate, inif, outif;	/* RA_BLK_ID: probe or sFlow agent */
	union ra_addr srcid;
	uint8_t srcid_family;
	uint8_t smac[6], dmac[6];	/* RA_BLK_L2 (-m) */
	uint32_t smpls, dmpls;
	union ra_addr inode;		/* RA_BLK_ICMP */
	uint8_t inode_family, icmp_type, icmp_code;
	uint16_t spaylen, dpaylen;	/* -U */
	uint8_t *pay;			/* 2 * payload bytes (-U), NULL until needed;
					 * kept with its entry */
};

/* The bytes of a flow a packet touches (fetched ahead in a batch). */
#define FLOW_HOT_BYTES offsetof(struct flow, idx)

/* Timeout classes. */
enum { TC_TCP, TC_UDP, TC_ICMP, TC_OTHER, TC_CLOSED, TC_COUNT };	/* TC_CLOSED: TCP after FIN/RST */

#define FLOW_NIL 0xffffffffu
#define ENGINE_BATCH 32

struct engine_config {
	uint64_t status_interval;	/* microseconds; 0 = no status records for flows */
	uint64_t timeout[TC_COUNT];	/* microseconds */
	uint64_t daemon_status_interval;	/* status records about the daemon */
	unsigned payload;		/* -U bytes per direction */
	bool mac;			/* -m: L2 block */
	bool dns_xid;			/* key DNS on port 53 by transaction id */
	bool timing;			/* jitter and intpkt (-J) */
	uint8_t srcid_family;
	union ra_addr srcid;
	uint32_t max_flows;		/* 0 = unbounded */
};

struct flowtab;
struct fragtab;

/* Worker threads (argus/workers.c): an engine with a fan hands every
 * packet, tick, sync and the flush to it instead of doing the work. */
struct engine_fan {
	void (*packet)(void *arg, int dlt, uint64_t ts_us, const uint8_t *bytes, uint32_t caplen,
		       uint32_t wirelen);	/* bytes copied before it returns */
	void (*packets)(void *arg, int dlt, const struct engine_frame *fr, unsigned n);	/* borrowed */
	void (*tick)(void *arg, uint64_t now_us);
	void (*sync)(void *arg);
	void (*flush)(void *arg);
	void (*free)(void *arg);
};
/* The engine clock's granularity: engine_tick() looks at its lists when
 * the clock has moved this far since it last did (workers.c repeats it). */
#define ENGINE_TICK_US 1000u

struct engine {
	struct engine_config cfg;
	struct flowtab *ft;
	struct fragtab *frags;
	struct ra_writer *out;
	bool write_failed;
	uint64_t now;			/* engine clock, microseconds */
	uint64_t next_daemon_status;
	uint64_t next_frag_check;
	uint64_t next_tick;		/* engine_tick() looks at its lists from then on */
	uint64_t start_time;
	uint32_t next_seq;
	uint32_t seq_step;		/* 1; N with N workers, each numbering its own (workers.c) */
	/* counters */
	uint64_t pkts, bytes, flows_created, flows_expired, records_written;
	uint64_t flows_refused;		/* table full (max_flows) or out of memory */
	uint64_t frag_pending, frag_orphans;
	struct origin_tab *origins;	/* sFlow agent/sub-agent numbering, made on first use */
	uint64_t origins_overflow;	/* samples from origins past ORIGIN_MAX */
	uint64_t mal[MAL_COUNT];
	uint64_t unsupported_dlt[8];	/* DLTs warned about */
	unsigned n_unsupported;
	char other_reason[8][32];
	uint64_t other_count[8];
	unsigned n_other;
	uint64_t input_received, input_dropped, input_ifdropped;
	/* engine_packets(): decoded packets waiting for their flows */
	bool batching;
	unsigned nbatch;		/* packets in *batch */
	struct pkt *batch;		/* the ring entry being decoded into */
	struct pkt ring[3][ENGINE_BATCH];
	unsigned ring_n[3];
	uint64_t closed_received, closed_dropped;	/* from inputs already closed */
	/* Called before a daemon status record to refresh input_* (main.c). */
	void (*refresh)(struct engine *e, void *arg);
	void *refresh_arg;
	void (*warn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
	/* The stream server (main.c): every record written is also given to
	 * tap, encoded once; status_more adds the server's items to the
	 * daemon's status record.  NULL when there is no server. */
	void (*tap)(void *arg, const uint8_t *rec, size_t len);
	void (*status_more)(void *arg, struct ra_status *st);
	void *tap_arg;
	/* ARGUS_HOST_HEALTH (main.c, health.c): called after each daemon
	 * status record to emit the host's; NULL when off. */
	void (*health)(void *arg, uint64_t now);
	void *health_arg;
	/* Worker threads (workers.c): NULL when this engine does the work. */
	const struct engine_fan *fan;
	void *fan_arg;
	uint64_t fan_active, fan_memory;	/* the workers' flows and memory, for the status record */
	bool mark_only;			/* engine_mark(): decode only to mark a quoted flow */
};

/* Big-endian loads inside a fixed-size header whose whole length one
 * cursor check (cur_has) has already covered: the decoders' fast paths. */
static inline uint16_t hdr_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t hdr_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* decode_link.c: from a link-layer frame to pkt and engine_flow_packet(). */
void decode_link(struct engine *e, int dlt, struct pkt *p, const uint8_t *bytes);
/* Decoders after the link layer; each fills p and calls engine_flow_packet(). */
void decode_ethertype(struct engine *e, struct pkt *p, uint16_t etype, const uint8_t *bytes,
		      uint32_t off);
void decode_ip(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len);
void decode_ip6(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len);
void decode_arp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len);
/* decode_ip.c: after the network layer, by p->key.proto (used by IPv6 too). */
void decode_transport(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len,
		      uint32_t paylen);
/* Transport decoders: fill the key's ports and transport facts.  false = malformed. */
bool decode_tcp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len, uint32_t wirelen);
bool decode_udp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len, uint32_t wirelen);
/* RA_FL_RTP, RA_FL_RTCP or 0 for a UDP flow's first packet (key oriented). */
unsigned udp_app_label(const struct flow_key *k, const uint8_t *payload, uint32_t cap);
/* A packet of a flow labelled RTP: the label goes when a direction's SSRC
 * changes or the version is not 2, as in Argus; returns the new flgs. */
void udp_rtp_packet(struct flow *f, const struct pkt *p, bool rev);
/* Argus shows RTP once a direction has carried this many packets. */
#define RTP_MIN_PKTS 5
bool decode_icmp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len, uint32_t wirelen,
		 bool v6);

/* engine.c */
struct engine *engine_new(const struct engine_config *cfg, struct ra_writer *out);
void engine_free(struct engine *e);
/* End of input or a signal: every active flow is written (cause Shutdown). */
void engine_flush(struct engine *e);
/* engine_flush() without the daemon status record after it (a worker's). */
void engine_flush_flows(struct engine *e);
/* An ICMP error counted by another worker: decode it only to mark the
 * flow it quotes, here, as engine_packet() would have (nothing counted). */
void engine_mark(struct engine *e, int dlt, const struct engine_frame *fr);
struct flow *engine_find_or_create(struct engine *e, struct pkt *p, bool *rev);
void engine_account(struct engine *e, struct flow *f, const struct pkt *p, bool rev);
void engine_malformed(struct engine *e, enum mal_reason r);
/* A frame of a link type we do not decode: counted, warned about once. */
void engine_unsupported_dlt(struct engine *e, int dlt);
/* Account a decoded packet to its flow (finds or creates it). */
void engine_flow_packet(struct engine *e, struct pkt *p);
/* Write the flow's current record (cause given) and start an empty one. */
void engine_emit_flow(struct engine *e, struct flow *f, unsigned cause);
/* engine_record.c: a flow's record starts empty (counters cleared,
 * identity kept; o: the sFlow origin, NULL for none; fresh: the entry was
 * never used, so it is zero already). */
void engine_init_record(struct engine *e, struct flow *f, const struct pkt_origin *o, bool fresh);
/* output.c: the daemon's own status record (keys in argus(8)). */
void output_daemon_status(struct engine *e, uint64_t now);
uint64_t frag_memory(void);

/* decode_tcp.c: the TCP state machine. */
void tcp_update(struct engine *e, struct flow *f, const struct pkt *p, bool rev);
/* Is this packet the start of a new connection on a closed flow's key? */
bool tcp_restarts(const struct flow *f, const struct pkt *p, bool rev);
/* Set the record's state word and Dir before it is written. */
void tcp_finish(const struct flow *f, struct ra_flow *r);
/* decode_icmp.c: ICMP state words. */

/* frag.c: IPv4/IPv6 fragment folding. */
struct fragtab *frag_new(void);
void frag_free(struct fragtab *t);
/* A first fragment (offset 0, with ports) was accounted to flow index fi. */
void frag_first(struct engine *e, const struct pkt *p, uint32_t fi);
/* A later fragment: fold into the parent flow or keep it pending. */
void frag_later(struct engine *e, struct pkt *p);
/* Emit pending orphans older than the fragment timeout (all when force). */
void frag_expire(struct engine *e, uint64_t now, bool force);

/* flowtab.c */
struct flowtab *ft_new(uint32_t hint);
void ft_free(struct flowtab *t);
/* Find the flow for key; *rev = true when the packet goes destination to source. */
struct flow *ft_find(struct flowtab *t, const struct flow_key *k, bool *rev);
/* The same with the key's hash known, and cache warm-up for a later find. */
uint32_t ft_hash(const struct flow_key *k);
struct flow *ft_find_hashed(struct flowtab *t, const struct flow_key *k, uint32_t h, bool *rev);
void ft_prefetch_slot(const struct flowtab *t, uint32_t h);
/* Fetch the first bytes of the flow with hash h, if there is one, and its
 * list links when the packet may move it to another list. */
void ft_prefetch_flow(const struct flowtab *t, uint32_t h, size_t bytes, bool links);
struct flow *ft_create(struct flowtab *t, const struct flow_key *k, unsigned tclass, uint64_t now);
/* The same with ft_hash(k) known (the hash is the same for a key and its reverse). */
struct flow *ft_create_hashed(struct flowtab *t, const struct flow_key *k, uint32_t h, unsigned tclass,
			      uint64_t now);
void ft_remove(struct flowtab *t, struct flow *f);
struct flow *ft_get(struct flowtab *t, uint32_t idx);
/* Is the flow (got by index) in the table now? */
bool ft_live(const struct flowtab *t, const struct flow *f);
/* The flow's payload buffer of size bytes (-U), made on first use and kept
 * with its entry (the size never changes); NULL when out of memory. */
uint8_t *ft_payload_buffer(struct flowtab *t, struct flow *f, size_t size);
/* The flow's struct flow_ext: zero when its entry is first used, what an
 * earlier flow of the entry left otherwise (the engine resets what it reads). */
struct flow_ext *ft_ext(struct flowtab *t, const struct flow *f);
uint32_t ft_index(struct flowtab *t, const struct flow *f);
/* Queue the flow again at the tail of its idle list (enq_ts = now). */
void ft_idle_requeue(struct flowtab *t, struct flow *f, uint64_t now);
/* Move the flow to another timeout class's list (a TCP connection closed). */
void ft_set_class(struct flowtab *t, struct flow *f, unsigned tclass, uint64_t now);
/* The record got its first packet at f->rec_start: append to the status list. */
void ft_status_add(struct flowtab *t, struct flow *f);
void ft_status_del(struct flowtab *t, struct flow *f);
/* Oldest flow of an idle class / of the status list, NULL if none. */
struct flow *ft_idle_head(struct flowtab *t, unsigned tclass);
struct flow *ft_status_head(struct flowtab *t);
uint32_t ft_count(const struct flowtab *t);
uint64_t ft_memory(const struct flowtab *t);
/* Forget every flow at once (after they were written); entries are reused. */
void ft_clear(struct flowtab *t);
/* Visit every flow: the callback may remove the flow it gets. */
void ft_foreach(struct flowtab *t, void (*fn)(struct flow *f, void *arg), void *arg);

/* Key helpers (flowtab.c). */
void key_reverse(const struct flow_key *k, struct flow_key *r);

#endif
