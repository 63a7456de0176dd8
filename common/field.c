/*
 * field.c - the field table and the numeric and address views of a flow.
 *
 * Names, labels and widths are Argus's (ra(1)); derived fields (rate, load,
 * loss, mean ...) are computed here from the stored ones, the way Argus
 * computes them, so every tool agrees on them.
 */
#include "config.h"

#include "field.h"
#include "service.h"
#include "status.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#define K FF_KEY
#define S (FF_SUM | FF_DESC)
#define D FF_DESC
#define L FF_LEFT
#define V (FF_DERIVED | FF_DESC)
#define H (FF_DERIVED | FF_DESC)	/* host health items */
#define HS (FF_DERIVED | FF_SUM | FF_DESC)
#define HK (FF_DERIVED | FF_KEY)

const struct ra_field ra_fields[F_COUNT] = {
	[F_SRCID] = { "srcid", "SrcId", 18, FT_ADDR, K | FF_MASK, F_SRCID, "probe or sFlow agent that saw the flow" },
	[F_STIME] = { "stime", "StartTime", 26, FT_TIME, 0, F_STIME, "record start time" },
	[F_LTIME] = { "ltime", "LastTime", 26, FT_TIME, 0, F_LTIME, "record last time" },
	[F_TRANS] = { "trans", "Trans", 6, FT_UINT, S, F_TRANS, "number of records merged into this one" },
	[F_FLGS] = { "flgs", "Flgs", 9, FT_FLGS, L, F_FLGS, "flow flags (encapsulation, loss, fragments, ...)" },
	[F_SEQ] = { "seq", "Seq", 7, FT_UINT, 0, F_SEQ, "flow sequence number given by the daemon" },
	[F_DUR] = { "dur", "Dur", 10, FT_DUR, D, F_DUR, "record duration, seconds" },
	[F_RUNTIME] = { "runtime", "RunTime", 10, FT_DUR, V, F_RUNTIME, "sum of merged record durations" },
	[F_MEAN] = { "mean", "Mean", 10, FT_DUR, V, F_MEAN, "mean duration of merged records" },
	[F_STDDEV] = { "stddev", "StdDev", 10, FT_DUR, V, F_STDDEV, "standard deviation of merged record durations" },
	[F_SUM] = { "sum", "Sum", 10, FT_DUR, V, F_SUM, "total duration of merged records" },
	[F_MIN] = { "min", "Min", 10, FT_DUR, V, F_MIN, "minimum duration of merged records" },
	[F_MAX] = { "max", "Max", 10, FT_DUR, V, F_MAX, "maximum duration of merged records" },
	[F_SMAC] = { "smac", "SrcMac", 17, FT_MAC, K, F_SMAC, "source MAC address" },
	[F_DMAC] = { "dmac", "DstMac", 17, FT_MAC, K, F_DMAC, "destination MAC address" },
	[F_SOUI] = { "soui", "SrcOui", 8, FT_MAC, K, F_SOUI, "OUI part of the source MAC address" },
	[F_DOUI] = { "doui", "DstOui", 8, FT_MAC, K, F_DOUI, "OUI part of the destination MAC address" },
	[F_SADDR] = { "saddr", "SrcAddr", 15, FT_ADDR, K | FF_MASK, F_SADDR, "source address" },
	[F_DADDR] = { "daddr", "DstAddr", 15, FT_ADDR, K | FF_MASK, F_DADDR, "destination address" },
	[F_PROTO] = { "proto", "Proto", 6, FT_PROTO, K, F_PROTO, "protocol" },
	[F_SPORT] = { "sport", "Sport", 6, FT_PORT, K | L, F_SPORT, "source port (ICMP: type)" },
	[F_DPORT] = { "dport", "Dport", 6, FT_PORT, K | L, F_DPORT, "destination port (ICMP: id or code)" },
	[F_STOS] = { "stos", "sTos", 4, FT_UINT, K, F_STOS, "source TOS byte" },
	[F_DTOS] = { "dtos", "dTos", 4, FT_UINT, K, F_DTOS, "destination TOS byte" },
	[F_SDSB] = { "sdsb", "sDSb", 4, FT_UINT, K, F_SDSB, "source DiffServ code point" },
	[F_DDSB] = { "ddsb", "dDSb", 4, FT_UINT, K, F_DDSB, "destination DiffServ code point" },
	[F_STTL] = { "sttl", "sTtl", 4, FT_UINT, K, F_STTL, "source to destination TTL" },
	[F_DTTL] = { "dttl", "dTtl", 4, FT_UINT, K, F_DTTL, "destination to source TTL" },
	[F_SMPLS] = { "smpls", "sMpls", 7, FT_UINT, K, F_SMPLS, "source MPLS label" },
	[F_DMPLS] = { "dmpls", "dMpls", 7, FT_UINT, K, F_DMPLS, "destination MPLS label" },
	[F_SVLAN] = { "svlan", "sVlan", 7, FT_UINT, K, F_SVLAN, "source VLAN id" },
	[F_DVLAN] = { "dvlan", "dVlan", 7, FT_UINT, K, F_DVLAN, "destination VLAN id" },
	[F_CAUSE] = { "cause", "Cause", 6, FT_CAUSE, L, F_CAUSE, "why the record was written: Start, Status, Stop, Shutdown" },
	[F_PKTS] = { "pkts", "TotPkts", 8, FT_UINT, S, F_PKTS, "packets, both directions" },
	[F_SPKTS] = { "spkts", "SrcPkts", 8, FT_UINT, S, F_SPKTS, "packets from source" },
	[F_DPKTS] = { "dpkts", "DstPkts", 8, FT_UINT, S, F_DPKTS, "packets from destination" },
	[F_BYTES] = { "bytes", "TotBytes", 10, FT_UINT, S, F_BYTES, "bytes on the wire, both directions" },
	[F_SBYTES] = { "sbytes", "SrcBytes", 10, FT_UINT, S, F_SBYTES, "bytes from source" },
	[F_DBYTES] = { "dbytes", "DstBytes", 10, FT_UINT, S, F_DBYTES, "bytes from destination" },
	[F_APPBYTES] = { "appbytes", "TotAppByte", 10, FT_UINT, S, F_APPBYTES, "application bytes, both directions" },
	[F_SAPPBYTES] = { "sappbytes", "SAppBytes", 10, FT_UINT, S, F_SAPPBYTES, "application bytes from source" },
	[F_DAPPBYTES] = { "dappbytes", "DAppBytes", 10, FT_UINT, S, F_DAPPBYTES, "application bytes from destination" },
	[F_LOAD] = { "load", "Load", 12, FT_FLOAT, V, F_LOAD, "bits per second, both directions" },
	[F_SLOAD] = { "sload", "SrcLoad", 12, FT_FLOAT, V, F_SLOAD, "bits per second from source" },
	[F_DLOAD] = { "dload", "DstLoad", 12, FT_FLOAT, V, F_DLOAD, "bits per second from destination" },
	[F_LOSS] = { "loss", "Loss", 6, FT_UINT, S, F_LOSS, "packets retransmitted or lost" },
	[F_SLOSS] = { "sloss", "SrcLoss", 7, FT_UINT, S, F_SLOSS, "source packets retransmitted or lost" },
	[F_DLOSS] = { "dloss", "DstLoss", 7, FT_UINT, S, F_DLOSS, "destination packets retransmitted or lost" },
	[F_PLOSS] = { "ploss", "pLoss", 8, FT_FLOAT, V, F_PLOSS, "percent of packets lost" },
	[F_PSLOSS] = { "psloss", "pSrcLoss", 8, FT_FLOAT, V, F_PSLOSS, "percent of source packets lost" },
	[F_PDLOSS] = { "pdloss", "pDstLoss", 8, FT_FLOAT, V, F_PDLOSS, "percent of destination packets lost" },
	[F_RETRANS] = { "retrans", "Retrans", 7, FT_UINT, S, F_RETRANS, "TCP retransmissions" },
	[F_SRETRANS] = { "sretrans", "SrcRetra", 8, FT_UINT, S, F_SRETRANS, "source TCP retransmissions" },
	[F_DRETRANS] = { "dretrans", "DstRetra", 8, FT_UINT, S, F_DRETRANS, "destination TCP retransmissions" },
	[F_PRETRANS] = { "pretrans", "pRetran", 8, FT_FLOAT, V, F_PRETRANS, "percent of packets retransmitted" },
	[F_PSRETRANS] = { "psretrans", "pSrcRetr", 8, FT_FLOAT, V, F_PSRETRANS, "percent of source packets retransmitted" },
	[F_PDRETRANS] = { "pdretrans", "pDstRetr", 8, FT_FLOAT, V, F_PDRETRANS, "percent of destination packets retransmitted" },
	[F_SOOO] = { "sooo", "SrcOoo", 6, FT_UINT, S, F_SOOO, "source packets out of order" },
	[F_DOOO] = { "dooo", "DstOoo", 6, FT_UINT, S, F_DOOO, "destination packets out of order" },
	[F_SWINSHUT] = { "swinshut", "SrcWinSh", 8, FT_UINT, S, F_SWINSHUT, "source zero-window events" },
	[F_DWINSHUT] = { "dwinshut", "DstWinSh", 8, FT_UINT, S, F_DWINSHUT, "destination zero-window events" },
	[F_RATE] = { "rate", "Rate", 12, FT_FLOAT, V, F_RATE, "packets per second" },
	[F_SRATE] = { "srate", "SrcRate", 12, FT_FLOAT, V, F_SRATE, "source packets per second" },
	[F_DRATE] = { "drate", "DstRate", 12, FT_FLOAT, V, F_DRATE, "destination packets per second" },
	[F_DIR] = { "dir", "Dir", 3, FT_DIR, L, F_DIR, "direction: -> <-> <- ?> <?> <? who" },
	[F_SINTPKT] = { "sintpkt", "SIntPkt", 10, FT_MSEC, D, F_SINTPKT, "source mean inter-packet time, ms" },
	[F_DINTPKT] = { "dintpkt", "DIntPkt", 10, FT_MSEC, D, F_DINTPKT, "destination mean inter-packet time, ms" },
	[F_SJIT] = { "sjit", "SrcJitter", 10, FT_MSEC, D, F_SJIT, "source jitter, ms" },
	[F_DJIT] = { "djit", "DstJitter", 10, FT_MSEC, D, F_DJIT, "destination jitter, ms" },
	[F_STATE] = { "state", "State", 5, FT_STATE, L, F_STATE, "flow state: REQ ACC CON FIN RST INT ECO ..." },
	[F_SUSER] = { "suser", "srcUdata", 16, FT_USER, L, F_SUSER, "captured payload from source" },
	[F_DUSER] = { "duser", "dstUdata", 16, FT_USER, L, F_DUSER, "captured payload from destination" },
	[F_INODE] = { "inode", "Inode", 15, FT_ADDR, K | FF_MASK, F_INODE, "node that sent an ICMP error about the flow" },
	[F_SYNACK] = { "synack", "SynAck", 10, FT_DUR, D, F_SYNACK, "TCP SYN to SYN-ACK time, seconds" },
	[F_ACKDAT] = { "ackdat", "AckDat", 10, FT_DUR, D, F_ACKDAT, "TCP SYN-ACK to ACK time, seconds" },
	[F_TCPRTT] = { "tcprtt", "TcpRtt", 10, FT_DUR, V, F_TCPRTT, "TCP round trip: synack + ackdat" },
	[F_STCPFLAGS] = { "stcpflags", "sTcpFl", 6, FT_HEX, K, F_STCPFLAGS, "TCP flags seen from source" },
	[F_DTCPFLAGS] = { "dtcpflags", "dTcpFl", 6, FT_HEX, K, F_DTCPFLAGS, "TCP flags seen from destination" },
	[F_SMEANSZ] = { "smeansz", "sMeanPktSz", 10, FT_FLOAT, V, F_SMEANSZ, "mean source packet size" },
	[F_DMEANSZ] = { "dmeansz", "dMeanPktSz", 10, FT_FLOAT, V, F_DMEANSZ, "mean destination packet size" },
	[F_SUBAGENT] = { "subagent", "SubAgent", 8, FT_UINT, K, F_SUBAGENT, "sFlow sub-agent id" },
	[F_SRATE_SAMPLING] = { "samprate", "SampRate", 8, FT_UINT, K, F_SRATE_SAMPLING, "sampling rate (1 in N); 0 unsampled" },
	[F_INIF] = { "inif", "InIf", 10, FT_IFINDEX, K, F_INIF, "input ifindex (sFlow)" },
	[F_OUTIF] = { "outif", "OutIf", 10, FT_IFINDEX, K, F_OUTIF, "output ifindex (sFlow)" },
	[F_FAMILY] = { "family", "Fam", 5, FT_UINT, K, F_FAMILY, "address family: 1 IPv4, 2 IPv6, 3 ARP, 4 Ethernet" },
	[F_ETYPE] = { "etype", "EType", 6, FT_HEX, K, F_ETYPE, "ethertype of a non-IP flow" },
	/* raservices(1): the payload signature's name, else the port's (service.c) */
	[F_SERVICE] = { "service", "Service", 10, FT_SERVICE, L | K, F_SERVICE, "service named by payload signature, else by port" },
	/* host health records (argus ARGUS_HOST_HEALTH; status.h): read from the
	 * status record a view shows (FF_DERIVED: nothing of a flow), 0 in flows */
	[F_CPU] = { "cpu", "Cpu", 6, FT_FLOAT, H, F_CPU, "host CPU busy over the interval, percent (not idle, not iowait)" },
	[F_CPUUSER] = { "cpuuser", "CpuUser", 7, FT_FLOAT, H, F_CPUUSER, "host CPU in user mode (with nice), percent" },
	[F_CPUSYS] = { "cpusys", "CpuSys", 6, FT_FLOAT, H, F_CPUSYS, "host CPU in the kernel (not interrupts), percent" },
	[F_CPUIOWAIT] = { "cpuiowait", "CpuIOWait", 9, FT_FLOAT, H, F_CPUIOWAIT, "host CPU idle waiting for I/O, percent" },
	[F_CPUSOFTIRQ] = { "cpusoftirq", "CpuSoftIrq", 10, FT_FLOAT, H, F_CPUSOFTIRQ, "host CPU in soft interrupts, percent" },
	[F_MEMTOTAL] = { "memtotal", "MemTotal", 12, FT_UINT, H, F_MEMTOTAL, "host memory, bytes (MemTotal)" },
	[F_MEMAVAIL] = { "memavail", "MemAvail", 12, FT_UINT, H, F_MEMAVAIL, "host memory available, bytes (MemAvailable)" },
	[F_LOAD1] = { "load1", "Load1", 6, FT_FLOAT, H, F_LOAD1, "host load average over 1 minute" },
	[F_LOAD5] = { "load5", "Load5", 6, FT_FLOAT, H, F_LOAD5, "host load average over 5 minutes" },
	[F_LOAD15] = { "load15", "Load15", 6, FT_FLOAT, H, F_LOAD15, "host load average over 15 minutes" },
	[F_SYNCOOKIESSENT] = { "syncookiessent", "SynCkSent", 9, FT_UINT, HS, F_SYNCOOKIESSENT, "SYN cookies sent in the interval (TcpExt SyncookiesSent)" },
	[F_SYNCOOKIESRECV] = { "syncookiesrecv", "SynCkRecv", 9, FT_UINT, HS, F_SYNCOOKIESRECV, "SYN cookies come back valid in the interval (TcpExt SyncookiesRecv)" },
	[F_SYNCOOKIESFAILED] = { "syncookiesfailed", "SynCkFail", 9, FT_UINT, HS, F_SYNCOOKIESFAILED, "SYN cookies come back invalid in the interval (TcpExt SyncookiesFailed)" },
	[F_LISTENOVERFLOWS] = { "listenoverflows", "LstnOvfl", 9, FT_UINT, HS, F_LISTENOVERFLOWS, "connections refused by a full accept queue in the interval (TcpExt ListenOverflows)" },
	[F_LISTENDROPS] = { "listendrops", "LstnDrop", 9, FT_UINT, HS, F_LISTENDROPS, "SYNs and handshakes dropped by listeners in the interval (TcpExt ListenDrops)" },
	[F_REQQFULLDROP] = { "tcpreqqfulldrop", "ReqQDrop", 9, FT_UINT, HS, F_REQQFULLDROP, "SYNs dropped by a full SYN queue in the interval (TcpExt TCPReqQFullDrop)" },
	[F_REQQFULLDOCOOKIES] = { "tcpreqqfulldocookies", "ReqQCook", 9, FT_UINT, HS, F_REQQFULLDOCOOKIES, "SYN cookies sent for a full SYN queue in the interval (TcpExt TCPReqQFullDoCookies)" },
	[F_LPORT] = { "lport", "LPort", 6, FT_UINT, HK, F_LPORT, "port of a listening TCP socket" },
	[F_ACCEPTQ] = { "acceptq", "AcceptQ", 7, FT_UINT, H, F_ACCEPTQ, "connections waiting in the listener's accept queue" },
	[F_ACCEPTMAX] = { "acceptmax", "AcceptMax", 9, FT_UINT, H, F_ACCEPTMAX, "the listener's accept queue limit (its backlog)" },
	[F_SYNRECV] = { "synrecv", "SynRecv", 7, FT_UINT, H, F_SYNRECV, "half-open (SYN_RECV) connections to the listener's port" },
	[F_ACCEPTPCT] = { "acceptpct", "AcceptPct", 9, FT_FLOAT, H, F_ACCEPTPCT, "acceptq as a percentage of acceptmax (over 100 when full)" },
};

