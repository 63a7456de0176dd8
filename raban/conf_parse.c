/*
 * conf_parse.c - recursive-descent parser of raban.conf: apermon's sections
 * (options, agents, prefixes, interfaces, actions, triggers) and raban's
 * additions.  It never stops at the first error: a bad statement is
 * reported with file, line and column and skipped up to its ';' or its
 * block, and parsing goes on.  Names are resolved afterwards (conf_check.c).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

const char *const metric_names[M_COUNT] = {
	"bps", "pps", "flows", "syns", "tcp-bps", "tcp-pps", "udp-bps", "udp-pps", "icmp-bps", "icmp-pps",
};


bool cp_is(struct parser *ps, enum tok_type t) { return ps->lx.cur.type == t; }
bool cp_is_word(struct parser *ps, const char *w)
{
	return ps->lx.cur.type == T_WORD && strcmp(ps->lx.cur.text, w) == 0;
}

void cp_expected(struct parser *ps, const char *what)
{
	char d[80];
	lex_error_at(&ps->lx, ps->lx.cur.pos, "expected %s, found %s", what,
		     lex_describe(&ps->lx.cur, d, sizeof(d)));
}

/* Skip the rest of a bad statement: up to and including its ';' or its
 * block, or up to (not including) the '}' that closes the enclosing block. */
void cp_skip_statement(struct parser *ps)
{
	unsigned depth = 0;

	for (;;) {
		switch (ps->lx.cur.type) {
		case T_EOF:
			return;
		case T_SEMI:
			if (depth == 0) {
				lex_next(&ps->lx);
				return;
			}
			break;
		case T_LBRACE:
			depth++;
			break;
		case T_RBRACE:
			if (depth == 0)
				return;
			if (--depth == 0) {
				lex_next(&ps->lx);
				return;
			}
			break;
		default:
			break;
		}
		lex_next(&ps->lx);
	}
}

bool cp_accept(struct parser *ps, enum tok_type t)
{
	if (ps->lx.cur.type != t)
		return false;
	lex_next(&ps->lx);
	return true;
}

bool cp_expect(struct parser *ps, enum tok_type t, const char *what)
{
	if (cp_accept(ps, t))
		return true;
	cp_expected(ps, what);
	return false;
}

char *cp_dup_tok(struct parser *ps)
{
	char *s = strdup(ps->lx.cur.text);
	if (!s)
		ps->lx.oom = true;
	return s;
}

void *cp_grow(struct parser *ps, void *v, unsigned n, size_t size)
{
	void *nv;
	if (n & (n - 1) && n > 4)
		return v;		/* room left: capacity is the next power of two */
	nv = realloc(v, (n < 4 ? 4 : (size_t)n * 2) * size);
	if (!nv) {
		ps->lx.oom = true;
		return v;
	}
	return nv;
}

/* A name: a word or a quoted string. */
char *cp_name(struct parser *ps, const char *what, struct conf_pos *pos)
{
	char *s;
	if (!cp_is(ps, T_WORD) && !cp_is(ps, T_STRING)) {
		cp_expected(ps, what);
		return NULL;
	}
	if (pos)
		*pos = ps->lx.cur.pos;
	s = cp_dup_tok(ps);
	lex_next(&ps->lx);
	return s;
}

/*
 * A number as apermon reads it: digits, optionally with a fraction, and an
 * optional unit k, m or g (attached or as the next word) meaning 2^10, 2^20
 * and 2^30.
 */
