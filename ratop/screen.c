/*
 * screen.c - ratop on a terminal (ncurses): the header, the column labels,
 * the ranked rows, and a status line that is also where s, f, m, / and :
 * read what they ask for.  Keys are read with a short timeout, so records
 * keep being merged and the table refreshed while a person types.
 */
#include "config.h"

#include "ratop.h"

#include <curses.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { PAIR_ALERT = 1, PAIR_HEAD = 2 };

struct ui {
	struct top *tp;
	size_t top;			/* rank of the first row shown (0-based) */
	long found;			/* rank found by /, -1 none */
	bool paused, quit, help, color, force;
	int prompt;			/* 0, or the key that asked: s f m / : */
	char in[512];
	size_t inlen;
	char msg[1200];
	bool msg_alert;
	char last_find[256];
};

static const char *const help_lines[] = {
	"ratop keys",
	"",
	"  q            quit",
	"  h ?          this help (any key returns)",
	"  s            sort by: keys as rasort -m (pkts bytes:asc saddr ...), or pps, bps",
	"  f            display filter (ra-filter(7)); empty shows every group",
	"  m            aggregate by: keys as racluster -m (saddr/24 proto dport ...); empty: per flow",
	"  p            pause: the screen stays still, records are still read",
	"  n            names or numbers for ports and protocols",
	"  / text       find a row containing text; / then Enter finds the next",
	"  Up Down j k  scroll a row;  PgUp PgDn a page;  Home End g G  top, bottom",
	"  Esc          cancel a prompt, clear the status line",
	"",
	"  :q  :h       quit, help",
	"  :f expr      display filter      :m keys    aggregation keys",
	"  :s fields    columns (+f adds, -f removes; rank pps bps are ratop's)",
	"  :P keys      sort keys           :n         names or numbers",
	"  :N count     show at most count rows (0: all)",
	"  :u secs      refresh interval    :T secs    idle timeout",
	"  :w file      write the table to file as text",
	"  :x           clear the table",
};

static void set_msg(struct ui *u, bool alert, const char *text)
{
	snprintf(u->msg, sizeof(u->msg), "%s", text);
	u->msg_alert = alert;
}

static void put_line(int y, const char *s, size_t len, attr_t a)
{
	size_t w = (size_t)COLS;

	move(y, 0);
	clrtoeol();
	attron(a);
	addnstr(s, (int)(len < w ? len : w));
	attroff(a);
}

static void draw(struct ui *u)
{
	struct top *tp = u->tp;
	struct col cols[RA_MAX_COLS];
	char line[4096];
	size_t len, rows, n, msg_lines = 1;
	int y = 2;

	erase();
	if (u->help) {
		for (size_t i = 0; i < sizeof(help_lines) / sizeof(*help_lines) && (int)i < LINES; i++)
			put_line((int)i, help_lines[i], strlen(help_lines[i]), i ? 0 : A_BOLD);
		refresh();
		return;
	}
	for (const char *p = u->msg; *p; p++)
		msg_lines += *p == '\n';
	len = top_header(tp, u->paused, line, sizeof(line));
	put_line(0, line, len, (atomic_load(&tp->q.errors) + tp->damaged) && u->color ? COLOR_PAIR(PAIR_ALERT) | A_BOLD :
			       u->color ? COLOR_PAIR(PAIR_HEAD) : 0);
	rows = LINES > (int)(2 + msg_lines) ? (size_t)LINES - 2 - msg_lines : 0;
	if (tp->c.o.max_records && rows > tp->c.o.max_records)
		rows = tp->c.o.max_records;
	if (u->top + rows > tp->nshown)
		u->top = tp->nshown > rows ? tp->nshown - rows : 0;
	n = top_rows(tp, u->top, rows);
	memcpy(cols, tp->cols, sizeof(cols));	/* as wide as this page's values */
	cols_fit(cols, tp->ncols, tp->rowbuf, n, tp->fc);
	len = cols_labels(cols, tp->ncols, line, sizeof(line));
	put_line(1, line, len, A_BOLD | A_UNDERLINE);
	for (size_t i = 0; i < n; i++, y++) {
		len = cols_row(cols, tp->ncols, &tp->rowbuf[i], tp->fc, true, line, sizeof(line));
		put_line(y, line, len, (long)(u->top + i) == u->found ? A_REVERSE : 0);
	}
	if (u->prompt) {
		const char *label = u->prompt == 's' ? "sort by: " : u->prompt == 'f' ? "filter: " :
				    u->prompt == 'm' ? "aggregate by: " : u->prompt == '/' ? "/" : ":";
		len = (size_t)snprintf(line, sizeof(line), "%s%.*s", label, (int)u->inlen, u->in);
		put_line(LINES - 1, line, len < sizeof(line) ? len : sizeof(line) - 1, 0);
		curs_set(1);
	} else {
		const char *p = u->msg[0] ? u->msg : "h help  q quit  s sort  f filter  m keys  p pause  / find";
		int ly = LINES - (int)msg_lines;
		curs_set(0);
		while (*p && ly < LINES) {
			size_t l = strcspn(p, "\n");
			put_line(ly++, p, l, u->msg_alert && u->color ? COLOR_PAIR(PAIR_ALERT) | A_BOLD :
					     u->msg_alert ? A_BOLD : 0);
			p += l + (p[l] == '\n');
		}
	}
	refresh();
}

