/*
 * status.c - the table of status record items (status.h): names and units
 * of the daemon's, the sFlow agents' and the interfaces' figures, and the
 * walk that turns a decoded status record into name/value pairs.
 */
#include "config.h"

#include "status.h"

#include <stdio.h>
#include <string.h>

#include "field.h"

#define D RA_STATUS_DAEMON
#define A RA_STATUS_AGENT
#define I RA_STATUS_IFACE
#define C RA_SU_COUNT
#define U RA_SU_USEC
#define H RA_STATUS_HOST
#define P RA_SU_CENTI
#define M RA_SA_MISSING

const struct ra_status_key ra_status_keys[] = {
	/* the daemon's health (argus/output.h ST_x) */
	{ D, 1, C, 0, "pkts" }, { D, 2, C, 0, "bytes" }, { D, 3, C, 0, "received" },
	{ D, 4, C, 0, "dropped" }, { D, 5, C, 0, "ifdropped" }, { D, 6, C, 0, "flows" },
	{ D, 7, C, 0, "flows_created" }, { D, 8, C, 0, "flows_expired" },
	{ D, 9, C, 0, "flows_refused" }, { D, 10, C, 0, "records" }, { D, 11, C, 0, "memory" },
	{ D, 12, U, 0, "cpu_user" }, { D, 13, U, 0, "cpu_sys" }, { D, 14, C, 0, "maxrss" },
	{ D, 15, U, 0, "uptime" }, { D, 16, C, 0, "frag_pending" }, { D, 17, C, 0, "frag_orphans" },
	{ D, 18, C, 0, "origin_overflow" },
	/* 100 + enum mal_reason (argus/engine_int.h) */
	{ D, 100, C, 0, "malformed_link_short" }, { D, 101, C, 0, "malformed_link_unsupported" },
	{ D, 102, C, 0, "malformed_ip_short" }, { D, 103, C, 0, "malformed_ip_badhdr" },
	{ D, 104, C, 0, "malformed_ip_badlen" }, { D, 105, C, 0, "malformed_ip6_short" },
	{ D, 106, C, 0, "malformed_tcp_short" }, { D, 107, C, 0, "malformed_tcp_badoff" },
	{ D, 108, C, 0, "malformed_udp_short" }, { D, 109, C, 0, "malformed_icmp_short" },
	{ D, 110, C, 0, "malformed_arp_short" }, { D, 111, C, 0, "truncated" },
	{ D, 112, C, 0, "malformed_other" },
	{ D, 200, C, RA_SA_NAME, "unsupported_dlt" }, { D, 300, C, RA_SA_NAME, "other_reason" },

	/* sFlow agents (argus/sflow_feed.h SFA_x); aux: the sub-agent */
	{ A, 1, C, RA_SA_RECORD, "datagrams" }, { A, 2, C, RA_SA_RECORD, "flow_samples" },
	{ A, 3, C, RA_SA_RECORD, "counter_samples" }, { A, 4, C, RA_SA_RECORD, "lost_datagrams" },
	{ A, 5, C, RA_SA_RECORD, "lost_flow_samples" }, { A, 6, C, RA_SA_RECORD, "lost_counter_samples" },
	{ A, 7, C, RA_SA_RECORD, "seq_resets" }, { A, 8, C, RA_SA_RECORD, "drops" },
	{ A, 9, C, RA_SA_RECORD, "sample_pool" }, { A, 10, C, RA_SA_RECORD, "rate_cap" },
	{ A, 20, C, 0, "denied" }, { A, 21, C, 0, "agents_full" }, { A, 22, C, 0, "sources_full" },
	{ A, 23, C, 0, "kernel_drops" }, { A, 24, C, 0, "received" }, { A, 25, C, 0, "not_sflow" },
	/* 100 + enum sflow_reason (argus/sflow_decode.h) */
	{ A, 100, C, RA_SA_RECORD, "sflow_short" }, { A, 101, C, RA_SA_RECORD, "sflow_version" },
	{ A, 102, C, RA_SA_RECORD, "sflow_agent_type" }, { A, 103, C, RA_SA_RECORD, "sflow_sample_truncated" },
	{ A, 104, C, RA_SA_RECORD, "sflow_samples_missing" }, { A, 105, C, RA_SA_RECORD, "sflow_trailing" },
	{ A, 106, C, RA_SA_RECORD, "sflow_sample_short" }, { A, 107, C, RA_SA_RECORD, "sflow_record_truncated" },
	{ A, 108, C, RA_SA_RECORD, "sflow_records_missing" }, { A, 109, C, RA_SA_RECORD, "sflow_record_short" },
	{ A, 110, C, RA_SA_RECORD, "sflow_zero_length" }, { A, 111, C, RA_SA_RECORD, "sflow_unaligned" },
	{ A, 112, C, RA_SA_RECORD, "sflow_header_length" }, { A, 113, C, RA_SA_RECORD, "sflow_header_proto" },
	{ A, 114, C, RA_SA_RECORD, "sflow_unknown_sample" }, { A, 115, C, RA_SA_RECORD, "sflow_unknown_record" },
	{ A, 116, C, RA_SA_RECORD, "sflow_rate_zero" }, { A, 117, C, RA_SA_RECORD, "sflow_rate_absurd" },
	{ A, 118, C, RA_SA_RECORD, "sflow_rate_capped" }, { A, 119, C, RA_SA_RECORD, "sflow_no_packet" },
	{ A, 120, C, RA_SA_RECORD, "sflow_ifindex_wide" }, { A, 121, C, RA_SA_RECORD, "sflow_frame_short" },

	/* interface counters (argus/sflow_decode.h SFC_x); aux: the ifindex */
	{ I, 1, C, 0, "subagent" }, { I, 2, C, 0, "seq" }, { I, 3, C, 0, "source_id" },
	{ I, 10, C, RA_SA_RECORD, "if_type" }, { I, 11, C, RA_SA_RECORD, "if_speed" },
	{ I, 12, C, RA_SA_RECORD, "if_direction" }, { I, 13, C, RA_SA_RECORD, "if_status" },
	{ I, 14, C, RA_SA_RECORD, "in_octets" }, { I, 15, C, RA_SA_RECORD, "in_ucast" },
	{ I, 16, C, RA_SA_RECORD, "in_mcast" }, { I, 17, C, RA_SA_RECORD, "in_bcast" },
	{ I, 18, C, RA_SA_RECORD, "in_discards" }, { I, 19, C, RA_SA_RECORD, "in_errors" },
	{ I, 20, C, RA_SA_RECORD, "in_unknown_protos" }, { I, 21, C, RA_SA_RECORD, "out_octets" },
	{ I, 22, C, RA_SA_RECORD, "out_ucast" }, { I, 23, C, RA_SA_RECORD, "out_mcast" },
	{ I, 24, C, RA_SA_RECORD, "out_bcast" }, { I, 25, C, RA_SA_RECORD, "out_discards" },
	{ I, 26, C, RA_SA_RECORD, "out_errors" }, { I, 27, C, RA_SA_RECORD, "promisc" },
	{ I, 40, C, RA_SA_RECORD, "eth_alignment_errors" }, { I, 41, C, RA_SA_RECORD, "eth_fcs_errors" },
	{ I, 42, C, RA_SA_RECORD, "eth_single_collisions" }, { I, 43, C, RA_SA_RECORD, "eth_multiple_collisions" },
	{ I, 44, C, RA_SA_RECORD, "eth_sqe_errors" }, { I, 45, C, RA_SA_RECORD, "eth_deferred" },
	{ I, 46, C, RA_SA_RECORD, "eth_late_collisions" }, { I, 47, C, RA_SA_RECORD, "eth_excessive_collisions" },
	{ I, 48, C, RA_SA_RECORD, "eth_mac_tx_errors" }, { I, 49, C, RA_SA_RECORD, "eth_carrier_errors" },
	{ I, 50, C, RA_SA_RECORD, "eth_frame_too_long" }, { I, 51, C, RA_SA_RECORD, "eth_mac_rx_errors" },
	{ I, 52, C, RA_SA_RECORD, "eth_symbol_errors" },

	/* the host's health (enum ra_host_key); names are the field names */
	{ H, RA_HK_CPU, P, M, "cpu" }, { H, RA_HK_CPU_USER, P, M, "cpuuser" },
	{ H, RA_HK_CPU_SYS, P, M, "cpusys" }, { H, RA_HK_CPU_IOWAIT, P, M, "cpuiowait" },
	{ H, RA_HK_CPU_SOFTIRQ, P, M, "cpusoftirq" }, { H, RA_HK_MEMTOTAL, C, M, "memtotal" },
	{ H, RA_HK_MEMAVAIL, C, M, "memavail" }, { H, RA_HK_LOAD1, P, M, "load1" },
	{ H, RA_HK_LOAD5, P, M, "load5" }, { H, RA_HK_LOAD15, P, M, "load15" },
	{ H, RA_HK_SYNCOOKIES_SENT, C, M, "syncookiessent" }, { H, RA_HK_SYNCOOKIES_RECV, C, M, "syncookiesrecv" },
	{ H, RA_HK_SYNCOOKIES_FAILED, C, M, "syncookiesfailed" },
	{ H, RA_HK_LISTEN_OVERFLOWS, C, M, "listenoverflows" }, { H, RA_HK_LISTEN_DROPS, C, M, "listendrops" },
	{ H, RA_HK_REQQ_FULL_DROP, C, M, "tcpreqqfulldrop" },
	{ H, RA_HK_REQQ_FULL_DOCOOKIES, C, M, "tcpreqqfulldocookies" },
	{ H, RA_HK_LISTENERS, C, M, "listeners" }, { H, RA_HK_INTERVAL, U, 0, "interval" },
	{ H, RA_HK_LPORT, C, 0, "lport" }, { H, RA_HK_ACCEPTQ, C, 0, "acceptq" },
	{ H, RA_HK_ACCEPTMAX, C, 0, "acceptmax" }, { H, RA_HK_SYNRECV, C, M, "synrecv" },
};
const size_t ra_status_nkeys = sizeof(ra_status_keys) / sizeof(ra_status_keys[0]);

