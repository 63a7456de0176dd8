/*
 * engine_record.c - a flow's record: started empty, put together as a
 * struct ra_flow from the flow's counters when it is written (status
 * interval, close, idle timeout, end of input), then started afresh.
 */
#include "engine_int.h"
#include "origin.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A flow's record starts empty: counters cleared, identity kept.  The
 * origin (sFlow agent) is set when the flow is made and kept while the
 * record says it was sampled.  A flow made on a never used entry is zero
 * already (fresh). */
void engine_init_record(struct engine *e, struct flow *f, const struct pkt_origin *o, bool fresh)
{
	if (!fresh) {
		f->stime = f->ltime = 0;
		f->spkts = f->dpkts = f->sbytes = f->dbytes = f->sappbytes = f->dappbytes = 0;
		f->spkts_hi = f->dpkts_hi = f->sbytes_hi = f->dbytes_hi = 0;
		f->sappbytes_hi = f->dappbytes_hi = 0;
		f->flgs &= RA_FL_RTP | RA_FL_RTCP;	/* the flow's label stays, as Argus's */
		f->sttl = f->dttl = f->stos = f->dtos = f->stcpflags = f->dtcpflags = 0;
		f->svlan = f->dvlan = 0;
		f->synack = f->ackdat = 0;
		f->sretrans = f->dretrans = f->sooo = f->dooo = f->swinshut = f->dwinshut = 0;
		f->own_origin = 0;
		f->mpls_set = 0;
	}
	f->present = 1u << RA_BLK_ID;
	if (o && o->agent_family) {
		struct flow_ext *x = ft_ext(e->ft, f);
		x->srcid_family = o->agent_family;
		x->srcid = o->agent;
		x->subagent = o->subagent;
		x->rate = o->rate;
		x->inif = o->inif;
		x->outif = o->outif;
		f->own_origin = 1;
		f->flgs |= RA_FL_SAMPLED;
	}
	if (e->cfg.payload) {
		struct flow_ext *x = ft_ext(e->ft, f);
		x->spaylen = x->dpaylen = 0;
	}
	if (e->cfg.timing) {
		struct flow_ext *x = ft_ext(e->ft, f);
		x->sint_sum = x->dint_sum = x->sint_sq = x->dint_sq = 0;
		x->sint_n = x->dint_n = 0;
	}
}

/* The record's origin: the flow's own (sFlow) or the daemon's -e srcid. */
static void flow_origin(struct engine *e, struct flow *f, struct pkt_origin *o)
{
	memset(o, 0, sizeof *o);
	if (f->own_origin) {
		const struct flow_ext *x = ft_ext(e->ft, f);
		o->agent_family = x->srcid_family;
		o->agent = x->srcid;
		o->subagent = x->subagent;
		o->rate = x->rate;
		o->inif = x->inif;
		o->outif = x->outif;
	} else if (e->cfg.srcid_family) {
		o->agent_family = e->cfg.srcid_family;
		o->agent = e->cfg.srcid;
	}
}

static void finish_record(struct engine *e, const struct flow *f, struct ra_flow *r)
{
	const struct flow_ext *x;

	if (f->key.family == RA_AF_INET || f->key.family == RA_AF_INET6) {
		if (f->key.proto == 6) {
			tcp_finish(f, r);
			goto timing;
		}
	}
	if (f->key.family == RA_AF_ARP && f->arp_who)
		r->dir = RA_DIR_WHO;
	else if (r->spkts && r->dpkts)
		r->dir = RA_DIR_BOTH;
	else if (r->spkts)
		r->dir = RA_DIR_FWD;
	else
		r->dir = RA_DIR_REV;
	if (f->icmp_state)
		r->state = f->icmp_state;
	else
		r->state = (r->spkts && r->dpkts) ? RA_ST_CON : RA_ST_INT;
timing:
	if (e->cfg.timing && (x = ft_ext(e->ft, f), x->sint_n || x->dint_n)) {
		if (x->sint_n) {
			double m = x->sint_sum / x->sint_n;
			double v = x->sint_sq / x->sint_n - m * m;
			r->sintpkt = (uint32_t)m;
			r->sjit = (uint32_t)(v > 0 ? sqrt(v) : 0);
		}
		if (x->dint_n) {
			double m = x->dint_sum / x->dint_n;
			double v = x->dint_sq / x->dint_n - m * m;
			r->dintpkt = (uint32_t)m;
			r->djit = (uint32_t)(v > 0 ? sqrt(v) : 0);
		}
		RA_SET(r, RA_BLK_TIMING);
	}
	if (e->cfg.payload && (x = ft_ext(e->ft, f), x->spaylen || x->dpaylen)) {
		if (x->spaylen) {
			r->spayload = x->pay;
			r->spaylen = x->spaylen;
			RA_SET(r, RA_BLK_PAYLOAD_SRC);
		}
		if (x->dpaylen) {
			r->dpayload = x->pay + e->cfg.payload;
			r->dpaylen = x->dpaylen;
			RA_SET(r, RA_BLK_PAYLOAD_DST);
		}
	}
}

