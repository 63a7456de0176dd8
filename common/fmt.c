/*
 * fmt.c - turning field values into text: numbers, addresses, times,
 * port and protocol names, the Flgs column and captured payload.
 *
 * Everything formats into a caller's buffer with hand-written integer
 * conversion; times are cached per second and names per number, so the
 * per-record cost is a few copies, never a printf per field.
 */
#include "config.h"

#include "field.h"
#include "service.h"
#include "userdata.h"

#include <arpa/inet.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fmt_cache {
	struct fmt_opts o;
	char tfmt[128];			/* time_format with %f replaced by \001 */
	int64_t last_sec;
	char last_text[128];		/* strftime of last_sec, with \001 kept */
	size_t last_len;
	char *tcp_names[65536];		/* NULL: not looked up; "" no name */
	char *udp_names[65536];
	char *proto_names[256];
};

void fmt_opts_default(struct fmt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->time_format = "%Y-%m-%d %T.%f";
	o->usec_digits = 6;
	o->float_digits = 6;
}

struct fmt_cache *fmt_cache_new(const struct fmt_opts *o)
{
	struct fmt_cache *c = calloc(1, sizeof(*c));
	size_t j = 0;

	if (!c)
		return NULL;
	c->o = *o;
	for (const char *p = o->time_format; *p && j + 2 < sizeof(c->tfmt); p++) {
		if (p[0] == '%' && p[1] == 'f') {
			c->tfmt[j++] = '\001';
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			c->tfmt[j++] = '%';
			c->tfmt[j++] = '%';
			p++;
		} else {
			c->tfmt[j++] = *p;
		}
	}
	c->tfmt[j] = '\0';
	c->last_sec = INT64_MIN;
	return c;
}

void fmt_cache_free(struct fmt_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < 65536; i++) {
		free(c->tcp_names[i]);
		free(c->udp_names[i]);
	}
	for (int i = 0; i < 256; i++)
		free(c->proto_names[i]);
	free(c);
}

size_t fmt_u64(char *out, uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* Fixed-point: digits after the point, rounded. */
static size_t fmt_double(char *out, double v, int digits)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	size_t n = 0;
	uint64_t whole, frac, scale;

	if (digits < 0)
		digits = 0;
	if (digits > 9)
		digits = 9;
	if (!isfinite(v) || fabs(v) >= 1e15)
		return (size_t)snprintf(out, 48, "%.*f", digits, v);
	if (v < 0) {
		out[n++] = '-';
		v = -v;
	}
	scale = (uint64_t)pow10[digits];
	{
		uint64_t all = (uint64_t)(v * (double)scale + 0.5);
		whole = all / scale;
		frac = all % scale;
	}
	n += fmt_u64(out + n, whole);
	if (digits) {
		out[n++] = '.';
		for (int i = digits - 1; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		n += (size_t)digits;
	}
	return n;
}

static size_t fmt_hex(char *out, uint64_t v, int min_digits)
{
	static const char hx[] = "0123456789abcdef";
	char tmp[20];
	size_t n = 0, k = 0;

	do {
		tmp[k++] = hx[v & 15];
		v >>= 4;
	} while (v);
	while ((int)k < min_digits)
		tmp[k++] = '0';
	out[n++] = '0';
	out[n++] = 'x';
	while (k)
		out[n++] = tmp[--k];
	return n;
}

/* RFC 5952 text, as glibc's inet_ntop writes it (IPv4-mapped and -compatible
 * addresses end in a dotted quad), without its sprintf per group. */
static size_t fmt_ip6(char *out, const uint8_t *b)
{
	static const char hx[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;
	size_t n = 0;

	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, cur_len = 0;
			if (++cur_len > best_len)
				best = cur, best_len = cur_len;
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			out[n++] = ':';
			if (i == 0)
				out[n++] = ':';
			i += best_len - 1;
			continue;
		}
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			union ra_addr v4;
			v4.v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
			return n + fmt_addr(out + n, RA_AF_INET, &v4);
		}
		{
			int started = 0;
			for (int k = 12; k >= 0; k -= 4) {
				unsigned d = (w[i] >> k) & 15;
				if (d || started || k == 0) {
					out[n++] = hx[d];
					started = 1;
				}
			}
		}
		if (i < 7)
			out[n++] = ':';
	}
	return n;
}

