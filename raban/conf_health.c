/*
 * conf_health.c - (raban) the health block of a trigger: conditions on the
 * host status records of the input (argus -o ARGUS_HOST_HEALTH), the
 * listener port, how long a condition must hold, when it ends (clear), and
 * how many of the top SYN sources are banned over how many seconds of
 * flows.  raban.conf(5) describes it; detect_health.c evaluates it.
 */
#include "config.h"

#include <string.h>

#include "conf_int.h"

const char *const hmetric_names[H_COUNT] = {
	"cpu", "acceptq", "acceptpct", "synrecv",
	"syncookiessent", "syncookiesrecv", "syncookiesfailed", "listenoverflows", "listendrops",
};

#define HEALTH_WORDS "cpu, acceptq, acceptpct, synrecv, syncookiessent, syncookiesrecv, " \
	"syncookiesfailed, listenoverflows, listendrops"

static int hmetric_at(struct parser *ps)
{
	for (int m = 0; m < H_COUNT; m++)
		if (cp_is_word(ps, hmetric_names[m]))
			return m;
	return -1;
}

/* "word number;" of a condition into vals; the word is the current token. */
static void condition(struct parser *ps, uint64_t *vals, int m)
{
	struct conf_pos pos = ps->lx.cur.pos;
	uint64_t v;

	lex_next(&ps->lx);
	if (!cp_number(ps, true, &v)) {
		cp_skip_statement(ps);
		return;
	}
	if (v == 0) {
		lex_error_at(&ps->lx, pos, "%s 0 would always hold", hmetric_names[m]);
	} else if (m == H_CPU && v > 100) {
		lex_error_at(&ps->lx, pos, "cpu: expected a percentage from 1 to 100");
	}
	vals[m] = v;
	cp_end_statement(ps);
}

/* A whole number from lo to hi seconds (or a count) after the current word. */
static void bounded(struct parser *ps, uint64_t *out, uint64_t lo, uint64_t hi, const char *what)
{
	struct conf_pos pos = ps->lx.cur.pos;
	uint64_t v;

	lex_next(&ps->lx);
	if (!cp_number(ps, false, &v)) {
		cp_skip_statement(ps);
		return;
	}
	if (v < lo || v > hi)
		lex_error_at(&ps->lx, pos, "%s: expected %llu to %llu", what, (unsigned long long)lo,
			     (unsigned long long)hi);
	else
		*out = v;
	cp_end_statement(ps);
}

static void clear_block(struct parser *ps, struct conf_health *h)
{
	h->clear_pos = ps->lx.cur.pos;
	h->has_clear = true;
	lex_next(&ps->lx);
	if (!cp_expect(ps, T_LBRACE, "'{'")) {
		cp_skip_statement(ps);
		return;
	}
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF) && !ps->lx.gave_up) {
		int m = hmetric_at(ps);
		if (m < 0) {
			cp_expected(ps, "a health condition (" HEALTH_WORDS ")");
			cp_skip_statement(ps);
			continue;
		}
		condition(ps, h->clear, m);
	}
	cp_expect(ps, T_RBRACE, "'}'");
}

void conf_parse_health(struct parser *ps, struct conf_trigger *t)
{
	struct conf_health *h = &t->health;

	if (!h->on) {
		h->on = true;
		h->pos = ps->lx.cur.pos;
		h->top = 10;
		h->lookback = 10;
	}
	lex_next(&ps->lx);
	if (!cp_expect(ps, T_LBRACE, "'{'")) {
		cp_skip_statement(ps);
		return;
	}
	while (!cp_is(ps, T_RBRACE) && !cp_is(ps, T_EOF) && !ps->lx.gave_up) {
		int m = hmetric_at(ps);
		if (m >= 0) {
			condition(ps, h->thr, m);
		} else if (cp_is_word(ps, "port")) {
			uint64_t v = 0;
			bounded(ps, &v, 1, 65535, "port");
			h->port = (uint16_t)v;
		} else if (cp_is_word(ps, "hold")) {
			bounded(ps, &h->hold, 0, 3600, "hold (seconds)");
		} else if (cp_is_word(ps, "top")) {
			bounded(ps, &h->top, 1, 10000, "top (sources)");
		} else if (cp_is_word(ps, "lookback")) {
			bounded(ps, &h->lookback, 1, 3600, "lookback (seconds)");
		} else if (cp_is_word(ps, "clear")) {
			clear_block(ps, h);
		} else {
			cp_expected(ps, "a health condition (" HEALTH_WORDS ") or setting (port, hold, clear, top, "
				    "lookback)");
			cp_skip_statement(ps);
		}
	}
	cp_expect(ps, T_RBRACE, "'}'");
}