/* Reread -r files under new keys (their records are gone once merged). */
static void keys_changed(struct ui *u)
{
	struct top *tp = u->tp;
	struct ra_err err;

	if (tp->live) {
		set_msg(u, false, "aggregation keys changed: the table starts over");
		return;
	}
	for (int i = 0; i < tp->c.o.ninputs; i++)
		if (strcmp(tp->c.o.inputs[i], "-") == 0) {
			set_msg(u, false, "aggregation keys changed: standard input cannot be read again");
			return;
		}
	feed_stop(&tp->q);
	ra_reader_free(tp->c.rd);
	memset(&tp->q, 0, sizeof(tp->q));
	tp->c.rd = ra_reader_new();
	for (int i = 0; tp->c.rd && i < tp->c.o.ninputs; i++)
		if (!ra_reader_add(tp->c.rd, tp->c.o.inputs[i], tp->c.o.input_is_dir[i], &err)) {
			char buf[700];
			set_msg(u, true, ra_err_string(&err, buf, sizeof(buf)));
			return;
		}
	tp->nrecords = tp->nflows = 0;
	if (!tp->c.rd || !feed_start(&tp->q, tp->c.rd, &err))
		set_msg(u, true, "out of memory");
	else
		set_msg(u, false, "aggregation keys changed: reading the files again");
}

static void set_filter(struct ui *u, const char *text)
{
	struct top *tp = u->tp;
	struct ra_err err;
	struct ra_filter *f;
	char buf[1200];

	if (!text[0]) {
		flt_free(tp->display);
		tp->display = NULL;
		tp->display_text[0] = 0;
		set_msg(u, false, "display filter: none");
		return;
	}
	ra_err_clear(&err);
	if (!(f = flt_compile(text, &err))) {	/* the old filter stays */
		set_msg(u, true, client_filter_message(text, &err, buf, sizeof(buf)));
		return;
	}
	flt_free(tp->display);
	tp->display = f;
	snprintf(tp->display_text, sizeof(tp->display_text), "%s", text);
	snprintf(buf, sizeof(buf), "display filter: %s", text);
	set_msg(u, false, buf);
}

static void find(struct ui *u, const char *text)
{
	long r;

	if (text[0])
		snprintf(u->last_find, sizeof(u->last_find), "%s", text);
	if (!u->last_find[0])
		return;
	r = top_find(u->tp, u->found >= 0 ? (size_t)u->found + 1 : u->top, u->last_find);
	if (r < 0 && u->found >= 0)
		r = top_find(u->tp, 0, u->last_find);	/* round again from the top */
	if (r < 0) {
		char buf[300];
		snprintf(buf, sizeof(buf), "not found: %s", u->last_find);
		set_msg(u, true, buf);
		return;
	}
	u->found = r;
	u->top = (size_t)r;
	snprintf(u->msg, sizeof(u->msg), "found at rank %ld: %s", r + 1, u->last_find);
	u->msg_alert = false;
}