size_t fmt_addr(char *out, unsigned family, const union ra_addr *a)
{
	static const char hx[] = "0123456789abcdef";
	size_t n = 0;

	switch (family) {
	case RA_AF_INET:
	case RA_AF_ARP:
		for (int i = 3; i >= 0; i--) {
			unsigned b = (a->v4 >> (8 * i)) & 0xff;
			if (b >= 100) {
				out[n++] = (char)('0' + b / 100);
				out[n++] = (char)('0' + b / 10 % 10);
			} else if (b >= 10) {
				out[n++] = (char)('0' + b / 10);
			}
			out[n++] = (char)('0' + b % 10);
			out[n++] = '.';
		}
		return n - 1;
	case RA_AF_INET6:
		return fmt_ip6(out, a->v6);
	case RA_AF_ETHER:
		for (int i = 0; i < 6; i++) {
			out[n++] = hx[a->mac[i] >> 4];
			out[n++] = hx[a->mac[i] & 15];
			if (i < 5)
				out[n++] = ':';
		}
		return n;
	default:
		return 0;
	}
}

size_t fmt_time(struct fmt_cache *c, uint64_t usec, char *out, size_t cap)
{
	int64_t sec = (int64_t)(usec / 1000000);
	uint32_t frac = (uint32_t)(usec % 1000000);
	size_t n = 0;
	int digits = c->o.usec_digits;

	if (c->o.epoch) {
		n = fmt_u64(out, (uint64_t)sec);
		if (digits > 0) {
			char f[8];
			out[n++] = '.';
			for (int i = 5; i >= 0; i--) {
				f[i] = (char)('0' + frac % 10);
				frac /= 10;
			}
			memcpy(out + n, f, (size_t)digits);
			n += (size_t)digits;
		}
		return n;
	}
	if (sec != c->last_sec) {
		struct tm tm;
		time_t t = (time_t)sec;
		if (c->o.utc ? !gmtime_r(&t, &tm) : !localtime_r(&t, &tm))
			return 0;
		c->last_len = strftime(c->last_text, sizeof(c->last_text), c->tfmt, &tm);
		c->last_sec = sec;
	}
	for (size_t i = 0; i < c->last_len && n + 8 < cap; i++) {
		if (c->last_text[i] != '\001') {
			out[n++] = c->last_text[i];
			continue;
		}
		char f[6];
		uint32_t x = frac;
		for (int k = 5; k >= 0; k--) {
			f[k] = (char)('0' + x % 10);
			x /= 10;
		}
		if (digits > 0) {
			memcpy(out + n, f, (size_t)digits);
			n += (size_t)digits;
		} else if (n && out[n - 1] == '.') {
			n--;	/* "%T.%f" with no digits: drop the point too */
		}
	}
	return n;
}

static const char *port_name(struct fmt_cache *c, unsigned proto, uint16_t port)
{
	char **slot = proto == 6 ? &c->tcp_names[port] : &c->udp_names[port];

	if (!*slot) {
		struct servent *se = getservbyport(htons(port), proto == 6 ? "tcp" : "udp");
		*slot = strdup(se ? se->s_name : "");
		if (!*slot)
			return "";
	}
	return *slot;
}

static size_t fmt_proto(struct fmt_cache *c, const struct ra_flow *f, char *out)
{
	const char *name = NULL;

	if (f->family == RA_AF_ARP)
		name = "arp";
	else if (f->family == RA_AF_ETHER)
		name = f->etype ? NULL : "llc";
	else if (c->o.numeric < 2 && f->proto == 17 && (f->flgs & (RA_FL_RTP | RA_FL_RTCP)))
		name = f->flgs & RA_FL_RTP ? "rtp" : "rtcp";	/* as Argus labels them */
	else if (c->o.numeric < 2) {
		if (!c->proto_names[f->proto]) {
			struct protoent *pe = getprotobynumber(f->proto);
			const char *pn = pe ? pe->p_name : "";
			if (f->proto == 58)
				pn = "ipv6-icmp";
			c->proto_names[f->proto] = strdup(pn);
		}
		name = c->proto_names[f->proto];
		if (name && f->proto == 58)
			name = "ipv6-icmp";
	}
	if (f->family == RA_AF_ETHER && f->etype)
		return fmt_u64(out, f->etype);
	if (name && *name) {
		size_t n = strlen(name);
		memcpy(out, name, n);
		return n;
	}
	return fmt_u64(out, f->proto);
}