bool cp_number(struct parser *ps, bool units, uint64_t *out)
{
	const char *s = ps->lx.cur.text;
	struct conf_pos pos = ps->lx.cur.pos;
	char *end;
	double v;
	uint64_t mult = 1;

	if (!cp_is(ps, T_WORD) || !(s[0] >= '0' && s[0] <= '9')) {
		cp_expected(ps, units ? "a number (with k, m or g)" : "a number");
		return false;
	}
	errno = 0;
	v = strtod(s, &end);
	if (units && (*end == 'k' || *end == 'K' || *end == 'm' || *end == 'M' || *end == 'g' ||
		      *end == 'G') && end[1] == '\0') {
		mult = (*end == 'k' || *end == 'K') ? 1u << 10 : (*end == 'm' || *end == 'M') ? 1u << 20 : 1u << 30;
		end++;
	}
	if (*end != '\0' || errno || !isfinite(v) || v < 0 || strchr(s, 'e') || strchr(s, 'E') ||
	    strchr(s, 'x') || strchr(s, 'X')) {
		lex_error_at(&ps->lx, pos, "expected a number%s, found '%.40s'",
			     units ? " (with k, m or g)" : "", s);
		lex_next(&ps->lx);
		return false;
	}
	lex_next(&ps->lx);
	if (units && mult == 1 && cp_is(ps, T_WORD) && ps->lx.cur.len == 1 &&
	    strchr("kKmMgG", ps->lx.cur.text[0])) {
		char u = ps->lx.cur.text[0];
		mult = (u == 'k' || u == 'K') ? 1u << 10 : (u == 'm' || u == 'M') ? 1u << 20 : 1u << 30;
		lex_next(&ps->lx);
	}
	if (v * (double)mult >= 1.8e19) {
		lex_error_at(&ps->lx, pos, "number too large: '%.40s'", s);
		return false;
	}
	*out = (uint64_t)(v * (double)mult);
	return true;
}

bool cp_end_statement(struct parser *ps)
{
	if (cp_accept(ps, T_SEMI))
		return true;
	cp_expected(ps, "';'");
	cp_skip_statement(ps);
	return false;
}

/* "[ a b c ]": calls item() once per word or string inside. */
bool cp_list(struct parser *ps, item_fn item, void *arg)
{
	if (!cp_expect(ps, T_LBRACK, "'['"))
		return false;
	while (!cp_is(ps, T_RBRACK)) {
		if (cp_is(ps, T_EOF) || cp_is(ps, T_SEMI) || cp_is(ps, T_LBRACE) || cp_is(ps, T_RBRACE)) {
			cp_expected(ps, "']'");
			return false;
		}
		if (!item(ps, arg))
			lex_next(&ps->lx);
	}
	lex_next(&ps->lx);
	return true;
}

/* ---- options ---- */

static void parse_listen(struct parser *ps)
{
	struct conf_listen *l;
	struct conf_pos pos = ps->lx.cur.pos;
	char *host;
	uint64_t port;

	lex_next(&ps->lx);
	if (!(host = cp_name(ps, "an address to listen on", NULL))) {
		cp_skip_statement(ps);
		return;
	}
	if (!cp_number(ps, false, &port) || port == 0 || port > 65535) {
		if (port > 65535 || port == 0)
			lex_error_at(&ps->lx, pos, "listen: port must be 1 to 65535");
		free(host);
		cp_skip_statement(ps);
		return;
	}
	if (!cp_is_word(ps, "sflow")) {
		cp_expected(ps, "'sflow' (the only protocol)");
		free(host);
		cp_skip_statement(ps);
		return;
	}
	lex_next(&ps->lx);
	if (!cp_is_word(ps, "v5")) {
		cp_expected(ps, "'v5' (sFlow version 5)");
		free(host);
		cp_skip_statement(ps);
		return;
	}
	lex_next(&ps->lx);
	l = PUSH(ps, ps->c->listens, ps->c->nlistens);
	if (!l) {
		free(host);
		return;
	}
	l->host = host;
	l->port = (uint16_t)port;
	l->pos = pos;
	cp_end_statement(ps);
}

static void opt_number(struct parser *ps, uint64_t *out, bool units)
{
	lex_next(&ps->lx);
	if (!cp_number(ps, units, out)) {
		cp_skip_statement(ps);
		return;
	}
	cp_end_statement(ps);
}

static void opt_string(struct parser *ps, char **out, const char *what)
{
	char *s;
	lex_next(&ps->lx);
	if (!cp_is(ps, T_STRING) && !cp_is(ps, T_WORD)) {
		cp_expected(ps, what);
		cp_skip_statement(ps);
		return;
	}
	s = cp_dup_tok(ps);
	free(*out);
	*out = s;
	lex_next(&ps->lx);
}

