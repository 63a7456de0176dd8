/*
 * test_sflow.c - the sFlow v5 decoder, agent table and engine feed, on real
 * captures (the sFlow pcaps in tests/data) and on hand-made broken datagrams.
 *
 * Expected values were read from `tshark -r FILE -V` (Wireshark 4.x) and are
 * noted next to each assertion.  The engine is replaced by the stubs below,
 * which record what the feed hands it.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "field.h"
#include "sflow_agents.h"
#include "sflow_decode.h"
#include "sflow_feed.h"
#include "sflow_udp.h"
#include "tap.h"

/* ---- engine stubs ---- */

#define MAX_KEEP 64
static struct {
	unsigned packets, observations, iface, agent_status, malformed_total;
	uint64_t weight_sum, bytes_sum;
	int dlt[MAX_KEEP];
	uint32_t caplen[MAX_KEEP], wirelen[MAX_KEEP], weight[MAX_KEEP];
	struct pkt_origin origin[MAX_KEEP];
	struct ra_flow obs[4];
	struct pkt_origin obs_origin[4];
	struct ra_status first_iface, agents[16];
	unsigned nagents;
	struct ra_status wide;		/* the input-wide agent record */
	char reasons[32][40];
	unsigned reason_count[32];
} st;

static void reset(void) { memset(&st, 0, sizeof(st)); }

void engine_packet(struct engine *e, int dlt, uint64_t ts_us, const uint8_t *bytes, uint32_t caplen,
		   uint32_t wirelen, uint32_t weight, const struct pkt_origin *origin)
{
	if (st.packets < MAX_KEEP) {
		st.dlt[st.packets] = dlt;
		st.caplen[st.packets] = caplen;
		st.wirelen[st.packets] = wirelen;
		st.weight[st.packets] = weight;
		st.origin[st.packets] = *origin;
	}
	st.packets++;
	st.weight_sum += weight;
	st.bytes_sum += (uint64_t)wirelen * weight;
}

void engine_observation(struct engine *e, uint64_t ts_us, const struct ra_flow *f,
			const struct pkt_origin *origin)
{
	if (st.observations < 4) {
		st.obs[st.observations] = *f;
		st.obs_origin[st.observations] = *origin;
	}
	st.observations++;
}

void engine_emit_status(struct engine *e, const struct ra_status *s)
{
	if (s->kind == RA_STATUS_IFACE) {
		if (st.iface++ == 0)
			st.first_iface = *s;
	} else if (s->kind == RA_STATUS_AGENT) {
		st.agent_status++;
		if (s->family == 0)
			st.wide = *s;
		else if (st.nagents < 16)
			st.agents[st.nagents++] = *s;
	}
}

void engine_count_malformed(struct engine *e, const char *reason)
{
	unsigned i;

	st.malformed_total++;
	for (i = 0; i < 32 && st.reasons[i][0]; i++)
		if (strcmp(st.reasons[i], reason) == 0)
			break;
	if (i == 32)
		return;
	snprintf(st.reasons[i], sizeof(st.reasons[i]), "%s", reason);
	st.reason_count[i]++;
}

static unsigned malformed(const char *reason)
{
	for (unsigned i = 0; i < 32 && st.reasons[i][0]; i++)
		if (strcmp(st.reasons[i], reason) == 0)
			return st.reason_count[i];
	return 0;
}

/* ---- helpers ---- */

static uint64_t item(const struct ra_status *s, uint32_t key, uint32_t *aux)
{
	for (unsigned i = 0; i < s->nitems; i++)
		if (s->items[i].key == key) {
			if (aux)
				*aux = s->items[i].aux;
			return s->items[i].value;
		}
	return UINT64_MAX;
}

