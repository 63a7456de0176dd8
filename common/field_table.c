/*
 * field_table.c - the field table: one row per field with Argus's name,
 * label and width, its type and flags, and where its value comes from (a
 * member of struct ra_flow, or the function that computes it).  Derived
 * fields (rate, load, loss, mean ...) are computed here from the stored
 * ones, the way Argus computes them, so every tool agrees on them.
 */
#include "config.h"

#include "field.h"
#include "service.h"
#include "status.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

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

/* ---- computed integers ---- */

#define CALC_FN(name, expr) \
	static uint64_t name(const struct ra_flow *f, unsigned arg) { (void)arg; return (expr); }
CALC_FN(dur_of, dur_us(f))
CALC_FN(runtime_of, has_agg(f) ? f->dur_sum : dur_us(f))
CALC_FN(mean_of, has_agg(f) ? f->dur_sum / f->trans : dur_us(f))
CALC_FN(min_of, has_agg(f) ? f->dur_min : dur_us(f))
CALC_FN(max_of, has_agg(f) ? f->dur_max : dur_us(f))
CALC_FN(sdsb_of, (uint64_t)(f->stos >> 2))
CALC_FN(ddsb_of, (uint64_t)(f->dtos >> 2))
CALC_FN(pkts_of, f->spkts + f->dpkts)
CALC_FN(bytes_of, f->sbytes + f->dbytes)
CALC_FN(appbytes_of, f->sappbytes + f->dappbytes)
CALC_FN(retrans_of, (uint64_t)f->sretrans + f->dretrans)
CALC_FN(tcprtt_of, (uint64_t)f->synack + f->ackdat)

/* The name's key (svc_key): raservices' imposed name, else the signature's
 * or the port's. */
static uint64_t service_of(const struct ra_flow *f, unsigned arg)
{
	char name[SVC_NAMELEN];
	size_t n;

	(void)arg;
	if (f->service)
		return svc_key(f->service, strlen(f->service));
	n = svc_name(svc_builtin(), f, name);
	return svc_key(name, n);
}

/* A host health item of the status record the flow views (0 otherwise). */
static uint64_t host(const struct ra_flow *f, unsigned key)
{
	uint64_t v = 0;

	if (f->family == RA_AF_STATUS)
		ra_status_value(f->status, RA_STATUS_HOST, key, &v);
	return v;
}

/* ---- computed reals ---- */

#define REAL_FN(name, expr) \
	static double name(const struct ra_flow *f, unsigned arg) { (void)arg; return (expr); }
REAL_FN(load_of, load(f->sbytes, f->spkts, dur_us(f)) + load(f->dbytes, f->dpkts, dur_us(f)))
REAL_FN(sload_of, load(f->sbytes, f->spkts, dur_us(f)))
REAL_FN(dload_of, load(f->dbytes, f->dpkts, dur_us(f)))
REAL_FN(rate_of, rate(f->spkts + f->dpkts, dur_us(f)))
REAL_FN(srate_of, rate(f->spkts, dur_us(f)))
REAL_FN(drate_of, rate(f->dpkts, dur_us(f)))
REAL_FN(pretrans_of, pct((uint64_t)f->sretrans + f->dretrans, f->spkts + f->dpkts))
REAL_FN(psretrans_of, pct(f->sretrans, f->spkts))
REAL_FN(pdretrans_of, pct(f->dretrans, f->dpkts))
REAL_FN(smeansz_of, f->spkts ? (double)f->sbytes / (double)f->spkts : 0.0)
REAL_FN(dmeansz_of, f->dpkts ? (double)f->dbytes / (double)f->dpkts : 0.0)
REAL_FN(acceptpct_of, pct(host(f, RA_HK_ACCEPTQ), host(f, RA_HK_ACCEPTMAX)))

/* Host health percentages and load averages are stored in hundredths. */
static double host_hundredths(const struct ra_flow *f, unsigned key) { return (double)host(f, key) / 100.0; }

/* Seconds; 0 for fewer than two merged records. */
static double stddev_of(const struct ra_flow *f, unsigned arg)
{
	double n, mean, var;

	(void)arg;
	if (!has_agg(f) || f->trans < 2)
		return 0.0;
	n = (double)f->trans;
	mean = (double)f->dur_sum / 1e6 / n;
	var = f->dur_sumsq / n - mean * mean;
	return var > 0 ? sqrt(var) : 0.0;
}

