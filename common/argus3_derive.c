/*
 * argus3_derive.c - State, Dir and Flgs of an Argus 3 flow record.
 *
 * Argus 3 records carry none of the three: Argus's ra works them out when
 * it prints, from the flow key, the packet counts, the TCP status bits, the
 * ICMP type and code, and the encapsulations (ArgusGetTCPStatus,
 * ArgusPrintDirection, ArgusGetIndicatorString in its argus_util.c).  They
 * are worked out here the same way, once, when the record is converted,
 * in the words of this toolkit.
 */
#include "config.h"

#include "argus3_int.h"

/* State as Argus's ra prints it (ArgusPrintState and the status helpers). */
static uint8_t work_out_state(const struct ra_flow *f, const struct a3_facts *x)
{
	bool both = f->spkts && f->dpkts;

	if ((f->family == RA_AF_INET || f->family == RA_AF_INET6) && f->proto == 6) {
		uint32_t s = x->tcp_status;
		if (!s)
			return both ? RA_ST_CON : RA_ST_INT;
		if (s & S_RESET) return RA_ST_RST;
		if (s & (S_FIN | S_FIN_ACK)) return RA_ST_FIN;
		if (s & S_CLOSE) return RA_ST_CLO;
		if (x->cause & C_TIMEOUT) return RA_ST_TIM;
		if (s & S_ESTABLISHED) return RA_ST_CON;
		if (s & S_SAW_SYN_SENT) return RA_ST_ACC;
		if (s & S_SAW_SYN) return RA_ST_REQ;
		return RA_ST_CON;
	}
	if (f->family == RA_AF_INET && f->proto == 1)
		return x->icmp_dsr ? (uint8_t)ra_icmp_state(x->icmp_type, x->icmp_code, false)
				   : (uint8_t)ra_icmp_state(f->sport & 0xff, f->sport >> 8, false);
	if (f->family == RA_AF_INET6 && f->proto == 58)
		return (uint8_t)ra_icmp_state(f->sport, f->dport, true);
	if (!x->metric)
		return RA_ST_INT;
	if (both)
		return RA_ST_CON;
	if (f->spkts)
		return (x->cause & C_START) ? RA_ST_INT : RA_ST_REQ;
	return RA_ST_NONE;	/* Argus's "RSP": no word of ours */
}

static uint8_t work_out_dir(const struct ra_flow *f, const struct a3_facts *x)
{
	char d[3] = { '<', '-', '>' };

	if (x->ftype == TY_ARP && (x->fsub & 0x3f) != FL_ARP)
		return RA_DIR_WHO;
	if ((x->fsub & 0x3f) == FL_ARP)
		return (x->ftype == TY_ARP) ? RA_DIR_WHO : RA_DIR_NONE;
	if (x->ftype == TY_RARP || !x->metric)
		return RA_DIR_NONE;
	if (!f->dpkts)
		d[0] = ' ';
	if (!f->spkts)
		d[2] = ' ';
	if (!f->spkts && !f->dpkts)
		d[1] = ' ';
	if ((x->ftype == TY_IPV4 || x->ftype == TY_IPV6) && f->proto == 6 && x->net_tcp) {
		/* Argus's ra has swapped a reversed flow's key by now: the
		 * record reads from its originator */
		if (x->tcp_status & (S_SAW_SYN | S_SAW_SYN_SENT)) {
			d[0] = ' ';
			d[2] = '>';
		} else {
			d[1] = '?';
		}
	}
	if (d[1] == '-')
		return d[0] == '<' ? (d[2] == '>' ? RA_DIR_BOTH : RA_DIR_REV) : (d[2] == '>' ? RA_DIR_FWD : RA_DIR_NONE);
	if (d[1] == '?')
		return d[0] == '<' ? (d[2] == '>' ? RA_DIR_BOTH_UNK : RA_DIR_REV_UNK)
				   : (d[2] == '>' ? RA_DIR_FWD_UNK : RA_DIR_NONE);
	return RA_DIR_NONE;
}

static void work_out_flags(struct ra_flow *f, const struct a3_facts *x)
{
	uint32_t e = x->encaps, s = x->tcp_status;

	if (e & (E_ETHER | E_LLC))
		f->flgs |= RA_FL_ETHER;
	if (e & E_8021Q)
		f->flgs |= RA_FL_8021Q;
	if (e & E_MPLS)
		f->flgs |= RA_FL_MPLS;
	if (e & E_PPP)
		f->flgs |= RA_FL_PPP;
	if (e & E_SLL)
		f->flgs |= RA_FL_SLL;
	if (e & (E_GRE | E_IP | E_IPV6 | E_TEREDO))
		f->flgs |= RA_FL_TUNNEL;
	if (x->net_tcp && f->proto == 6) {
		if (s & S_ECN)
			f->flgs |= RA_FL_ECN;
		/* Argus keeps these as status bits only: one event each */
		if (s & (S_SRC_OOO | S_DST_OOO | S_SRC_WINSHUT | S_DST_WINSHUT)) {
			f->sooo = (s & S_SRC_OOO) ? 1 : 0;
			f->dooo = (s & S_DST_OOO) ? 1 : 0;
			f->swinshut = (s & S_SRC_WINSHUT) ? 1 : 0;
			f->dwinshut = (s & S_DST_WINSHUT) ? 1 : 0;
			RA_SET(f, RA_BLK_TCP);
		}
		if (f->sretrans | f->dretrans)
			RA_SET(f, RA_BLK_TCP);
	}
	/* Argus drops the TCP flags of a side that sent nothing */
	if (!f->spkts)
		f->stcpflags = 0;
	if (!f->dpkts)
		f->dtcpflags = 0;
}

void a3_derive(struct ra_flow *f, const struct a3_facts *x)
{
	f->state = work_out_state(f, x);
	f->dir = work_out_dir(f, x);
	work_out_flags(f, x);
}