static const struct ra_status_kind_info kinds[] = {
	{ RA_STATUS_DAEMON, "daemon", NULL },
	{ RA_STATUS_AGENT, "agent", "subagent" },
	{ RA_STATUS_IFACE, "iface", "ifindex" },
	{ RA_STATUS_HOST, "host", NULL },
};

const struct ra_status_key *ra_status_key_find(unsigned kind, uint32_t key)
{
	for (size_t i = 0; i < ra_status_nkeys; i++)
		if (ra_status_keys[i].kind == kind && ra_status_keys[i].key == key)
			return &ra_status_keys[i];
	return NULL;
}

const struct ra_status_kind_info *ra_status_kind_find(unsigned kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == kind)
			return &kinds[i];
	return NULL;
}

bool ra_status_value(const struct ra_status *st, unsigned kind, uint32_t key, uint64_t *value)
{
	if (!st || st->kind != kind)
		return false;
	for (unsigned i = 0; i < st->nitems; i++)
		if (st->items[i].key == key) {
			if (st->items[i].aux == RA_STATUS_MISSING && ra_status_key_find(kind, key) &&
			    ra_status_key_find(kind, key)->aux == RA_SA_MISSING)
				return false;
			*value = st->items[i].value;
			return true;
		}
	return false;
}

void ra_status_iter_init(struct ra_status_iter *it, const struct ra_status *st)
{
	const struct ra_status_kind_info *k = ra_status_kind_find(st->kind);

	memset(it, 0, sizeof(*it));
	it->aux_done = 1;
	if (!k || !k->aux_name || !st->family)	/* an input-wide record has no sub-agent */
		return;
	for (unsigned i = 0; i < st->nitems; i++) {
		const struct ra_status_key *row = ra_status_key_find(st->kind, st->items[i].key);
		if (row && row->aux == RA_SA_RECORD) {
			it->record_aux = st->items[i].aux;
			it->aux_done = 0;
			return;
		}
	}
}

