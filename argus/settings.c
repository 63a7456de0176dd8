/*
 * settings.c - the argus.conf subset argus understands, and the defaults.
 *
 * Keys are Argus's names (ARGUS_FLOW_STATUS_INTERVAL, ARGUS_MONITOR_ID,
 * ARGUS_INTERFACE, ARGUS_OUTPUT_FILE ...) plus a few of ours for what
 * Argus hard-codes (per-protocol idle timeouts, DNS transaction keying).
 * Keys Argus knows but we do not implement are reported once and ignored;
 * unknown keys are reported.  Inputs written by other parts of the daemon
 * add their keys in the extension table below.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "field.h"
#include "health.h"
#include "settings.h"
#include "units.h"
#include "sflow.h"

void settings_default(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->snaplen = 262144;
	s->promisc = true;
	s->ecfg.status_interval = 5 * 1000000ull;	/* Argus's real default */
	s->ecfg.daemon_status_interval = 60 * 1000000ull;
	s->ecfg.timeout[TC_TCP] = 60 * 1000000ull;
	s->ecfg.timeout[TC_UDP] = 30 * 1000000ull;
	s->ecfg.timeout[TC_ICMP] = 5 * 1000000ull;
	s->ecfg.timeout[TC_OTHER] = 30 * 1000000ull;
	s->ecfg.timeout[TC_CLOSED] = 5 * 1000000ull;
	s->ecfg.dns_xid = true;
	s->ecfg.timing = false;	/* as Argus: jitter and intpkt with -J only */
}

bool settings_duration(const char *v, uint64_t *us)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	double mult = 1;

	if (end == v || errno || d < 0 || !isfinite(d))
		return false;
	if (*end == 's')
		end++;
	else if (*end == 'm' && end[1] == 's') {
		mult = 0.001;
		end += 2;
	} else if (*end == 'm') {
		mult = 60;
		end++;
	} else if (*end == 'h') {
		mult = 3600;
		end++;
	}
	if (*end)
		return false;
	*us = (uint64_t)(d * mult * 1e6 + 0.5);
	return true;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off"))
		*out = false;
	else
		return false;
	return true;
}

static bool parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 0);
	if (end == v || *end || errno || n > max || *v == '-')
		return false;
	*out = n;
	return true;
}

static const char *keep(const char *v)
{
	char *p = strdup(v);
	return p ? p : "";
}

/* Keys other inputs add (the sFlow input adds its own here). */
struct settings_ext {
	const char *prefix;
	bool (*set)(const char *key, const char *value, struct ra_err *err);
};
static const struct settings_ext extensions[] = {
	{ "SFLOW_", sflow_configure },	/* argus/sflow.h: SFLOW_ALLOW, SFLOW_RATE_CAP ... */
	{ NULL, NULL },
};

/* Argus keys that are accepted and ignored (no effect here). */
static const char *const ignored[] = {
	"ARGUS_FLOW_TYPE", "ARGUS_FLOW_KEY", "ARGUS_GENERATE_RESPONSE_TIME_DATA",
	"ARGUS_GENERATE_PACKET_SIZE", "ARGUS_GENERATE_APPBYTE_METRIC", "ARGUS_GENERATE_TCP_PERF_METRIC",
	"ARGUS_GENERATE_BIDIRECTIONAL_TIMESTAMPS", "ARGUS_FILTER_OPTIMIZER", "ARGUS_DEBUG_LEVEL",
	"ARGUS_MIN_SSF", "ARGUS_MAX_SSF", "ARGUS_TUNNEL_DISCOVERY",
	"ARGUS_SELF_SYNCHRONIZE", "ARGUS_KEYSTROKE", "ARGUS_HASHTABLE_SIZE", "ARGUS_PACKET_CAPTURE_FILE",
	"ARGUS_ENV", "ARGUS_MONITOR_ID_INCLUDE_INF", "ARGUS_DEDUP",
	NULL,
};

