/*
 * service.c - payload signatures in Argus's std.sig format: parsing,
 * indexing, matching a flow, and the port names flows fall back to.
 */
#include "config.h"

#include "service.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ---- */

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "hex with spaces": a pair whose first character is a space is any byte. */
static const char *pattern(const char *p, uint8_t *val, uint8_t *mask, uint8_t *len, uint8_t *fixed,
			   const char **why)
{
	int i = 0;

	memset(val, 0, SVC_SIGLEN);
	memset(mask, 0, SVC_SIGLEN);
	*len = *fixed = 0;
	if (*p != '"') {
		*why = "expected a quoted pattern";
		return NULL;
	}
	p++;
	for (; *p && *p != '"'; p += 2, i++) {
		int hi, lo;
		if (p[1] == '"' || !p[1]) {
			p++;		/* an odd last character is ignored, as Argus does */
			break;
		}
		if (i >= SVC_SIGLEN)
			continue;	/* longer patterns keep their first 16 bytes */
		if (p[0] == ' ')
			continue;
		hi = hexv(p[0]);
		lo = hexv(p[1]);
		if (hi < 0 || lo < 0) {
			*why = "pattern bytes are two hex digits or two spaces";
			return NULL;
		}
		val[i] = (uint8_t)(hi << 4 | lo);
		mask[i] = isalpha(val[i]) ? 0xdf : 0xff;	/* letters match either case */
		val[i] &= mask[i];
		(*fixed)++;
		*len = (uint8_t)(i + 1);
	}
	if (*p != '"') {
		*why = "unterminated pattern";
		return NULL;
	}
	return p + 1;
}

static const char *number(const char *p, unsigned long max, unsigned long *v)
{
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	*v = strtoul(p, &end, 10);
	if (errno || *v > max)
		return NULL;
	return end;
}

int svc_parse_line(const char *line, struct svc_sig *s, const char **why, size_t *column)
{
	const char *p = skip_sp(line), *w;
	unsigned long v;
	int quoted = 0;

	memset(s, 0, sizeof(*s));
	if (*p == '\0' || *p == '\n' || *p == '\r' || *p == '#' || *p == '!')
		return 0;
#define FAIL(msg) do { *why = (msg); *column = (size_t)(p - line) + 1; return -1; } while (0)
	if (strncmp(p, "Service:", 8) != 0)
		FAIL("expected 'Service:'");
	p = skip_sp(p + 8);
	w = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	if (p == w)
		FAIL("expected a service name");
	if ((size_t)(p - w) >= SVC_NAMELEN)
		FAIL("service name longer than 15 characters");
	memcpy(s->name, w, (size_t)(p - w));
	p = skip_sp(p);
	if (strncmp(p, "tcp", 3) == 0)
		s->proto = 6;
	else if (strncmp(p, "udp", 3) == 0)
		s->proto = 17;
	else
		FAIL("expected tcp or udp");
	p = skip_sp(p + 3);
	if (strncmp(p, "port", 4) != 0)
		FAIL("expected 'port'");
	p = skip_sp(p + 4);
	if (!(w = number(p, 65535, &v)))
		FAIL("expected a port number");
	s->port = (uint16_t)v;
	p = skip_sp(w);
	if (strncmp(p, "n", 1) == 0 && (p[1] == ' ' || p[1] == '=')) {
		p = skip_sp(p + 1);
		if (*p != '=')
			FAIL("expected '=' after n");
		p = skip_sp(p + 1);
		if (!(w = number(p, 0xffffffffUL, &v)))
			FAIL("expected a count after 'n ='");
		s->count = (uint32_t)v;
		p = skip_sp(w);
	}
	while (*p && *p != '\n' && *p != '\r' && *p != '#') {
		const char *after;
		if (strncmp(p, "src", 3) == 0 || strncmp(p, "dst", 3) == 0 || *p == '"') {
			bool src = *p == '"' ? quoted == 0 : p[0] == 's';
			if (*p != '"') {
				p = skip_sp(p + 3);
				if (*p != '=')
					FAIL("expected '=' after src or dst");
				p = skip_sp(p + 1);
			}
			after = src ? pattern(p, s->sval, s->smask, &s->slen, &s->sfixed, why)
				    : pattern(p, s->dval, s->dmask, &s->dlen, &s->dfixed, why);
			if (!after) {
				*column = (size_t)(p - line) + 1;
				return -1;
			}
			quoted++;
			p = skip_sp(after);
		} else if (strncmp(p, "encrypted", 9) == 0) {
			s->flags |= SVC_ENCRYPTED;
			p = skip_sp(p + 9);
		} else {
			FAIL("expected src =, dst = or encrypted");
		}
	}
#undef FAIL
	return 1;
}

