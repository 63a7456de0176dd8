/*
 * conf_trigger.c - the triggers section of raban.conf: networks, directions,
 * aggregate-type, thresholds, filter (apermon's terms, nested at most
 * CONF_MAX_DEPTH deep), actions, per-trigger min-ban-time and burst-period,
 * and raban's additions: filter-expression, threshold levels, and the
 * health block (conf_health.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

struct refdst { struct conf_ref **v; unsigned *n; };

static bool ref_item(struct parser *ps, void *arg)
{
	struct refdst *dst = arg;
	struct conf_ref *r;
	struct conf_pos pos;
	char *n = cp_name(ps, "a name", &pos);

	if (!n)
		return false;
	r = PUSH(ps, *dst->v, *dst->n);
	if (!r) {
		free(n);
		return true;
	}
	r->name = n;
	r->pos = pos;
	return true;
}

static void ref_list(struct parser *ps, struct conf_ref **v, unsigned *n)
{
	struct refdst dst = { v, n };
	lex_next(&ps->lx);
	if (cp_list(ps, ref_item, &dst))
		cp_end_statement(ps);
	else
		cp_skip_statement(ps);
}

static bool direction(struct parser *ps, void *arg)
{
	unsigned *d = arg;
	if (cp_is_word(ps, "ingress"))
		*d |= DIR_INGRESS;
	else if (cp_is_word(ps, "egress"))
		*d |= DIR_EGRESS;
	else {
		cp_expected(ps, "'ingress' or 'egress'");
		return false;
	}
	lex_next(&ps->lx);
	return true;
}

static void thresholds(struct parser *ps, struct conf_level *lv)
{
	if (!cp_expect(ps, T_LBRACE, "'{'")) {
		cp_skip_statement(ps);
		return;
	}
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		unsigned m;
		uint64_t v;
		for (m = 0; m < M_COUNT; m++)
			if (cp_is_word(ps, metric_names[m]))
				break;
		if (m == M_COUNT) {
			cp_expected(ps, "a threshold (bps, pps, flows, syns, tcp-bps, tcp-pps, udp-bps, "
				    "udp-pps, icmp-bps, icmp-pps)");
			cp_skip_statement(ps);
			continue;
		}
		lex_next(&ps->lx);
		if (!cp_number(ps, true, &v)) {
			cp_skip_statement(ps);
			continue;
		}
		if (v == 0) {
			lex_error_at(&ps->lx, ps->lx.cur.pos, "a threshold of 0 would ban everything");
		}
		lv->thr[m] = v;
		cp_end_statement(ps);
	}
	cp_expect(ps, T_RBRACE, "'}'");
}

static void filter_terms(struct parser *ps, struct conf_filter *parent);

static void filter_term(struct parser *ps, struct conf_filter *parent)
{
	struct conf_filter *f;
	const char *w = ps->lx.cur.text;
	enum filt_kind k;
	struct conf_pos pos = ps->lx.cur.pos;

	if (!cp_is(ps, T_WORD)) {
		cp_expected(ps, "a filter term");
		cp_skip_statement(ps);
		return;
	}
	if (!strcmp(w, "and")) k = FK_AND;
	else if (!strcmp(w, "or")) k = FK_OR;
	else if (!strcmp(w, "not")) k = FK_NOT;
	else if (!strcmp(w, "source")) k = FK_SRC;
	else if (!strcmp(w, "destination")) k = FK_DST;
	else if (!strcmp(w, "in-interface")) k = FK_IN_IF;
	else if (!strcmp(w, "out-interface")) k = FK_OUT_IF;
	else if (!strcmp(w, "protocol")) k = FK_PROTO;
	else if (!strcmp(w, "source-port")) k = FK_SPORT;
	else if (!strcmp(w, "destination-port")) k = FK_DPORT;
	else if (!strcmp(w, "is-fragment")) k = FK_FRAG;
	else {
		cp_expected(ps, "a filter term (and, or, not, source, destination, in-interface, "
			    "out-interface, protocol, source-port, destination-port, is-fragment)");
		cp_skip_statement(ps);
		return;
	}
	lex_next(&ps->lx);
	f = PUSH(ps, parent->kids, parent->nkids);
	if (!f) {
		cp_skip_statement(ps);
		return;
	}
	f->kind = k;
	switch (k) {
	case FK_AND: case FK_OR: case FK_NOT:
		if (ps->depth >= CONF_MAX_DEPTH) {
			lex_error_at(&ps->lx, pos, "filter nested deeper than %u levels", CONF_MAX_DEPTH);
			parent->nkids--;
			cp_skip_statement(ps);
			return;
		}
		if (!cp_expect(ps, T_LBRACE, "'{'")) {
			cp_skip_statement(ps);
			return;
		}
		ps->depth++;
		filter_terms(ps, f);
		ps->depth--;
		cp_expect(ps, T_RBRACE, "'}'");
		return;
	case FK_SRC: case FK_DST: case FK_IN_IF: case FK_OUT_IF:
		f->ref.name = cp_name(ps, k <= FK_DST ? "a prefix list name" : "an interface name", &f->ref.pos);
		if (!f->ref.name) {
			cp_skip_statement(ps);
			return;
		}
		break;
	case FK_PROTO:
		if (cp_is_word(ps, "tcp") || cp_is_word(ps, "udp") || cp_is_word(ps, "icmp") ||
		    cp_is_word(ps, "icmp6")) {
			f->num = cp_is_word(ps, "tcp") ? 6 : cp_is_word(ps, "udp") ? 17 :
				 cp_is_word(ps, "icmp") ? 1 : 58;
			lex_next(&ps->lx);
		} else {
			uint64_t v;
			if (!cp_number(ps, false, &v) || v > 255) {
				if (v > 255)
					lex_error_at(&ps->lx, pos, "protocol: expected tcp, udp, icmp or 0 to 255");
				cp_skip_statement(ps);
				return;
			}
			f->num = (uint32_t)v;
		}
		break;
	case FK_SPORT: case FK_DPORT: {
		uint64_t v = 0;
		if (!cp_number(ps, false, &v) || v > 65535) {
			if (v > 65535)
				lex_error_at(&ps->lx, pos, "port: expected 0 to 65535");
			cp_skip_statement(ps);
			return;
		}
		f->num = (uint32_t)v;
		break;
	}
	case FK_FRAG:
		break;
	}
	cp_end_statement(ps);
}

static void filter_terms(struct parser *ps, struct conf_filter *parent)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF) && !ps->lx.gave_up)
		filter_term(ps, parent);
}

static void level(struct parser *ps, struct conf_trigger *t)
{
	struct conf_level *lv;
	struct conf_pos pos = ps->lx.cur.pos;
	char *n;

	lex_next(&ps->lx);
	if (!(n = cp_name(ps, "a level name", &pos))) {
		cp_skip_statement(ps);
		return;
	}
	if (t->nlevels >= CONF_MAX_LEVELS) {
		lex_error_at(&ps->lx, pos, "more than %u threshold levels in one trigger", CONF_MAX_LEVELS);
		free(n);
		cp_skip_statement(ps);
		return;
	}
	if (t->nlevels == 0)
		t->nlevels = 1;		/* the trigger's own thresholds stay level 0 */
	lv = &t->levels[t->nlevels++];
	lv->name = n;
	lv->pos = pos;
	if (!cp_expect(ps, T_LBRACE, "'{'")) {
		cp_skip_statement(ps);
		return;
	}
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF)) {
		if (cp_is_word(ps, "thresholds")) {
			lex_next(&ps->lx);
			thresholds(ps, lv);
		} else if (cp_is_word(ps, "actions")) {
			ref_list(ps, &lv->actions, &lv->nactions);
		} else {
			cp_expected(ps, "'thresholds' or 'actions'");
			cp_skip_statement(ps);
		}
	}
	cp_expect(ps, T_RBRACE, "'}'");
}

