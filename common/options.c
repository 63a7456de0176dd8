/*
 * options.c - parsing the options every client shares (Argus's letters).
 *
 * The command line is read as GNU getopt reorders it for Argus's clients
 * (see scan() below and ra(1)): options anywhere, list options (-r, -R,
 * -s, -m, -M, -S) up to the next word that starts with '-', every other
 * word a filter word.
 */
#include "config.h"

#include "options.h"
#include "userdata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

const char ra_common_usage[] =
	"  -r file ...     read records from files ('-' is stdin; .gz is read through zlib)\n"
	"  -R dir ...      read every file below the directories, in name order\n"
	"  -S host[:port]  read the live stream of argus -P or radium -P (port 561 by default)\n"
	"  -w file         write matching records to file ('-' is stdout); -z compresses\n"
	"  -s fields       fields to print: a list, +field adds, -field removes, field:width\n"
	"  -t range        only records in the time range (Argus's forms, see ra(1))\n"
	"  -n              numbers, not names (-nn: protocol numbers too)\n"
	"  -c char         CSV with this delimiter;  -M json: JSON lines\n"
	"  -L n            labels every n lines (0 once, -1 never)\n"
	"  -N n            at most n records (-N start-end: that range)\n"
	"  -u              times as seconds since the epoch;  -p digits: float precision\n"
	"  -F file         read settings from this rarc file; -X: read no rarc\n"
	"  -q              print nothing (read and check only)\n"
	"  - filter        the filter expression (ra-filter(7))\n";

static bool usage_err(struct ra_err *e, const char *fmt, const char *a)
{
	ra_err_set(e, RA_ERR_USAGE, fmt, a);
	return false;
}