/* ---- tables ---- */

bool svc_add(struct svc_owned *o, const struct svc_sig *s)
{
	if (o->t.n >= 65535)
		return false;
	if (o->t.n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 64;
		struct svc_sig *n = realloc(o->sigs, cap * sizeof(*n));
		if (!n)
			return false;
		o->sigs = n;
		o->cap = cap;
	}
	o->sigs[o->t.n++] = *s;
	o->t.sigs = o->sigs;
	return true;
}

/* The buckets a signature sits in: its first source byte, both cases of a
 * letter; a wildcard first byte, or no source pattern, bucket 256. */
static int buckets_of(const struct svc_sig *s, int out[2])
{
	if (!s->slen || !s->smask[0]) {
		out[0] = SVC_BUCKETS - 1;
		return 1;
	}
	out[0] = s->sval[0];
	if (s->smask[0] == 0xdf) {
		out[1] = s->sval[0] | 0x20;
		return 2;
	}
	return 1;
}

bool svc_table_build(struct svc_owned *o)
{
	size_t total = 0;
	uint32_t (*start)[SVC_BUCKETS + 1] = calloc(2, sizeof(*start));
	uint16_t *order;

	if (!start)
		return false;
	for (size_t i = 0; i < o->t.n; i++) {
		int b[2], k = buckets_of(&o->sigs[i], b);
		for (int j = 0; j < k; j++)
			start[o->sigs[i].proto == 17][b[j] + 1]++;
		total += (size_t)k;
	}
	order = malloc((total ? total : 1) * sizeof(*order));
	if (!order) {
		free(start);
		return false;
	}
	/* offsets: tcp's buckets, then udp's */
	{
		uint32_t at = 0;
		for (int p = 0; p < 2; p++) {
			for (int b = 0; b <= SVC_BUCKETS; b++) {
				uint32_t c = b < SVC_BUCKETS ? start[p][b + 1] : 0;
				start[p][b] = at;
				at += c;
			}
		}
	}
	{
		uint32_t fill[2][SVC_BUCKETS];
		for (int p = 0; p < 2; p++)
			for (int b = 0; b < SVC_BUCKETS; b++)
				fill[p][b] = start[p][b];
		for (size_t i = 0; i < o->t.n; i++) {
			int b[2], k = buckets_of(&o->sigs[i], b), p = o->sigs[i].proto == 17;
			for (int j = 0; j < k; j++)
				order[fill[p][b[j]]++] = (uint16_t)i;
		}
	}
	free(o->order);
	free(o->start);
	o->order = order;
	o->start = start;
	o->t.sigs = o->sigs;
	o->t.order = order;
	o->t.start = (const uint32_t (*)[SVC_BUCKETS + 1])start;
	return true;
}

void svc_free(struct svc_owned *o)
{
	free(o->sigs);
	free(o->order);
	free(o->start);
	memset(o, 0, sizeof(*o));
}

