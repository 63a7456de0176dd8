/*
 * output.c - the daemon's own status record: how much it received, dropped,
 * could not decode (by reason), how many flows it holds, created and
 * expired, and the memory and CPU it uses.  The record travels in the same
 * stream as the flows (kind RA_STATUS_DAEMON); argus(8) lists the keys.
 */
#include "engine_int.h"
#include "output.h"

#include <sys/resource.h>
#include <string.h>

static void add(struct ra_status *st, uint32_t key, uint32_t aux, uint64_t value)
{
	if (st->nitems >= RA_STATUS_MAX_ITEMS)
		return;
	st->items[st->nitems].key = key;
	st->items[st->nitems].aux = aux;
	st->items[st->nitems].value = value;
	st->nitems++;
}

void output_daemon_status(struct engine *e, uint64_t now)
{
	static struct ra_status st;	/* large; written and sent before returning */
	struct rusage ru;

	if (e->refresh)
		e->refresh(e, e->refresh_arg);
	memset(&st, 0, offsetof(struct ra_status, items));
	st.time = now;
	st.kind = RA_STATUS_DAEMON;
	if (e->cfg.srcid_family) {
		st.family = e->cfg.srcid_family;
		st.source = e->cfg.srcid;
	}
	add(&st, ST_PKTS, 0, e->pkts);
	add(&st, ST_BYTES, 0, e->bytes);
	add(&st, ST_RECEIVED, 0, e->input_received);
	add(&st, ST_DROPPED, 0, e->input_dropped);
	add(&st, ST_IFDROPPED, 0, e->input_ifdropped);
	/* with worker threads (e->fan) the flows are theirs: workers.c sums */
	add(&st, ST_FLOWS_ACTIVE, 0, e->fan ? e->fan_active : ft_count(e->ft));
	add(&st, ST_FLOWS_CREATED, 0, e->flows_created);
	add(&st, ST_FLOWS_EXPIRED, 0, e->flows_expired);
	add(&st, ST_FLOWS_REFUSED, 0, e->flows_refused);
	add(&st, ST_RECORDS, 0, e->records_written);
	add(&st, ST_MEMORY, 0, e->fan ? e->fan_memory : ft_memory(e->ft) + frag_memory());
	add(&st, ST_FRAG_PENDING, 0, e->frag_pending);
	add(&st, ST_FRAG_ORPHANS, 0, e->frag_orphans);
	add(&st, ST_ORIGIN_OVERFLOW, 0, e->origins_overflow);
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		add(&st, ST_CPU_USER, 0, (uint64_t)ru.ru_utime.tv_sec * 1000000 + (uint64_t)ru.ru_utime.tv_usec);
		add(&st, ST_CPU_SYS, 0, (uint64_t)ru.ru_stime.tv_sec * 1000000 + (uint64_t)ru.ru_stime.tv_usec);
		add(&st, ST_MAXRSS, 0, (uint64_t)ru.ru_maxrss * 1024);
	}
	add(&st, ST_UPTIME, 0, now >= e->start_time ? now - e->start_time : 0);
	for (unsigned r = 0; r < MAL_COUNT; r++)
		if (e->mal[r])
			add(&st, ST_MALFORMED + r, 0, e->mal[r]);
	for (unsigned i = 0; i < e->n_unsupported; i++)
		add(&st, ST_UNSUPPORTED_DLT, (uint32_t)e->unsupported_dlt[i], 1);
	for (unsigned i = 0; i < e->n_other; i++)
		add(&st, ST_OTHER_REASON, i, e->other_count[i]);
	if (e->status_more)
		e->status_more(e->tap_arg, &st);
	engine_emit_status(e, &st);
	if (e->health)
		e->health(e->health_arg, now);
}