static void toggle_names(struct ui *u)
{
	struct top *tp = u->tp;
	struct fmt_cache *fc;
	int cur = tp->c.o.pr.fmt.numeric;

	tp->c.o.pr.fmt.numeric = cur != tp->numeric_orig ? tp->numeric_orig : cur ? 0 : 2;
	if ((fc = fmt_cache_new(&tp->c.o.pr.fmt))) {
		fmt_cache_free(tp->fc);
		tp->fc = fc;
	}
	set_msg(u, false, tp->c.o.pr.fmt.numeric ? "numbers" : "names");
}

/* What s, m, f, / and : asked for, now given. */
static void submit(struct ui *u, int kind, char *text)
{
	struct top *tp = u->tp;
	struct ra_err err;
	char buf[700];

	ra_err_clear(&err);
	u->force = true;
	switch (kind) {
	case 's':
		if (top_sort_parse(&tp->sort, text, &err))
			snprintf(buf, sizeof(buf), "sort: %s", text);
		else
			ra_err_string(&err, buf, sizeof(buf));
		set_msg(u, err.msg[0] != 0, buf);
		return;
	case 'f':
		set_filter(u, text);
		return;
	case 'm':
		if (top_keys_set(tp, text, &err))
			keys_changed(u);
		else
			set_msg(u, true, ra_err_string(&err, buf, sizeof(buf)));
		return;
	case '/':
		find(u, text);
		return;
	}
	/* : commands, as Argus's ratop has them */
	char *arg = text + 1;
	while (*arg == ' ')
		arg++;
	switch (text[0]) {
	case 'q': u->quit = true; break;
	case 'h': u->help = true; break;
	case 'f': submit(u, 'f', arg); break;
	case 'm': submit(u, 'm', arg); break;
	case 'P': submit(u, 's', arg); break;
	case 'n': toggle_names(u); break;
	case 'x':
		if (top_keys_set(tp, tp->keys_text[0] && strcmp(tp->keys_text, "flow") ? tp->keys_text : "", &err))
			set_msg(u, false, "table cleared");
		break;
	case 's': {
		struct col cols[RA_MAX_COLS];
		const char *w[RA_MAX_COLS];
		int n = 0, nc;
		char *save = NULL;
		for (char *p = strtok_r(arg, " ,", &save); p && n < RA_MAX_COLS; p = strtok_r(NULL, " ,", &save))
			w[n++] = p;
		if ((nc = cols_parse(w, n, cols, &err)) < 0) {
			set_msg(u, true, ra_err_string(&err, buf, sizeof(buf)));
		} else {
			memcpy(tp->cols, cols, sizeof(cols));
			tp->ncols = nc;
			u->msg[0] = 0;
		}
		break;
	}
	case 'N': case 'u': case 'T': {
		char *end;
		double v = strtod(arg, &end);
		if (end == arg || *end || v < 0 || (text[0] == 'u' && v < 0.05) || (text[0] == 'T' && v < 1)) {
			set_msg(u, true, text[0] == 'N' ? ":N count (0: all rows)" :
					 text[0] == 'u' ? ":u seconds, 0.05 or more" : ":T seconds, 1 or more");
			break;
		}
		if (text[0] == 'N')
			tp->c.o.max_records = (uint64_t)v;
		else if (text[0] == 'u')
			tp->update_us = (uint64_t)(v * 1e6);
		else
			tp->idle_us = (uint64_t)(v * 1e6);
		u->msg[0] = 0;
		break;
	}
	case 'w': {
		int fd = arg[0] ? open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
		bool ok = fd >= 0 && top_print(tp, fd, tp->c.o.max_records, true);
		if (fd >= 0 && close(fd) != 0)
			ok = false;
		snprintf(buf, sizeof(buf), ok ? "written: %s" : "cannot write '%s'", arg);
		set_msg(u, !ok, buf);
		break;
	}
	default:
		snprintf(buf, sizeof(buf), "unknown command :%s (h lists them)", text);
		set_msg(u, true, buf);
	}
}