static const struct ra_status *agent_rec(const char *addr, uint32_t sub)
{
	union ra_addr a;
	unsigned fam = parse_addr(addr, &a);

	for (unsigned i = 0; i < st.nagents; i++) {
		uint32_t aux = 0;
		item(&st.agents[i], SFA_DATAGRAMS, &aux);
		if (st.agents[i].family == fam && aux == sub &&
		    (fam == RA_AF_INET ? st.agents[i].source.v4 == a.v4
				       : memcmp(st.agents[i].source.v6, a.v6, 16) == 0))
			return &st.agents[i];
	}
	return NULL;
}

struct file_counts { unsigned frames, udp, other; };

/* Feed every UDP/6343 payload of a capture; then emit the agent status. */
static struct file_counts feed_file(struct sflow_feed *f, const char *name)
{
	char path[512], errbuf[PCAP_ERRBUF_SIZE];
	const char *dir = getenv("top_srcdir");
	struct file_counts n = { 0, 0, 0 };
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/tests/data/%s", dir ? dir : ".", name);
	p = pcap_open_offline(path, errbuf);
	if (!p) {
		printf("# %s\n", errbuf);
		return n;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct sflow_udp u;
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		n.frames++;
		if (sflow_udp_payload(pcap_datalink(p), data, h->caplen, SFLOW_PORT, &u) != SFLOW_UDP_OK) {
			n.other++;
			continue;
		}
		n.udp++;
		sflow_feed_datagram(f, u.payload, u.len, ts);
	}
	pcap_close(p);
	sflow_feed_emit_status(f, 1);
	return n;
}

static struct sflow_feed feed;

static void fresh(void)
{
	struct ra_err err;

	reset();
	if (feed.agents)
		sflow_feed_free(&feed);
	if (!sflow_feed_init(&feed, NULL, &err)) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
}

/* ---- the real captures ---- */

