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
#include "fmtnum.h"
#include "service.h"
#include "userdata.h"

#include <arpa/inet.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One second of record time as strftime wrote it, \001 where %f goes. */
struct fmt_tslot {
	int64_t sec;
	size_t len;
	int mark;			/* the one \001's place; -1 none, -2 several */
	char text[128];
};
#define FMT_TSLOTS 4			/* by second modulo 4: stime and ltime columns */

struct fmt_cache {
	struct fmt_opts o;
	char tfmt[128];			/* time_format with %f replaced by \001 */
	struct fmt_tslot ts[FMT_TSLOTS];
	/* Port and protocol names, read once from the services and protocols
	 * databases (the first entry of a number, as getservbyport and
	 * getprotobynumber answer): offsets into names, 0 for none; each name
	 * is two length bytes and its text. */
	uint32_t tcp_name[65536];
	uint32_t udp_name[65536];
	uint32_t proto_name[256];
	char *names;
	size_t names_len, names_cap;
	size_t name_max;		/* the longest name */
	/* state names and Dir symbols, 8 bytes each, copied whole */
	char state_txt[RA_ST_COUNT][8];
	uint8_t state_len[RA_ST_COUNT];
	char dir_txt[RA_DIR_COUNT][8];
	uint8_t dir_len[RA_DIR_COUNT];
};

void fmt_opts_default(struct fmt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->time_format = "%Y-%m-%d %T.%f";
	o->usec_digits = 6;
	o->float_digits = 6;
}

/* Keep a name; its offset, 0 when memory runs out (then the number prints). */
static uint32_t keep_name(struct fmt_cache *c, const char *name)
{
	size_t n = strlen(name);
	uint32_t at;

	if (!n || n > 0xffff || c->names_len + n + 2 > UINT32_MAX)
		return 0;
	if (c->names_len + n + 2 + 16 > c->names_cap) {	/* 16 spare: names copied 16 bytes at a time */
		size_t cap = c->names_cap ? 2 * c->names_cap : 8192;
		char *big;
		while (cap < c->names_len + n + 2 + 16)
			cap *= 2;
		big = realloc(c->names, cap);
		if (!big)
			return 0;
		memset(big + c->names_cap, 0, cap - c->names_cap);
		c->names = big;
		c->names_cap = cap;
	}
	at = (uint32_t)c->names_len;
	c->names[at] = (char)(n >> 8);
	c->names[at + 1] = (char)(n & 0xff);
	memcpy(c->names + at + 2, name, n);
	c->names_len += n + 2;
	if (n > c->name_max)
		c->name_max = n;
	return at;
}

/* A kept name: its text and length. */
static const char *name_at(const struct fmt_cache *c, uint32_t at, size_t *n)
{
	*n = (size_t)(unsigned char)c->names[at] << 8 | (unsigned char)c->names[at + 1];
	return c->names + at + 2;
}

/* A short name into out, which has room for 16 bytes: one fixed copy
 * (the pool keeps 16 bytes after its last name). */
static inline size_t put_name(char *out, const char *name, size_t n)
{
	if (n <= 16)
		memcpy(out, name, 16);
	else
		memcpy(out, name, n);
	return n;
}

static void load_names(struct fmt_cache *c)
{
	struct servent *se;
	struct protoent *pe;

	c->names_len = 1;	/* offset 0 means no name */
	c->name_max = 9;	/* "ipv6-icmp" */
	if (c->o.numeric < 1) {
		setservent(0);
		while ((se = getservent())) {
			uint16_t port = ntohs((uint16_t)se->s_port);
			uint32_t *slot = NULL;
			if (!strcmp(se->s_proto, "tcp"))
				slot = &c->tcp_name[port];
			else if (!strcmp(se->s_proto, "udp"))
				slot = &c->udp_name[port];
			if (slot && !*slot)
				*slot = keep_name(c, se->s_name);
		}
		endservent();
	}
	if (c->o.numeric < 2) {
		setprotoent(0);
		while ((pe = getprotoent()))
			if (pe->p_proto >= 0 && pe->p_proto < 256 && !c->proto_name[pe->p_proto])
				c->proto_name[pe->p_proto] = keep_name(c, pe->p_name);
		endprotoent();
		c->proto_name[58] = keep_name(c, "ipv6-icmp");
	}
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
	for (int i = 0; i < FMT_TSLOTS; i++)
		c->ts[i].sec = INT64_MIN;
	for (unsigned i = 0; i < RA_ST_COUNT; i++) {
		size_t n = strnlen(ra_state_name(i), 8);
		memcpy(c->state_txt[i], ra_state_name(i), n);
		c->state_len[i] = (uint8_t)n;
	}
	for (unsigned i = 0; i < RA_DIR_COUNT; i++) {
		size_t n = strnlen(ra_dir_symbol(i), 8);
		memcpy(c->dir_txt[i], ra_dir_symbol(i), n);
		c->dir_len[i] = (uint8_t)n;
	}
	load_names(c);
	return c;
}