/* ---- the table ---- */

#define K FF_KEY
#define S (FF_SUM | FF_DESC)
#define D FF_DESC
#define L FF_LEFT
#define V (FF_DERIVED | FF_DESC)
#define H (FF_DERIVED | FF_DESC)	/* host health items */
#define HS (FF_DERIVED | FF_SUM | FF_DESC)
#define HK (FF_DERIVED | FF_KEY)

#define MEMBER_SIZE(m) sizeof(((struct ra_flow *)0)->m)
/* where the value is */
#define AT(m) .off = offsetof(struct ra_flow, m), .size = MEMBER_SIZE(m), .key_size = MEMBER_SIZE(m)
#define ADDR(m, fam) .off = offsetof(struct ra_flow, m), .size = 16, .key_size = 17, \
	.fam_off = offsetof(struct ra_flow, fam)
#define MAC(m, n) .off = offsetof(struct ra_flow, m), .size = n, .key_size = n
#define CALC(fn) .calc = fn, .key_size = 8
#define CALC1(fn) .calc = fn, .key_size = 1	/* a value that fits a byte */
#define REAL(fn) .real = fn, .key_size = 8
#define HOST(k) .calc = host, .arg = k, .key_size = 8
#define HOSTR(k) .real = host_hundredths, .arg = k, .key_size = 8

#define ROW(ID, NAME, LABEL, WIDTH, TYPE, FLAGS, WHERE, HELP) \
	[ID] = { .name = NAME, .label = LABEL, .width = WIDTH, .type = TYPE, .flags = FLAGS, \
		 .id = ID, WHERE, .help = HELP }