static void test_ndpi(void)
{
	fresh();
	struct file_counts n = feed_file(&feed, "ndpi-sflow.pcap");
	const struct ra_status *a = agent_rec("172.21.35.17", 1);
	uint32_t aux = 0;

	/* tshark: 9 frames, all sFlow V5 from agent 172.21.35.17 sub-agent 1, seq 415..423,
	 * one sample each: 8 counter samples (format 2) and one flow sample (format 1). */
	is_int(n.udp, 9, "ndpi: 9 sFlow datagrams");
	ok(a != NULL, "ndpi: agent 172.21.35.17 sub-agent 1 has a status record");
	if (!a)
		return;
	is_int(item(a, SFA_DATAGRAMS, NULL), 9, "ndpi: 9 datagrams from the agent");
	is_int(item(a, SFA_LOST_DATAGRAMS, NULL), 0, "ndpi: seq 415..423, nothing lost");
	is_int(item(a, SFA_FLOW_SAMPLES, NULL), 1, "ndpi: 1 flow sample");
	is_int(item(a, SFA_COUNTER_SAMPLES, NULL), 8, "ndpi: 8 counter samples");
	is_int(item(a, SFA_LOST_COUNTER_SAMPLES, NULL), 0, "ndpi: counter seq 8485..8488 and 104..107");
	/* tshark: flow sample seq 6, index 1043, rate 2048, pool 12288, drops 0,
	 * input 1048, output 1043 (format 0); raw header, Ethernet, frame length 82,
	 * stripped 4, header length 78. */
	is_int(item(a, SFA_SAMPLE_POOL, NULL), 12288, "ndpi: sample pool 12288");
	is_int(item(a, SFA_DROPS, NULL), 0, "ndpi: drops 0");
	is_int(st.packets, 1, "ndpi: one packet to the engine");
	is_int(st.dlt[0], DLT_EN10MB, "ndpi: header protocol 1 is Ethernet");
	is_int(st.caplen[0], 78, "ndpi: sampled header length 78");
	is_int(st.wirelen[0], 82, "ndpi: frame length 82");
	is_int(st.weight[0], 2048, "ndpi: weight = sampling rate 2048");
	is_int(st.origin[0].rate, 2048, "ndpi: origin rate 2048");
	is_int(st.origin[0].inif, 1048, "ndpi: input ifindex 1048");
	is_int(st.origin[0].outif, 1043, "ndpi: output ifindex 1043");
	is_int(st.origin[0].subagent, 1, "ndpi: sub-agent 1");
	is_int(st.origin[0].agent.v4, 0xac152311, "ndpi: agent 172.21.35.17");
	/* tshark, first counter sample (seq 8485, index 1036): ifType 6, speed 100000000,
	 * direction 1, admin+oper up, in octets 25963724, in ucast 39811, in mcast 167958,
	 * in bcast 128627, out octets 5455297, out ucast 41143, out mcast 8583, out bcast 2263. */
	is_int(st.iface, 8, "ndpi: 8 interface status records");
	is_int(item(&st.first_iface, SFC_SEQ, &aux), 8485, "ndpi: counter sample seq 8485");
	is_int(aux, 1036, "ndpi: status aux = ifindex 1036");
	is_int(item(&st.first_iface, SFC_SUBAGENT, NULL), 1, "ndpi: counter sub-agent 1");
	is_int(item(&st.first_iface, SFC_IF_TYPE, NULL), 6, "ndpi: ifType 6");
	is_int(item(&st.first_iface, SFC_IF_SPEED, NULL), 100000000, "ndpi: ifSpeed 100000000");
	is_int(item(&st.first_iface, SFC_IF_DIRECTION, NULL), 1, "ndpi: full duplex");
	is_int(item(&st.first_iface, SFC_IF_STATUS, NULL), 3, "ndpi: admin and oper up");
	is_int(item(&st.first_iface, SFC_IF_IN_OCTETS, NULL), 25963724, "ndpi: in octets");
	is_int(item(&st.first_iface, SFC_IF_IN_UCAST, NULL), 39811, "ndpi: in ucast");
	is_int(item(&st.first_iface, SFC_IF_IN_MCAST, NULL), 167958, "ndpi: in mcast");
	is_int(item(&st.first_iface, SFC_IF_IN_BCAST, NULL), 128627, "ndpi: in bcast");
	is_int(item(&st.first_iface, SFC_IF_OUT_OCTETS, NULL), 5455297, "ndpi: out octets");
	is_int(item(&st.first_iface, SFC_IF_OUT_UCAST, NULL), 41143, "ndpi: out ucast");
	is_int(item(&st.first_iface, SFC_IF_OUT_MCAST, NULL), 8583, "ndpi: out mcast");
	is_int(item(&st.first_iface, SFC_IF_OUT_BCAST, NULL), 2263, "ndpi: out bcast");
	is_int(st.first_iface.family, RA_AF_INET, "ndpi: counter status source is the agent");
	is_int(st.malformed_total, 0, "ndpi: nothing malformed");
}

static void test_expanded(void)
{
	fresh();
	struct file_counts n = feed_file(&feed, "tcpdump-sflow_expanded.pcap");
	const struct ra_status *a = agent_rec("49.49.49.49", 0);

	/* tshark: agent 49.49.49.49 sub-agent 0 seq 115694180, one expanded flow sample
	 * (format 3) seq 2170480284, source 0:11001, rate 1000, pool 1521799520,
	 * input format 0 value 29001, output format 0 value 1285816721 (wider than 30 bits),
	 * 3 records: raw header (Ethernet, frame length 126, stripped 4, header 122 bytes),
	 * extended gateway 1003 (skipped), extended router 1002. */
	is_int(n.udp, 1, "expanded: one datagram");
	ok(a != NULL, "expanded: agent 49.49.49.49 sub-agent 0");
	is_int(st.packets, 1, "expanded: one packet to the engine");
	is_int(st.weight[0], 1000, "expanded: weight 1000");
	is_int(st.wirelen[0], 126, "expanded: frame length 126");
	is_int(st.caplen[0], 122, "expanded: header length 122");
	is_int(st.origin[0].inif, 29001, "expanded: input ifindex 29001");
	is_int(st.origin[0].outif, 1285816721u & 0x3fffffffu, "expanded: output folded to 30 bits");
	is_int(malformed("sflow_ifindex_wide"), 1, "expanded: the wide ifindex is counted");
	if (a) {
		is_int(item(a, SFA_SAMPLE_POOL, NULL), 1521799520, "expanded: pool 1521799520");
		is_int(item(a, SFA_MALFORMED_BASE + SFR_UNKNOWN_RECORD, NULL), 1,
		       "expanded: the gateway record is skipped by its length");
	}
}