const struct ra_field *fld_lookup(const char *name)
{
	for (unsigned i = 0; i < F_COUNT; i++)
		if (strcasecmp(name, ra_fields[i].name) == 0)
			return &ra_fields[i];
	return NULL;
}

static uint64_t dur_us(const struct ra_flow *f) { return f->ltime > f->stime ? f->ltime - f->stime : 0; }
static bool has_agg(const struct ra_flow *f) { return RA_HAS(f, RA_BLK_AGG) && f->trans > 0; }

static double per_sec(uint64_t n, uint64_t us)
{
	return us ? (double)n * 1e6 / (double)us : 0.0;
}

/* Argus: rate = (pkts - 1) / dur; load = bytes * 8 * (pkts - 1) / pkts / dur */
static double rate(uint64_t pkts, uint64_t us) { return pkts > 1 ? per_sec(pkts - 1, us) : 0.0; }
static double load(uint64_t bytes, uint64_t pkts, uint64_t us)
{
	if (pkts < 2 || !us)
		return 0.0;
	return (double)bytes * 8.0 * (double)(pkts - 1) / (double)pkts * 1e6 / (double)us;
}
static double pct(uint64_t part, uint64_t whole) { return whole ? (double)part * 100.0 / (double)whole : 0.0; }

/* A host health item of the status record the flow views (0 otherwise). */
static uint64_t host(const struct ra_flow *f, uint32_t key)
{
	uint64_t v = 0;

	if (f->family == RA_AF_STATUS)
		ra_status_value(f->status, RA_STATUS_HOST, key, &v);
	return v;
}

