/*
 * engine.c - the daemon core: from decoded packets to flow records.
 *
 * engine_packet() moves the engine clock to the packet's time (expiring
 * idle flows and reporting records whose status interval has run out,
 * exactly and reproducibly from packet time), decodes the frame layer by
 * layer (decode_*.c) and folds it into its flow here.  Records go to the
 * writer as they are made; status records about the daemon itself go
 * into the same stream (output.c).
 */
#include "engine_int.h"
#include "origin.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t FRAG_CHECK_US = 1000000;

static void clock_tick(struct engine *e, uint64_t now);

struct engine *engine_new(const struct engine_config *cfg, struct ra_writer *out)
{
	struct engine *e = calloc(1, sizeof *e);

	if (!e)
		return NULL;
	e->cfg = *cfg;
	if (e->cfg.payload > RA_PAYLOAD_MAX)
		e->cfg.payload = RA_PAYLOAD_MAX;
	e->out = out;
	e->next_seq = 1;
	e->seq_step = 1;
	e->ft = ft_new(4096);
	e->frags = frag_new();
	if (!e->ft || !e->frags) {
		ft_free(e->ft);
		frag_free(e->frags);
		free(e);
		return NULL;
	}
	return e;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	if (e->fan)
		e->fan->free(e->fan_arg);
	ft_free(e->ft);
	frag_free(e->frags);
	origin_free(e->origins);
	free(e);
}

void engine_malformed(struct engine *e, enum mal_reason r)
{
	e->mal[r]++;
}

void engine_unsupported_dlt(struct engine *e, int dlt)
{
	e->mal[MAL_LINK_UNSUPPORTED]++;
	for (unsigned i = 0; i < e->n_unsupported; i++)
		if (e->unsupported_dlt[i] == (uint64_t)dlt)
			return;
	if (e->n_unsupported < 8)
		e->unsupported_dlt[e->n_unsupported++] = (uint64_t)dlt;
	/* The input said so when it opened (with its name); the status
	 * record lists the DLT numbers seen. */
}

void engine_count_malformed(struct engine *e, const char *reason)
{
	unsigned i;

	for (i = 0; i < e->n_other; i++)
		if (strncmp(e->other_reason[i], reason, sizeof e->other_reason[i] - 1) == 0)
			break;
	if (i == e->n_other) {
		if (e->n_other == 8) {
			e->mal[MAL_OTHER]++;
			return;
		}
		snprintf(e->other_reason[i], sizeof e->other_reason[i], "%s", reason);
		e->n_other++;
	}
	e->other_count[i]++;
	e->mal[MAL_OTHER]++;
}

static unsigned timeout_class(const struct flow_key *k)
{
	if (k->family != RA_AF_INET && k->family != RA_AF_INET6)
		return TC_OTHER;
	switch (k->proto) {
	case 6: return TC_TCP;
	case 17: return TC_UDP;
	case 1: case 58: return TC_ICMP;
	default: return TC_OTHER;
	}
}

/* The sFlow origin goes into the flow key as an exact number (origin.c):
 * traffic seen by two agents makes two flows, never one. */
static void origin_key(struct engine *e, struct pkt *p)
{
	const struct pkt_origin *o = p->origin;

	if (!o || !o->agent_family)
		return;
	if (!e->origins && !(e->origins = origin_new())) {
		p->key.agent_hash = ORIGIN_OVERFLOW;
		e->origins_overflow++;
		return;
	}
	p->key.agent_hash = origin_number(e->origins, o, &e->origins_overflow);
}

static void payload_copy(struct engine *e, struct flow *f, const struct pkt *p, bool rev)
{
	struct flow_ext *x = ft_ext(e->ft, f);
	uint16_t *have = rev ? &x->dpaylen : &x->spaylen;
	unsigned cap = e->cfg.payload;

	if (*have >= cap || !p->paycap || !p->applen)
		return;
	if (!ft_payload_buffer(e->ft, f, 2 * (size_t)cap))
		return;
	uint32_t n = p->paycap < p->applen ? p->paycap : p->applen;
	if (n > cap - *have)
		n = cap - *have;
	memcpy(x->pay + (rev ? cap : 0) + *have, p->payload, n);
	*have = (uint16_t)(*have + n);
}