static void test_v6(void)
{
	fresh();
	struct file_counts n = feed_file(&feed, "tcpdump-sflow-print-v6.pcap");
	const struct ra_status *a = agent_rec("30::1:1:1", 0);

	/* tshark: 25 datagrams over IPv6 from agent 30::1:1:1 sub-agent 0 seq 109..133,
	 * 61 samples: 13 flow samples (seq 3..15, index 7001, rate 1, input 7001, output
	 * 0x80000000 = multiple, unknown count; frame lengths 11 x 64, 250, 500) and 48
	 * counter samples (each a generic and an Ethernet record). */
	is_int(n.udp, 25, "v6: 25 datagrams over IPv6");
	ok(a != NULL, "v6: IPv6 agent 30::1:1:1");
	if (!a)
		return;
	is_int(item(a, SFA_DATAGRAMS, NULL), 25, "v6: 25 datagrams");
	is_int(item(a, SFA_LOST_DATAGRAMS, NULL), 0, "v6: no datagram lost");
	is_int(item(a, SFA_FLOW_SAMPLES, NULL), 13, "v6: 13 flow samples");
	is_int(item(a, SFA_COUNTER_SAMPLES, NULL), 48, "v6: 48 counter samples");
	is_int(item(a, SFA_LOST_FLOW_SAMPLES, NULL), 0, "v6: flow seq 3..15");
	is_int(item(a, SFA_LOST_COUNTER_SAMPLES, NULL), 0, "v6: counter seqs without gaps");
	is_int(item(a, SFA_SAMPLE_POOL, NULL), 15, "v6: last sample pool 15");
	is_int(st.packets, 13, "v6: 13 packets");
	is_int(st.weight_sum, 13, "v6: rate 1 each");
	is_int(st.bytes_sum, 11 * 64 + 250 + 500, "v6: frame lengths sum to 1454");
	is_int(st.origin[0].outif, 0x80000000u, "v6: output 'multiple, unknown'");
	is_int(st.origin[0].inif, 7001, "v6: input 7001");
	is_int(st.iface, 48, "v6: 48 interface status records");
	ok(item(&st.first_iface, SFC_ETH_ALIGNMENT, NULL) != UINT64_MAX, "v6: Ethernet counters kept");
	is_int(st.malformed_total, 0, "v6: nothing malformed");
}

