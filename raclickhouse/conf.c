/*
 * conf.c - raclickhouse's options: -w URL of the table, -U login, -M words,
 * and the login from the rarc files (Argus's RA_DB_USER and RA_DB_PASS,
 * which rasqlinsert reads too).  A password given with -U is wiped from
 * the process's arguments once copied, so ps(1) does not show it.
 */
#include "config.h"

#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int usage_err(struct ra_err *err, const char *fmt, const char *a)
{
	ra_err_set(err, RA_ERR_USAGE, fmt, a);
	return -1;
}

static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return !(s[0] >= '0' && s[0] <= '9');
}

static bool set_login(struct conf *cf, const char *user, size_t ulen, const char *pass)
{
	free(cf->user);
	cf->user = strndup(user, ulen);
	if (pass) {
		free(cf->password);
		cf->password = strdup(pass);
	}
	return cf->user && (!pass || cf->password);
}

/* http[s]://[user[:password]@]host[:port]/[db.]table */
static int parse_url(struct conf *cf, const char *url, struct ra_err *err)
{
	const char *hier, *host, *slash, *at, *name, *dot;
	size_t schemelen;

	if (strncmp(url, "http://", 7) == 0)
		schemelen = 7;
	else if (strncmp(url, "https://", 8) == 0)
		schemelen = 8;
	else
		return usage_err(err, "-w: '%.200s' is not http://host:port/db.table", url);
	hier = url + schemelen;
	slash = strchr(hier, '/');
	if (!slash)
		return usage_err(err, "-w: '%.200s' names no table (http://host:port/db.table)", url);
	at = memchr(hier, '@', (size_t)(slash - hier));
	host = hier;
	if (at) {
		const char *colon = memchr(hier, ':', (size_t)(at - hier));
		char pass[256];
		if (colon) {
			size_t pl = (size_t)(at - colon - 1);
			if (pl >= sizeof(pass))
				return usage_err(err, "-w: %s", "the password is too long");
			memcpy(pass, colon + 1, pl);
			pass[pl] = '\0';
		}
		if (!set_login(cf, hier, (size_t)((colon ? colon : at) - hier), colon ? pass : NULL))
			return usage_err(err, "%s", "out of memory");
		host = at + 1;
	}
	if (host == slash || (size_t)(slash - host) + schemelen >= sizeof(cf->base))
		return usage_err(err, "-w: '%.200s' has no host", url);
	snprintf(cf->base, sizeof(cf->base), "%.*s%.*s", (int)schemelen, url, (int)(slash - host), host);
	name = slash + 1;
	dot = strchr(name, '.');
	if (dot) {
		if (!name_ok(name, (size_t)(dot - name)) || !name_ok(dot + 1, strlen(dot + 1)))
			return usage_err(err, "-w: '%.200s': database and table are letters, digits and _", name);
		snprintf(cf->db, sizeof(cf->db), "%.*s", (int)(dot - name), name);
		snprintf(cf->table, sizeof(cf->table), "%s", dot + 1);
	} else {
		if (!name_ok(name, strlen(name)))
			return usage_err(err, "-w: '%.200s': a table name is letters, digits and _", name);
		snprintf(cf->db, sizeof(cf->db), "default");
		snprintf(cf->table, sizeof(cf->table), "%s", name);
	}
	snprintf(cf->where, sizeof(cf->where), "%s/%s.%s", cf->base, cf->db, cf->table);
	return 0;
}

/* 123, 64k, 512m, 2g */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	*out = v;
	return *end == '\0';
}

static int mode(struct conf *cf, const char *m, struct ra_err *err)
{
	uint64_t v;

	if (strcmp(m, "create") == 0) {
		cf->create = true;
	} else if (strcmp(m, "schema") == 0) {
		cf->print_schema = true;
	} else if (strcmp(m, "drain") == 0) {
		cf->drain_only = true;
	} else if (strncmp(m, "spool=", 6) == 0 && m[6]) {
		cf->spool = m + 6;
	} else if (strncmp(m, "spoolmax=", 9) == 0) {
		if (!parse_size(m + 9, &v) || v < 4096)
			return usage_err(err, "-M spoolmax: '%s' is not a size of 4k or more", m + 9);
		cf->spool_max = v;
	} else if (strncmp(m, "batch=", 6) == 0) {
		if (!parse_size(m + 6, &v) || v == 0 || v > (1u << 24))
			return usage_err(err, "-M batch: '%s' is not a row count from 1 to 16m", m + 6);
		cf->batch_rows = (uint32_t)v;
	} else if (strncmp(m, "senders=", 8) == 0) {
		if (!parse_size(m + 8, &v) || v < 1 || v > 8)
			return usage_err(err, "-M senders: '%s' is not a number from 1 to 8", m + 8);
		cf->senders = (unsigned)v;
	} else if (strncmp(m, "wait=", 5) == 0) {
		if (!parse_size(m + 5, &v) || v > 86400 * 7)
			return usage_err(err, "-M wait: '%s' is not a number of seconds", m + 5);
		cf->wait_s = (unsigned)v;
	} else {
		return usage_err(err, "-M: unknown mode '%s' (create, schema, drain, spool=, spoolmax=, batch=, wait=, senders=)", m);
	}
	return 0;
}

