/*
 * options.h - the command line every client shares, Argus's letters:
 *
 *   -r file...  -R dir...  -w file|-  -s fields  -m keys  -M modes  -t range
 *   -n  -c char  -L n  -N n  -F rarc  -u  -z  -q  -b  -p digits  -X  -h
 *   and a filter: the words that are not options, after an optional lone
 *   "-"; "--" ends the options.  Options may stand anywhere (GNU getopt's
 *   reordering, as Argus's clients parse them).
 *
 * Defaults come from ~/.rarc, then -F file, then the command line.
 */
#ifndef COMMON_OPTIONS_H
#define COMMON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "printer.h"

#define RA_MAX_ARGS 256
#define RA_MAX_WIDTH 65535	/* -s field:width */

struct time_range {
	bool set;
	uint64_t start, end;		/* microseconds, [start, end) */
};

struct ra_opts {
	const char *prog;
	const char *inputs[RA_MAX_ARGS];
	bool input_is_dir[RA_MAX_ARGS];
	int ninputs;
	const char *wfile;
	const char *wfilter;			/* -w file filter: Argus's output filter */
	bool gzip;
	const char *fields[RA_MAX_ARGS];	/* -s words, as given */
	int nfields;
	const char *keys[RA_MAX_ARGS];		/* -m words */
	int nkeys;
	const char *modes[RA_MAX_ARGS];		/* -M words */
	int nmodes;
	const char *servers[RA_MAX_ARGS];	/* -S host[:port] */
	int nservers;
	bool noreconnect;			/* -M noreconnect: -S ends rather than reconnects */
	struct time_range trange;
	uint64_t first_record, max_records;	/* -N: skip first_record, then at most max */
	bool quiet, print_program, no_rarc;
	const char *rarc;
	char *filter;				/* joined filter words; "" when none */
	struct printer_opts pr;
	char time_format[128];
	char sep[2];
	bool json;
	struct { char opt; const char *val; } extra[16];	/* the tool's own letters, in order */
#define RA_MAX_EXTRA 16
	int nextra;
	char words[2048];			/* -s "a,b" and -m "a b" split into words */
	size_t wordlen;

	/* rarc settings that apply when the command line does not say */
	const char *rc_fields, *rc_filter, *rc_sort, *rc_wfile, *rc_input, *rc_server, *rc_trange;
	uint64_t rc_number;
	bool print_man;				/* RA_PRINT_MAN_RECORDS=yes */
	char rcbuf[4096];			/* their text */
	size_t rclen;
	/* rarc settings not supported here: one line each, printed by the tool */
#define RA_MAX_NOTES 32
	char notes[RA_MAX_NOTES][160];
	int nnotes;
};

/*
 * Parse argv.  allowed: the option letters this tool takes beyond the ones
 * every client takes ("rRwsnctLNFuzqpXhMS" are always accepted); a letter
 * followed by ':' takes a value.  The tool's letters land in o->extra.  Returns 0
 * on success, 1 when -h was given (usage printed by the caller), -1 on a
 * usage error (err filled).
 */
int ra_opts_parse(struct ra_opts *o, const char *prog, const char *allowed, int argc, char **argv,
		  struct ra_err *err);
void ra_opts_free(struct ra_opts *o);

/* Resolve -s words against the default columns into cols; returns the count or -1. */
int ra_opts_columns(const struct ra_opts *o, const char *const *defaults, int ndefaults,
		    struct column *cols, struct ra_err *err);

/* rarc: apply one file's settings; missing file is not an error when optional.
 * A setting Argus has and this tool does not adds one line to o->notes
 * (once per variable) for the tool to print on stderr. */
bool ra_rarc_load(struct ra_opts *o, const char *path, bool optional, struct ra_err *err);

/* Time ranges in Argus's forms (timerange.c).  now_us: "now" for relative forms. */
bool ra_time_range_parse(const char *s, uint64_t now_us, bool utc, struct time_range *tr,
			 struct ra_err *err);
static inline bool ra_time_range_match(const struct time_range *tr, uint64_t stime, uint64_t ltime)
{
	return !tr->set || (ltime >= tr->start && stime < tr->end);
}

/* Shared messages for the usage text of every client. */
extern const char ra_common_usage[];

#endif
