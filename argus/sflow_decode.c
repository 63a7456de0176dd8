/*
 * sflow_decode.c - sFlow version 5 datagram decoder (sflow.org "sFlow
 * Version 5", July 2004).  Pure: bytes in, callbacks out.
 *
 * Every item on the wire is XDR: big-endian 32-bit words, opaque data
 * padded to 4 bytes.  A datagram is
 *
 *   +---------+------------+---------------+----------+-----+--------+----------+
 *   | version | agent type | agent address | subagent | seq | uptime | nsamples |
 *   +---------+------------+---------------+----------+-----+--------+----------+
 *   then nsamples times  | enterprise:20 format:12 | length | data[length] |
 *
 * and a flow or counter sample holds records framed the same way.  A
 * sample's or record's declared length bounds every read inside it
 * (cur_sub), so a lying length can only make us skip, never over-read;
 * every loop consumes at least its 8-byte frame each turn.
 */
#include "sflow_decode.h"

#include <string.h>

#include "cursor.h"

static const char *const reason_names[SFR_COUNT] = {
	[SFR_SHORT] = "sflow_short",
	[SFR_VERSION] = "sflow_version",
	[SFR_AGENT_TYPE] = "sflow_agent_type",
	[SFR_SAMPLE_TRUNC] = "sflow_sample_truncated",
	[SFR_SAMPLES_MISSING] = "sflow_samples_missing",
	[SFR_TRAILING] = "sflow_trailing_bytes",
	[SFR_SAMPLE_SHORT] = "sflow_sample_short",
	[SFR_RECORD_TRUNC] = "sflow_record_truncated",
	[SFR_RECORDS_MISSING] = "sflow_records_missing",
	[SFR_RECORD_SHORT] = "sflow_record_short",
	[SFR_ZERO_LENGTH] = "sflow_zero_length",
	[SFR_UNALIGNED] = "sflow_unaligned_length",
	[SFR_HEADER_LENGTH] = "sflow_header_length",
	[SFR_HEADER_PROTO] = "sflow_header_protocol",
	[SFR_UNKNOWN_SAMPLE] = "sflow_unknown_sample",
	[SFR_UNKNOWN_RECORD] = "sflow_unknown_record",
	[SFR_RATE_ZERO] = "sflow_rate_zero",
	[SFR_RATE_ABSURD] = "sflow_rate_absurd",
	[SFR_RATE_CAPPED] = "sflow_rate_capped",
	[SFR_NO_PACKET] = "sflow_no_packet",
	[SFR_IFINDEX_WIDE] = "sflow_ifindex_wide",
	[SFR_FRAME_SHORT] = "sflow_frame_short",
};

const char *sflow_reason_name(unsigned reason)
{
	return reason < SFR_COUNT ? reason_names[reason] : "sflow_unknown";
}

bool sflow_reason_is_error(unsigned reason)
{
	switch (reason) {
	case SFR_UNKNOWN_SAMPLE: case SFR_UNKNOWN_RECORD: case SFR_RATE_CAPPED:
	case SFR_NO_PACKET: case SFR_HEADER_PROTO:
		return false;
	default:
		return true;
	}
}

/* Everything one datagram's decode needs to report. */
struct walk {
	const struct sflow_callbacks *cb;
	const struct sflow_datagram *d;
};

static void bad(const struct walk *w, unsigned reason)
{
	if (w->cb->malformed)
		w->cb->malformed(w->cb->ctx, w->d, reason);
}

/* XDR address: u32 type (1 IPv4, 2 IPv6) then 4 or 16 bytes.  Returns the
 * family, 0 for an unknown type (the cursor is then past the type only). */
static unsigned get_address(struct cursor *c, union ra_addr *a, bool *ok)
{
	uint32_t type;

	memset(a, 0, sizeof(*a));
	*ok = cur_be32(c, &type);
	if (!*ok)
		return 0;
	if (type == 1) {
		*ok = cur_be32(c, &a->v4);
		return RA_AF_INET;
	}
	if (type == 2) {
		*ok = cur_bytes(c, a->v6, 16);
		return RA_AF_INET6;
	}
	return 0;
}

/*
 * Take the next "format, length, data" frame of a sample or record list:
 * sub covers exactly the declared data.  False when the frame itself or
 * its data does not fit (reported as trunc); the caller stops the list.
 */