/* RA_DB_USER and RA_DB_PASS of one rarc file; a missing file is fine. */
static int rarc_login(struct conf *cf, const char *path, struct ra_err *err)
{
	FILE *fp = fopen(path, "r");
	char line[1024];

	if (!fp)
		return 0;	/* ra_opts_parse has already said why a -F file cannot be read */
	while (fgets(line, sizeof(line), fp)) {
		char *v = strchr(line, '='), *end;
		bool user;
		if (!v)
			continue;
		*v++ = '\0';
		if (strcmp(line, "RA_DB_USER") == 0)
			user = true;
		else if (strcmp(line, "RA_DB_PASS") == 0)
			user = false;
		else
			continue;
		end = v + strcspn(v, "\r\n");
		*end = '\0';
		if (*v == '"' && end > v + 1 && end[-1] == '"') {
			v++;
			*--end = '\0';
		}
		char **slot = user ? &cf->user : &cf->password;
		free(*slot);
		*slot = strdup(v);
		if (!*slot) {
			fclose(fp);
			return usage_err(err, "%s", "out of memory");
		}
	}
	fclose(fp);
	return 0;
}

/* The password of http://user:password@host/... in argv, wiped for ps(1). */
static void wipe_url_password(const char *url)
{
	char *hier = strstr(url, "://"), *slash, *at, *colon;

	if (!hier)
		return;
	hier += 3;
	slash = strchr(hier, '/');
	at = strchr(hier, '@');
	if (!at || (slash && at > slash))
		return;
	colon = memchr(hier, ':', (size_t)(at - hier));
	if (colon)
		memset(colon + 1, 'x', (size_t)(at - colon - 1));
}

int conf_parse(struct conf *cf, struct ra_opts *o, int argc, char **argv, struct ra_err *err)
{
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	char *login = NULL;
	bool no_rarc = false;
	const char *rarc = NULL;
	int nargs = 0, rc;

	memset(cf, 0, sizeof(*cf));
	cf->spool_max = 1ull << 30;
	cf->batch_rows = 262144;
	cf->wait_s = 300;
	cf->senders = 2;
	if (!args)
		return usage_err(err, "%s", "out of memory");
	for (int i = 0; i < argc; i++) {
		if (i > 0 && (strcmp(argv[i], "-") == 0 || strcmp(argv[i], "--") == 0)) {
			while (i < argc)
				args[nargs++] = argv[i++];
			break;
		}
		if (i > 0 && strncmp(argv[i], "-U", 2) == 0) {
			char *v = argv[i][2] ? argv[i] + 2 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v) {
				free(args);
				return usage_err(err, "option -%s needs an argument", "U");
			}
			free(login);
			login = strdup(v);
			char *colon = strchr(v, ':');	/* wipe the password from ps(1) */
			if (colon)
				memset(colon + 1, 'x', strlen(colon + 1));
			continue;
		}
		if (i > 0 && strcmp(argv[i], "-X") == 0)
			no_rarc = true;
		if (i > 0 && strcmp(argv[i], "-F") == 0 && i + 1 < argc)
			rarc = argv[i + 1];
		args[nargs++] = argv[i];
	}
	rc = ra_opts_parse(o, "raclickhouse", "", nargs, args, err);
	free(args);
	if (rc != 0) {
		free(login);
		return rc;
	}
	if (!no_rarc) {
		const char *home = getenv("HOME");
		char path[4096];
		if (home && (size_t)snprintf(path, sizeof(path), "%s/.rarc", home) < sizeof(path) &&
		    rarc_login(cf, path, err) < 0)
			goto fail;
	}
	if (rarc && rarc_login(cf, rarc, err) < 0)
		goto fail;
	if (login) {
		char *colon = strchr(login, ':');
		if (colon)
			*colon = '\0';
		if (!*login || !set_login(cf, login, strlen(login), colon ? colon + 1 : NULL)) {
			usage_err(err, "%s", "-U: give user or user:password");
			goto fail;
		}
	}
	for (int i = 0; i < o->nmodes; i++)
		if (mode(cf, o->modes[i], err) < 0)
			goto fail;
	if (o->wfile) {
		if (parse_url(cf, o->wfile, err) < 0)
			goto fail;
		wipe_url_password(o->wfile);
		o->wfile = NULL;	/* not a record file */
	} else if (cf->print_schema) {
		snprintf(cf->db, sizeof(cf->db), "flows");
		snprintf(cf->table, sizeof(cf->table), "records");
	} else {
		usage_err(err, "%s", "no table: give -w http://host:8123/db.table");
		goto fail;
	}
	if (login) {
		memset(login, 0, strlen(login));
		free(login);
	}
	return 0;
fail:
	free(login);
	return -1;
}

void conf_free(struct conf *cf)
{
	if (cf->password)
		memset(cf->password, 0, strlen(cf->password));
	free(cf->user);
	free(cf->password);
	cf->user = cf->password = NULL;
}

uint64_t conf_schema_hash(const struct ch_schema *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a, of the format's name first */

	for (const char *p = "Native"; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;

	for (int i = 0; i < s->ncols; i++) {
		const char *parts[2] = { s->cols[i].name, s->cols[i].type };
		for (int k = 0; k < 2; k++)
			for (const char *p = parts[k]; *p; p++)
				h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
		h = (h ^ s->cols[i].enc) * 0x100000001b3ull;
	}
	return h;
}