static bool parse_uint(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

static bool parse_int(const char *s, long *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && !*end;
}

/* -N n, -N start-end, -N start+n */
static bool parse_count(struct ra_opts *o, const char *s, struct ra_err *err)
{
	char buf[64];
	char *sep;
	uint64_t a, b;

	if (*s == 'i' || *s == 'o')
		s++;
	if (strlen(s) >= sizeof(buf))
		return usage_err(err, "-N: '%s' is not a count", s);
	memcpy(buf, s, strlen(s) + 1);
	sep = strpbrk(buf, "-+");
	if (!sep) {
		if (!parse_uint(buf, &o->max_records) || o->max_records == 0)
			return usage_err(err, "-N: '%s' is not a positive count", s);
		return true;
	}
	char kind = *sep;
	*sep = '\0';
	if (!parse_uint(buf, &a) || !parse_uint(sep + 1, &b) || a == 0)
		return usage_err(err, "-N: '%s' is not a count, a range start-end or start+count", s);
	if (kind == '-') {
		if (b < a)
			return usage_err(err, "-N: range '%s' ends before it starts", s);
		o->first_record = a - 1;
		o->max_records = b - a + 1;
	} else {
		o->first_record = a - 1;
		o->max_records = b + 1;
	}
	return true;
}

#define RA_MAX_WIDTH 65535
#define RA_MAX_WIDTH_S "65535"

static const char *const list_opts = "rRsmMS";
static const char *const arg_opts = "rRwsmMStcLNFp";

static bool add_arg(const char **list, int *n, const char *v, char opt, struct ra_err *err)
{
	char o[2] = { opt, 0 };

	if (*n >= RA_MAX_ARGS)
		return usage_err(err, "-%s: too many arguments", o);
	list[(*n)++] = v;
	return true;
}

/* Argus splits -s and -m words at spaces and commas: -s "saddr,daddr". */
static bool add_split(struct ra_opts *o, const char **list, int *n, const char *v, char opt,
		      struct ra_err *err)
{
	if (!strpbrk(v, " ,"))
		return add_arg(list, n, v, opt, err);
	while (*v) {
		size_t len = strcspn(v, " ,");
		if (len > 0) {
			if (o->wordlen + len + 1 > sizeof(o->words))
				return usage_err(err, "-%s: the lists are too long", opt == 's' ? "s" : "m");
			memcpy(o->words + o->wordlen, v, len);
			o->words[o->wordlen + len] = '\0';
			if (!add_arg(list, n, o->words + o->wordlen, opt, err))
				return false;
			o->wordlen += len + 1;
		}
		v += len;
		v += strspn(v, " ,");
	}
	return true;
}

/* -M printer=ascii|obfuscate|hex|encode32|encode64 (userdata.h) */
static bool user_encoding(struct ra_opts *o, const char *name, struct ra_err *err)
{
	int e = ud_encode_parse(name);

	if (e < 0)
		return usage_err(err, "-M printer=%s: not ascii, obfuscate, hex, encode32 or encode64", name);
	o->pr.fmt.user_encode = e;
	return true;
}

/*
 * -M modes every client takes; the rest go to o->modes for the tool
 * (racluster's rmon, nocorrect, idle=; rasort's mem=).  Argus's modes with
 * no meaning here are refused by name rather than ignored.
 */
static const char *const argus_modes_refused[] = {
	"disa", "dsrs=", "label=", "group=", "gen=", "sql=", "eframe=", "d3", "newick", "xml",
	"rtime", "realtime", "pzero", "hzero", "label", "lock", "saslmech=", "baseline=", "oui",
	"poll", "null", "empty", "omit", "uni", "ind", "replace", "norep", NULL
};

static bool take_mode(struct ra_opts *o, const char *v, struct ra_err *err)
{
	if (!strcmp(v, "json")) {
		o->pr.mode = OUT_JSON;
		return true;
	}
	if (!strcmp(v, "man") || !strcmp(v, "noman")) {
		o->print_man = v[0] == 'm';	/* status records among the flows (ra) */
		return true;
	}
	if (!strncasecmp(v, "printer=", 8))	/* Argus: user data encoding */
		return user_encoding(o, v + 8, err);
	if (!strcmp(v, "noreconnect")) {	/* -S: end rather than reconnect */
		o->noreconnect = true;
		return true;
	}
	if (!strncmp(v, "TZ=", 3)) {
		if (!v[3] || setenv("TZ", v + 3, 1) != 0)
			return usage_err(err, "-M %s: not a time zone", v);
		return true;
	}
	for (int i = 0; argus_modes_refused[i]; i++) {
		const char *m = argus_modes_refused[i];
		size_t n = strlen(m);
		if (m[n - 1] == '=' ? !strncmp(v, m, n) :
		    (!strcmp(v, m) || (!strncmp(v, m, n) && (v[n] == ':' || v[n] == '=')))) {
			ra_err_set(err, RA_ERR_USAGE, "-M %s: Argus's mode '%s' is not supported here "
				   "(ra(1) lists the -M modes)", v, m);
			return false;
		}
	}
	return add_arg(o->modes, &o->nmodes, v, 'M', err);
}

static bool take(struct ra_opts *o, char opt, const char *v, struct ra_err *err)
{
	long l;

	switch (opt) {
	case 'r':
	case 'R':
		if (o->ninputs >= RA_MAX_ARGS)
			return usage_err(err, "-%s: too many inputs", opt == 'r' ? "r" : "R");
		o->input_is_dir[o->ninputs] = opt == 'R';
		o->inputs[o->ninputs++] = v;
		return true;
	case 'w': o->wfile = v; return true;
	case 's': return add_split(o, o->fields, &o->nfields, v, opt, err);
	case 'm': return add_split(o, o->keys, &o->nkeys, v, opt, err);
	case 'S': return add_arg(o->servers, &o->nservers, v, opt, err);
	case 'M': return take_mode(o, v, err);
	case 't': {
		struct timeval tv;
		gettimeofday(&tv, NULL);
		if (!ra_time_range_parse(v, (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec,
					 o->pr.fmt.utc, &o->trange, err))
			return false;
		return true;
	}
	case 'c':
		if (strcmp(v, "\\t") == 0)
			v = "\t";
		if (strlen(v) != 1)
			return usage_err(err, "-c: the delimiter must be one character, not '%s'", v);
		o->pr.mode = OUT_CSV;
		o->pr.delim = v[0];
		return true;
	case 'L':
		if (!parse_int(v, &l) || l < -1)
			return usage_err(err, "-L: '%s' is not -1, 0 or a line count", v);
		o->pr.labels = (int)l;
		return true;
	case 'N': return parse_count(o, v, err);
	case 'F': o->rarc = v; return true;
	case 'p':
		if (!parse_int(v, &l) || l < 0 || l > 9)
			return usage_err(err, "-p: '%s' is not a precision from 0 to 9", v);
		o->pr.fmt.float_digits = (int)l;
		return true;
	}
	return false;
}

static void defaults(struct ra_opts *o, const char *prog)
{
	memset(o, 0, sizeof(*o));
	o->prog = prog;
	o->pr.mode = OUT_TEXT;
	o->pr.delim = ',';
	o->pr.labels = 0;
	fmt_opts_default(&o->pr.fmt);
	snprintf(o->time_format, sizeof(o->time_format), "%s", o->pr.fmt.time_format);
	o->pr.fmt.time_format = o->time_format;
}

/*
 * The command line as GNU getopt reorders it for Argus's clients.  A word
 * that starts with '-' is an option wherever it stands (before or after the
 * filter's '-', between filter words); an option that takes a value takes
 * the rest of its word or the next word, whatever it is; a list option
 * (-r -R -s -m -M -S) then takes every following word up to the next one
 * that starts with '-'; -w takes one more word that does not start with
 * '-' as Argus's output filter; -t joins "a - b" and "a -b" as Argus does.
 * Every other word is a filter word, in order; a lone '-' may only come
 * before the first of them, "--" ends the options.  scan() calls fn for
 * each option (val NULL for a flag) and collects the filter words.
 */
typedef bool (*opt_fn)(void *ctx, char opt, const char *val, struct ra_err *err);

struct scan_out {
	const char **words;	/* filter words (argv pointers); NULL: do not collect */
	int nwords;
	bool help;
};

static bool time_word(const char *w)
{
	return w && ((w[0] >= '0' && w[0] <= '9') || (w[0] == '-' && w[1] >= '0' && w[1] <= '9'));
}

/* Does option letter opt take a value?  allowed: the tool's letters, "f:" for one with a value. */
static bool takes_value(char opt, const char *allowed)
{
	const char *p = strchr(allowed, opt);

	return strchr(arg_opts, opt) || (p && p[1] == ':');
}

static bool scan(int argc, char **argv, const char *allowed, opt_fn fn, void *ctx, struct scan_out *out,
		 char *tbuf, size_t tcap, struct ra_err *err)
{
	bool dash = false, optend = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (optend || a[0] != '-' || a[1] == '\0') {
			if (strcmp(a, "-") == 0) {
				if (dash || out->nwords > 0) {
					ra_err_set(err, RA_ERR_USAGE, "a second lone '-' at argument %d "
						   "(the filter follows one '-')", i);
					return false;
				}
				dash = true;
				continue;
			}
			if (out->words)
				out->words[out->nwords] = a;
			out->nwords++;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			optend = true;
			continue;
		}
		if (strcmp(a, "--help") == 0) {
			out->help = true;
			return true;
		}
		if (a[1] == '-') {
			ra_err_set(err, RA_ERR_USAGE, "unknown option '%s'", a);
			return false;
		}
		for (const char *p = a + 1; *p; p++) {
			char opt = *p;
			const char *v;

			if (opt == ':' || !takes_value(opt, allowed)) {
				if (!fn(ctx, opt, NULL, err))
					return false;
				continue;
			}
			if (p[1]) {
				v = p + 1;
			} else if (i + 1 < argc) {
				v = argv[++i];
			} else {
				char name[2] = { opt, 0 };
				ra_err_set(err, RA_ERR_USAGE, "option -%s needs an argument", name);
				return false;
			}
			if (opt == 't' && !strpbrk(v + 1, "+-") && i + 1 < argc) {
				/* "-t a - b" and "-t a -b": one range */
				const char *b = NULL;
				int used = 0;
				if (strcmp(argv[i + 1], "-") == 0 && i + 2 < argc && time_word(argv[i + 2])) {
					b = argv[i + 2];
					used = 2;
				} else if (argv[i + 1][0] == '-' && time_word(argv[i + 1])) {
					b = argv[i + 1] + 1;
					used = 1;
				}
				if (b && (size_t)snprintf(tbuf, tcap, "%s-%s", v, b) < tcap) {
					/* only when the two make a range, as Argus checks the
					 * second for a time: "-t 2024/01/01 - 10.0.0.1" keeps its filter */
					struct time_range tr;
					struct ra_err terr;
					ra_err_clear(&terr);
					if (ra_time_range_parse(tbuf, 0, true, &tr, &terr)) {
						v = tbuf;
						i += used;
					}
				}
			}
			if (!fn(ctx, opt, v, err))
				return false;
			if (strchr(list_opts, opt))
				while (i + 1 < argc && argv[i + 1][0] != '-')
					if (!fn(ctx, opt, argv[++i], err))
						return false;
			if (opt == 'w' && (v[0] != '-' || v[1] == '\0') && i + 1 < argc && argv[i + 1][0] != '-')
				if (!fn(ctx, 'W', argv[++i], err))
					return false;
			break;
		}
	}
	return true;
}

/* First pass: only -X and -F, which decide the rarc files read before the rest. */
struct rarc_pass {
	const char *rarc;
	bool skip;
};

static bool note_rarc(void *ctx, char opt, const char *v, struct ra_err *err)
{
	struct rarc_pass *rp = ctx;

	(void)err;
	if (opt == 'X')
		rp->skip = true;
	else if (opt == 'F')
		rp->rarc = v;
	return true;
}

struct parse_ctx {
	struct ra_opts *o;
	const char *allowed;
	int nnum;
	bool help;
};

static bool apply_opt(void *ctx, char opt, const char *v, struct ra_err *err)
{
	struct parse_ctx *pc = ctx;
	struct ra_opts *o = pc->o;
	const char *always = "rRwsnctLNFuzqpXhMS";

	if (opt == 'W') {
		o->wfilter = v;
		return true;
	}
	if (opt == ':' || (!strchr(always, opt) && !strchr(pc->allowed, opt))) {
		char name[2] = { opt, 0 };
		return usage_err(err, "unknown option -%s", name);
	}
	if (!strchr(always, opt) && !strchr(arg_opts, opt) && opt != 'b') {
		/* a tool's own letter: kept in order for the tool */
		char name[2] = { opt, 0 };
		if (o->nextra >= RA_MAX_EXTRA)
			return usage_err(err, "too many -%s options", name);
		o->extra[o->nextra].opt = opt;
		o->extra[o->nextra++].val = v;
		return true;
	}
	if (v)
		return take(o, opt, v, err);
	switch (opt) {
	case 'n': o->pr.fmt.numeric = ++pc->nnum; break;
	case 'u': o->pr.fmt.epoch = true; break;
	case 'z': o->gzip = true; break;
	case 'q': o->quiet = true; break;
	case 'b': o->print_program = true; break;
	case 'X': o->no_rarc = true; break;
	case 'h': pc->help = true; break;
	default: break;	/* a tool's own flag: it looks at argv itself */
	}
	return true;
}

static bool load_rarcs(struct ra_opts *o, const struct rarc_pass *rp, struct ra_err *err)
{
	if (!rp->skip) {
		const char *home = getenv("HOME");
		char path[4096];
		if (home && (size_t)snprintf(path, sizeof(path), "%s/.rarc", home) < sizeof(path) &&
		    !ra_rarc_load(o, path, true, err))
			return false;
	}
	return !rp->rarc || ra_rarc_load(o, rp->rarc, false, err);
}

/* rarc settings the command line did not override (rarc.c keeps them). */
static bool rc_defaults(struct ra_opts *o, struct scan_out *out, struct ra_err *err)
{
	if (o->nfields == 0 && o->rc_fields && !add_split(o, o->fields, &o->nfields, o->rc_fields, 's', err))
		return false;
	if (o->nkeys == 0 && o->rc_sort && !strcmp(o->prog, "rasort") &&
	    !add_split(o, o->keys, &o->nkeys, o->rc_sort, 'm', err))
		return false;
	if (out->nwords == 0 && o->rc_filter && o->rc_filter[0])
		out->words[out->nwords++] = o->rc_filter;
	if (!o->wfile && o->rc_wfile)
		o->wfile = o->rc_wfile;
	if (o->ninputs == 0 && o->nservers == 0) {
		if (o->rc_input && !take(o, 'r', o->rc_input, err))
			return false;
		else if (!o->rc_input && o->rc_server && !take(o, 'S', o->rc_server, err))
			return false;
	}
	if (!o->trange.set && o->rc_trange && !take(o, 't', o->rc_trange, err))
		return false;
	if (!o->max_records && o->rc_number)
		o->max_records = o->rc_number;
	return true;
}

int ra_opts_parse(struct ra_opts *o, const char *prog, const char *allowed, int argc, char **argv,
		  struct ra_err *err)
{
	struct rarc_pass rp = { NULL, false };
	struct parse_ctx pc = { o, allowed, 0, false };
	struct scan_out first = { NULL, 0, false }, out = { NULL, 0, false };
	char tbuf[160];
	size_t flen = 0;

	defaults(o, prog);
	if (!scan(argc, argv, allowed, note_rarc, &rp, &first, tbuf, sizeof(tbuf), err))
		return -1;
	if (first.help)
		return 1;
	if (!load_rarcs(o, &rp, err))
		return -1;
	out.words = calloc((size_t)argc + 1, sizeof(*out.words));
	if (!out.words) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return -1;
	}
	if (!scan(argc, argv, allowed, apply_opt, &pc, &out, tbuf, sizeof(tbuf), err)) {
		free(out.words);
		return -1;
	}
	if (pc.help) {
		free(out.words);
		return 1;
	}
	if (!rc_defaults(o, &out, err)) {
		free(out.words);
		return -1;
	}
	for (int k = 0; k < out.nwords; k++)
		flen += strlen(out.words[k]) + 1;
	o->filter = calloc(1, flen + 1);
	if (!o->filter) {
		free(out.words);
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return -1;
	}
	for (int k = 0, at = 0; k < out.nwords; k++) {
		size_t wl = strlen(out.words[k]);
		if (k > 0)
			o->filter[at++] = ' ';
		memcpy(o->filter + at, out.words[k], wl);	/* flen counted every word */
		at += (int)wl;
	}
	free(out.words);
	return 0;
}