static void parse_options(struct parser *ps)
{
	struct conf *c = ps->c;

	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		if (cp_is_word(ps, "listen")) {
			parse_listen(ps);
		} else if (cp_is_word(ps, "min-ban-time")) {
			opt_number(ps, &c->min_ban_time, false);
		} else if (cp_is_word(ps, "burst-period")) {
			opt_number(ps, &c->burst_period, false);
		} else if (cp_is_word(ps, "status-file")) {
			opt_string(ps, &c->status_file, "a file name in quotes");
			if (cp_is_word(ps, "dump-interval")) {
				lex_next(&ps->lx);
				if (!cp_number(ps, false, &c->dump_interval)) {
					cp_skip_statement(ps);
					continue;
				}
			}
			cp_end_statement(ps);
		} else if (cp_is_word(ps, "state-file")) {
			opt_string(ps, &c->state_file, "a file name in quotes");
			cp_end_statement(ps);
		} else if (cp_is_word(ps, "script-timeout")) {
			opt_number(ps, &c->script_timeout, false);
		} else if (cp_is_word(ps, "max-scripts")) {
			uint64_t v = c->max_scripts;
			opt_number(ps, &v, false);
			c->max_scripts = v > 1024 ? 1024 : (unsigned)v;
		} else if (cp_is_word(ps, "window")) {
			uint64_t v = 0;
			struct conf_pos pos = ps->lx.cur.pos;
			lex_next(&ps->lx);
			if (cp_is(ps, T_WORD)) {
				char *end;
				double d = strtod(ps->lx.cur.text, &end);
				if (*end || !(d >= 0.1 && d <= 60)) {
					lex_error_at(&ps->lx, pos, "window: expected seconds from 0.1 to 60, found '%.40s'",
						     ps->lx.cur.text);
				} else {
					v = (uint64_t)(d * 1000 + 0.5);
					c->window_ms = v;
				}
				lex_next(&ps->lx);
				cp_end_statement(ps);
			} else {
				cp_expected(ps, "seconds");
				cp_skip_statement(ps);
			}
		} else if (cp_is_word(ps, "max-keys")) {
			opt_number(ps, &c->max_keys, true);
		} else if (cp_is_word(ps, "max-bans")) {
			opt_number(ps, &c->max_bans, true);
		} else {
			cp_expected(ps, "an option (listen, min-ban-time, burst-period, status-file, state-file, "
				     "script-timeout, max-scripts, window, max-keys, max-bans)");
			cp_skip_statement(ps);
		}
	}
}

/* ---- agents ---- */

static bool agent_addr(struct parser *ps, void *arg)
{
	struct conf_agent *a = arg;
	struct conf_prefix p, *np;

	if (!cp_is(ps, T_WORD) || !conf_prefix_parse(ps->lx.cur.text, &p) || strchr(ps->lx.cur.text, '/')) {
		cp_expected(ps, "an IPv4 or IPv6 address");
		return false;
	}
	np = realloc(a->addrs, (a->naddrs + 1) * sizeof(*a->addrs));
	if (!np) {
		ps->lx.oom = true;
		return false;
	}
	a->addrs = np;
	a->addrs[a->naddrs++] = p;
	lex_next(&ps->lx);
	return true;
}

static void parse_agent(struct parser *ps, struct conf_agent *a)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		if (cp_is_word(ps, "addresses")) {
			lex_next(&ps->lx);
			if (cp_list(ps, agent_addr, a))
				cp_end_statement(ps);
			else
				cp_skip_statement(ps);
		} else if (cp_is_word(ps, "sample-rate-cap")) {
			uint64_t v = 0;
			opt_number(ps, &v, true);
			a->rate_cap = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		} else {
			cp_expected(ps, "'addresses' or 'sample-rate-cap'");
			cp_skip_statement(ps);
		}
	}
}

/* "name { ... }" entries of a section; entry() parses the inside. */
typedef void *(*new_fn)(struct parser *ps, char *name, struct conf_pos pos);
typedef void (*body_fn)(struct parser *ps, void *entry);

