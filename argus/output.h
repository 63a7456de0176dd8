/*
 * output.h - item keys of the daemon's status record (RA_STATUS_DAEMON).
 * The table is documented in argus(8) (STATUS RECORDS) and argus-record(5).
 */
#ifndef ARGUS_OUTPUT_H
#define ARGUS_OUTPUT_H

enum daemon_status_key {
	ST_PKTS = 1,		/* packets the engine saw (weighted for sFlow) */
	ST_BYTES = 2,		/* their bytes on the wire */
	ST_RECEIVED = 3,	/* packets the capture inputs received (pcap_stats ps_recv) */
	ST_DROPPED = 4,		/* dropped by the kernel (ps_drop) */
	ST_IFDROPPED = 5,	/* dropped by the interface (ps_ifdrop) */
	ST_FLOWS_ACTIVE = 6,	/* flows in the table now */
	ST_FLOWS_CREATED = 7,	/* flows created since start */
	ST_FLOWS_EXPIRED = 8,	/* flows ended (idle timeout or new connection) */
	ST_FLOWS_REFUSED = 9,	/* packets not accounted: table full or no memory */
	ST_RECORDS = 10,	/* flow records written */
	ST_MEMORY = 11,		/* bytes held by the flow and fragment tables */
	ST_CPU_USER = 12,	/* user CPU, microseconds */
	ST_CPU_SYS = 13,	/* system CPU, microseconds */
	ST_MAXRSS = 14,		/* peak resident memory, bytes */
	ST_UPTIME = 15,		/* microseconds since the first packet */
	ST_FRAG_PENDING = 16,	/* fragments waiting for their first fragment */
	ST_FRAG_ORPHANS = 17,	/* fragments that never found it */
	ST_ORIGIN_OVERFLOW = 18,	/* sFlow packets from agents past the first 65536 */
	ST_MALFORMED = 100,	/* + reason (enum mal_reason): malformed packets by reason */
	ST_UNSUPPORTED_DLT = 200,	/* aux = DLT number of an unsupported link type seen */
	ST_OTHER_REASON = 300,	/* aux = n: count for the n-th reason named by an input */
};

#endif