/* The stored and integer-derived values; *ok false for any other field. */
static uint64_t uint_value(unsigned id, const struct ra_flow *f, bool *ok)
{
	*ok = true;
	switch (id) {
	case F_STIME: return f->stime;
	case F_LTIME: return f->ltime;
	case F_TRANS: return f->trans;
	case F_FLGS: return f->flgs;
	case F_SEQ: return f->seq;
	case F_DUR: return dur_us(f);
	case F_RUNTIME:
	case F_SUM: return has_agg(f) ? f->dur_sum : dur_us(f);
	case F_MEAN: return has_agg(f) ? f->dur_sum / f->trans : dur_us(f);
	case F_MIN: return has_agg(f) ? f->dur_min : dur_us(f);
	case F_MAX: return has_agg(f) ? f->dur_max : dur_us(f);
	case F_PROTO: return f->proto;
	case F_SPORT: return f->sport;
	case F_DPORT: return f->dport;
	case F_STOS: return f->stos;
	case F_DTOS: return f->dtos;
	case F_SDSB: return f->stos >> 2;
	case F_DDSB: return f->dtos >> 2;
	case F_STTL: return f->sttl;
	case F_DTTL: return f->dttl;
	case F_SMPLS: return f->smpls;
	case F_DMPLS: return f->dmpls;
	case F_SVLAN: return f->svlan;
	case F_DVLAN: return f->dvlan;
	case F_CAUSE: return f->cause;
	case F_PKTS: return f->spkts + f->dpkts;
	case F_SPKTS: return f->spkts;
	case F_DPKTS: return f->dpkts;
	case F_BYTES: return f->sbytes + f->dbytes;
	case F_SBYTES: return f->sbytes;
	case F_DBYTES: return f->dbytes;
	case F_APPBYTES: return f->sappbytes + f->dappbytes;
	case F_SAPPBYTES: return f->sappbytes;
	case F_DAPPBYTES: return f->dappbytes;
	case F_LOSS:
	case F_RETRANS: return (uint64_t)f->sretrans + f->dretrans;
	case F_SLOSS:
	case F_SRETRANS: return f->sretrans;
	case F_DLOSS:
	case F_DRETRANS: return f->dretrans;
	case F_SOOO: return f->sooo;
	case F_DOOO: return f->dooo;
	case F_SWINSHUT: return f->swinshut;
	case F_DWINSHUT: return f->dwinshut;
	case F_DIR: return f->dir;
	case F_SINTPKT: return f->sintpkt;
	case F_DINTPKT: return f->dintpkt;
	case F_SJIT: return f->sjit;
	case F_DJIT: return f->djit;
	case F_STATE: return f->state;
	case F_SYNACK: return f->synack;
	case F_ACKDAT: return f->ackdat;
	case F_TCPRTT: return (uint64_t)f->synack + f->ackdat;
	case F_STCPFLAGS: return f->stcpflags;
	case F_DTCPFLAGS: return f->dtcpflags;
	case F_SUBAGENT: return f->subagent;
	case F_SRATE_SAMPLING: return f->rate;
	case F_INIF: return f->inif;
	case F_OUTIF: return f->outif;
	case F_FAMILY: return f->family;
	case F_ETYPE: return f->etype;
	case F_SUSER: return f->spaylen;
	case F_DUSER: return f->dpaylen;
	case F_MEMTOTAL: return host(f, RA_HK_MEMTOTAL);
	case F_MEMAVAIL: return host(f, RA_HK_MEMAVAIL);
	case F_SYNCOOKIESSENT: return host(f, RA_HK_SYNCOOKIES_SENT);
	case F_SYNCOOKIESRECV: return host(f, RA_HK_SYNCOOKIES_RECV);
	case F_SYNCOOKIESFAILED: return host(f, RA_HK_SYNCOOKIES_FAILED);
	case F_LISTENOVERFLOWS: return host(f, RA_HK_LISTEN_OVERFLOWS);
	case F_LISTENDROPS: return host(f, RA_HK_LISTEN_DROPS);
	case F_REQQFULLDROP: return host(f, RA_HK_REQQ_FULL_DROP);
	case F_REQQFULLDOCOOKIES: return host(f, RA_HK_REQQ_FULL_DOCOOKIES);
	case F_LPORT: return host(f, RA_HK_LPORT);
	case F_ACCEPTQ: return host(f, RA_HK_ACCEPTQ);
	case F_ACCEPTMAX: return host(f, RA_HK_ACCEPTMAX);
	case F_SYNRECV: return host(f, RA_HK_SYNRECV);
	case F_SERVICE: {
		char name[SVC_NAMELEN];
		size_t n;
		if (f->service)
			return svc_key(f->service, strlen(f->service));
		n = svc_name(svc_builtin(), f, name);
		return svc_key(name, n);
	}
	default: *ok = false; return 0;
	}
}

