/* test_status.c - the status item table agrees with the daemon's keys, and a
 * status record walks into the names and values ra prints. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "output.h"
#include "sflow_decode.h"
#include "sflow_feed.h"
#include "status.h"
#include "filter.h"
#include "../tests/unit/tap.h"

static const char *name_of(unsigned kind, unsigned key)
{
	const struct ra_status_key *k = ra_status_key_find(kind, key);
	return k ? k->name : "(none)";
}

int main(void)
{
	static struct ra_status st;
	struct ra_status_iter it;
	char name[64], val[64], all[512] = "";
	struct ra_flow f;
	struct ra_err err;
	struct ra_filter *flt;
	unsigned missing = 0;

	tap_plan(12);
	is_str(name_of(RA_STATUS_DAEMON, ST_DROPPED), "dropped", "daemon: ST_DROPPED is 'dropped'");
	is_str(name_of(RA_STATUS_DAEMON, ST_CPU_SYS), "cpu_sys", "daemon: ST_CPU_SYS");
	is_str(name_of(RA_STATUS_DAEMON, ST_MALFORMED + MAL_TCP_BADOFF), "malformed_tcp_badoff", "daemon: a malformed reason");
	is_str(name_of(RA_STATUS_AGENT, SFA_NOT_SFLOW), "not_sflow", "agent: SFA_NOT_SFLOW");
	is_str(name_of(RA_STATUS_AGENT, SFA_MALFORMED_BASE + SFR_FRAME_SHORT), "sflow_frame_short", "agent: the last reason");
	is_str(name_of(RA_STATUS_IFACE, SFC_ETH_SYMBOL), "eth_symbol_errors", "iface: the last Ethernet counter");
	for (unsigned k = ST_PKTS; k <= ST_ORIGIN_OVERFLOW; k++)
		missing += !ra_status_key_find(RA_STATUS_DAEMON, k);
	for (unsigned r = 0; r < MAL_COUNT; r++)
		missing += !ra_status_key_find(RA_STATUS_DAEMON, ST_MALFORMED + r);
	for (unsigned r = 0; r < SFR_COUNT; r++)
		missing += !ra_status_key_find(RA_STATUS_AGENT, SFA_MALFORMED_BASE + r);
	for (unsigned k = SFC_IF_TYPE; k <= SFC_IF_PROMISC; k++)
		missing += !ra_status_key_find(RA_STATUS_IFACE, k);
	is_int((int)missing, 0, "every key the daemon writes has a row");

	st.time = 1700000000123456ull;
	st.kind = RA_STATUS_AGENT;
	st.family = RA_AF_INET;
	st.source.v4 = 0x0a000001;
	st.nitems = 4;
	st.items[0] = (struct ra_status_item){ SFA_DATAGRAMS, 3, 10 };
	st.items[1] = (struct ra_status_item){ SFA_LOST_DATAGRAMS, 3, 2 };
	st.items[2] = (struct ra_status_item){ SFA_DROPS, 4, 7 };	/* another sub-agent: named */
	st.items[3] = (struct ra_status_item){ 999, 0, 1 };		/* a key from a newer daemon */
	ra_status_iter_init(&it, &st);
	while (ra_status_iter_next(&it, &st, name, sizeof(name), val, sizeof(val))) {
		size_t at = strlen(all);
		snprintf(all + at, sizeof(all) - at, "%s=%s ", name, val);
	}
	is_str(all, "subagent=3 datagrams=10 lost_datagrams=2 drops_4=7 key999=1 ",
	       "the record's sub-agent first; a differing aux and an unknown key are named");
	st.kind = RA_STATUS_DAEMON;
	st.nitems = 1;
	st.items[0] = (struct ra_status_item){ ST_CPU_USER, 0, 1500000 };
	ra_status_iter_init(&it, &st);
	ok(ra_status_iter_next(&it, &st, name, sizeof(name), val, sizeof(val)) && !strcmp(name, "cpu_user") &&
	   !strcmp(val, "1.500000"), "microseconds print as seconds");

	ra_status_view(&st, &f);
	flt = flt_compile("man and srcid 10.0.0.1", &err);
	ok(flt && flt_match(flt, &f) && flt_names_status(flt), "'man' selects the view of a status record");
	flt_free(flt);
	flt = flt_compile("not man", &err);
	ok(flt && !flt_match(flt, &f), "'not man' leaves it out");
	flt_free(flt);
	ra_flow_init(&f);
	f.family = RA_AF_INET;
	f.proto = 6;
	flt = flt_compile("man or tcp", &err);
	ok(flt && flt_match(flt, &f), "a flow passes 'man or tcp'");
	flt_free(flt);
	return tap_done();
}