static bool next_frame(const struct walk *w, struct cursor *c, uint32_t *format,
		       struct cursor *sub, unsigned trunc)
{
	uint32_t len;

	if (!cur_be32(c, format) || !cur_be32(c, &len) || !cur_sub(c, len, sub)) {
		bad(w, trunc);
		return false;
	}
	if (len == 0)
		bad(w, SFR_ZERO_LENGTH);
	else if (len & 3)
		bad(w, SFR_UNALIGNED);
	return true;
}

/* Fold an expanded (format, value) interface into the 2+30-bit form. */
static uint32_t fold_ifindex(const struct walk *w, uint32_t format, uint32_t value)
{
	if (value > SFLOW_IF_SELF || format > 3) {
		bad(w, SFR_IFINDEX_WIDE);
		value &= SFLOW_IF_SELF;
		format &= 3;
	}
	return format << 30 | value;
}

/* ---- flow records ---- */

static bool rec_header(struct cursor *r, struct sflow_flow_sample *s, const struct walk *w)
{
	uint32_t proto, frame, stripped, hlen;

	if (!cur_be32(r, &proto) || !cur_be32(r, &frame) || !cur_be32(r, &stripped) ||
	    !cur_be32(r, &hlen))
		return false;
	if (!cur_has(r, hlen)) {
		bad(w, SFR_HEADER_LENGTH);
		return true;
	}
	if (s->has_header)
		return true;	/* the first raw header of a sample wins */
	s->has_header = true;
	s->header_proto = proto;
	s->frame_length = frame;
	s->stripped = stripped;
	s->header_len = hlen;
	s->header = cur_ptr(r);
	return true;
}

static bool rec_ethernet(struct cursor *r, struct sflow_flow_sample *s)
{
	uint8_t pad[2];

	if (!cur_be32(r, &s->eth_length) || !cur_bytes(r, s->eth_src, 6) || !cur_bytes(r, pad, 2) ||
	    !cur_bytes(r, s->eth_dst, 6) || !cur_bytes(r, pad, 2) || !cur_be32(r, &s->eth_type))
		return false;
	s->has_ethernet = true;
	return true;
}

static bool rec_ip(struct cursor *r, struct sflow_flow_sample *s, bool v6)
{
	bool ok = cur_be32(r, &s->ip_length) && cur_be32(r, &s->ip_proto);

	memset(&s->ip_src, 0, sizeof(s->ip_src));
	memset(&s->ip_dst, 0, sizeof(s->ip_dst));
	if (v6)
		ok = ok && cur_bytes(r, s->ip_src.v6, 16) && cur_bytes(r, s->ip_dst.v6, 16);
	else
		ok = ok && cur_be32(r, &s->ip_src.v4) && cur_be32(r, &s->ip_dst.v4);
	ok = ok && cur_be32(r, &s->ip_sport) && cur_be32(r, &s->ip_dport) &&
	     cur_be32(r, &s->ip_tcpflags) && cur_be32(r, &s->ip_tos);
	if (!ok)
		return false;
	s->has_ip = true;
	s->ip_family = v6 ? RA_AF_INET6 : RA_AF_INET;
	return true;
}

static bool rec_switch(struct cursor *r, struct sflow_flow_sample *s)
{
	if (!cur_be32(r, &s->src_vlan) || !cur_be32(r, &s->src_prio) ||
	    !cur_be32(r, &s->dst_vlan) || !cur_be32(r, &s->dst_prio))
		return false;
	s->has_switch = true;
	return true;
}

static bool rec_router(struct cursor *r, struct sflow_flow_sample *s)
{
	bool ok;

	s->nexthop_family = (uint8_t)get_address(r, &s->nexthop, &ok);
	if (!ok || !s->nexthop_family)
		return false;
	if (!cur_be32(r, &s->src_mask) || !cur_be32(r, &s->dst_mask))
		return false;
	s->has_router = true;
	return true;
}

