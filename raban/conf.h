/*
 * conf.h - raban's configuration: apermon's language (options, agents,
 * prefixes, interfaces, actions, triggers) plus raban's additions, as the
 * parser (conf_parse.c, conf_lex.c) leaves it after name resolution
 * (conf_check.c).  raban.conf(5) is the user's description.
 */
#ifndef RABAN_CONF_H
#define RABAN_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define CONF_MAX_TOKEN 4096		/* longest word or string */
#define CONF_MAX_DEPTH 32		/* nesting of filter terms */
#define CONF_MAX_ERRORS 100		/* errors reported before giving up */
#define CONF_MAX_FILE (16u << 20)	/* largest file read */
#define CONF_MAX_LEVELS 4		/* threshold levels per trigger */

/* Where a name was written, for "file:line:col: ..." messages. */
struct conf_pos {
	unsigned line, col;
};

struct conf_prefix {
	uint8_t family;			/* RA_AF_INET / RA_AF_INET6 */
	uint8_t len;			/* bits */
	union ra_addr addr;		/* masked */
};

struct conf_plist {
	char *name;
	struct conf_pos pos;
	struct conf_prefix *v;
	unsigned n, cap;
};

struct conf_listen {
	char *host;
	uint16_t port;
	struct conf_pos pos;
};

struct conf_agent {
	char *name;
	struct conf_pos pos;
	struct conf_prefix *addrs;	/* host addresses (len 32/128) */
	unsigned naddrs;
	uint32_t rate_cap;		/* 0 = none */
};

struct conf_ifref {
	char *agent_name;		/* resolved into agent */
	unsigned agent;
	uint32_t ifindex;
	struct conf_pos pos;
};

struct conf_iface {
	char *name;
	struct conf_pos pos;
	struct conf_ifref *v;
	unsigned n;
};

enum { EV_BAN = 1, EV_UNBAN = 2 };

struct conf_script {
	char *path;
	struct conf_pos pos;
	unsigned events;		/* EV_ bits */
	char **env;			/* "NAME=value" */
	unsigned nenv;
};

struct conf_action {
	char *name;
	struct conf_pos pos;
	struct conf_script *scripts;
	unsigned nscripts;
};

/* A name reference resolved by conf_check.c into an index. */
struct conf_ref {
	char *name;
	struct conf_pos pos;
	unsigned idx;
};

enum filt_kind {
	FK_AND, FK_OR, FK_NOT,		/* lists of children */
	FK_SRC, FK_DST,			/* prefix list */
	FK_IN_IF, FK_OUT_IF,		/* interface */
	FK_PROTO, FK_SPORT, FK_DPORT,	/* number */
	FK_FRAG,
};

struct conf_filter {
	enum filt_kind kind;
	struct conf_ref ref;		/* FK_SRC .. FK_OUT_IF */
	uint32_t num;			/* FK_PROTO .. FK_DPORT */
	struct conf_filter *kids;	/* FK_AND .. FK_NOT */
	unsigned nkids;
};

enum agg_type { AGG_HOST = 0, AGG_PREFIX = 1, AGG_NET = 2 };

/* Rate metrics a threshold can name; per direction in the counters. */
enum metric {
	M_BPS, M_PPS, M_FLOWS, M_SYNS,
	M_TCP_BPS, M_TCP_PPS, M_UDP_BPS, M_UDP_PPS, M_ICMP_BPS, M_ICMP_PPS,
	M_COUNT
};
extern const char *const metric_names[M_COUNT];

struct conf_level {
	char *name;			/* NULL for the trigger's own thresholds */
	struct conf_pos pos;
	uint64_t thr[M_COUNT];		/* 0 = not set */
	struct conf_ref *actions;
	unsigned nactions;
};

enum { DIR_INGRESS = 1, DIR_EGRESS = 2 };

/*
 * Conditions of a health trigger, on the host status records of the input
 * (argus -o ARGUS_HOST_HEALTH): gauges of the listener (acceptq, acceptpct,
 * synrecv), the host's cpu, and TcpExt counters as per-second rates.
 * The words are ra's field names.
 */