/*
 * A new named entry of a section's array: grown by one zeroed element
 * (PUSH), given the name (owned from now on) and where it was written;
 * NULL, with the name freed, when memory ran out.
 */
static void *push_named(struct parser *ps, void **arr, unsigned *n, size_t size, size_t name_off,
			size_t pos_off, char *name, struct conf_pos pos)
{
	char *e;

	*arr = cp_grow(ps, *arr, *n, size);
	if (ps->lx.oom) {
		free(name);
		return NULL;
	}
	e = (char *)*arr + (size_t)(*n)++ * size;
	memset(e, 0, size);
	memcpy(e + name_off, &name, sizeof(name));
	memcpy(e + pos_off, &pos, sizeof(pos));
	return e;
}

/* new_fn for the entries of type T in c->ARR (count c->N). */
#define NEW_NAMED(fn, T, ARR, N) \
static void *fn(struct parser *ps, char *n, struct conf_pos pos) \
{ \
	void *arr = ps->c->ARR; \
	void *e = push_named(ps, &arr, &ps->c->N, sizeof(T), offsetof(T, name), offsetof(T, pos), n, pos); \
	ps->c->ARR = arr; \
	return e; \
}

static void named_blocks(struct parser *ps, const char *what, new_fn make, body_fn body)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		struct conf_pos pos;
		char *n = cp_name(ps, what, &pos);
		void *e;
		if (!n) {
			cp_skip_statement(ps);
			continue;
		}
		if (!cp_is(ps, T_LBRACE)) {
			cp_expected(ps, "'{'");
			free(n);
			cp_skip_statement(ps);
			continue;
		}
		lex_next(&ps->lx);
		e = make(ps, n, pos);
		if (e)
			body(ps, e);
		else
			cp_skip_statement(ps);
		cp_expect(ps, T_RBRACE, "'}'");
	}
}

NEW_NAMED(new_agent, struct conf_agent, agents, nagents)
static void body_agent(struct parser *ps, void *e) { parse_agent(ps, e); }

/* ---- prefixes ---- */

NEW_NAMED(new_plist, struct conf_plist, plists, nplists)

static void body_plist(struct parser *ps, void *e)
{
	struct conf_plist *l = e;
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		struct conf_prefix p, *np;
		if (!cp_is(ps, T_WORD) || !conf_prefix_parse(ps->lx.cur.text, &p)) {
			cp_expected(ps, "a prefix (192.0.2.0/24, 2001:db8::/32)");
			cp_skip_statement(ps);
			continue;
		}
		lex_next(&ps->lx);
		np = PUSH(ps, l->v, l->n);
		if (np)
			*np = p;
		cp_end_statement(ps);
	}
}

/* ---- interfaces ---- */

static bool iface_ref(struct parser *ps, void *arg)
{
	struct conf_iface *f = arg;
	const char *s = ps->lx.cur.text;
	const char *dot = strrchr(s, '.');
	struct conf_ifref *r, *nv;
	uint64_t idx = 0;
	char *end;

	if (!cp_is(ps, T_WORD) || !dot || dot == s || !dot[1] ||
	    (idx = strtoull(dot + 1, &end, 10), *end) || idx > 0x3fffffff) {
		cp_expected(ps, "agent.ifindex (my-switch.100)");
		return false;
	}
	nv = realloc(f->v, (f->n + 1) * sizeof(*f->v));
	if (!nv) {
		ps->lx.oom = true;
		return false;
	}
	f->v = nv;
	r = &f->v[f->n++];
	memset(r, 0, sizeof(*r));
	r->agent_name = strndup(s, (size_t)(dot - s));
	if (!r->agent_name)
		ps->lx.oom = true;
	r->ifindex = (uint32_t)idx;
	r->pos = ps->lx.cur.pos;
	lex_next(&ps->lx);
	return true;
}

NEW_NAMED(new_iface, struct conf_iface, ifaces, nifaces)