bool settings_set(struct settings *s, const char *key, const char *value, struct ra_err *err)
{
	unsigned long n;
	uint64_t us;
	bool b;

	if (!strcmp(key, "ARGUS_FLOW_STATUS_INTERVAL")) {
		if (!settings_duration(value, &us))
			goto bad;
		s->ecfg.status_interval = us;
	} else if (!strcmp(key, "ARGUS_MAR_STATUS_INTERVAL")) {
		if (!settings_duration(value, &us))
			goto bad;
		s->ecfg.daemon_status_interval = us;
	} else if (!strcmp(key, "ARGUS_TCP_TIMEOUT") || !strcmp(key, "ARGUS_UDP_TIMEOUT") ||
		   !strcmp(key, "ARGUS_ICMP_TIMEOUT") || !strcmp(key, "ARGUS_IP_TIMEOUT")) {
		if (!settings_duration(value, &us) || us == 0)
			goto bad;
		unsigned c = key[6] == 'T' ? TC_TCP : key[6] == 'U' ? TC_UDP : key[7] == 'C' ? TC_ICMP : TC_OTHER;
		s->ecfg.timeout[c] = us;
	} else if (!strcmp(key, "ARGUS_TCP_CLOSED_TIMEOUT")) {
		if (!settings_duration(value, &us) || us == 0)
			goto bad;
		s->ecfg.timeout[TC_CLOSED] = us;
	} else if (!strcmp(key, "ARGUS_MONITOR_ID")) {
		union ra_addr a;
		unsigned fam = parse_addr(value, &a);
		if (fam == RA_AF_INET || fam == RA_AF_INET6) {
			s->ecfg.srcid_family = (uint8_t)fam;
			s->ecfg.srcid = a;
		} else if (parse_uint(value, 0xffffffffu, &n)) {
			s->ecfg.srcid_family = RA_AF_INET;
			memset(&s->ecfg.srcid, 0, sizeof s->ecfg.srcid);
			s->ecfg.srcid.v4 = (uint32_t)n;
		} else
			goto bad;
	} else if (!strcmp(key, "ARGUS_INTERFACE")) {
		if (s->ni >= INPUT_MAX)
			goto bad;
		s->ifaces[s->ni++] = keep(value);
	} else if (!strcmp(key, "ARGUS_OUTPUT_FILE")) {
		s->wfile = keep(value);
	} else if (!strcmp(key, "ARGUS_DAEMON")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->background = b;
	} else if (!strcmp(key, "ARGUS_SET_PID")) {
		if (!parse_bool(value, &b))
			goto bad;
		if (b && !s->pidfile)
			s->pidfile = "/var/run/argus.pid";
		if (!b)
			s->pidfile = NULL;
	} else if (!strcmp(key, "ARGUS_PID_PATH")) {
		char buf[512];
		snprintf(buf, sizeof buf, "%s/argus.pid", value);
		s->pidfile = keep(buf);
	} else if (!strcmp(key, "ARGUS_PID_FILE")) {
		s->pidfile = keep(value);
	} else if (!strcmp(key, "ARGUS_GENERATE_MAC_DATA")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->ecfg.mac = b;
	} else if (!strcmp(key, "ARGUS_GENERATE_JITTER_DATA")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->ecfg.timing = b;
	} else if (!strcmp(key, "ARGUS_CAPTURE_DATA_LEN")) {
		if (!parse_uint(value, RA_PAYLOAD_MAX, &n))
			goto bad;
		s->ecfg.payload = (unsigned)n;
	} else if (!strcmp(key, "ARGUS_PACKET_CAPTURE_SNAPLEN") || !strcmp(key, "ARGUS_SNAPLEN")) {
		if (!parse_uint(value, 262144, &n) || n == 0)
			goto bad;
		s->snaplen = (int)n;
	} else if (!strcmp(key, "ARGUS_GO_PROMISCUOUS")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->promisc = b;
	} else if (!strcmp(key, "ARGUS_SETUSER_ID")) {
		s->user = keep(value);
	} else if (!strcmp(key, "ARGUS_SETGROUP_ID")) {
		s->group = keep(value);
	} else if (!strcmp(key, "ARGUS_CHROOT_DIR")) {
		s->chroot_dir = keep(value);
	} else if (!strcmp(key, "ARGUS_FILTER")) {
		s->filter = keep(value);
	} else if (!strcmp(key, "ARGUS_SYSLOG")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->syslog = b;
	} else if (!strcmp(key, "ARGUS_DNS_TRANSACTION_KEY")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->ecfg.dns_xid = b;
	} else if (!strcmp(key, "ARGUS_ACCESS_PORT")) {
		if (!parse_uint(value, 65535, &n))
			goto bad;
		s->port = keep(value);
	} else if (!strcmp(key, "ARGUS_BIND_IP")) {
		/* a list: "127.0.0.1, ::1" */
		char *copy = (char *)keep(value), *save = NULL;
		s->nbinds = 0;
		for (char *w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
			if (s->nbinds >= 16)
				goto bad;
			s->binds[s->nbinds++] = w;
		}
	} else if (!strcmp(key, "ARGUS_ACCESS_ALLOW")) {
		s->allow = keep(value);
	} else if (!strcmp(key, "ARGUS_CLIENT_BUFFER")) {
		uint64_t bytes;
		if (!ra_parse_size(value, 1ull << 34, &bytes))
			goto bad;
		s->client_buffer = bytes;
	} else if (!strcmp(key, "ARGUS_HOST_HEALTH")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->host_health = b;
	} else if (!strcmp(key, "ARGUS_HOST_HEALTH_SYNRECV")) {
		if (!parse_bool(value, &b))
			goto bad;
		s->host_health_nosynrecv = !b;
	} else if (!strcmp(key, "ARGUS_HOST_HEALTH_PORTS")) {
		uint8_t want[8192];
		if (*value && strcmp(value, "all") != 0 && !health_ports(value, want))
			goto bad;
		s->host_health_ports = keep(value);
	} else if (!strcmp(key, "ARGUS_WORKERS")) {
		if (!strcmp(value, "auto"))
			n = 0;
		else if (!parse_uint(value, 64, &n))
			goto bad;
		s->workers = (unsigned)n;
	} else if (!strcmp(key, "ARGUS_MAX_FLOWS")) {
		if (!parse_uint(value, 0xffffffffu, &n))
			goto bad;
		s->ecfg.max_flows = (uint32_t)n;
	} else {
		for (const struct settings_ext *x = extensions; x->prefix; x++)
			if (!strncmp(key, x->prefix, strlen(x->prefix)))
				return x->set(key, value, err);
		for (const char *const *k = ignored; *k; k++)
			if (!strcmp(key, *k))
				return true;
		ra_err_set(err, RA_ERR_FORMAT, "%s: unknown setting", key);
		return false;
	}
	return true;
bad:
	ra_err_set(err, RA_ERR_USAGE, "%s: bad value \"%s\"", key, value);
	return false;
}