const struct ra_field ra_fields[F_COUNT] = {
	ROW(F_SRCID, "srcid", "SrcId", 18, FT_ADDR, K | FF_MASK, ADDR(srcid, srcid_family),
	    "probe or sFlow agent that saw the flow"),
	ROW(F_STIME, "stime", "StartTime", 26, FT_TIME, 0, AT(stime),
	    "record start time"),
	ROW(F_LTIME, "ltime", "LastTime", 26, FT_TIME, 0, AT(ltime),
	    "record last time"),
	ROW(F_TRANS, "trans", "Trans", 6, FT_UINT, S, AT(trans),
	    "number of records merged into this one"),
	ROW(F_FLGS, "flgs", "Flgs", 9, FT_FLGS, L, AT(flgs),
	    "flow flags (encapsulation, loss, fragments, ...)"),
	ROW(F_SEQ, "seq", "Seq", 7, FT_UINT, 0, AT(seq),
	    "flow sequence number given by the daemon"),
	ROW(F_DUR, "dur", "Dur", 10, FT_DUR, D, CALC(dur_of),
	    "record duration, seconds"),
	ROW(F_RUNTIME, "runtime", "RunTime", 10, FT_DUR, V, CALC(runtime_of),
	    "sum of merged record durations"),
	ROW(F_MEAN, "mean", "Mean", 10, FT_DUR, V, CALC(mean_of),
	    "mean duration of merged records"),
	ROW(F_STDDEV, "stddev", "StdDev", 10, FT_DUR, V, REAL(stddev_of),
	    "standard deviation of merged record durations"),
	ROW(F_SUM, "sum", "Sum", 10, FT_DUR, V, CALC(runtime_of),
	    "total duration of merged records"),
	ROW(F_MIN, "min", "Min", 10, FT_DUR, V, CALC(min_of),
	    "minimum duration of merged records"),
	ROW(F_MAX, "max", "Max", 10, FT_DUR, V, CALC(max_of),
	    "maximum duration of merged records"),
	ROW(F_SMAC, "smac", "SrcMac", 17, FT_MAC, K, MAC(smac, 6),
	    "source MAC address"),
	ROW(F_DMAC, "dmac", "DstMac", 17, FT_MAC, K, MAC(dmac, 6),
	    "destination MAC address"),
	ROW(F_SOUI, "soui", "SrcOui", 8, FT_MAC, K, MAC(smac, 3),
	    "OUI part of the source MAC address"),
	ROW(F_DOUI, "doui", "DstOui", 8, FT_MAC, K, MAC(dmac, 3),
	    "OUI part of the destination MAC address"),
	ROW(F_SADDR, "saddr", "SrcAddr", 15, FT_ADDR, K | FF_MASK, ADDR(saddr, family),
	    "source address"),
	ROW(F_DADDR, "daddr", "DstAddr", 15, FT_ADDR, K | FF_MASK, ADDR(daddr, family),
	    "destination address"),
	ROW(F_PROTO, "proto", "Proto", 6, FT_PROTO, K, AT(proto),
	    "protocol"),
	ROW(F_SPORT, "sport", "Sport", 6, FT_PORT, K | L, AT(sport),
	    "source port (ICMP: type)"),
	ROW(F_DPORT, "dport", "Dport", 6, FT_PORT, K | L, AT(dport),
	    "destination port (ICMP: id or code)"),
	ROW(F_STOS, "stos", "sTos", 4, FT_UINT, K, AT(stos),
	    "source TOS byte"),
	ROW(F_DTOS, "dtos", "dTos", 4, FT_UINT, K, AT(dtos),
	    "destination TOS byte"),
	ROW(F_SDSB, "sdsb", "sDSb", 4, FT_UINT, K, CALC1(sdsb_of),
	    "source DiffServ code point"),
	ROW(F_DDSB, "ddsb", "dDSb", 4, FT_UINT, K, CALC1(ddsb_of),
	    "destination DiffServ code point"),
	ROW(F_STTL, "sttl", "sTtl", 4, FT_UINT, K, AT(sttl),
	    "source to destination TTL"),
	ROW(F_DTTL, "dttl", "dTtl", 4, FT_UINT, K, AT(dttl),
	    "destination to source TTL"),
	ROW(F_SMPLS, "smpls", "sMpls", 7, FT_UINT, K, AT(smpls),
	    "source MPLS label"),
	ROW(F_DMPLS, "dmpls", "dMpls", 7, FT_UINT, K, AT(dmpls),
	    "destination MPLS label"),
	ROW(F_SVLAN, "svlan", "sVlan", 7, FT_UINT, K, AT(svlan),
	    "source VLAN id"),
	ROW(F_DVLAN, "dvlan", "dVlan", 7, FT_UINT, K, AT(dvlan),
	    "destination VLAN id"),
	ROW(F_CAUSE, "cause", "Cause", 6, FT_CAUSE, L, AT(cause),
	    "why the record was written: Start, Status, Stop, Shutdown"),
	ROW(F_PKTS, "pkts", "TotPkts", 8, FT_UINT, S, CALC(pkts_of),
	    "packets, both directions"),
	ROW(F_SPKTS, "spkts", "SrcPkts", 8, FT_UINT, S, AT(spkts),
	    "packets from source"),
	ROW(F_DPKTS, "dpkts", "DstPkts", 8, FT_UINT, S, AT(dpkts),
	    "packets from destination"),
	ROW(F_BYTES, "bytes", "TotBytes", 10, FT_UINT, S, CALC(bytes_of),
	    "bytes on the wire, both directions"),
	ROW(F_SBYTES, "sbytes", "SrcBytes", 10, FT_UINT, S, AT(sbytes),
	    "bytes from source"),
	ROW(F_DBYTES, "dbytes", "DstBytes", 10, FT_UINT, S, AT(dbytes),
	    "bytes from destination"),
	ROW(F_APPBYTES, "appbytes", "TotAppByte", 10, FT_UINT, S, CALC(appbytes_of),
	    "application bytes, both directions"),
	ROW(F_SAPPBYTES, "sappbytes", "SAppBytes", 10, FT_UINT, S, AT(sappbytes),
	    "application bytes from source"),
	ROW(F_DAPPBYTES, "dappbytes", "DAppBytes", 10, FT_UINT, S, AT(dappbytes),
	    "application bytes from destination"),
	ROW(F_LOAD, "load", "Load", 12, FT_FLOAT, V, REAL(load_of),
	    "bits per second, both directions"),
	ROW(F_SLOAD, "sload", "SrcLoad", 12, FT_FLOAT, V, REAL(sload_of),
	    "bits per second from source"),
	ROW(F_DLOAD, "dload", "DstLoad", 12, FT_FLOAT, V, REAL(dload_of),
	    "bits per second from destination"),
	ROW(F_LOSS, "loss", "Loss", 6, FT_UINT, S, CALC(retrans_of),
	    "packets retransmitted or lost"),
	ROW(F_SLOSS, "sloss", "SrcLoss", 7, FT_UINT, S, AT(sretrans),
	    "source packets retransmitted or lost"),
	ROW(F_DLOSS, "dloss", "DstLoss", 7, FT_UINT, S, AT(dretrans),
	    "destination packets retransmitted or lost"),
	ROW(F_PLOSS, "ploss", "pLoss", 8, FT_FLOAT, V, REAL(pretrans_of),
	    "percent of packets lost"),
	ROW(F_PSLOSS, "psloss", "pSrcLoss", 8, FT_FLOAT, V, REAL(psretrans_of),
	    "percent of source packets lost"),
	ROW(F_PDLOSS, "pdloss", "pDstLoss", 8, FT_FLOAT, V, REAL(pdretrans_of),
	    "percent of destination packets lost"),
	ROW(F_RETRANS, "retrans", "Retrans", 7, FT_UINT, S, CALC(retrans_of),
	    "TCP retransmissions"),
	ROW(F_SRETRANS, "sretrans", "SrcRetra", 8, FT_UINT, S, AT(sretrans),
	    "source TCP retransmissions"),
	ROW(F_DRETRANS, "dretrans", "DstRetra", 8, FT_UINT, S, AT(dretrans),
	    "destination TCP retransmissions"),
	ROW(F_PRETRANS, "pretrans", "pRetran", 8, FT_FLOAT, V, REAL(pretrans_of),
	    "percent of packets retransmitted"),
	ROW(F_PSRETRANS, "psretrans", "pSrcRetr", 8, FT_FLOAT, V, REAL(psretrans_of),
	    "percent of source packets retransmitted"),
	ROW(F_PDRETRANS, "pdretrans", "pDstRetr", 8, FT_FLOAT, V, REAL(pdretrans_of),
	    "percent of destination packets retransmitted"),
	ROW(F_SOOO, "sooo", "SrcOoo", 6, FT_UINT, S, AT(sooo),
	    "source packets out of order"),
	ROW(F_DOOO, "dooo", "DstOoo", 6, FT_UINT, S, AT(dooo),
	    "destination packets out of order"),
	ROW(F_SWINSHUT, "swinshut", "SrcWinSh", 8, FT_UINT, S, AT(swinshut),
	    "source zero-window events"),
	ROW(F_DWINSHUT, "dwinshut", "DstWinSh", 8, FT_UINT, S, AT(dwinshut),
	    "destination zero-window events"),
	ROW(F_RATE, "rate", "Rate", 12, FT_FLOAT, V, REAL(rate_of),
	    "packets per second"),
	ROW(F_SRATE, "srate", "SrcRate", 12, FT_FLOAT, V, REAL(srate_of),
	    "source packets per second"),
	ROW(F_DRATE, "drate", "DstRate", 12, FT_FLOAT, V, REAL(drate_of),
	    "destination packets per second"),
	ROW(F_DIR, "dir", "Dir", 3, FT_DIR, L, AT(dir),
	    "direction: -> <-> <- ?> <?> <? who"),
	ROW(F_SINTPKT, "sintpkt", "SIntPkt", 10, FT_MSEC, D, AT(sintpkt),
	    "source mean inter-packet time, ms"),
	ROW(F_DINTPKT, "dintpkt", "DIntPkt", 10, FT_MSEC, D, AT(dintpkt),
	    "destination mean inter-packet time, ms"),
	ROW(F_SJIT, "sjit", "SrcJitter", 10, FT_MSEC, D, AT(sjit),
	    "source jitter, ms"),
	ROW(F_DJIT, "djit", "DstJitter", 10, FT_MSEC, D, AT(djit),
	    "destination jitter, ms"),
	ROW(F_STATE, "state", "State", 5, FT_STATE, L, AT(state),
	    "flow state: REQ ACC CON FIN RST INT ECO ..."),
	ROW(F_SUSER, "suser", "srcUdata", 16, FT_USER, L, AT(spaylen),
	    "captured payload from source"),
	ROW(F_DUSER, "duser", "dstUdata", 16, FT_USER, L, AT(dpaylen),
	    "captured payload from destination"),
	ROW(F_INODE, "inode", "Inode", 15, FT_ADDR, K | FF_MASK, ADDR(inode, inode_family),
	    "node that sent an ICMP error about the flow"),
	ROW(F_SYNACK, "synack", "SynAck", 10, FT_DUR, D, AT(synack),
	    "TCP SYN to SYN-ACK time, seconds"),
	ROW(F_ACKDAT, "ackdat", "AckDat", 10, FT_DUR, D, AT(ackdat),
	    "TCP SYN-ACK to ACK time, seconds"),
	ROW(F_TCPRTT, "tcprtt", "TcpRtt", 10, FT_DUR, V, CALC(tcprtt_of),
	    "TCP round trip: synack + ackdat"),
	ROW(F_STCPFLAGS, "stcpflags", "sTcpFl", 6, FT_HEX, K, AT(stcpflags),
	    "TCP flags seen from source"),
	ROW(F_DTCPFLAGS, "dtcpflags", "dTcpFl", 6, FT_HEX, K, AT(dtcpflags),
	    "TCP flags seen from destination"),
	ROW(F_SMEANSZ, "smeansz", "sMeanPktSz", 10, FT_FLOAT, V, REAL(smeansz_of),
	    "mean source packet size"),
	ROW(F_DMEANSZ, "dmeansz", "dMeanPktSz", 10, FT_FLOAT, V, REAL(dmeansz_of),
	    "mean destination packet size"),
	ROW(F_SUBAGENT, "subagent", "SubAgent", 8, FT_UINT, K, AT(subagent),
	    "sFlow sub-agent id"),
	ROW(F_SRATE_SAMPLING, "samprate", "SampRate", 8, FT_UINT, K, AT(rate),
	    "sampling rate (1 in N); 0 unsampled"),
	ROW(F_INIF, "inif", "InIf", 10, FT_IFINDEX, K, AT(inif),
	    "input ifindex (sFlow)"),
	ROW(F_OUTIF, "outif", "OutIf", 10, FT_IFINDEX, K, AT(outif),
	    "output ifindex (sFlow)"),
	ROW(F_FAMILY, "family", "Fam", 5, FT_UINT, K, AT(family),
	    "address family: 1 IPv4, 2 IPv6, 3 ARP, 4 Ethernet"),
	ROW(F_ETYPE, "etype", "EType", 6, FT_HEX, K, AT(etype),
	    "ethertype of a non-IP flow"),
	/* raservices(1): the payload signature's name, else the port's (service.c) */
	ROW(F_SERVICE, "service", "Service", 10, FT_SERVICE, L, CALC(service_of),
	    "service named by payload signature, else by port"),
	/* host health records (argus ARGUS_HOST_HEALTH; status.h): read from the
	 * status record a view shows (FF_DERIVED: nothing of a flow), 0 in flows */
	ROW(F_CPU, "cpu", "Cpu", 6, FT_FLOAT, H, HOSTR(RA_HK_CPU),
	    "host CPU busy over the interval, percent (not idle, not iowait)"),
	ROW(F_CPUUSER, "cpuuser", "CpuUser", 7, FT_FLOAT, H, HOSTR(RA_HK_CPU_USER),
	    "host CPU in user mode (with nice), percent"),
	ROW(F_CPUSYS, "cpusys", "CpuSys", 6, FT_FLOAT, H, HOSTR(RA_HK_CPU_SYS),
	    "host CPU in the kernel (not interrupts), percent"),
	ROW(F_CPUIOWAIT, "cpuiowait", "CpuIOWait", 9, FT_FLOAT, H, HOSTR(RA_HK_CPU_IOWAIT),
	    "host CPU idle waiting for I/O, percent"),
	ROW(F_CPUSOFTIRQ, "cpusoftirq", "CpuSoftIrq", 10, FT_FLOAT, H, HOSTR(RA_HK_CPU_SOFTIRQ),
	    "host CPU in soft interrupts, percent"),
	ROW(F_MEMTOTAL, "memtotal", "MemTotal", 12, FT_UINT, H, HOST(RA_HK_MEMTOTAL),
	    "host memory, bytes (MemTotal)"),
	ROW(F_MEMAVAIL, "memavail", "MemAvail", 12, FT_UINT, H, HOST(RA_HK_MEMAVAIL),
	    "host memory available, bytes (MemAvailable)"),
	ROW(F_LOAD1, "load1", "Load1", 6, FT_FLOAT, H, HOSTR(RA_HK_LOAD1),
	    "host load average over 1 minute"),
	ROW(F_LOAD5, "load5", "Load5", 6, FT_FLOAT, H, HOSTR(RA_HK_LOAD5),
	    "host load average over 5 minutes"),
	ROW(F_LOAD15, "load15", "Load15", 6, FT_FLOAT, H, HOSTR(RA_HK_LOAD15),
	    "host load average over 15 minutes"),
	ROW(F_SYNCOOKIESSENT, "syncookiessent", "SynCkSent", 9, FT_UINT, HS, HOST(RA_HK_SYNCOOKIES_SENT),
	    "SYN cookies sent in the interval (TcpExt SyncookiesSent)"),
	ROW(F_SYNCOOKIESRECV, "syncookiesrecv", "SynCkRecv", 9, FT_UINT, HS, HOST(RA_HK_SYNCOOKIES_RECV),
	    "SYN cookies come back valid in the interval (TcpExt SyncookiesRecv)"),
	ROW(F_SYNCOOKIESFAILED, "syncookiesfailed", "SynCkFail", 9, FT_UINT, HS, HOST(RA_HK_SYNCOOKIES_FAILED),
	    "SYN cookies come back invalid in the interval (TcpExt SyncookiesFailed)"),
	ROW(F_LISTENOVERFLOWS, "listenoverflows", "LstnOvfl", 9, FT_UINT, HS, HOST(RA_HK_LISTEN_OVERFLOWS),
	    "connections refused by a full accept queue in the interval (TcpExt ListenOverflows)"),
	ROW(F_LISTENDROPS, "listendrops", "LstnDrop", 9, FT_UINT, HS, HOST(RA_HK_LISTEN_DROPS),
	    "SYNs and handshakes dropped by listeners in the interval (TcpExt ListenDrops)"),
	ROW(F_REQQFULLDROP, "tcpreqqfulldrop", "ReqQDrop", 9, FT_UINT, HS, HOST(RA_HK_REQQ_FULL_DROP),
	    "SYNs dropped by a full SYN queue in the interval (TcpExt TCPReqQFullDrop)"),
	ROW(F_REQQFULLDOCOOKIES, "tcpreqqfulldocookies", "ReqQCook", 9, FT_UINT, HS, HOST(RA_HK_REQQ_FULL_DOCOOKIES),
	    "SYN cookies sent for a full SYN queue in the interval (TcpExt TCPReqQFullDoCookies)"),
	ROW(F_LPORT, "lport", "LPort", 6, FT_UINT, HK, HOST(RA_HK_LPORT),
	    "port of a listening TCP socket"),
	ROW(F_ACCEPTQ, "acceptq", "AcceptQ", 7, FT_UINT, H, HOST(RA_HK_ACCEPTQ),
	    "connections waiting in the listener's accept queue"),
	ROW(F_ACCEPTMAX, "acceptmax", "AcceptMax", 9, FT_UINT, H, HOST(RA_HK_ACCEPTMAX),
	    "the listener's accept queue limit (its backlog)"),
	ROW(F_SYNRECV, "synrecv", "SynRecv", 7, FT_UINT, H, HOST(RA_HK_SYNRECV),
	    "half-open (SYN_RECV) connections to the listener's port"),
	ROW(F_ACCEPTPCT, "acceptpct", "AcceptPct", 9, FT_FLOAT, H, REAL(acceptpct_of),
	    "acceptq as a percentage of acceptmax (over 100 when full)"),
};