static void test_counters30(void)
{
	fresh();
	struct file_counts n = feed_file(&feed, "tcpdump-sflow_multiple_counter_30_pdus.pcap");
	const struct ra_status *a = agent_rec("15.184.1.195", 1);
	const struct ra_status *b = agent_rec("15.184.4.165", 100);
	uint64_t samples = 0;

	/* tshark: 30 UDP datagrams to 6343; 25 are sFlow v5 (144 samples: 142 expanded
	 * counter samples, format 4, and 2 counter samples, format 2); 5 are not sFlow
	 * (they start 00 05 00 01: NetFlow v5 sent to 6343).  7 agent/sub-agent pairs.
	 * 15.184.1.195/1 sends 10 datagrams, seq 10499682..10499691.  Frames 12 and 18
	 * (sub-agent 100) carry host counter records 2000-2006, which tshark flags as
	 * malformed; their lengths add up (424 = 12 + 6 x 8 + 364), so we skip them. */
	is_int(n.udp, 30, "counters30: 30 UDP datagrams to port 6343");
	is_int(malformed("sflow_version"), 5, "counters30: 5 are not sFlow v5");
	is_int(st.nagents, 7, "counters30: 7 agent/sub-agent pairs");
	for (unsigned i = 0; i < st.nagents; i++)
		samples += item(&st.agents[i], SFA_COUNTER_SAMPLES, NULL);
	is_int(samples, 144, "counters30: 144 counter samples");
	is_int(st.iface, 144, "counters30: every counter sample kept as a status record");
	ok(a && item(a, SFA_DATAGRAMS, NULL) == 10, "counters30: 15.184.1.195/1 sent 10 datagrams");
	ok(a && item(a, SFA_LOST_DATAGRAMS, NULL) == 0, "counters30: and lost none");
	ok(b && item(b, SFA_MALFORMED_BASE + SFR_UNKNOWN_RECORD, NULL) == 6,
	   "counters30: 6 host records skipped by length");
	is_int(st.malformed_total, 5, "counters30: nothing else malformed");
	is_int(item(&st.wide, SFA_MALFORMED_BASE + SFR_VERSION, NULL), 5,
	       "counters30: the input-wide record counts them");
	is_int(st.packets, 0, "counters30: no flow samples, no packets");
}

/* ---- hand-made datagrams ---- */

struct dg { uint8_t b[2048]; size_t n; };

static void w32(struct dg *d, uint32_t v)
{
	d->b[d->n++] = (uint8_t)(v >> 24); d->b[d->n++] = (uint8_t)(v >> 16);
	d->b[d->n++] = (uint8_t)(v >> 8); d->b[d->n++] = (uint8_t)v;
}

static void header(struct dg *d, uint32_t agent, uint32_t sub, uint32_t seq, uint32_t nsamples)
{
	d->n = 0;
	w32(d, 5); w32(d, 1); w32(d, agent); w32(d, sub); w32(d, seq); w32(d, 1000); w32(d, nsamples);
}

/* A flow sample (format 1) with one raw IPv4 header record of 20+8 bytes. */
static void flow_sample(struct dg *d, uint32_t seq, uint32_t rate, uint32_t in, uint32_t out)
{
	static const uint8_t ip[28] = {
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0x00, 0x35, 0, 8, 0, 0 };
	w32(d, 1); w32(d, 32 + 8 + 16 + 28);
	w32(d, seq); w32(d, 5); w32(d, rate); w32(d, 100); w32(d, 0); w32(d, in); w32(d, out); w32(d, 1);
	w32(d, 1); w32(d, 16 + 28);
	w32(d, SFLOW_HDR_IPV4); w32(d, 1500); w32(d, 0); w32(d, 28);
	memcpy(d->b + d->n, ip, 28);
	d->n += 28;
}

/* The same, with an extended switch record (1001) after the header record. */
static void flow_sample_switch(struct dg *d, uint32_t seq, uint32_t src_vlan, uint32_t dst_vlan)
{
	static const uint8_t ip[28] = {
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0x00, 0x35, 0, 8, 0, 0 };
	w32(d, 1); w32(d, 32 + 8 + 16 + 28 + 8 + 16);
	w32(d, seq); w32(d, 5); w32(d, 10); w32(d, 100); w32(d, 0); w32(d, 1); w32(d, 2); w32(d, 2);
	w32(d, 1); w32(d, 16 + 28);
	w32(d, SFLOW_HDR_IPV4); w32(d, 1500); w32(d, 0); w32(d, 28);
	memcpy(d->b + d->n, ip, 28);
	d->n += 28;
	w32(d, 1001); w32(d, 16);
	w32(d, src_vlan); w32(d, 0); w32(d, dst_vlan); w32(d, 0);
}