void fmt_cache_free(struct fmt_cache *c)
{
	if (!c)
		return;
	free(c->names);
	free(c);
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
	/* past what 64 bits hold once scaled (a load of 10^14 with 6 digits):
	 * the C library's conversion, as for the huge and the not finite */
	if (!isfinite(v) || fabs(v) >= 1e15 || fabs(v) * pow10[digits] >= 1.8e19) {
		int w = snprintf(out, 48, "%.*f", digits, v);
		return w < 0 ? 0 : w > 47 ? 47 : (size_t)w;	/* what fits (FMT_FLOAT_MAX) */
	}
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
		return fmt_ipv4(out, a->v4);
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

/* A second's text, with the place of %f when it appears once. */
static const struct fmt_tslot *time_slot(struct fmt_cache *c, int64_t sec)
{
	struct fmt_tslot *t = &c->ts[(uint64_t)sec % FMT_TSLOTS];

	if (t->sec != sec) {
		struct tm tm;
		time_t tt = (time_t)sec;
		if (c->o.utc ? !gmtime_r(&tt, &tm) : !localtime_r(&tt, &tm))
			return NULL;
		t->len = strftime(t->text, sizeof(t->text), c->tfmt, &tm);
		t->mark = -1;
		for (size_t i = 0; i < t->len; i++)
			if (t->text[i] == '\001')
				t->mark = t->mark == -1 ? (int)i : -2;
		t->sec = sec;
	}
	return t;
}

size_t fmt_time(struct fmt_cache *c, uint64_t usec, char *out, size_t cap)
{
	int64_t sec = (int64_t)(usec / 1000000);
	uint32_t frac = (uint32_t)(usec % 1000000);
	size_t n = 0;
	int digits = c->o.usec_digits;
	const struct fmt_tslot *t;
	char f[8];

	if (c->o.epoch) {
		n = fmt_u64(out, (uint64_t)sec);
		if (digits > 0) {
			out[n++] = '.';
			fmt_frac6(f, frac);
			memcpy(out + n, f, (size_t)digits);
			n += (size_t)digits;
		}
		return n;
	}
	t = time_slot(c, sec);
	if (!t)
		return 0;
	if (t->mark != -2 && t->len + 16 < cap) {	/* the usual case: no room check per byte */
		if (t->mark < 0) {
			memcpy(out, t->text, t->len);
			return t->len;
		}
		n = (size_t)t->mark;
		if (n <= 32 && cap >= 48)
			memcpy(out, t->text, 32);	/* one fixed copy: text[] has 128 bytes */
		else
			memcpy(out, t->text, n);
		if (digits > 0) {
			fmt_frac6(f, frac);
			memcpy(out + n, f, (size_t)digits);
			n += (size_t)digits;
		} else if (n && out[n - 1] == '.') {
			n--;	/* "%T.%f" with no digits: drop the point too */
		}
		if (t->len > (size_t)t->mark + 1)
			memcpy(out + n, t->text + t->mark + 1, t->len - (size_t)t->mark - 1);
		return n + t->len - (size_t)t->mark - 1;
	}
	fmt_frac6(f, frac);
	for (size_t i = 0; i < t->len && n + 8 < cap; i++) {
		if (t->text[i] != '\001') {
			out[n++] = t->text[i];
			continue;
		}
		if (digits > 0) {
			memcpy(out + n, f, (size_t)digits);
			n += (size_t)digits;
		} else if (n && out[n - 1] == '.') {
			n--;
		}
	}
	return n;
}

static size_t fmt_proto(const struct fmt_cache *c, const struct ra_flow *f, char *out, size_t cap)
{
	const char *name = NULL;
	size_t n = 0;

	if (f->family == RA_AF_ARP) {
		name = "arp", n = 3;
	} else if (f->family == RA_AF_ETHER) {
		if (f->etype)
			return fmt_u64(out, f->etype);
		name = "llc", n = 3;
	} else if (c->o.numeric < 2 && f->proto == 17 && (f->flgs & (RA_FL_RTP | RA_FL_RTCP))) {
		if (f->flgs & RA_FL_RTP)	/* as Argus labels them */
			name = "rtp", n = 3;
		else
			name = "rtcp", n = 4;
	} else if (c->o.numeric < 2 && c->proto_name[f->proto]) {
		name = name_at(c, c->proto_name[f->proto], &n);
		return cap >= 16 ? put_name(out, name, n) : (memcpy(out, name, n), n);
	}
	if (n) {
		memcpy(out, name, n);
		return n;
	}
	return fmt_u64(out, f->proto);
}

static size_t fmt_port(const struct fmt_cache *c, const struct ra_flow *f, uint16_t port, char *out, size_t cap)
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
		uint32_t at = f->proto == 6 ? c->tcp_name[port] : c->udp_name[port];
		if (at) {	/* SCTP ports take UDP's names */
			size_t n;
			const char *name = name_at(c, at, &n);
			return cap >= 16 ? put_name(out, name, n) : (memcpy(out, name, n), n);
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

static void mark_chars(bool set[256], const char *s)
{
	for (; *s; s++)
		set[(unsigned char)*s] = true;
}

/* The characters strftime can write for the cache's time format, when it
 * holds only numeric conversions (plus %f, done by fmt_time). */
static bool time_chars(const struct fmt_cache *c, bool set[256])
{
	for (const char *p = c->tfmt; *p; p++) {
		if (*p == '\001') {
			mark_chars(set, "0123456789.");	/* no digits: the point goes */
			continue;
		}
		if (*p != '%') {
			set[(unsigned char)*p] = true;
			continue;
		}
		switch (*++p) {
		case '%': set['%'] = true; break;
		case 'Y': case 'm': case 'd': case 'H': case 'M': case 'S': case 'j': case 'y':
		case 'C': case 'u': case 'w': case 'G': case 'g': case 'V': case 'U': case 'W': case 's':
			mark_chars(set, "0123456789-");	/* a negative year, before 1970 */
			break;
		case 'e': case 'k': case 'l': mark_chars(set, "0123456789 "); break;
		case 'T': case 'R': mark_chars(set, "0123456789:"); break;
		case 'F': mark_chars(set, "0123456789-+"); break;
		case 'D': mark_chars(set, "0123456789/"); break;
		case 'z': mark_chars(set, "0123456789+-"); break;
		case 'n': set['\n'] = true; break;
		case 't': set['\t'] = true; break;
		default: return false;	/* names, locale forms, flags and widths */
		}
	}
	return true;
}

/* The characters of every kept name (ports, protocols). */
static void name_chars(const struct fmt_cache *c, bool set[256])
{
	for (size_t at = 1; at < c->names_len;) {
		size_t n;
		const char *name = name_at(c, (uint32_t)at, &n);
		for (size_t i = 0; i < n; i++)
			set[(unsigned char)name[i]] = true;
		at += n + 2;
	}
}

bool fld_format_chars(const struct ra_field *fd, const struct fmt_cache *c, bool set[256])
{
	memset(set, 0, 256 * sizeof(bool));
	switch (fd->type) {
	case FT_TIME:
		if (c->o.epoch) {
			mark_chars(set, "0123456789.");
			return true;
		}
		return time_chars(c, set);
	case FT_DUR: case FT_MSEC: case FT_FLOAT:
		mark_chars(set, "0123456789.-infa");	/* and inf, nan */
		return true;
	case FT_UINT:
		mark_chars(set, "0123456789");
		return true;
	case FT_HEX:
		mark_chars(set, "0123456789abcdefx");
		return true;
	case FT_ADDR:
		mark_chars(set, "0123456789abcdef.:/");	/* and the /len of a prefix */
		return true;
	case FT_MAC:
		mark_chars(set, "0123456789abcdef:");
		return true;
	case FT_IFINDEX:
		mark_chars(set, "0123456789selfdropmulti:");
		return true;
	case FT_PORT: case FT_PROTO:
		mark_chars(set, "0123456789abcdefx" "arpllcrtcp");
		name_chars(c, set);
		return true;
	case FT_FLGS:
		mark_chars(set, " TepsMmq*sd&ir@VfFIES");
		return true;
	case FT_STATE:
		for (unsigned i = 0; i < 256; i++)
			mark_chars(set, ra_state_name(i));
		return true;
	case FT_DIR:
		for (unsigned i = 0; i < 256; i++)
			mark_chars(set, ra_dir_symbol(i));
		return true;
	case FT_CAUSE:
		for (unsigned i = 0; i < 4; i++)
			mark_chars(set, ra_cause_name(i));
		return true;
	default:
		return false;
	}
}

size_t fld_format_max(const struct ra_field *fd, const struct fmt_cache *c)
{
	switch (fd->type) {
	case FT_TIME:
		return c->o.epoch ? 28 : 128 * 6;	/* each \001 of a 127-byte text: 6 digits */
	case FT_DUR: case FT_MSEC: case FT_FLOAT:
		return 48;
	case FT_UINT: case FT_HEX: case FT_IFINDEX:
		return 24;
	case FT_ADDR:
		return 48;
	case FT_MAC:
		return 20;
	case FT_PORT: case FT_PROTO:
		return c->name_max > 24 ? c->name_max : 24;
	case FT_STATE: case FT_DIR: case FT_FLGS: case FT_CAUSE:
		return 16;
	case FT_SERVICE:
		return SVC_NAMELEN;
	default:
		return 4 * RA_PAYLOAD_MAX + 16;
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
		return fmt_port(c, f, fd->id == F_SPORT ? f->sport : f->dport, out, cap);
	case FT_PROTO:
		return fmt_proto(c, f, out, cap);
	case FT_STATE:
		if (f->state < RA_ST_COUNT && cap >= 8) {
			memcpy(out, c->state_txt[f->state], 8);
			return c->state_len[f->state];
		} else {
			const char *s = ra_state_name(f->state);
			size_t n = strlen(s);
			memcpy(out, s, n);
			return n;
		}
	case FT_DIR:
		if (f->dir < RA_DIR_COUNT && cap >= 8) {
			memcpy(out, c->dir_txt[f->dir], 8);
			return c->dir_len[f->dir];
		} else {
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