/* The record as written: identity from the key, the rest from the flow. */
static void build_record(struct engine *e, const struct flow *f, struct ra_flow *r)
{
	ra_flow_init(r);
	r->family = f->key.family;
	r->proto = f->key.proto;
	r->saddr = f->key.saddr;
	r->daddr = f->key.daddr;
	r->sport = f->key.sport;
	r->dport = f->key.dport;
	r->etype = f->key.etype;
	r->seq = f->seq;
	if (f->own_origin) {
		const struct flow_ext *x = ft_ext(e->ft, f);
		r->srcid_family = x->srcid_family;
		r->srcid = x->srcid;
		r->subagent = x->subagent;
		r->rate = x->rate;
		r->inif = x->inif;
		r->outif = x->outif;
	} else if (e->cfg.srcid_family) {
		r->srcid_family = e->cfg.srcid_family;
		r->srcid = e->cfg.srcid;
	}
	r->stime = f->stime;
	r->ltime = f->ltime;
	r->spkts = FLOW_GET(f, spkts);
	r->dpkts = FLOW_GET(f, dpkts);
	r->sbytes = FLOW_GET(f, sbytes);
	r->dbytes = FLOW_GET(f, dbytes);
	r->sappbytes = FLOW_GET(f, sappbytes);
	r->dappbytes = FLOW_GET(f, dappbytes);
	r->present = f->present;
	r->flgs = f->flgs;
	if ((f->flgs & RA_FL_RTP) && f->rtp_n[0] < RTP_MIN_PKTS && f->rtp_n[1] < RTP_MIN_PKTS)
		r->flgs &= ~(uint32_t)RA_FL_RTP;	/* not yet shown, as Argus */
	r->stcpflags = f->stcpflags;
	r->dtcpflags = f->dtcpflags;
	r->sttl = f->sttl;
	r->dttl = f->dttl;
	r->stos = f->stos;
	r->dtos = f->dtos;
	if (RA_HAS(f, RA_BLK_L2)) {
		const struct flow_ext *x = ft_ext(e->ft, f);
		memcpy(r->smac, x->smac, 6);
		memcpy(r->dmac, x->dmac, 6);
	}
	r->svlan = f->svlan;
	r->dvlan = f->dvlan;
	if (f->mpls_set) {
		const struct flow_ext *x = ft_ext(e->ft, f);
		r->smpls = x->smpls;
		r->dmpls = x->dmpls;
	}
	if (r->svlan | r->dvlan | r->smpls | r->dmpls)
		RA_SET(r, RA_BLK_L2);	/* VLANs and labels travel in the L2 block, with or without -m */
	r->sretrans = f->sretrans;
	r->dretrans = f->dretrans;
	r->sooo = f->sooo;
	r->dooo = f->dooo;
	r->swinshut = f->swinshut;
	r->dwinshut = f->dwinshut;
	r->synack = f->synack;
	r->ackdat = f->ackdat;
	if (RA_HAS(f, RA_BLK_ICMP)) {
		const struct flow_ext *x = ft_ext(e->ft, f);
		r->inode = x->inode;
		r->inode_family = x->inode_family;
		r->icmp_type = x->icmp_type;
		r->icmp_code = x->icmp_code;
	}
	finish_record(e, f, r);
}

void engine_emit_flow(struct engine *e, struct flow *f, unsigned cause)
{
	struct ra_flow rec, *r = &rec;

	if (!f->rec_open)
		return;
	build_record(e, f, r);
	if (cause == RA_CAUSE_STATUS && f->records == 0)
		cause = RA_CAUSE_START;
	r->cause = (uint8_t)cause;
	if (e->tap) {
		/* encoded once for the server and the file */
		uint8_t buf[RA_REC_MAX];
		size_t len = ra_encode_flow(r, buf);
		struct ra_err err;
		ra_err_clear(&err);
		e->tap(e->tap_arg, buf, len);
		if (e->out && !e->write_failed && !ra_writer_put(e->out, buf, len, &err)) {
			char ebuf[600];
			e->write_failed = true;
			if (e->warn)
				e->warn("%s", ra_err_string(&err, ebuf, sizeof ebuf));
		}
	} else if (e->out && !e->write_failed) {
		struct ra_err err;
		ra_err_clear(&err);
		if (!ra_writer_put_flow(e->out, r, &err)) {
			char buf[600];
			e->write_failed = true;
			if (e->warn)
				e->warn("%s", ra_err_string(&err, buf, sizeof buf));
		}
	}
	e->records_written++;
	if (f->records < 255)
		f->records++;

	/* Start an empty record: identity kept, counters cleared. */
	struct pkt_origin o;
	if (f->flgs & RA_FL_SAMPLED)
		flow_origin(e, f, &o);
	else
		o.agent_family = 0;
	ft_status_del(e->ft, f);
	f->rec_start = 0;
	f->rec_open = 0;
	engine_init_record(e, f, o.agent_family ? &o : NULL, false);
}