static void flow_records(const struct walk *w, struct cursor *c, struct sflow_flow_sample *s)
{
	for (uint32_t i = 0; i < s->nrecords; i++) {
		struct cursor r;
		uint32_t format;
		bool ok = true;

		if (cur_left(c) == 0) {
			bad(w, SFR_RECORDS_MISSING);
			return;
		}
		if (!next_frame(w, c, &format, &r, SFR_RECORD_TRUNC))
			return;
		switch (format) {	/* enterprise 0 only: the top 20 bits must be zero */
		case 1: ok = rec_header(&r, s, w); break;
		case 2: ok = rec_ethernet(&r, s); break;
		case 3: ok = rec_ip(&r, s, false); break;
		case 4: ok = rec_ip(&r, s, true); break;
		case 1001: ok = rec_switch(&r, s); break;
		case 1002: ok = rec_router(&r, s); break;
		default: bad(w, SFR_UNKNOWN_RECORD); break;
		}
		if (!ok)
			bad(w, SFR_RECORD_SHORT);
	}
}

static void flow_sample(const struct walk *w, struct cursor *c, uint32_t format,
			struct sflow_flow_sample *s)
{
	bool ok;

	s->format = format;
	s->has_header = s->has_ethernet = s->has_ip = s->has_switch = s->has_router = false;
	if (format == 1) {
		uint32_t source = 0;
		ok = cur_be32(c, &s->seq) && cur_be32(c, &source) && cur_be32(c, &s->rate) &&
		     cur_be32(c, &s->pool) && cur_be32(c, &s->drops) && cur_be32(c, &s->inif) &&
		     cur_be32(c, &s->outif) && cur_be32(c, &s->nrecords);
		s->source_type = source >> 24;
		s->source_index = source & 0xffffff;
	} else {
		uint32_t infmt, inval, outfmt, outval;
		ok = cur_be32(c, &s->seq) && cur_be32(c, &s->source_type) &&
		     cur_be32(c, &s->source_index) && cur_be32(c, &s->rate) &&
		     cur_be32(c, &s->pool) && cur_be32(c, &s->drops) && cur_be32(c, &infmt) &&
		     cur_be32(c, &inval) && cur_be32(c, &outfmt) && cur_be32(c, &outval) &&
		     cur_be32(c, &s->nrecords);
		if (ok) {
			s->inif = fold_ifindex(w, infmt, inval);
			s->outif = fold_ifindex(w, outfmt, outval);
		}
	}
	if (!ok) {
		bad(w, SFR_SAMPLE_SHORT);
		return;
	}
	flow_records(w, c, s);
	if (w->cb->flow_sample)
		w->cb->flow_sample(w->cb->ctx, w->d, s);
}

/* ---- counter records ---- */

static bool put_counter(struct sflow_counter_sample *s, uint32_t key, uint32_t ifindex, uint64_t v)
{
	if (s->nitems >= SFLOW_COUNTER_ITEMS)
		return false;
	s->items[s->nitems].key = key;
	s->items[s->nitems].ifindex = ifindex;
	s->items[s->nitems].value = v;
	s->nitems++;
	return true;
}

/* Generic interface counters: which fields are 64 bits wide, in order. */
static const struct { uint8_t key; uint8_t wide; } generic_layout[] = {
	{ SFC_IF_TYPE, 0 }, { SFC_IF_SPEED, 1 }, { SFC_IF_DIRECTION, 0 }, { SFC_IF_STATUS, 0 },
	{ SFC_IF_IN_OCTETS, 1 }, { SFC_IF_IN_UCAST, 0 }, { SFC_IF_IN_MCAST, 0 },
	{ SFC_IF_IN_BCAST, 0 }, { SFC_IF_IN_DISCARDS, 0 }, { SFC_IF_IN_ERRORS, 0 },
	{ SFC_IF_IN_UNKNOWN, 0 }, { SFC_IF_OUT_OCTETS, 1 }, { SFC_IF_OUT_UCAST, 0 },
	{ SFC_IF_OUT_MCAST, 0 }, { SFC_IF_OUT_BCAST, 0 }, { SFC_IF_OUT_DISCARDS, 0 },
	{ SFC_IF_OUT_ERRORS, 0 }, { SFC_IF_PROMISC, 0 },
};

static bool ctr_generic(struct cursor *r, struct sflow_counter_sample *s)
{
	uint64_t v[sizeof(generic_layout) / sizeof(generic_layout[0])];
	uint32_t ifindex, v32 = 0;

	if (!cur_be32(r, &ifindex))
		return false;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (generic_layout[i].wide) {
			uint32_t hi = 0, lo = 0;	/* two words: cur_be64 trips -Wmaybe-uninitialized */
			if (!cur_be32(r, &hi) || !cur_be32(r, &lo))
				return false;
			v[i] = (uint64_t)hi << 32 | lo;
		} else {
			if (!cur_be32(r, &v32))
				return false;
			v[i] = v32;
		}
	}
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		put_counter(s, generic_layout[i].key, ifindex, v[i]);
	return true;
}