static size_t fmt_port(struct fmt_cache *c, const struct ra_flow *f, uint16_t port, char *out)
{
	if (f->family == RA_AF_ARP)
		return 0;
	if (f->family == RA_AF_ETHER)
		return f->etype ? 0 : fmt_hex(out, port, 2);
	if (f->proto == 1 || f->proto == 58)
		return fmt_hex(out, port, 4);
	if (f->proto != 6 && f->proto != 17 && f->proto != 132)
		return 0;
	if (c->o.numeric < 1) {
		const char *name = port_name(c, f->proto, port);
		if (*name) {
			size_t n = strlen(name);
			memcpy(out, name, n);
			return n;
		}
	}
	return fmt_u64(out, port);
}

/* Argus's Flgs: 8 positions. */
static size_t fmt_flgs(const struct ra_flow *f, char *out)
{
	memset(out, ' ', 8);
	if (f->flgs & RA_FL_TUNNEL)
		out[0] = 'T';
	if (f->flgs & RA_FL_ETHER)
		out[1] = 'e';
	else if (f->flgs & RA_FL_PPP)
		out[1] = 'p';
	else if (f->flgs & RA_FL_SLL)
		out[1] = 's';
	if (f->flgs & RA_FL_MULTIMAC)
		out[2] = 'M';
	else if (f->flgs & RA_FL_MPLS)
		out[2] = 'm';
	else if (f->flgs & RA_FL_8021Q)
		out[2] = 'q';
	if (f->sretrans && f->dretrans)
		out[3] = '*';
	else if (f->sretrans)
		out[3] = 's';
	else if (f->dretrans)
		out[3] = 'd';
	if (f->sooo && f->dooo)
		out[4] = '&';
	else if (f->sooo)
		out[4] = 'i';
	else if (f->dooo)
		out[4] = 'r';
	if (f->swinshut || f->dwinshut)
		out[5] = '@';
	if (f->flgs & RA_FL_FRAG_OVER)
		out[6] = 'V';
	else if (f->flgs & RA_FL_FRAG_PART)
		out[6] = 'f';
	else if (f->flgs & RA_FL_FRAG)
		out[6] = 'F';
	if (f->flgs & RA_FL_ICMP_MAP)
		out[7] = 'I';
	else if (f->flgs & RA_FL_ECN)
		out[7] = 'E';
	else if (f->flgs & RA_FL_SAMPLED)
		out[7] = 'S';
	return 8;
}

static size_t fmt_user(const struct fmt_cache *c, const struct ra_flow *f, int dir, char *out, size_t cap)
{
	if (c->o.user_decode)
		return c->o.user_decode(c->o.user_ctx, f, dir, out, cap);
	if (dir == 0)
		return ud_format((enum ud_encode)c->o.user_encode, f->spayload, f->spaylen, 's', out, cap);
	return ud_format((enum ud_encode)c->o.user_encode, f->dpayload, f->dpaylen, 'd', out, cap);
}

size_t fld_format_user(const struct ra_field *fd, const struct ra_flow *f, struct fmt_cache *c, size_t max,
		       char *out, size_t cap)
{
	struct ra_flow cut = *f;	/* the payload seen through a window of max bytes */

	if (cut.spaylen > max)
		cut.spaylen = (uint16_t)max;
	if (cut.dpaylen > max)
		cut.dpaylen = (uint16_t)max;
	return fmt_user(c, &cut, fd->id == F_SUSER ? 0 : 1, out, cap);
}

static size_t fmt_ifindex(uint32_t v, char *out)
{
	uint32_t format = v >> 30, value = v & 0x3fffffff;
	size_t n = 0;

	if (format == 0 && value == 0x3fffffff)
		return (size_t)snprintf(out, 16, "self");
	if (format == 1) {
		memcpy(out, "drop:", 5);
		return 5 + fmt_u64(out + 5, value);
	}
	if (format == 2) {
		memcpy(out, "multi:", 6);
		return 6 + fmt_u64(out + 6, value);
	}
	n = fmt_u64(out, value);
	return n;
}