/* The values computed as doubles (rates, loads, percentages, sizes,
 * stddev); *ok false for any other field. */
static double float_value(unsigned id, const struct ra_flow *f, bool *ok)
{
	uint64_t us = dur_us(f);

	*ok = true;
	switch (id) {
	case F_LOAD: return load(f->sbytes, f->spkts, us) + load(f->dbytes, f->dpkts, us);
	case F_SLOAD: return load(f->sbytes, f->spkts, us);
	case F_DLOAD: return load(f->dbytes, f->dpkts, us);
	case F_RATE: return rate(f->spkts + f->dpkts, us);
	case F_SRATE: return rate(f->spkts, us);
	case F_DRATE: return rate(f->dpkts, us);
	case F_PLOSS:
	case F_PRETRANS: return pct((uint64_t)f->sretrans + f->dretrans, f->spkts + f->dpkts);
	case F_PSLOSS:
	case F_PSRETRANS: return pct(f->sretrans, f->spkts);
	case F_PDLOSS:
	case F_PDRETRANS: return pct(f->dretrans, f->dpkts);
	case F_SMEANSZ: return f->spkts ? (double)f->sbytes / (double)f->spkts : 0.0;
	case F_DMEANSZ: return f->dpkts ? (double)f->dbytes / (double)f->dpkts : 0.0;
	case F_CPU: return (double)host(f, RA_HK_CPU) / 100.0;
	case F_CPUUSER: return (double)host(f, RA_HK_CPU_USER) / 100.0;
	case F_CPUSYS: return (double)host(f, RA_HK_CPU_SYS) / 100.0;
	case F_CPUIOWAIT: return (double)host(f, RA_HK_CPU_IOWAIT) / 100.0;
	case F_CPUSOFTIRQ: return (double)host(f, RA_HK_CPU_SOFTIRQ) / 100.0;
	case F_LOAD1: return (double)host(f, RA_HK_LOAD1) / 100.0;
	case F_LOAD5: return (double)host(f, RA_HK_LOAD5) / 100.0;
	case F_LOAD15: return (double)host(f, RA_HK_LOAD15) / 100.0;
	case F_ACCEPTPCT: return pct(host(f, RA_HK_ACCEPTQ), host(f, RA_HK_ACCEPTMAX));
	case F_STDDEV: {
		double n, mean, var;
		if (!has_agg(f) || f->trans < 2)
			return 0.0;
		n = (double)f->trans;
		mean = (double)f->dur_sum / 1e6 / n;
		var = f->dur_sumsq / n - mean * mean;
		return var > 0 ? sqrt(var) : 0.0;
	}
	default: *ok = false; return 0.0;
	}
}