/* One direction's inter-packet time (-J): the gap since its last packet. */
static inline void packet_gap(uint64_t *last, double *sum, double *sq, uint32_t *n, uint64_t ts)
{
	if (*last && ts >= *last) {
		double d = (double)(ts - *last);
		*sum += d;
		*sq += d * d;
		(*n)++;
	}
	*last = ts;
}

/* The flow_ext holding the record's MPLS labels (both 0 until set). */
static struct flow_ext *flow_ext_mpls(struct engine *e, struct flow *f)
{
	struct flow_ext *x = ft_ext(e->ft, f);

	if (!f->mpls_set) {
		x->smpls = x->dmpls = 0;
		f->mpls_set = 1;
	}
	return x;
}

/* Count a packet (or a folded fragment) in its flow's current record
 * (inline in process(), the per-packet path). */
#define PER_PACKET static inline __attribute__((always_inline))
PER_PACKET void account(struct engine *e, struct flow *f, const struct pkt *p, bool rev)
{
	uint64_t w = p->weight ? p->weight : 1;

	if (!f->rec_open) {
		f->rec_start = p->ts;
		f->rec_open = p->ts != 0;
		f->stime = p->ts;
		ft_status_add(e->ft, f);
	}
	if (!rev) {
		if (e->cfg.timing) {	/* the flow_ext: only with -J */
			struct flow_ext *x = ft_ext(e->ft, f);
			packet_gap(&x->slast, &x->sint_sum, &x->sint_sq, &x->sint_n, p->ts);
		}
		FLOW_ADD(f, spkts, w);
		FLOW_ADD(f, sbytes, (uint64_t)p->wirelen * w);
		FLOW_ADD(f, sappbytes, (uint64_t)p->applen * w);
		f->sttl = p->ttl;
		f->stos = p->tos;
		if (p->vlan || (p->origin && p->origin->vlan))
			f->svlan = p->vlan ? p->vlan : p->origin->vlan;
		if (p->mpls)
			flow_ext_mpls(e, f)->smpls = p->mpls;
	} else {
		if (e->cfg.timing) {
			struct flow_ext *x = ft_ext(e->ft, f);
			packet_gap(&x->dlast, &x->dint_sum, &x->dint_sq, &x->dint_n, p->ts);
		}
		FLOW_ADD(f, dpkts, w);
		FLOW_ADD(f, dbytes, (uint64_t)p->wirelen * w);
		FLOW_ADD(f, dappbytes, (uint64_t)p->applen * w);
		f->dttl = p->ttl;
		f->dtos = p->tos;
		if (p->vlan || (p->origin && p->origin->vlan))
			f->dvlan = p->vlan ? p->vlan : p->origin->vlan;
		if (p->mpls)
			flow_ext_mpls(e, f)->dmpls = p->mpls;
	}
	f->flgs |= p->flgs;
	if (f->flgs & RA_FL_RTP)
		udp_rtp_packet(f, p, rev);
	if (p->have_mac && e->cfg.mac) {
		const uint8_t *sm = rev ? p->dmac : p->smac, *dm = rev ? p->smac : p->dmac;
		struct flow_ext *x = ft_ext(e->ft, f);
		if (!RA_HAS(f, RA_BLK_L2)) {
			memcpy(x->smac, sm, 6);
			memcpy(x->dmac, dm, 6);
			RA_SET(f, RA_BLK_L2);
		} else if (memcmp(x->smac, sm, 6) || memcmp(x->dmac, dm, 6))
			f->flgs |= RA_FL_MULTIMAC;
	}
	if (p->ts > f->ltime)
		f->ltime = p->ts;
	if (p->ts < f->stime)
		f->stime = p->ts;	/* a packet out of time order */
	if (p->ts > f->last_ts)
		f->last_ts = p->ts;
	if (e->cfg.payload)
		payload_copy(e, f, p, rev);
}

void engine_account(struct engine *e, struct flow *f, const struct pkt *p, bool rev)
{
	account(e, f, p, rev);
}

/* An ICMP error refers to another flow: mark it, as Argus does. */
static void icmp_map(struct engine *e, const struct pkt *p)
{
	struct flow_key k = p->ikey;
	bool rev;

	k.agent_hash = p->key.agent_hash;
	struct flow *g = ft_find(e->ft, &k, &rev);
	if (!g)
		return;
	g->flgs |= RA_FL_ICMP_MAP;
	struct flow_ext *x = ft_ext(e->ft, g);
	x->inode = p->key.saddr;
	x->inode_family = p->key.family;
	x->icmp_type = p->icmp_type;
	x->icmp_code = p->icmp_code;
	RA_SET(g, RA_BLK_ICMP);
	if (g->key.proto == 1 || g->key.proto == 58)	/* an echo that met an error says so (URH ...) */
		g->icmp_state = (uint8_t)ra_icmp_state(p->icmp_type, p->icmp_code, p->key.proto == 58);
}