static void feed_dg(const struct dg *d) { sflow_feed_datagram(&feed, d->b, d->n, 1000000); }

static void test_synthetic(void)
{
	struct dg d;
	struct ra_err err;

	fresh();
	header(&d, 0x0a000001, 0, 10, 1);
	flow_sample(&d, 1, 512, 3, SFLOW_IF_SELF);
	feed_dg(&d);
	is_int(st.packets, 1, "synthetic: a raw IPv4 header reaches the engine");
	is_int(st.dlt[0], DLT_RAW, "synthetic: header protocol 11 is DLT_RAW");
	is_int(st.wirelen[0], 1500, "synthetic: wire length is frame_length");
	is_int(st.origin[0].outif, SFLOW_IF_SELF, "synthetic: 0x3FFFFFFF (the agent) kept");

	fresh();
	header(&d, 0x0a000001, 0, 1, 1);
	flow_sample_switch(&d, 1, 42, 43);
	feed_dg(&d);
	ok(st.packets == 1 && st.origin[0].vlan == 42,
	   "synthetic: the extended switch record's incoming VLAN goes with the untagged header");
	fresh();
	header(&d, 0x0a000001, 0, 10, 1);
	flow_sample(&d, 1, 512, 3, SFLOW_IF_SELF);
	feed_dg(&d);

	/* Gaps: datagram 10 -> 14 loses 3; sample 1 -> 5 loses 3. */
	header(&d, 0x0a000001, 0, 14, 1);
	flow_sample(&d, 5, 512, 3, 0x40000001);	/* discarded, reason 1 */
	feed_dg(&d);
	is_int(st.origin[1].outif, 0x40000001, "synthetic: discard format kept");
	sflow_feed_emit_status(&feed, 2);
	const struct ra_status *a = agent_rec("10.0.0.1", 0);
	ok(a && item(a, SFA_LOST_DATAGRAMS, NULL) == 3, "synthetic: 3 datagrams lost");
	ok(a && item(a, SFA_LOST_FLOW_SAMPLES, NULL) == 3, "synthetic: 3 samples lost");

	/* Sequence arithmetic. */
	bool r;
	is_int(sflow_seq_gap(UINT32_MAX, 0, &r), 0, "seq: wrap is no loss");
	ok(!r, "seq: wrap is no reset");
	is_int(sflow_seq_gap(100, 50, &r), 0, "seq: backwards is no loss");
	ok(r, "seq: backwards is a reset");
	is_int(sflow_seq_gap(UINT32_MAX - 1, 2, &r), 3, "seq: gap across the wrap");

	/* Rates: zero counts with weight 1, absurd is dropped, cap lowers. */
	fresh();
	header(&d, 0x0a000001, 0, 1, 3);
	flow_sample(&d, 1, 0, 1, 2);
	flow_sample(&d, 2, 0xffffffffu, 1, 2);
	flow_sample(&d, 3, 100, 1, 2);
	feed_dg(&d);
	is_int(st.packets, 2, "rate: the absurd sample is dropped");
	is_int(st.weight[0], 1, "rate: rate 0 counts as 1");
	is_int(malformed("sflow_rate_zero"), 1, "rate: rate 0 counted");
	is_int(malformed("sflow_rate_absurd"), 1, "rate: absurd rate counted");

	fresh();
	ok(sflow_agents_allow(feed.agents, "10.0.0.0/8@64", &err), "allow: prefix with cap parses");
	ok(!sflow_agents_allow(feed.agents, "10.0.0.0/33", &err), "allow: /33 refused");
	ok(!sflow_agents_allow(feed.agents, "bogus", &err), "allow: junk refused");
	ok(sflow_agents_allow(feed.agents, "2001:db8::/32", &err), "allow: IPv6 prefix parses");
	header(&d, 0x0a000001, 0, 1, 1);
	flow_sample(&d, 1, 1000, 1, 2);
	feed_dg(&d);
	is_int(st.weight[0], 64, "cap: rate 1000 capped to 64");
	header(&d, 0xc0a80001, 0, 1, 1);
	flow_sample(&d, 1, 1000, 1, 2);
	feed_dg(&d);
	is_int(st.packets, 1, "allow: 192.168.0.1 is refused");
	is_int(feed.agents->denied, 1, "allow: and counted");

	/* A sampled IPv6 record (no raw header) becomes an observation, weighted. */
	fresh();
	header(&d, 0x0a000001, 7, 1, 1);
	w32(&d, 1); w32(&d, 32 + 8 + 56);
	w32(&d, 1); w32(&d, 5); w32(&d, 100); w32(&d, 0); w32(&d, 0); w32(&d, 1); w32(&d, 2); w32(&d, 1);
	w32(&d, 4); w32(&d, 56);
	w32(&d, 1280); w32(&d, 17);
	w32(&d, 0x20010db8); w32(&d, 0); w32(&d, 0); w32(&d, 1);
	w32(&d, 0x20010db8); w32(&d, 0); w32(&d, 0); w32(&d, 2);
	w32(&d, 5353); w32(&d, 53); w32(&d, 0); w32(&d, 0);
	feed_dg(&d);
	is_int(st.observations, 1, "sampled IPv6: one observation");
	is_int(st.obs[0].family, RA_AF_INET6, "sampled IPv6: family");
	is_int(st.obs[0].spkts, 100, "sampled IPv6: packets = rate");
	is_int(st.obs[0].sbytes, 128000, "sampled IPv6: bytes = length x rate");
	is_int(st.obs[0].dport, 53, "sampled IPv6: destination port");
	is_int(st.obs[0].daddr.v6[15], 2, "sampled IPv6: destination address");
	is_int(st.obs_origin[0].subagent, 7, "sampled IPv6: sub-agent in the origin");

	/* Broken datagrams: every truncation of a good one decodes without harm. */
	fresh();
	header(&d, 0x0a000001, 0, 1, 2);
	flow_sample(&d, 1, 10, 1, 2);
	flow_sample(&d, 2, 10, 1, 2);
	unsigned bad_cuts = 0;
	for (size_t cut = 0; cut < d.n; cut++) {
		reset();
		sflow_feed_datagram(&feed, d.b, cut, 1);
		bad_cuts += st.packets >= 2;
	}
	is_int(bad_cuts, 0, "truncation: no cut datagram yields both samples");
	reset();
	sflow_feed_datagram(&feed, d.b, d.n, 1);
	is_int(st.packets, 2, "truncation: the whole datagram yields both");
	reset();
	sflow_feed_datagram(&feed, d.b, d.n - 1, 1);
	is_int(st.packets, 1, "truncation: one byte short loses the last sample only");
	ok(malformed("sflow_sample_truncated") == 1, "truncation: counted by reason");

	/* Zero-length samples and records, and a huge num_samples: no hang. */
	reset();
	header(&d, 0x0a000001, 0, 2, 0xffffffffu);
	for (int i = 0; i < 10; i++) { w32(&d, 7); w32(&d, 0); }
	feed_dg(&d);
	is_int(malformed("sflow_zero_length"), 10, "zero length: 10 empty samples counted");
	is_int(malformed("sflow_samples_missing"), 1, "zero length: then the datagram ends");
	reset();
	header(&d, 0x0a000001, 0, 3, 1);
	w32(&d, 1); w32(&d, 32 + 3 * 8);
	w32(&d, 1); w32(&d, 5); w32(&d, 10); w32(&d, 0); w32(&d, 0); w32(&d, 1); w32(&d, 2);
	w32(&d, 1000000);
	for (int i = 0; i < 3; i++) { w32(&d, 1); w32(&d, 0); }
	feed_dg(&d);
	is_int(malformed("sflow_records_missing"), 1, "zero length: records end early");
	is_int(malformed("sflow_record_short"), 3, "zero length: empty header records too short");
	reset();
	header(&d, 0x0a000001, 0, 4, 1);
	w32(&d, 1); w32(&d, 6);		/* unaligned, past the end */
	feed_dg(&d);
	is_int(malformed("sflow_sample_truncated"), 1, "padding: length past the end");
	reset();
	d.n = 0;
	w32(&d, 4);
	feed_dg(&d);
	is_int(malformed("sflow_version"), 1, "version 4 refused");
	reset();
	d.n = 0;
	w32(&d, 5); w32(&d, 3);
	feed_dg(&d);
	is_int(malformed("sflow_agent_type"), 1, "agent type 3 refused");
}