uint64_t fld_uint(unsigned id, const struct ra_flow *f)
{
	bool ok;
	uint64_t v = uint_value(id, f, &ok);
	double d;

	if (ok)
		return v;
	d = float_value(id, f, &ok);
	if (!ok || !(d >= 0.0))
		return 0;
	if (id == F_STDDEV)	/* seconds, as an integer: microseconds */
		return (uint64_t)(d * 1e6 + 0.5);
	return d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d;
}

double fld_double(unsigned id, const struct ra_flow *f)
{
	bool ok;
	double d = float_value(id, f, &ok);
	uint64_t v;

	if (ok)
		return d;
	v = uint_value(id, f, &ok);
	return ok ? (double)v : 0.0;
}

size_t fld_key_size(unsigned id)
{
	switch (id) {
	case F_SOUI: case F_DOUI: return 3;
	case F_SMAC: case F_DMAC: return 6;
	case F_PROTO: case F_FAMILY: case F_STOS: case F_DTOS: case F_SDSB: case F_DDSB:
	case F_STTL: case F_DTTL: case F_STCPFLAGS: case F_DTCPFLAGS: case F_STATE: case F_DIR: case F_CAUSE:
		return 1;
	case F_SPORT: case F_DPORT: case F_ETYPE: case F_SVLAN: case F_DVLAN:
		return 2;
	case F_SMPLS: case F_DMPLS: case F_SUBAGENT: case F_SRATE_SAMPLING: case F_INIF: case F_OUTIF:
		return 4;
	default:
		return id < F_COUNT && ra_fields[id].type == FT_ADDR ? 17 : 8;	/* family byte + 16 */
	}
}