void ra_opts_free(struct ra_opts *o)
{
	free(o->filter);
	o->filter = NULL;
}

/* "name", "name:width", "+name", "-name" (Argus's name:width:format is refused by name) */
static bool split_field(const char *w, char *name, size_t cap, int *width, struct ra_err *err)
{
	const char *colon = strchr(w, ':');
	size_t n = colon ? (size_t)(colon - w) : strlen(w);
	long l;

	*width = 0;
	if (n == 0 || n >= cap)
		return usage_err(err, "-s: '%s' is not a field", w);
	memcpy(name, w, n);
	name[n] = '\0';
	if (colon) {
		char wbuf[16];	/* Argus users write suser:1024: payload columns are wide */
		const char *ws = colon + 1;
		size_t wl = strcspn(ws, ":");
		if (ws[wl] == ':')
			return usage_err(err, "-s: '%s': a print format after the width is not supported "
					 "(use -p for the digits of fractions)", w);
		if (wl == 0 || wl >= sizeof(wbuf))
			return usage_err(err, "-s: '%s' has a bad width", w);
		memcpy(wbuf, ws, wl);
		wbuf[wl] = '\0';
		if (!parse_int(wbuf, &l) || l < 1 || l > RA_MAX_WIDTH)
			return usage_err(err, "-s: '%s': the width must be 1 to " RA_MAX_WIDTH_S, w);
		*width = (int)l;
	}
	return true;
}

