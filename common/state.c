/* state.c - Argus's names for flow states, Dir symbols and record causes,
 * and the state an ICMP type and code stand for. */
#include "config.h"

#include "record.h"

#include <strings.h>

static const char *const state_names[RA_ST_COUNT] = {
	[RA_ST_NONE] = "",
	[RA_ST_REQ] = "REQ", [RA_ST_ACC] = "ACC", [RA_ST_CON] = "CON", [RA_ST_CLO] = "CLO",
	[RA_ST_FIN] = "FIN", [RA_ST_RST] = "RST", [RA_ST_TIM] = "TIM", [RA_ST_EST] = "EST",
	[RA_ST_STA] = "STA", [RA_ST_INT] = "INT", [RA_ST_DRP] = "DRP",
	[RA_ST_ECO] = "ECO", [RA_ST_ECR] = "ECR", [RA_ST_SRC] = "SRC", [RA_ST_RED] = "RED",
	[RA_ST_TXD] = "TXD", [RA_ST_PAR] = "PAR", [RA_ST_TST] = "TST", [RA_ST_TSR] = "TSR",
	[RA_ST_IRQ] = "IRQ", [RA_ST_IRR] = "IRR", [RA_ST_MAS] = "MAS", [RA_ST_MSR] = "MSR",
	[RA_ST_RTA] = "RTA", [RA_ST_RTS] = "RTS", [RA_ST_URN] = "URN", [RA_ST_URH] = "URH",
	[RA_ST_URP] = "URP", [RA_ST_URPR] = "URPR", [RA_ST_URF] = "URF", [RA_ST_URS] = "URS",
	[RA_ST_URNU] = "URNU", [RA_ST_URHU] = "URHU", [RA_ST_URAD] = "URAD", [RA_ST_UR] = "UR",
	[RA_ST_MLQ] = "MLQ", [RA_ST_MLR] = "MLR", [RA_ST_NBS] = "NBS", [RA_ST_NBA] = "NBA",
	[RA_ST_RDR] = "RDR", [RA_ST_PTB] = "PTB",
};

static const char *const dir_symbols[RA_DIR_COUNT] = {
	[RA_DIR_NONE] = "", [RA_DIR_FWD] = "->", [RA_DIR_BOTH] = "<->", [RA_DIR_REV] = "<-",
	[RA_DIR_FWD_UNK] = "?>", [RA_DIR_BOTH_UNK] = "<?>", [RA_DIR_REV_UNK] = "<?",
	[RA_DIR_WHO] = "who",
};

static const char *const cause_names[4] = { "Start", "Status", "Stop", "Shutdown" };

const char *ra_state_name(unsigned state)
{
	return state < RA_ST_COUNT && state_names[state] ? state_names[state] : "";
}

int ra_state_lookup(const char *name)
{
	for (int i = 1; i < RA_ST_COUNT; i++)
		if (state_names[i] && strcasecmp(name, state_names[i]) == 0)
			return i;
	return -1;
}

const char *ra_dir_symbol(unsigned dir)
{
	return dir < RA_DIR_COUNT ? dir_symbols[dir] : "";
}

const char *ra_cause_name(unsigned cause)
{
	return cause_names[cause & 3];
}

/* The state word of an ICMP message, as Argus gives it (argus(8) lists
 * them): the daemon's for what it sees, the Argus 3 reader's for what it
 * converts. */
unsigned ra_icmp_state(unsigned type, unsigned code, bool v6)
{
	static const uint8_t unreach[8] = { RA_ST_URN, RA_ST_URH, RA_ST_URPR, RA_ST_URP, RA_ST_URF,
					    RA_ST_URS, RA_ST_URNU, RA_ST_URHU };
	static const uint8_t by_type[19] = {
		[0] = RA_ST_ECR, [4] = RA_ST_SRC, [5] = RA_ST_RED, [8] = RA_ST_ECO, [9] = RA_ST_RTA,
		[10] = RA_ST_RTS, [11] = RA_ST_TXD, [12] = RA_ST_PAR, [13] = RA_ST_TST, [14] = RA_ST_TSR,
		[15] = RA_ST_IRQ, [16] = RA_ST_IRR, [17] = RA_ST_MAS, [18] = RA_ST_MSR,
	};

	if (v6) {
		switch (type) {
		case 1: return code == 4 ? RA_ST_URP : code == 3 ? RA_ST_URH : RA_ST_UR;
		case 2: return RA_ST_PTB;
		case 3: return RA_ST_TXD;
		case 4: return RA_ST_PAR;
		case 128: return RA_ST_ECO;
		case 129: return RA_ST_ECR;
		case 130: return RA_ST_MLQ;
		case 131: case 132: case 143: return RA_ST_MLR;
		case 133: return RA_ST_RTS;
		case 134: return RA_ST_RTA;
		case 135: return RA_ST_NBS;
		case 136: return RA_ST_NBA;
		case 137: return RA_ST_RDR;
		default: return RA_ST_NONE;
		}
	}
	if (type == 3) {
		if (code < 8)
			return unreach[code];
		return (code == 9 || code == 10 || code == 13) ? RA_ST_URAD : RA_ST_UR;
	}
	return type < 19 ? by_type[type] : RA_ST_NONE;
}
