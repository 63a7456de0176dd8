/*
 * rarc.c - reading rarc files (~/.rarc, -F file): VARIABLE=value lines
 * that set defaults for every client.  See rarc(5).
 */
#include "config.h"

#include "options.h"
#include "userdata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool rarc_err(struct ra_err *e, const char *path, unsigned line, const char *msg, const char *v)
{
	char where[300];

	snprintf(where, sizeof(where), "%s: line %u", path, line);
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

static bool apply(struct ra_opts *o, const char *name, const char *v, const char *path, unsigned line,
		  struct ra_err *err)
{
	char *end;
	long l;
	bool b;

	if (!strcmp(name, "RA_TIME_FORMAT")) {
		if (strlen(v) >= sizeof(o->time_format))
			return rarc_err(err, path, line, "RA_TIME_FORMAT is too long", v);
		memcpy(o->time_format, v, strlen(v) + 1);
		return true;
	}
	if (!strcmp(name, "RA_FIELD_DELIMITER")) {
		if (strlen(v) > 1)
			return rarc_err(err, path, line, "RA_FIELD_DELIMITER must be one character, not '%s'", v);
		if (strlen(v) == 1 && v[0] != ' ') {
			o->pr.mode = OUT_CSV;
			o->pr.delim = v[0];
		}
		return true;
	}
	if (!strcmp(name, "RA_PRINT_LABELS")) {
		errno = 0;
		l = strtol(v, &end, 10);
		if (errno || *end || l < -1)
			return rarc_err(err, path, line, "RA_PRINT_LABELS must be -1, 0 or a line count, not '%s'", v);
		o->pr.labels = (int)l;
		return true;
	}
	if (!strcmp(name, "RA_PRINT_NAMES")) {
		if (!strcasecmp(v, "none"))
			o->pr.fmt.numeric = 2;
		else if (!strcasecmp(v, "proto"))
			o->pr.fmt.numeric = 1;
		else if (!strcasecmp(v, "port") || !strcasecmp(v, "all"))
			o->pr.fmt.numeric = 0;
		else
			return rarc_err(err, path, line, "RA_PRINT_NAMES must be none, proto, port or all, not '%s'", v);
		return true;
	}
	if (!strcmp(name, "RA_USEC_PRECISION")) {
		errno = 0;
		l = strtol(v, &end, 10);
		if (errno || *end || l < 0 || l > 6)
			return rarc_err(err, path, line, "RA_USEC_PRECISION must be 0 to 6, not '%s'", v);
		o->pr.fmt.usec_digits = (int)l;
		return true;
	}
	if (!strcmp(name, "RA_PRINT_UNIX_TIME")) {
		if (!yes_no(v, &b))
			return rarc_err(err, path, line, "RA_PRINT_UNIX_TIME must be yes or no, not '%s'", v);
		o->pr.fmt.epoch = b;
		return true;
	}
	if (!strcmp(name, "RA_TZ_UTC")) {
		if (!yes_no(v, &b))
			return rarc_err(err, path, line, "RA_TZ_UTC must be yes or no, not '%s'", v);
		o->pr.fmt.utc = b;
		return true;
	}
	if (!strcmp(name, "RA_ARGUS_SERVER")) {
		if (strlen(v) >= sizeof(o->rarc_server))
			return rarc_err(err, path, line, "RA_ARGUS_SERVER is too long", v);
		memcpy(o->rarc_server, v, strlen(v) + 1);
		return true;
	}
	if (!strcmp(name, "RA_USERDATA_ENCODE")) {
		int e = ud_encode_parse(v);
		if (e < 0)
			return rarc_err(err, path, line,
					"RA_USERDATA_ENCODE must be Ascii, Obfuscate, Hex, Encode32 or Encode64, not '%s'", v);
		o->pr.fmt.user_encode = e;
		return true;
	}
	/* Argus has many more RA_ variables; those we do not use are accepted and ignored. */
	if (!strncmp(name, "RA_", 3) || !strncmp(name, "RADIUM_", 7))
		return true;
	return rarc_err(err, path, line, "unknown variable '%s'", name);
}

bool ra_rarc_load(struct ra_opts *o, const char *path, bool optional, struct ra_err *err)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;

	if (!fp) {
		if (optional && errno == ENOENT)
			return true;
		ra_err_where(err, path, 0, 0);
		err->has_offset = 0;
		err->sys_errno = errno;
		ra_err_set(err, RA_ERR_USAGE, "%s", strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *p = line, *eq, *name, *v, *e;
		size_t n = strlen(line);

		lineno++;
		if (n == sizeof(line) - 1 && line[n - 1] != '\n' && !feof(fp)) {
			fclose(fp);
			return rarc_err(err, path, lineno, "line longer than %s characters", "1022");
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			fclose(fp);
			return rarc_err(err, path, lineno, "expected VARIABLE=value, found '%.40s'", p);
		}
		name = p;
		e = eq;
		while (e > name && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		e = v + strlen(v);
		while (e > v && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (*v == '"' || *v == '\'') {	/* "value" or 'value' */
			char *q = strrchr(v + 1, *v);
			if (!q || q[1]) {
				fclose(fp);
				return rarc_err(err, path, lineno, "unterminated quoted value for %s", name);
			}
			*q = '\0';
			v++;
		}
		if (!*name) {
			fclose(fp);
			return rarc_err(err, path, lineno, "missing variable name before '='%s", "");
		}
		if (!apply(o, name, v, path, lineno, err)) {
			fclose(fp);
			return false;
		}
	}
	fclose(fp);
	return true;
}