static void seconds(struct parser *ps, int64_t *out)
{
	uint64_t v;
	lex_next(&ps->lx);
	if (!cp_number(ps, false, &v)) {
		cp_skip_statement(ps);
		return;
	}
	*out = v > INT32_MAX ? INT32_MAX : (int64_t)v;
	cp_end_statement(ps);
}

static void trigger_body(struct parser *ps, struct conf_trigger *t)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF) && !ps->lx.gave_up) {
		if (cp_is_word(ps, "min-ban-time")) {
			seconds(ps, &t->min_ban_time);
		} else if (cp_is_word(ps, "burst-period")) {
			seconds(ps, &t->burst_period);
		} else if (cp_is_word(ps, "networks")) {
			ref_list(ps, &t->networks, &t->nnetworks);
		} else if (cp_is_word(ps, "directions")) {
			lex_next(&ps->lx);
			if (cp_list(ps, direction, &t->directions))
				cp_end_statement(ps);
			else
				cp_skip_statement(ps);
		} else if (cp_is_word(ps, "aggregate-type")) {
			lex_next(&ps->lx);
			if (cp_is_word(ps, "host") || cp_is_word(ps, "prefix") || cp_is_word(ps, "net")) {
				t->agg = cp_is_word(ps, "host") ? AGG_HOST : cp_is_word(ps, "prefix") ? AGG_PREFIX : AGG_NET;
				lex_next(&ps->lx);
				cp_end_statement(ps);
			} else {
				cp_expected(ps, "'host', 'prefix' or 'net'");
				cp_skip_statement(ps);
			}
		} else if (cp_is_word(ps, "thresholds")) {
			lex_next(&ps->lx);
			if (t->nlevels == 0)
				t->nlevels = 1;
			thresholds(ps, &t->levels[0]);
		} else if (cp_is_word(ps, "actions")) {
			if (t->nlevels == 0)
				t->nlevels = 1;
			ref_list(ps, &t->levels[0].actions, &t->levels[0].nactions);
		} else if (cp_is_word(ps, "filter")) {
			lex_next(&ps->lx);
			if (!cp_expect(ps, T_LBRACE, "'{'")) {
				cp_skip_statement(ps);
				continue;
			}
			if (!t->filter) {
				t->filter = calloc(1, sizeof(*t->filter));
				if (!t->filter) {
					ps->lx.oom = true;
					cp_skip_statement(ps);
					continue;
				}
				t->filter->kind = FK_AND;
			}
			ps->depth = 0;
			filter_terms(ps, t->filter);
			cp_expect(ps, T_RBRACE, "'}'");
		} else if (cp_is_word(ps, "filter-expression")) {
			lex_next(&ps->lx);
			if (!cp_is(ps, T_STRING)) {
				cp_expected(ps, "a filter expression in quotes");
				cp_skip_statement(ps);
				continue;
			}
			free(t->filter_expr);
			t->filter_expr = cp_dup_tok(ps);
			t->filter_expr_pos = ps->lx.cur.pos;
			lex_next(&ps->lx);
			cp_end_statement(ps);
		} else if (cp_is_word(ps, "level")) {
			level(ps, t);
		} else if (cp_is_word(ps, "health")) {
			conf_parse_health(ps, t);
		} else {
			cp_expected(ps, "a trigger setting (networks, directions, aggregate-type, thresholds, "
				    "filter, filter-expression, actions, level, health, min-ban-time, burst-period)");
			cp_skip_statement(ps);
		}
	}
}

void conf_parse_triggers(struct parser *ps)
{
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF) && !ps->lx.gave_up) {
		struct conf_trigger *t;
		struct conf_pos pos;
		char *n = cp_name(ps, "a trigger name", &pos);
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
		t = PUSH(ps, ps->c->triggers, ps->c->ntriggers);
		if (!t) {
			free(n);
			cp_skip_statement(ps);
			continue;
		}
		t->name = n;
		t->pos = pos;
		t->min_ban_time = -1;
		t->burst_period = -1;
		trigger_body(ps, t);
		cp_expect(ps, T_RBRACE, "'}'");
	}
}
