/*
 * rarc.c - reading rarc files (~/.rarc, -F file): VARIABLE=value lines
 * that set defaults for every client, as Argus's clients read them: values
 * bare, in double or single quotes, "" for "not set"; '#' and '!' lines
 * and trailing " #" or " //" comments; a backslash continues a line.
 * Every variable Argus documents either works, or is accepted because
 * its value is what this toolkit does anyway, or is noted once as not
 * supported (o->notes).  See rarc(5).
 */
#include "config.h"

#include "options.h"
#include "userdata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rc_line {
	const char *path;
	unsigned line;
	bool quoted;		/* the value was in quotes */
};

static bool rarc_err(struct ra_err *e, const struct rc_line *at, const char *msg, const char *v)
{
	char where[300];

	snprintf(where, sizeof(where), "%s: line %u", at->path, at->line);
	ra_err_where(e, where, 0, 0);
	e->has_offset = 0;
	ra_err_set(e, RA_ERR_USAGE, msg, v);
	return false;
}

static bool yes_no(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_long(const char *v, long *l)
{
	char *end;

	errno = 0;
	*l = strtol(v, &end, 10);
	return !errno && end != v && !*end;
}

/* set_known's error: -1 with err filled. */
static int fail(struct ra_err *e, const struct rc_line *at, const char *msg, const char *v)
{
	rarc_err(e, at, msg, v);
	return -1;
}

/* Keep a copy of a value for a setting applied after the command line. */
static bool keep(struct ra_opts *o, const char *v, const char **slot, const struct rc_line *at,
		 struct ra_err *err)
{
	size_t n = strlen(v) + 1;

	if (o->rclen + n > sizeof(o->rcbuf))
		return rarc_err(err, at, "too much text in the rarc files (%s bytes at most)", "4096");
	memcpy(o->rcbuf + o->rclen, v, n);
	*slot = o->rcbuf + o->rclen;
	o->rclen += n;
	return true;
}

static void note(struct ra_opts *o, const char *name, const char *v, const struct rc_line *at)
{
	size_t len = strlen(name);

	(void)v;
	for (int i = 0; i < o->nnotes; i++) {
		const char *at_name = strstr(o->notes[i], ": ");
		at_name = at_name ? strstr(at_name + 2, ": ") : NULL;
		if (at_name && !strncmp(at_name + 2, name, len) && at_name[2 + len] == ' ')
			return;		/* once per variable */
	}
	if (o->nnotes < RA_MAX_NOTES)
		snprintf(o->notes[o->nnotes++], sizeof(o->notes[0]),
			 "%s: line %u: %s is not supported here, ignored (rarc(5))", at->path, at->line, name);
}

/* The variables that change something here: 1 set, 0 not one of them, -1 error. */
static int set_known(struct ra_opts *o, const char *name, const char *v, const struct rc_line *at,
		     struct ra_err *err)
{
	long l;
	bool b;

	if (!strcmp(name, "RA_TIME_FORMAT")) {
		if (strlen(v) >= sizeof(o->time_format))
			return fail(err, at, "RA_TIME_FORMAT is too long: '%s'", v);
		memcpy(o->time_format, v, strlen(v) + 1);
	} else if (!strcmp(name, "RA_FIELD_DELIMITER")) {
		char d = v[0];
		if (v[0] == '\\' && v[1] && !v[2]) {
			const char *from = "tabfnrv\\", *to = "\t\a\b\f\n\r\v\\";
			const char *k = strchr(from, v[1]);
			if (!k)
				return fail(err, at, "RA_FIELD_DELIMITER: unknown escape '%s'", v);
			d = to[k - from];
		} else if (strlen(v) > 1) {
			return fail(err, at, "RA_FIELD_DELIMITER must be one character, not '%s'", v);
		}
		if (d && d != ' ') {
			o->pr.mode = OUT_CSV;
			o->pr.delim = d;
		}
	} else if (!strcmp(name, "RA_PRINT_LABELS")) {
		if (!parse_long(v, &l) || l < -1)
			return fail(err, at, "RA_PRINT_LABELS must be -1, 0 or a line count, not '%s'", v);
		o->pr.labels = (int)l;
	} else if (!strcmp(name, "RA_PRINT_NAMES")) {
		if (!strcasecmp(v, "none"))
			o->pr.fmt.numeric = 2;
		else if (!strcasecmp(v, "proto"))
			o->pr.fmt.numeric = 1;
		else if (!strcasecmp(v, "port") || !strcasecmp(v, "all"))
			o->pr.fmt.numeric = 0;
		else
			return fail(err, at, "RA_PRINT_NAMES must be none, proto, port or all, not '%s'", v);
	} else if (!strcmp(name, "RA_USEC_PRECISION")) {
		if (!parse_long(v, &l) || l < 0 || l > 6)
			return fail(err, at, "RA_USEC_PRECISION must be 0 to 6, not '%s'", v);
		o->pr.fmt.usec_digits = (int)l;
	} else if (!strcmp(name, "RA_PRINT_UNIX_TIME") || !strcmp(name, "RA_TZ_UTC") ||
		   !strcmp(name, "RA_PRINT_MAN_RECORDS") || !strcmp(name, "RA_NO_OUTPUT")) {
		if (!yes_no(v, &b)) {
			char msg[96];
			snprintf(msg, sizeof(msg), "%s must be yes or no, not '%%s'", name);
			return fail(err, at, msg, v);
		}
		if (!strcmp(name, "RA_PRINT_UNIX_TIME"))
			o->pr.fmt.epoch = b;
		else if (!strcmp(name, "RA_TZ_UTC"))
			o->pr.fmt.utc = b;
		else if (!strcmp(name, "RA_PRINT_MAN_RECORDS"))
			o->print_man = b;
		else
			o->quiet = b;
	} else if (!strcmp(name, "RA_TZ")) {
		if (setenv("TZ", v, 1) != 0)	/* the process's time zone, as Argus sets it */
			return fail(err, at, "RA_TZ: cannot set '%s'", v);
	} else if (!strcmp(name, "RA_FIELD_SPECIFIER")) {
		return keep(o, v, &o->rc_fields, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_FILTER")) {
		return keep(o, v, &o->rc_filter, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_SORT_ALGORITHMS")) {
		return keep(o, v, &o->rc_sort, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_OUTPUT_FILE")) {
		return keep(o, v, &o->rc_wfile, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_INPUT_FILE")) {
		return keep(o, v, &o->rc_input, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_ARGUS_SERVER")) {
		return keep(o, v, &o->rc_server, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_USERDATA_ENCODE")) {
		int e = ud_encode_parse(v);
		if (e < 0)
			return fail(err, at, "RA_USERDATA_ENCODE must be Ascii, Obfuscate, Hex, Encode32 or Encode64, not '%s'", v);
		o->pr.fmt.user_encode = e;
	} else if (!strcmp(name, "RA_TIMERANGE")) {
		return keep(o, v, &o->rc_trange, at, err) ? 1 : -1;
	} else if (!strcmp(name, "RA_NUMBER")) {
		if (!parse_long(v, &l) || l < 0)
			return fail(err, at, "RA_NUMBER must be a count, not '%s'", v);
		o->rc_number = (uint64_t)l;
	} else if (!strcmp(name, "RA_FIELD_QUOTED")) {
		if (!strncasecmp(v, "double", 6))
			o->pr.quote = '"';
		else if (!strncasecmp(v, "single", 6))
			o->pr.quote = '\'';
		else if (!strcasecmp(v, "no") || !strcasecmp(v, "none"))
			o->pr.quote = 0;
		else
			return fail(err, at, "RA_FIELD_QUOTED must be double, single or no, not '%s'", v);
	} else {
		return 0;
	}
	return 1;
}

/*
 * Argus variables whose value here is what this toolkit does anyway: the
 * values listed are accepted without a word (any case; NULL: any value);
 * another value is noted as not supported.  Every other variable Argus documents is noted.
 */
static const struct { const char *name, *same; } same_as_ours[] = {
	{ "RA_SET_PID", "no" }, { "RA_RUN_TIME", "0" }, { "RA_DEBUG_LEVEL", "0" },
	{ "RA_PRINT_EVENT_RECORDS", "no" }, { "RA_GENERATE_BIN_MAR_RECORDS", "no" },
	{ "RA_PRINT_RESPONSE_DATA", "no" },
	{ "RA_ASN_PRINT_FORMAT", "asplain" }, { "RA_CIDR_ADDRESS_FORMAT", "no" },
	{ "RA_FIELD_WIDTH", "variable" }, { "RA_PRINT_SUMMARY", "no" },
	{ "RA_PRINT_ETHERNET_VENDORS", "no" }, { "RA_RELIABLE_CONNECT", "no" },
	{ "RA_COLOR_SUPPORT", "no" }, { "RA_CORRELATE_EVENTS", "no" },
	{ "RA_SEPARATE_ADDR_FROM_PORT_WITH_PERIOD", "no" }, { "RA_PRINT_LOCALONLY", "no" },
	{ "RA_PRINT_DOMAINONLY", "no" }, { "RA_PRINT_TCPSTATES", "no" },
	{ "RA_PRINT_TCPFLAGS", "no" }, { "RA_RECORD_CORRECTION", "no" },
	{ "RA_LOCAL_CORRECT", "no" }, { "RADIUM_ZEROCONF_REGISTER", "no" },
};

static bool apply(struct ra_opts *o, const char *name, const char *v, const struct rc_line *at,
		  struct ra_err *err)
{
	int r;

	if (!*v && at->quoted)
		return true;		/* "" : not set, as Argus reads it */
	r = set_known(o, name, v, at, err);
	if (r != 0)
		return r > 0;
	for (size_t i = 0; i < sizeof(same_as_ours) / sizeof(same_as_ours[0]); i++)
		if (!strcmp(name, same_as_ours[i].name)) {
			if (same_as_ours[i].same && strcasecmp(v, same_as_ours[i].same) != 0)
				note(o, name, v, at);
			return true;
		}
	if (!strncmp(name, "RA_", 3) || !strncmp(name, "RADIUM_", 7) || !strncmp(name, "RATOP_", 6) ||
	    !strcmp(name, "ARGUS_ARCHIVE") || !strcmp(name, "MYSQL_DB_ENGINE") || !strcmp(name, "RAMON_MODE")) {
		note(o, name, v, at);
		return true;
	}
	return rarc_err(err, at, "unknown variable '%s'", name);
}

/* Split "NAME = value # comment" in place; returns false on a malformed line. */
static bool split_line(char *p, char **name, char **value, struct rc_line *at, struct ra_err *err)
{
	char *eq = strchr(p, '='), *e, *v;

	if (!eq)
		return rarc_err(err, at, "expected VARIABLE=value, found '%.40s'", p);
	*name = p;
	e = eq;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	if (!**name)
		return rarc_err(err, at, "missing variable name before '='%s", "");
	v = eq + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	at->quoted = false;
	if (*v == '"' || *v == '\'') {
		char q = *v, *end = strchr(v + 1, q);
		if (!end)
			return rarc_err(err, at, "unterminated quoted value for %s", *name);
		*end = '\0';
		*value = v + 1;
		at->quoted = true;
		return true;
	}
	/* a bare value ends at a comment: " #..." or " //..." */
	for (e = v; *e; e++)
		if ((e[0] == ' ' || e[0] == '\t') && (e[1] == '#' || (e[1] == '/' && e[2] == '/'))) {
			*e = '\0';
			break;
		}
	e = v + strlen(v);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	*value = v;
	return true;
}

bool ra_rarc_load(struct ra_opts *o, const char *path, bool optional, struct ra_err *err)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	size_t have = 0;
	unsigned lineno = 0, first = 1;

	if (!fp) {
		if (optional && errno == ENOENT)
			return true;
		ra_err_where(err, path, 0, 0);
		err->has_offset = 0;
		err->sys_errno = errno;
		ra_err_set(err, RA_ERR_USAGE, "%s", strerror(errno));
		return false;
	}
	while (fgets(line + have, (int)(sizeof(line) - have), fp)) {
		struct rc_line at = { path, 0, false };
		char *p = line, *name = NULL, *v = NULL;
		size_t n = strlen(line);

		lineno++;
		if (have == 0)
			first = lineno;
		if (n == sizeof(line) - 1 && line[n - 1] != '\n' && !feof(fp)) {
			at.line = first;
			fclose(fp);
			return rarc_err(err, &at, "line longer than %s characters", "4094");
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\\') {	/* continued on the next line */
			have = n - 1;
			line[have] = '\0';
			continue;
		}
		have = 0;
		at.line = first;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '!' || *p == '\0')
			continue;
		if (!split_line(p, &name, &v, &at, err) || !apply(o, name, v, &at, err)) {
			fclose(fp);
			return false;
		}
	}
	fclose(fp);
	return true;
}