static bool ctr_ethernet(struct cursor *r, struct sflow_counter_sample *s)
{
	uint32_t v[13];

	for (unsigned i = 0; i < 13; i++)
		if (!cur_be32(r, &v[i]))
			return false;
	for (unsigned i = 0; i < 13; i++)
		put_counter(s, SFC_ETH_ALIGNMENT + i, s->source_index, v[i]);
	return true;
}

static void counter_sample(const struct walk *w, struct cursor *c, uint32_t format,
			   struct sflow_counter_sample *s)
{
	bool ok;

	s->format = format;
	s->nitems = 0;
	if (format == 2) {
		uint32_t source = 0;
		ok = cur_be32(c, &s->seq) && cur_be32(c, &source) && cur_be32(c, &s->nrecords);
		s->source_type = source >> 24;
		s->source_index = source & 0xffffff;
	} else {
		ok = cur_be32(c, &s->seq) && cur_be32(c, &s->source_type) &&
		     cur_be32(c, &s->source_index) && cur_be32(c, &s->nrecords);
	}
	if (!ok) {
		bad(w, SFR_SAMPLE_SHORT);
		return;
	}
	for (uint32_t i = 0; i < s->nrecords; i++) {
		struct cursor r;
		uint32_t rformat;

		if (cur_left(c) == 0) {
			bad(w, SFR_RECORDS_MISSING);
			break;
		}
		if (!next_frame(w, c, &rformat, &r, SFR_RECORD_TRUNC))
			break;
		if (rformat == 1)
			ok = ctr_generic(&r, s);
		else if (rformat == 2)
			ok = ctr_ethernet(&r, s);
		else {
			bad(w, SFR_UNKNOWN_RECORD);
			ok = true;
		}
		if (!ok)
			bad(w, SFR_RECORD_SHORT);
	}
	/* Counters decoded so far are kept even when a later record is bad. */
	if (w->cb->counter_sample)
		w->cb->counter_sample(w->cb->ctx, w->d, s);
}

/* ---- the datagram ---- */

enum sflow_result sflow_decode(const uint8_t *buf, size_t len, const struct sflow_callbacks *cb,
			       struct sflow_scratch *scratch)
{
	struct cursor c = cur_make(buf, len);
	struct sflow_datagram d;
	struct walk w = { cb, NULL };
	uint32_t version;
	bool ok;

	if (!cur_be32(&c, &version)) {
		bad(&w, SFR_SHORT);
		return SFLOW_BAD;
	}
	if (version != 5) {
		bad(&w, SFR_VERSION);
		return SFLOW_BAD;
	}
	d.agent_family = (uint8_t)get_address(&c, &d.agent, &ok);
	if (ok && !d.agent_family) {
		bad(&w, SFR_AGENT_TYPE);
		return SFLOW_BAD;
	}
	if (!ok || !cur_be32(&c, &d.subagent) || !cur_be32(&c, &d.seq) ||
	    !cur_be32(&c, &d.uptime_ms) || !cur_be32(&c, &d.nsamples)) {
		bad(&w, SFR_SHORT);
		return SFLOW_BAD;
	}
	w.d = &d;
	if (cb->datagram && !cb->datagram(cb->ctx, &d))
		return SFLOW_SKIPPED;

	for (uint32_t i = 0; i < d.nsamples; i++) {
		struct cursor s;
		uint32_t format;

		if (cur_left(&c) == 0) {
			bad(&w, SFR_SAMPLES_MISSING);
			return SFLOW_OK;
		}
		if (!next_frame(&w, &c, &format, &s, SFR_SAMPLE_TRUNC))
			return SFLOW_OK;
		switch (format) {
		case 1: case 3: flow_sample(&w, &s, format, &scratch->flow); break;
		case 2: case 4: counter_sample(&w, &s, format, &scratch->counter); break;
		default: bad(&w, SFR_UNKNOWN_SAMPLE); break;
		}
	}
	if (cur_left(&c) != 0)
		bad(&w, SFR_TRAILING);
	return SFLOW_OK;
}