bool svc_load(const char *path, struct svc_owned *o, struct ra_err *err)
{
	FILE *fp = fopen(path, "r");
	char line[1024], where[300];
	unsigned lineno = 0;

	memset(o, 0, sizeof(*o));
	if (!fp) {
		ra_err_where(err, path, 0, 0);
		err->has_offset = 0;
		err->sys_errno = errno;
		ra_err_set(err, RA_ERR_USAGE, "%s", strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct svc_sig s;
		const char *why = NULL;
		size_t col = 0;
		int rc;
		lineno++;
		if (strlen(line) == sizeof(line) - 1 && line[sizeof(line) - 2] != '\n') {
			why = "line longer than 1022 characters";
			col = sizeof(line) - 1;
			rc = -1;
		} else {
			rc = svc_parse_line(line, &s, &why, &col);
		}
		if (rc < 0) {
			snprintf(where, sizeof(where), "%s: line %u, column %zu", path, lineno, col);
			ra_err_where(err, where, 0, 0);
			err->has_offset = 0;
			ra_err_set(err, RA_ERR_FORMAT, "%s", why);
			fclose(fp);
			svc_free(o);
			return false;
		}
		if (rc > 0 && !svc_add(o, &s)) {
			fclose(fp);
			svc_free(o);
			ra_err_set(err, RA_ERR_NOMEM, "%s: too many signatures", path);
			return false;
		}
	}
	fclose(fp);
	if (!svc_table_build(o)) {
		svc_free(o);
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	return true;
}

/* ---- matching ---- */

/* Fixed bytes matched on one side, or -1 when one differs or is not captured. */
static int side(const uint8_t *val, const uint8_t *mask, uint8_t len, uint8_t fixed, const uint8_t *p,
		size_t n)
{
	if (n < len)
		return -1;
	for (unsigned i = 0; i < len; i++)
		if ((p[i] & mask[i]) != val[i])
			return -1;
	return fixed;
}

/* Argus's test for random bytes: the bound on the commonest nibble's
 * frequency, as an entropy in percent of four bits, over 80. */
static bool looks_encrypted(const uint8_t *p, size_t n)
{
	unsigned cnt[16] = { 0 }, cmax = 0;
	double N = 2.0 * (double)n, pmax, cbnd;

	if (n < 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		cnt[p[i] & 15]++;
		cnt[p[i] >> 4]++;
	}
	for (int i = 0; i < 16; i++)
		if (cnt[i] > cmax)
			cmax = cnt[i];
	pmax = cmax / N;
	cbnd = cmax + 2.3 * sqrt(N * pmax * (1 - pmax));
	return -log2(cbnd / N) * 100.0 / 4.0 > 80.0;
}

/* Score of a signature for payloads a (its source side) and b, or -1. */
static int score(const struct svc_sig *s, const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int sc = 0, x;
	bool any = false;

	if (s->slen && an) {
		if ((x = side(s->sval, s->smask, s->slen, s->sfixed, a, an)) < 0)
			return -1;
		sc += x;
		any = true;
	}
	if (s->dlen && bn) {
		if ((x = side(s->dval, s->dmask, s->dlen, s->dfixed, b, bn)) < 0)
			return -1;
		sc += x;
		any = true;
	}
	if (!s->slen && !s->dlen)
		return 0;	/* no fixed byte: the port alone names it (Argus's empty patterns) */
	return any ? sc : -1;
}

/* Fixed bytes that match, mismatches ignored: Argus's best guess on the port. */
static int partial(const struct svc_sig *s, const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int k = 0;

	for (unsigned i = 0; i < s->slen && i < an; i++)
		k += s->smask[i] && (a[i] & s->smask[i]) == s->sval[i];
	for (unsigned i = 0; i < s->dlen && i < bn; i++)
		k += s->dmask[i] && (b[i] & s->dmask[i]) == s->dval[i];
	return k;
}

static void consider(const struct svc_table *t, unsigned proto_ix, int bucket, const struct ra_flow *f,
		     bool reversed, const struct svc_sig **best, int *best_score)
{
	const uint8_t *a = reversed ? f->dpayload : f->spayload, *b = reversed ? f->spayload : f->dpayload;
	size_t an = reversed ? f->dpaylen : f->spaylen, bn = reversed ? f->spaylen : f->dpaylen;

	for (uint32_t k = t->start[proto_ix][bucket]; k < t->start[proto_ix][bucket + 1]; k++) {
		const struct svc_sig *s = &t->sigs[t->order[k]];
		bool port = s->port == f->dport || s->port == f->sport;
		int sc = score(s, a, an, b, bn), rank = port ? 2 : 0;
		if (sc < 0) {
			if (!port)
				continue;
			rank = 1;	/* on the port: a near miss, or random bytes where they are expected */
			if ((sc = partial(s, a, an, b, bn)) <= 5) {
				if (!(s->flags & SVC_ENCRYPTED) || reversed ||
				    (!looks_encrypted(f->spayload, f->spaylen) &&
				     !looks_encrypted(f->dpayload, f->dpaylen)))
					continue;
				sc = 0;
			}
		} else if (!port && sc < 3) {
			continue;	/* a byte or two prove nothing off the service's port */
		}
		/* the port's own full matches first, then its near misses, then the rest (Argus's order) */
		sc = (rank << 12) + 4 * sc + (reversed ? 0 : 2);
		if (sc > *best_score || (sc == *best_score && *best && s->count > (*best)->count)) {
			*best = s;
			*best_score = sc;
		}
	}
}

const struct svc_sig *svc_match(const struct svc_table *t, const struct ra_flow *f)
{
	const struct svc_sig *best = NULL;
	int best_score = -1;
	unsigned p;

	if (!t || !t->n || (f->family != RA_AF_INET && f->family != RA_AF_INET6) ||
	    (f->proto != 6 && f->proto != 17) || (!f->spaylen && !f->dpaylen))
		return NULL;
	p = f->proto == 17;
	if (f->spaylen)
		consider(t, p, f->spayload[0], f, false, &best, &best_score);
	consider(t, p, SVC_BUCKETS - 1, f, false, &best, &best_score);
	if (f->dpaylen) {
		consider(t, p, f->dpayload[0], f, true, &best, &best_score);
		consider(t, p, SVC_BUCKETS - 1, f, true, &best, &best_score);
	}
	return best;
}

/* ---- names ---- */

static const struct { uint16_t port; uint8_t proto; const char *name; } ports[] = {
	{ 20, 6, "ftp-data" }, { 21, 6, "ftp" }, { 22, 6, "ssh" }, { 23, 6, "telnet" }, { 25, 6, "smtp" },
	{ 53, 0, "domain" }, { 67, 17, "bootps" }, { 68, 17, "bootpc" }, { 69, 17, "tftp" },
	{ 80, 6, "http" }, { 88, 0, "kerberos" }, { 110, 6, "pop3" }, { 111, 0, "sunrpc" },
	{ 119, 6, "nntp" }, { 123, 17, "ntp" }, { 135, 6, "epmap" }, { 137, 17, "netbios-ns" },
	{ 138, 17, "netbios-dgm" }, { 139, 6, "netbios-ssn" }, { 143, 6, "imap2" }, { 161, 17, "snmp" },
	{ 162, 17, "snmp-trap" }, { 179, 6, "bgp" }, { 389, 0, "ldap" }, { 443, 0, "https" },
	{ 445, 6, "microsoft-ds" }, { 465, 6, "submissions" }, { 500, 17, "isakmp" }, { 514, 17, "syslog" },
	{ 515, 6, "printer" }, { 520, 17, "route" }, { 546, 17, "dhcpv6-client" }, { 547, 17, "dhcpv6-server" },
	{ 554, 0, "rtsp" }, { 587, 6, "submission" }, { 631, 0, "ipp" }, { 636, 6, "ldaps" },
	{ 853, 6, "domain-s" }, { 873, 6, "rsync" }, { 993, 6, "imaps" }, { 995, 6, "pop3s" },
	{ 1194, 0, "openvpn" }, { 1433, 6, "ms-sql-s" }, { 1812, 17, "radius" }, { 1900, 17, "ssdp" },
	{ 2049, 0, "nfs" }, { 3128, 6, "squid" }, { 3306, 6, "mysql" }, { 3389, 6, "ms-wbt-server" },
	{ 3478, 17, "stun" }, { 4789, 17, "vxlan" }, { 5060, 0, "sip" }, { 5061, 6, "sip-tls" },
	{ 5222, 6, "xmpp-client" }, { 5353, 17, "mdns" }, { 5355, 17, "llmnr" }, { 5432, 6, "postgresql" },
	{ 5900, 6, "vnc" }, { 6343, 17, "sflow" }, { 6379, 6, "redis" }, { 8080, 6, "http-alt" },
	{ 8443, 6, "https-alt" },
};

const char *svc_port_name(uint8_t proto, uint16_t port)
{
	size_t lo = 0, hi = sizeof(ports) / sizeof(*ports);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ports[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sizeof(ports) / sizeof(*ports) && ports[lo].port == port &&
	    (ports[lo].proto == 0 || ports[lo].proto == proto))
		return ports[lo].name;
	return NULL;
}

const char *svc_label(const struct svc_table *t, const struct ra_flow *f)
{
	const struct svc_sig *s = svc_match(t, f);
	const char *n = s ? s->name : NULL;

	if (!n && (f->family == RA_AF_INET || f->family == RA_AF_INET6) && (f->proto == 6 || f->proto == 17)) {
		n = svc_port_name(f->proto, f->dport);
		if (!n)
			n = svc_port_name(f->proto, f->sport);
	}
	return n ? n : "";
}

size_t svc_name(const struct svc_table *t, const struct ra_flow *f, char out[SVC_NAMELEN])
{
	const char *n = svc_label(t, f);
	size_t len;

	out[0] = '\0';
	if (!*n)
		return 0;
	len = strlen(n);
	if (len >= SVC_NAMELEN)
		len = SVC_NAMELEN - 1;
	memcpy(out, n, len);
	out[len] = '\0';
	return len;
}

uint64_t svc_key(const char *name, size_t len)
{
	uint64_t k = 0;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < 6; i++)
		k = k << 8 | (i < len ? (uint8_t)name[i] : 0);
	for (size_t i = 6; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return k << 16 | (len > 6 ? (h ^ h >> 16) & 0xffff : 0);
}

static size_t put_pattern(char *out, const uint8_t *val, const uint8_t *mask, uint8_t len)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t n = 0;

	out[n++] = '"';
	for (int i = 0; i < SVC_SIGLEN; i++) {
		if (i < len && mask[i]) {
			out[n++] = hx[val[i] >> 4];
			out[n++] = hx[val[i] & 15];
		} else {
			out[n++] = ' ';
			out[n++] = ' ';
		}
	}
	out[n++] = '"';
	return n;
}

size_t svc_format(const struct svc_sig *s, char *out, size_t cap)
{
	int n = snprintf(out, cap, "Service: %-15s %s port %-5u n = %6lu", s->name, s->proto == 17 ? "udp" : "tcp",
			 s->port, (unsigned long)s->count);
	size_t k;

	if (n < 0 || (size_t)n + 90 > cap)
		return 0;
	k = (size_t)n;
	if (s->slen) {
		memcpy(out + k, " src = ", 7);
		k += 7;
		k += put_pattern(out + k, s->sval, s->smask, s->slen);
	}
	if (s->dlen) {
		memcpy(out + k, "  dst = ", 8);
		k += 8;
		k += put_pattern(out + k, s->dval, s->dmask, s->dlen);
	}
	if (s->flags & SVC_ENCRYPTED) {
		memcpy(out + k, "  encrypted", 11);
		k += 11;
	}
	out[k] = '\0';
	return k;
}