/* A key while a prompt is open. */
static void prompt_key(struct ui *u, int ch)
{
	if (ch == 27) {
		u->prompt = 0;
	} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		int kind = u->prompt;
		u->in[u->inlen] = 0;
		u->prompt = 0;
		submit(u, kind, u->in);
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (u->inlen)
			u->inlen--;
	} else if (ch >= 32 && ch < 127 && u->inlen < sizeof(u->in) - 1) {
		u->in[u->inlen++] = (char)ch;
	}
}

static void key(struct ui *u, int ch)
{
	size_t page = LINES > 4 ? (size_t)LINES - 4 : 1;

	if (u->help) {
		u->help = false;
		return;
	}
	if (u->prompt) {
		prompt_key(u, ch);
		return;
	}
	switch (ch) {
	case 'q': u->quit = true; break;
	case 'h': case '?': u->help = true; break;
	case 's': case 'f': case 'm': case '/': case ':':
		u->prompt = ch;
		u->inlen = 0;
		break;
	case 'p':
		u->paused = !u->paused;
		u->force = true;
		break;
	case 'n': toggle_names(u); break;
	case KEY_UP: case 'k': if (u->top) u->top--; break;
	case KEY_DOWN: case 'j': u->top++; break;
	case KEY_PPAGE: u->top = u->top > page ? u->top - page : 0; break;
	case KEY_NPAGE: u->top += page; break;
	case KEY_HOME: case 'g': u->top = 0; break;
	case KEY_END: case 'G': u->top = u->tp->nshown; break;
	case 27: u->msg[0] = 0; u->found = -1; break;
	default: break;
	}
}

int screen_run(struct top *tp)
{
	struct ui u;
	struct ra_err err;
	uint64_t next = 0, ticked_records = UINT64_MAX;
	bool dirty = true;
	FILE *tty = NULL;
	SCREEN *scr;
	const char *nc;

	memset(&u, 0, sizeof(u));
	u.tp = tp;
	u.found = -1;
	/* keys come from the terminal, not from standard input when the
	 * records do (argus -w - | ratop -r -) */
	if (!isatty(0) && !(tty = fopen("/dev/tty", "r"))) {
		fprintf(stderr, "ratop: no terminal to read keys from (try -M nocurses)\n");
		return 1;
	}
	if (!(scr = newterm(NULL, stdout, tty ? tty : stdin))) {
		fprintf(stderr, "ratop: cannot start the terminal screen (try -M nocurses)\n");
		if (tty)
			fclose(tty);
		return 1;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	nc = getenv("NO_COLOR");	/* no-color.org: set and not empty */
	u.color = has_colors() && !(nc && nc[0]);
	if (u.color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_ALERT, COLOR_RED, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
	}
	while (!u.quit && !top_signalled()) {
		bool took = top_intake(tp, 30000);
		uint64_t now = top_clock();
		int ch;

		if ((now >= next || top_over(tp)) && (!u.paused || u.force || top_over(tp)) &&
		    (tp->live || u.force || tp->nrecords != ticked_records || !atomic_load(&tp->q.done))) {
			if (!top_tick(tp, &err)) {
				char buf[700];
				endwin();
				fprintf(stderr, "ratop: %s\n", ra_err_string(&err, buf, sizeof(buf)));
				return 1;
			}
			ticked_records = tp->nrecords;
			next = now + tp->update_us;
			u.force = false;
			dirty = true;
		}
		if (dirty)
			draw(&u);
		dirty = false;
		timeout(took ? 0 : 40);
		while ((ch = getch()) != ERR) {
			key(&u, ch);
			dirty = true;
			if (u.quit)
				break;
			timeout(0);
		}
		if (u.force)
			next = 0;
	}
	endwin();
	delscreen(scr);
	if (tty)
		fclose(tty);
	return 0;
}