static void body_iface(struct parser *ps, void *e)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		if (cp_is_word(ps, "ifindexes")) {
			lex_next(&ps->lx);
			if (cp_list(ps, iface_ref, e))
				cp_end_statement(ps);
			else
				cp_skip_statement(ps);
		} else {
			cp_expected(ps, "'ifindexes'");
			cp_skip_statement(ps);
		}
	}
}

/* ---- actions ---- */

static bool script_event(struct parser *ps, void *arg)
{
	struct conf_script *s = arg;
	if (cp_is_word(ps, "ban"))
		s->events |= EV_BAN;
	else if (cp_is_word(ps, "unban"))
		s->events |= EV_UNBAN;
	else {
		cp_expected(ps, "'ban' or 'unban'");
		return false;
	}
	lex_next(&ps->lx);
	return true;
}

static void parse_env(struct parser *ps, struct conf_script *s)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		char *k, *v, *kv, **nv;
		size_t n;
		struct conf_pos pos = ps->lx.cur.pos;
		if (!(k = cp_name(ps, "a variable name", NULL))) {
			cp_skip_statement(ps);
			continue;
		}
		if (!k[0] || strchr(k, '=')) {
			lex_error_at(&ps->lx, pos, "bad environment variable name '%.40s'", k);
			free(k);
			cp_skip_statement(ps);
			continue;
		}
		if (!cp_expect(ps, T_EQ, "'='") || !(v = cp_name(ps, "a value", NULL))) {
			free(k);
			cp_skip_statement(ps);
			continue;
		}
		n = strlen(k) + strlen(v) + 2;
		kv = malloc(n);
		nv = realloc(s->env, (s->nenv + 1) * sizeof(*s->env));
		if (!kv || !nv) {
			ps->lx.oom = true;
			free(kv);
			if (nv)
				s->env = nv;
		} else {
			snprintf(kv, n, "%s=%s", k, v);
			s->env = nv;
			s->env[s->nenv++] = kv;
		}
		free(k);
		free(v);
		cp_end_statement(ps);
	}
}

static void parse_script(struct parser *ps, struct conf_action *a)
{
	struct conf_script *s;
	struct conf_pos pos = ps->lx.cur.pos;

	lex_next(&ps->lx);
	if (!cp_is(ps, T_STRING) && !cp_is(ps, T_WORD)) {
		cp_expected(ps, "the script's path in quotes");
		cp_skip_statement(ps);
		return;
	}
	s = PUSH(ps, a->scripts, a->nscripts);
	if (!s)
		return;
	s->path = cp_dup_tok(ps);
	s->pos = ps->lx.cur.pos;
	(void)pos;
	lex_next(&ps->lx);
	if (!cp_expect(ps, T_LBRACE, "'{'")) {
		cp_skip_statement(ps);
		return;
	}
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		if (cp_is_word(ps, "events")) {
			lex_next(&ps->lx);
			if (cp_list(ps, script_event, s))
				cp_end_statement(ps);
			else
				cp_skip_statement(ps);
		} else if (cp_is_word(ps, "env")) {
			lex_next(&ps->lx);
			if (!cp_expect(ps, T_LBRACE, "'{'")) {
				cp_skip_statement(ps);
				continue;
			}
			parse_env(ps, s);
			cp_expect(ps, T_RBRACE, "'}'");
		} else {
			cp_expected(ps, "'events' or 'env'");
			cp_skip_statement(ps);
		}
	}
	cp_expect(ps, T_RBRACE, "'}'");
}

NEW_NAMED(new_action, struct conf_action, actions, nactions)

static void body_action(struct parser *ps, void *e)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		if (cp_is_word(ps, "script")) {
			parse_script(ps, e);
		} else {
			cp_expected(ps, "'script'");
			cp_skip_statement(ps);
		}
	}
}