enum hmetric {
	H_CPU, H_ACCEPTQ, H_ACCEPTPCT, H_SYNRECV,
	H_SYNCOOKIES_SENT, H_SYNCOOKIES_RECV, H_SYNCOOKIES_FAILED, H_LISTEN_OVERFLOWS, H_LISTEN_DROPS,
	H_COUNT
};
extern const char *const hmetric_names[H_COUNT];

struct conf_health {
	bool on;			/* the trigger is a health trigger */
	struct conf_pos pos;		/* of the word health */
	uint16_t port;			/* the listener (lport); 0 = every listener */
	uint64_t thr[H_COUNT];		/* fire when any reaches its value; 0 = not set */
	uint64_t clear[H_COUNT];	/* stays on while any reaches these; 0 = thr */
	bool has_clear;
	struct conf_pos clear_pos;
	uint64_t hold;			/* seconds the condition must hold (0) */
	uint64_t top;			/* sources banned (10) */
	uint64_t lookback;		/* seconds of flows ranked (10) */
};

struct conf_trigger {
	char *name;
	struct conf_pos pos;
	struct conf_ref *networks;
	unsigned nnetworks;
	unsigned directions;		/* DIR_ bits; 0 = both */
	enum agg_type agg;
	int64_t min_ban_time;		/* seconds; -1 = the global value */
	int64_t burst_period;
	struct conf_filter *filter;	/* NULL = every flow; an FK_AND root */
	char *filter_expr;		/* ra filter language, or NULL */
	struct conf_pos filter_expr_pos;
	struct conf_level levels[CONF_MAX_LEVELS];
	unsigned nlevels;
	struct conf_health health;	/* (raban) host health conditions */
};

struct conf {
	char *path;
	struct conf_listen *listens;
	unsigned nlistens;
	uint64_t min_ban_time, burst_period;	/* seconds */
	char *status_file;
	uint64_t dump_interval;
	/* raban's additions */
	char *state_file;
	uint64_t script_timeout;		/* seconds */
	unsigned max_scripts;
	uint64_t window_ms;			/* rate window */
	uint64_t max_keys;			/* per trigger */
	uint64_t max_bans;

	struct conf_agent *agents;
	unsigned nagents;
	struct conf_plist *plists;
	unsigned nplists;
	struct conf_iface *ifaces;
	unsigned nifaces;
	struct conf_action *actions;
	unsigned nactions;
	struct conf_trigger *triggers;
	unsigned ntriggers;
};

/* One message per problem: "file:line:col: what". */
typedef void (*conf_report)(void *ctx, const char *msg);

/*
 * Parse text (len bytes, named path in messages) and check it: names
 * resolved, duplicates refused, scripts absolute and executable (unless
 * check_scripts is false).  Every error goes to report; returns the
 * configuration, or NULL when there was at least one error.
 */
struct conf *conf_parse(const char *path, const char *text, size_t len, bool check_scripts,
			conf_report report, void *ctx);
/* Read the file and conf_parse() it; a read error is reported too. */
struct conf *conf_load(const char *path, bool check_scripts, conf_report report, void *ctx);
void conf_free(struct conf *c);

/* Used by the parser and conf_check.c. */
bool conf_check(struct conf *c, bool check_scripts, conf_report report, void *ctx);
/* A prefix "a.b.c.d[/len]" or IPv6; false when malformed. */
bool conf_prefix_parse(const char *s, struct conf_prefix *p);
bool conf_prefix_match(const struct conf_prefix *p, uint8_t family, const union ra_addr *a);
/* An address as text (IPv4 is held in host order in union ra_addr). */
const char *conf_addr_text(uint8_t family, const union ra_addr *a, char *buf, size_t cap);
/* "a.b.c.d/len" into buf. */
const char *conf_prefix_text(const struct conf_prefix *p, char *buf, size_t cap);

#endif