bool fld_numeric(unsigned id)
{
	struct ra_flow f;
	bool ok;

	if (id >= F_COUNT)
		return false;
	ra_flow_init(&f);
	uint_value(id, &f, &ok);
	if (!ok)
		float_value(id, &f, &ok);
	return ok;
}

/* The L2 block may carry only VLANs or labels: all-zero MACs were not captured. */
static bool mac_zero(const uint8_t *m)
{
	return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

unsigned fld_addr(unsigned id, const struct ra_flow *f, union ra_addr *out)
{
	memset(out, 0, sizeof(*out));
	switch (id) {
	case F_SADDR:
		*out = f->saddr;
		return f->family == RA_AF_ARP ? RA_AF_INET : f->family;
	case F_DADDR:
		*out = f->daddr;
		return f->family == RA_AF_ARP ? RA_AF_INET : f->family;
	case F_SRCID:
		*out = f->srcid;
		return f->srcid_family;
	case F_INODE:
		*out = f->inode;
		return f->inode_family;
	case F_SMAC:
	case F_SOUI:
		memcpy(out->mac, f->smac, id == F_SOUI ? 3 : 6);
		return RA_HAS(f, RA_BLK_L2) && !mac_zero(f->smac) ? RA_AF_ETHER : 0;
	case F_DMAC:
	case F_DOUI:
		memcpy(out->mac, f->dmac, id == F_DOUI ? 3 : 6);
		return RA_HAS(f, RA_BLK_L2) && !mac_zero(f->dmac) ? RA_AF_ETHER : 0;
	default:
		return 0;
	}
}