/* The pcap side: tagged Ethernet, IPv6 extension headers, fragments. */
static void test_udp(void)
{
	uint8_t f[128];
	struct sflow_udp u;
	size_t n = 0;

	memset(f, 0, sizeof(f));
	/* Ethernet, 802.1ad + 802.1Q tags, IPv4 (total 32), UDP 40000 -> 6343, 4 payload bytes */
	memcpy(f + 12, "\x88\xa8\x00\x0a\x81\x00\x00\x14\x08\x00", 10);
	n = 22;
	memcpy(f + n, "\x45\x00\x00\x20\x00\x00\x00\x00\x40\x11\x00\x00\x0a\x00\x00\x01"
		      "\x0a\x00\x00\x02\x9c\x40\x18\xc7\x00\x0c\x00\x00\x00\x00\x00\x05", 32);
	n += 32;
	is_int(sflow_udp_payload(DLT_EN10MB, f, n + 6, SFLOW_PORT, &u), SFLOW_UDP_OK,
	       "udp: two VLAN tags, IPv4, Ethernet padding");
	is_int(u.len, 4, "udp: payload bounded by the UDP length");
	is_int(u.src.v4, 0x0a000001, "udp: sender 10.0.0.1");
	is_int(sflow_udp_payload(DLT_EN10MB, f, n, 9999, &u), SFLOW_UDP_OTHER, "udp: other port");
	is_int(sflow_udp_payload(DLT_EN10MB, f, n - 1, SFLOW_PORT, &u), SFLOW_UDP_TRUNCATED,
	       "udp: cut short");
	f[22 + 6] = 0x20;	/* more fragments */
	is_int(sflow_udp_payload(DLT_EN10MB, f, n, SFLOW_PORT, &u), SFLOW_UDP_FRAGMENT,
	       "udp: IPv4 fragment");

	/* raw IPv6, hop-by-hop options (8 bytes), UDP to 6343, 4 payload bytes */
	memset(f, 0, sizeof(f));
	f[0] = 0x60; f[5] = 8 + 8 + 4; f[6] = 0; f[7] = 64;
	f[8] = 0x20; f[9] = 0x01; f[23] = 1;
	f[40] = 17; f[41] = 0;
	f[48] = 0x9c; f[49] = 0x40; f[50] = 0x18; f[51] = 0xc7; f[53] = 12;
	is_int(sflow_udp_payload(DLT_RAW, f, 60, SFLOW_PORT, &u), SFLOW_UDP_OK,
	       "udp: raw IPv6 with a hop-by-hop header");
	is_int(u.src_family, RA_AF_INET6, "udp: IPv6 sender");
	is_int(u.len, 4, "udp: IPv6 payload length");
	f[6] = 44;	/* fragment header */
	is_int(sflow_udp_payload(DLT_RAW, f, 60, SFLOW_PORT, &u), SFLOW_UDP_FRAGMENT,
	       "udp: IPv6 fragment");
}

int main(void)
{
	tap_plan(128);
	test_ndpi();
	test_expanded();
	test_v6();
	test_counters30();
	test_synthetic();
	test_udp();
	sflow_feed_free(&feed);
	return tap_done();
}