bool fld_json_number(const struct ra_field *fd)
{
	switch (fd->type) {
	case FT_DUR: case FT_MSEC: case FT_UINT: case FT_FLOAT: case FT_PORT:
		return true;
	default:
		return false;
	}
}

size_t fld_format(const struct ra_field *fd, const struct ra_flow *f, struct fmt_cache *c,
		  char *out, size_t cap)
{
	union ra_addr a;
	unsigned fam;

	switch (fd->type) {
	case FT_TIME:
		return fmt_time(c, fld_uint(fd->id, f), out, cap);
	case FT_DUR:
		if (fd->id == F_STDDEV)
			return fmt_double(out, fld_double(F_STDDEV, f), c->o.float_digits);
		return fmt_double(out, (double)fld_uint(fd->id, f) / 1e6, c->o.float_digits);
	case FT_MSEC: {
		uint64_t v = fld_uint(fd->id, f);
		if (!v)
			return 0;	/* Argus leaves jitter and intpkt blank when unknown */
		return fmt_double(out, (double)v / 1e3, c->o.float_digits);
	}
	case FT_UINT:
		return fmt_u64(out, fld_uint(fd->id, f));
	case FT_HEX:
		return fmt_hex(out, fld_uint(fd->id, f), 2);
	case FT_FLOAT:
		return fmt_double(out, fld_double(fd->id, f), c->o.float_digits);
	case FT_ADDR:
		fam = fld_addr(fd->id, f, &a);
		return fmt_addr(out, fam, &a);
	case FT_MAC:
		fam = fld_addr(fd->id, f, &a);
		if (!fam)
			return 0;
		if (fd->id == F_SOUI || fd->id == F_DOUI)
			return fmt_addr(out, RA_AF_ETHER, &a) - 9;
		return fmt_addr(out, RA_AF_ETHER, &a);
	case FT_PORT:
		return fmt_port(c, f, fd->id == F_SPORT ? f->sport : f->dport, out);
	case FT_PROTO:
		return fmt_proto(c, f, out);
	case FT_STATE: {
		const char *s = ra_state_name(f->state);
		size_t n = strlen(s);
		memcpy(out, s, n);
		return n;
	}
	case FT_DIR: {
		const char *s = ra_dir_symbol(f->dir);
		size_t n = strlen(s);
		memcpy(out, s, n);
		return n;
	}
	case FT_FLGS:
		return fmt_flgs(f, out);
	case FT_CAUSE: {
		const char *s = ra_cause_name(f->cause);
		size_t n = strlen(s);
		memcpy(out, s, n);
		return n;
	}
	case FT_USER:
		return fmt_user(c, f, fd->id == F_SUSER ? 0 : 1, out, cap);
	case FT_SERVICE: {
		char name[SVC_NAMELEN];
		size_t n;
		if (f->service) {
			n = strnlen(f->service, SVC_NAMELEN - 1);
			memcpy(out, f->service, n);
			return n;
		}
		n = svc_name(svc_builtin(), f, name);
		memcpy(out, name, n);
		return n;
	}
	case FT_IFINDEX:
		if (!RA_HAS(f, RA_BLK_ID))
			return 0;
		return fmt_ifindex((uint32_t)fld_uint(fd->id, f), out);
	}
	return 0;
}

unsigned parse_addr(const char *s, union ra_addr *out)
{
	struct in_addr a4;
	unsigned m[6];
	char tail;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &a4) == 1) {
		out->v4 = ntohl(a4.s_addr);
		return RA_AF_INET;
	}
	if (inet_pton(AF_INET6, s, out->v6) == 1)
		return RA_AF_INET6;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) == 6) {
		for (int i = 0; i < 6; i++) {
			if (m[i] > 255)
				return 0;
			out->mac[i] = (uint8_t)m[i];
		}
		return RA_AF_ETHER;
	}
	memset(out, 0, sizeof(*out));
	return 0;
}