/*
 * Who started it?  The packet that creates a flow is normally sent by the
 * source.  Not so for a SYN-ACK (the SYN's sender is the source), an ICMP
 * reply (the requester is), or a TCP packet without SYN from a well-known
 * port to an ephemeral one (a connection seen in mid-stream: the client is
 * the source, as Argus decides).
 */
static bool initiator_is_destination(const struct pkt *p)
{
	if (p->key.family != RA_AF_INET && p->key.family != RA_AF_INET6)
		return false;
	switch (p->key.proto) {
	case 6:
		if ((p->tcpflags & (RA_TCP_SYN | RA_TCP_ACK)) == (RA_TCP_SYN | RA_TCP_ACK))
			return true;
		if (p->tcpflags & RA_TCP_SYN)
			return false;
		return p->key.sport < 1024 && p->key.dport >= 1024;
	case 1:
	case 58:
		return p->icmp_reply;
	default:
		return false;
	}
}

/* The flow of a packet (inline in process(), the per-packet path). */
PER_PACKET struct flow *find_or_create(struct engine *e, struct pkt *p, bool *rev)
{
	struct flow *f = p->hash ? ft_find_hashed(e->ft, &p->key, p->hash, rev) : ft_find(e->ft, &p->key, rev);
	bool tcp = p->key.proto == 6 && (p->key.family == RA_AF_INET || p->key.family == RA_AF_INET6);

	if (f && f->last_ts + e->cfg.timeout[f->tclass] <= p->ts) {
		/* Idle for its timeout: it ended, whether or not the idle list
		 * got to it yet.  This packet starts a new flow. */
		engine_emit_flow(e, f, RA_CAUSE_STOP);
		ft_remove(e->ft, f);
		e->flows_expired++;
		f = NULL;
	}
	if (f && e->cfg.status_interval && f->rec_open && f->stime + e->cfg.status_interval <= p->ts &&
	    f->rec_start + e->cfg.status_interval <= p->ts)	/* stime <= rec_start (cold) */
		/* Its status report is due: the record ends before this packet,
		 * whether or not the clock got to it yet. */
		engine_emit_flow(e, f, flow_closed(f) ? RA_CAUSE_STOP : RA_CAUSE_STATUS);
	if (f && tcp && tcp_restarts(f, p, *rev)) {
		engine_emit_flow(e, f, RA_CAUSE_STOP);
		ft_remove(e->ft, f);
		e->flows_expired++;
		f = NULL;
	}
	if (p->key.portdir == 2)
		*rev = p->force_rev;
	if (f)
		return f;
	struct flow_key k = p->key;
	*rev = false;
	if (p->key.portdir == 2)
		*rev = p->force_rev;	/* the decoder oriented the key */
	else if (initiator_is_destination(p)) {
		key_reverse(&p->key, &k);
		*rev = true;
	}
	if (e->cfg.max_flows && ft_count(e->ft) >= e->cfg.max_flows) {
		e->flows_refused++;
		return NULL;
	}
	f = ft_create_hashed(e->ft, &k, p->hash ? p->hash : ft_hash(&k), timeout_class(&k), p->ts);
	if (!f) {
		e->flows_refused++;
		return NULL;
	}
	f->seq = e->next_seq;
	e->next_seq += e->seq_step;
	if (e->cfg.timing) {	/* inter-packet times start with the flow */
		struct flow_ext *x = ft_ext(e->ft, f);
		x->slast = x->dlast = 0;
	}
	engine_init_record(e, f, p->origin, true);	/* ft_create_hashed gives it cleared */
	if (k.proto == 17)
		f->flgs |= udp_app_label(&k, p->payload, p->paycap);	/* RTP/RTCP, for the flow's life */
	e->flows_created++;
	return f;
}

struct flow *engine_find_or_create(struct engine *e, struct pkt *p, bool *rev)
{
	return find_or_create(e, p, rev);
}

/* A decoded packet: to its flow now, or after the batch is decoded. */
static void process(struct engine *e, struct pkt *p);