int ra_opts_columns(const struct ra_opts *o, const char *const *defaults_list, int ndefaults,
		    struct column *cols, struct ra_err *err)
{
	int n = 0;
	bool replaced = false;

	/* any plain name means the list replaces the defaults; +/- then edit it in order */
	for (int i = 0; i < o->nfields; i++)
		if (o->fields[i][0] != '+' && o->fields[i][0] != '-')
			replaced = true;
	for (int i = 0; i < ndefaults && n < RA_MAX_COLS && !replaced; i++) {
		const struct ra_field *fd = fld_lookup(defaults_list[i]);
		if (fd) {
			cols[n].fd = fd;
			cols[n].limit = 0;
			cols[n++].width = fd->width;
		}
	}
	for (int i = 0; i < o->nfields; i++) {
		const char *w = o->fields[i];
		char mode = (w[0] == '+' || w[0] == '-') ? w[0] : '=';
		char name[64];
		int width, pos = -1;
		const struct ra_field *fd;

		if (mode != '=')
			w++;
		if (mode == '+' && w[0] >= '0' && w[0] <= '9') {	/* +N field: insert at position N */
			pos = 0;
			while (*w >= '0' && *w <= '9')
				pos = pos * 10 + (*w++ - '0');
		}
		if (!split_field(w, name, sizeof(name), &width, err))
			return -1;
		fd = fld_lookup(name);
		if (!fd) {
			ra_err_set(err, RA_ERR_USAGE, "-s: unknown field '%s' (ra -h lists them)", name);
			return -1;
		}
		if (mode == '-') {
			int k = 0;
			for (int j = 0; j < n; j++)
				if (cols[j].fd != fd)
					cols[k++] = cols[j];
			n = k;
			continue;
		}
		if (n >= RA_MAX_COLS) {
			ra_err_set(err, RA_ERR_USAGE, "-s: more than %d fields", RA_MAX_COLS);
			return -1;
		}
		if (pos >= 1 && pos - 1 < n) {
			memmove(&cols[pos], &cols[pos - 1], (size_t)(n - pos + 1) * sizeof(*cols));
			pos -= 1;
		} else {
			pos = n;
		}
		cols[pos].fd = fd;
		cols[pos].width = width ? width : fd->width;
		cols[pos].limit = fd->type == FT_USER ? width : 0;	/* suser:N: N bytes */
		n++;
	}
	return n;
}