bool settings_load(struct settings *s, const char *path, void (*warn)(const char *fmt, ...),
		   struct ra_err *err)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;
	bool ok = true;

	if (!fp) {
		ra_err_set(err, RA_ERR_IO, "%s: %s", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof line, fp)) {
		char *p = line, *eq, *v, *end;
		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			ra_err_set(err, RA_ERR_USAGE, "%s: line %u: expected KEY=VALUE", path, lineno);
			ok = false;
			break;
		}
		*eq = 0;
		for (end = eq; end > p && (end[-1] == ' ' || end[-1] == '\t'); end--)
			end[-1] = 0;
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		end = v + strlen(v);
		while (end > v && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (end - v >= 2 && (*v == '"' || *v == '\'') && end[-1] == *v) {
			end[-1] = 0;
			v++;
		}
		struct ra_err e2;
		ra_err_clear(&e2);
		if (!settings_set(s, p, v, &e2)) {
			if (e2.code == RA_ERR_FORMAT && warn) {	/* unknown key: said, not fatal */
				warn("%s: line %u: %s, ignored", path, lineno, e2.msg);
				continue;
			}
			ra_err_set(err, RA_ERR_USAGE, "%s: line %u: %s", path, lineno, e2.msg);
			ok = false;
			break;
		}
	}
	fclose(fp);
	return ok;
}