void engine_flow_packet(struct engine *e, struct pkt *p)
{
	if (__builtin_expect(e->mark_only, 0)) {
		if (p->icmp_error && !p->no_l4 && !p->frag_later &&
		    (p->key.family == RA_AF_INET || p->key.family == RA_AF_INET6))
			icmp_map(e, p);
		return;
	}
	if (p->origin)	/* sFlow: not on the capture path */
		origin_key(e, p);
	if (e->batching && p == &e->batch[e->nbatch]) {
		/* Decoded in place into the batch (engine_packets). */
		e->nbatch++;
		p->hash = ft_hash(&p->key);
		if (!p->frag_later)
			ft_prefetch_slot(e->ft, p->hash);
		return;
	}
	process(e, p);
}

static void process(struct engine *e, struct pkt *p)
{
	bool rev;

	if (p->frag_later) {
		frag_later(e, p);
		return;
	}
	struct flow *f = find_or_create(e, p, &rev);
	if (!f)
		return;
	account(e, f, p, rev);
	if (p->key.family == RA_AF_INET || p->key.family == RA_AF_INET6) {
		switch (p->key.proto) {
		case 6:
			if (!p->no_l4)
				tcp_update(e, f, p, rev);
			if (f->tclass == TC_TCP && flow_closed(f))
				ft_set_class(e->ft, f, TC_CLOSED, p->ts);
			break;
		case 1:
		case 58: {
			if (p->no_l4)
				break;
			bool v6 = p->key.proto == 58;
			unsigned st = ra_icmp_state(p->icmp_type, p->icmp_code, v6);
			/* A reply seen makes an echo flow ECR only if no request came. */
			if (!f->icmp_state || (st != RA_ST_ECR && st != RA_ST_NONE))
				f->icmp_state = (uint8_t)st;
			if (p->icmp_error)
				icmp_map(e, p);
			break;
		}
		default:
			break;
		}
	} else if (p->key.family == RA_AF_ARP) {
		if (p->arp_op == 1 || p->arp_op == 3)
			f->arp_who = 1;
	}
	if (p->frag_first) {
		f->flgs |= RA_FL_FRAG;
		frag_first(e, p, ft_index(e->ft, f));
	}
}

void engine_packet(struct engine *e, int dlt, uint64_t ts_us, const uint8_t *bytes, uint32_t caplen,
		   uint32_t wirelen, uint32_t weight, const struct pkt_origin *origin)
{
	struct pkt p;

	if (e->fan) {
		e->fan->packet(e->fan_arg, dlt, ts_us, bytes, caplen, wirelen);
		return;
	}
	if (ts_us > e->now)
		clock_tick(e, ts_us);	/* the clock never runs backwards; records keep true times */
	e->pkts += weight ? weight : 1;
	e->bytes += (uint64_t)wirelen * (weight ? weight : 1);
	memset(&p, 0, sizeof p);
	p.ts = ts_us;
	p.caplen = caplen;
	p.wirelen = wirelen < caplen ? caplen : wirelen;
	p.weight = weight ? weight : 1;
	p.origin = origin;
	decode_link(e, dlt, &p, bytes);
}

/* Batch stage 1: decode frames; keys are hashed and their slots fetched. */
static void decode_batch(struct engine *e, int dlt, const struct engine_frame *fr, unsigned m, unsigned r)
{
	e->batching = true;
	e->batch = e->ring[r];
	e->nbatch = 0;
	e->pkts += m;	/* nothing reads them before the batch is decoded */
	for (unsigned i = 0; i < m; i++) {
		struct pkt *p = &e->batch[e->nbatch];
		/* Set here: the fields before the key; cleared: the key and the
		 * rest up to ikey (in halves: the compiler makes each a few wide
		 * stores, not a string instruction). */
		_Static_assert(offsetof(struct pkt, key) == offsetof(struct pkt, origin) + sizeof p->origin,
			       "struct pkt: only ts, lengths, weight and origin before the key");
		p->ts = fr[i].ts_us;
		p->caplen = fr[i].caplen;
		p->wirelen = fr[i].wirelen < fr[i].caplen ? fr[i].caplen : fr[i].wirelen;
		p->weight = 1;
		p->origin = NULL;
		enum { CLEAR = offsetof(struct pkt, ikey) - offsetof(struct pkt, key) };
		memset(&p->key, 0, CLEAR / 2);
		memset((char *)&p->key + CLEAR / 2, 0, CLEAR - CLEAR / 2);
		e->bytes += p->wirelen;
		decode_link(e, dlt, p, fr[i].bytes);
	}
	e->ring_n[r] = e->nbatch;
	e->batching = false;
}