static void section(struct parser *ps)
{
	char d[80];
	struct conf_pos pos = ps->lx.cur.pos;
	const char *w = ps->lx.cur.text;
	enum { S_OPT, S_AGENTS, S_PREFIXES, S_IFACES, S_ACTIONS, S_TRIGGERS, S_BAD } which = S_BAD;

	if (cp_is(ps, T_WORD)) {
		which = !strcmp(w, "options") ? S_OPT : !strcmp(w, "agents") ? S_AGENTS :
			!strcmp(w, "prefixes") ? S_PREFIXES : !strcmp(w, "interfaces") ? S_IFACES :
			!strcmp(w, "actions") ? S_ACTIONS : !strcmp(w, "triggers") ? S_TRIGGERS : S_BAD;
	}
	if (which == S_BAD) {
		lex_error_at(&ps->lx, pos, "expected a section (options, agents, prefixes, interfaces, "
			     "actions, triggers), found %s", lex_describe(&ps->lx.cur, d, sizeof(d)));
		cp_skip_statement(ps);
		if (cp_is(ps, T_RBRACE))
			lex_next(&ps->lx);
		return;
	}
	lex_next(&ps->lx);
	if (!cp_expect(ps, T_LBRACE, "'{'")) {
		cp_skip_statement(ps);
		return;
	}
	switch (which) {
	case S_OPT: parse_options(ps); break;
	case S_AGENTS: named_blocks(ps, "an agent name", new_agent, body_agent); break;
	case S_PREFIXES: named_blocks(ps, "a prefix list name", new_plist, body_plist); break;
	case S_IFACES: named_blocks(ps, "an interface name", new_iface, body_iface); break;
	case S_ACTIONS: named_blocks(ps, "an action name", new_action, body_action); break;
	case S_TRIGGERS: conf_parse_triggers(ps); break;
	case S_BAD: break;
	}
	cp_expect(ps, T_RBRACE, "'}'");
}

struct conf *conf_parse(const char *path, const char *text, size_t len, bool check_scripts,
			conf_report report, void *ctx)
{
	struct parser *ps = calloc(1, sizeof(*ps));
	struct conf *c = calloc(1, sizeof(*c));
	bool ok;

	if (!ps || !c || !(c->path = strdup(path))) {
		free(ps);
		if (c)
			conf_free(c);
		report(ctx, "raban.conf: out of memory");
		return NULL;
	}
	c->min_ban_time = 300;
	c->burst_period = 0;
	c->dump_interval = 10;
	c->script_timeout = 60;
	c->max_scripts = 16;
	c->window_ms = 1000;
	c->max_keys = 1u << 20;
	c->max_bans = 65536;
	ps->c = c;
	lex_init(&ps->lx, path, text, len, report, ctx);
	while (!cp_is(ps, T_EOF) && !ps->lx.gave_up) {
		if (cp_is(ps, T_RBRACE)) {
			cp_expected(ps, "a section");
			lex_next(&ps->lx);
			continue;
		}
		section(ps);
	}
	if (ps->lx.oom)
		lex_error_at(&ps->lx, ps->lx.cur.pos, "out of memory");
	ok = ps->lx.errors == 0;
	if (!ps->lx.gave_up) {
		/* names are checked even after syntax errors, so all are reported */
		struct lex *lx = &ps->lx;
		unsigned before = lx->errors;
		(void)before;
		if (!conf_check(c, check_scripts, report, ctx))
			ok = false;
	}
	free(ps);
	if (!ok) {
		conf_free(c);
		return NULL;
	}
	return c;
}

struct conf *conf_load(const char *path, bool check_scripts, conf_report report, void *ctx)
{
	FILE *fp = fopen(path, "rb");
	char *buf, msg[600];
	size_t n;
	struct conf *c;

	if (!fp) {
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		report(ctx, msg);
		return NULL;
	}
	buf = malloc(CONF_MAX_FILE + 1);
	if (!buf) {
		fclose(fp);
		report(ctx, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, CONF_MAX_FILE + 1, fp);
	if (ferror(fp)) {
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		report(ctx, msg);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	if (n > CONF_MAX_FILE) {
		snprintf(msg, sizeof(msg), "%s: larger than %u bytes", path, CONF_MAX_FILE);
		report(ctx, msg);
		free(buf);
		return NULL;
	}
	c = conf_parse(path, buf, n, check_scripts, report, ctx);
	free(buf);
	return c;
}