static size_t seconds(char *out, size_t cap, uint64_t us)
{
	int n = snprintf(out, cap, "%llu.%06llu", (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000));
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

bool ra_status_iter_next(struct ra_status_iter *it, const struct ra_status *st, char *name, size_t ncap,
			 char *value, size_t vcap)
{
	const struct ra_status_item *item;
	const struct ra_status_key *row;

	if (!it->aux_done) {
		it->aux_done = 1;
		snprintf(name, ncap, "%s", ra_status_kind_find(st->kind)->aux_name);
		snprintf(value, vcap, "%u", it->record_aux);
		return true;
	}
	if (it->next >= st->nitems)
		return false;
	item = &st->items[it->next++];
	row = ra_status_key_find(st->kind, item->key);
	if (!row) {
		/* a key newer than this build: still printed, by number */
		if (item->aux)
			snprintf(name, ncap, "key%u_%u", item->key, item->aux);
		else
			snprintf(name, ncap, "key%u", item->key);
	} else if (row->aux == RA_SA_NAME ||
		   (row->aux == RA_SA_RECORD && item->aux != it->record_aux)) {
		snprintf(name, ncap, "%s_%u", row->name, item->aux);
	} else {
		snprintf(name, ncap, "%s", row->name);
	}
	if (row && row->aux == RA_SA_MISSING && item->aux == RA_STATUS_MISSING)
		snprintf(value, vcap, "-");
	else if (row && row->unit == RA_SU_USEC)
		seconds(value, vcap, item->value);
	else if (row && row->unit == RA_SU_CENTI)
		snprintf(value, vcap, "%llu.%02llu", (unsigned long long)(item->value / 100),
			 (unsigned long long)(item->value % 100));
	else
		snprintf(value, vcap, "%llu", (unsigned long long)item->value);
	return true;
}

void ra_status_view(const struct ra_status *st, struct ra_flow *f)
{
	ra_flow_init(f);
	f->family = RA_AF_STATUS;
	f->stime = f->ltime = st->time;
	f->proto = st->kind;	/* the filter word "health" (filter_words.c) */
	f->status = st;
	if (st->family) {
		RA_SET(f, RA_BLK_ID);
		f->srcid = st->source;
		f->srcid_family = st->family;
	}
}