/* Stage 2: fetch the flows the slots name. */
static void prefetch_packet(struct engine *e, const struct pkt *p)
{
	bool tcp = p->key.proto == 6;

	/* A FIN or a reset may close the connection: its flow then moves to
	 * the list of closed flows (ft_set_class).  A SYN or SYN-ACK writes
	 * the handshake's round trip, in the first cold line. */
	if (!p->frag_later)
		ft_prefetch_flow(e->ft, p->hash, FLOW_HOT_BYTES + (tcp && (p->tcpflags & RA_TCP_SYN) ? 64 : 0),
				 tcp && (p->tcpflags & (RA_TCP_FIN | RA_TCP_RST)));
}

/* Stage 3: account batch r, in order, the clock moving with them; while
 * doing so fetch the flows of batch next (its slots were fetched while it
 * was decoded), one packet's flow per packet so fetches spread out. */
static void process_batch(struct engine *e, unsigned r, int next)
{
	unsigned nn = next < 0 ? 0 : e->ring_n[next];

	for (unsigned j = 0; j < e->ring_n[r]; j++) {
		struct pkt *p = &e->ring[r][j];
		if (j < nn)
			prefetch_packet(e, &e->ring[next][j]);
		if (p->ts > e->now)
			clock_tick(e, p->ts);
		process(e, p);
	}
	for (unsigned j = e->ring_n[r]; j < nn; j++)
		prefetch_packet(e, &e->ring[next][j]);
	e->ring_n[r] = 0;
}

/*
 * A software pipeline over batches: batch k is decoded (its slots being
 * fetched) while the flows of batch k-1 are fetched as batch k-2 is
 * accounted, so memory latency overlaps with work.  Packets are still
 * accounted strictly in order.
 */
void engine_packets(struct engine *e, int dlt, const struct engine_frame *fr, unsigned n)
{
	unsigned nb = (n + ENGINE_BATCH - 1) / ENGINE_BATCH;

	if (!n)
		return;
	if (e->fan) {
		e->fan->packets(e->fan_arg, dlt, fr, n);
		return;
	}
	for (unsigned k = 0; k < nb + 2; k++) {
		if (k < nb) {
			unsigned m = n - k * ENGINE_BATCH < ENGINE_BATCH ? n - k * ENGINE_BATCH : ENGINE_BATCH;
			decode_batch(e, dlt, fr + k * ENGINE_BATCH, m, k % 3);
		}
		if (k == 1) {
			for (unsigned j = 0; j < e->ring_n[0]; j++)
				prefetch_packet(e, &e->ring[0][j]);
		} else if (k >= 2)
			process_batch(e, (k - 2) % 3, k - 1 < nb ? (int)((k - 1) % 3) : -1);
	}
	if (fr[n - 1].ts_us > e->now)
		clock_tick(e, fr[n - 1].ts_us);
}

void engine_observation(struct engine *e, uint64_t ts_us, const struct ra_flow *obs,
			const struct pkt_origin *origin)
{
	struct pkt p;

	if (ts_us > e->now)
		clock_tick(e, ts_us);
	memset(&p, 0, sizeof p);
	p.ts = ts_us;
	p.origin = origin;
	p.key.family = obs->family;
	p.key.proto = obs->proto;
	p.key.saddr = obs->saddr;
	p.key.daddr = obs->daddr;
	p.key.sport = obs->sport;
	p.key.dport = obs->dport;
	p.key.etype = obs->etype;
	p.key.portdir = (obs->proto == 6 || obs->proto == 17);
	p.tos = obs->stos;
	p.ttl = obs->sttl;
	p.vlan = obs->svlan;
	p.flgs = obs->flgs;
	origin_key(e, &p);
	bool rev;
	struct flow *f = engine_find_or_create(e, &p, &rev);
	if (!f)
		return;
	/* Counts come weighted: account one "packet" then fix the totals. */
	p.weight = 1;
	p.wirelen = 0;
	engine_account(e, f, &p, rev);
	if (!rev) {
		FLOW_ADD(f, spkts, obs->spkts - 1);
		FLOW_ADD(f, sbytes, obs->sbytes);
		FLOW_ADD(f, sappbytes, obs->sappbytes);
		f->stcpflags |= obs->stcpflags;
	} else {
		FLOW_ADD(f, dpkts, obs->spkts - 1);
		FLOW_ADD(f, dbytes, obs->sbytes);
		FLOW_ADD(f, dappbytes, obs->sappbytes);
		f->dtcpflags |= obs->stcpflags;
	}
	e->pkts += obs->spkts;
	e->bytes += obs->sbytes;
}

void engine_emit_status(struct engine *e, const struct ra_status *st)
{
	if (e->tap) {
		uint8_t buf[32 + 16 * RA_STATUS_MAX_ITEMS];
		e->tap(e->tap_arg, buf, ra_encode_status(st, buf));
	}
	if (e->out && !e->write_failed) {
		struct ra_err err;
		ra_err_clear(&err);
		if (!ra_writer_put_status(e->out, st, &err)) {
			char buf[600];
			e->write_failed = true;
			if (e->warn)
				e->warn("%s", ra_err_string(&err, buf, sizeof buf));
		}
	}
}

static void clock_tick(struct engine *e, uint64_t now)
{
	struct flow *f;

	if (now <= e->now)
		return;
	if (!e->start_time)
		e->start_time = now;
	e->now = now;
	/* The lists are looked at every TICK_US of packet time; a packet that
	 * finds its flow checks that flow's deadlines itself, so records and
	 * expiry stay exact in between. */
	if (now < e->next_tick)
		return;
	e->next_tick = now + ENGINE_TICK_US;
	if (e->cfg.status_interval)
		while ((f = ft_status_head(e->ft)) && f->rec_start + e->cfg.status_interval <= now)
			engine_emit_flow(e, f, flow_closed(f) ? RA_CAUSE_STOP : RA_CAUSE_STATUS);
	for (unsigned c = 0; c < TC_COUNT; c++)
		while ((f = ft_idle_head(e->ft, c)) && f->enq_ts + e->cfg.timeout[c] <= now) {
			if (f->last_ts + e->cfg.timeout[c] > now) {
				ft_idle_requeue(e->ft, f, f->last_ts);
				continue;
			}
			engine_emit_flow(e, f, RA_CAUSE_STOP);
			ft_remove(e->ft, f);
			e->flows_expired++;
		}
	if (now >= e->next_frag_check) {
		frag_expire(e, now, false);
		e->next_frag_check = now + FRAG_CHECK_US;
	}
	if (e->cfg.daemon_status_interval) {
		if (!e->next_daemon_status)
			e->next_daemon_status = now + e->cfg.daemon_status_interval;
		else if (now >= e->next_daemon_status) {
			output_daemon_status(e, now);
			e->next_daemon_status += e->cfg.daemon_status_interval;
			if (e->next_daemon_status <= now)
				e->next_daemon_status = now + e->cfg.daemon_status_interval;
		}
	}
}

void engine_tick(struct engine *e, uint64_t now)
{
	if (e->fan)
		e->fan->tick(e->fan_arg, now);
	else
		clock_tick(e, now);
}

void engine_sync(struct engine *e)
{
	if (e->fan)
		e->fan->sync(e->fan_arg);
}

void engine_flush_flows(struct engine *e)
{
	frag_expire(e, e->now, true);
	/* Records in the order they started; every flow with a record not
	 * yet written is on that list, so then the table is simply emptied. */
	struct flow *f;
	while ((f = ft_status_head(e->ft)))
		engine_emit_flow(e, f, RA_CAUSE_SHUTDOWN);
	ft_clear(e->ft);
}

void engine_flush(struct engine *e)
{
	if (e->fan) {
		e->fan->flush(e->fan_arg);	/* the workers' flows, then the status record */
		return;
	}
	engine_flush_flows(e);
	output_daemon_status(e, e->now);
}

void engine_mark(struct engine *e, int dlt, const struct engine_frame *fr)
{
	uint64_t mal[MAL_COUNT];
	struct pkt p;

	/* The decoders count what they find wrong: the packet is counted by
	 * the worker that has its own flow, not here. */
	memcpy(mal, e->mal, sizeof mal);
	memset(&p, 0, sizeof p);
	p.ts = fr->ts_us;
	p.caplen = fr->caplen;
	p.wirelen = fr->wirelen < fr->caplen ? fr->caplen : fr->wirelen;
	p.weight = 1;
	e->mark_only = true;
	decode_link(e, dlt, &p, fr->bytes);
	e->mark_only = false;
	memcpy(e->mal, mal, sizeof mal);
}
