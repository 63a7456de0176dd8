/*
 * print-dns.c - DNS messages over UDP and TCP: header, every question,
 * answer and authority record (RFC 1035; AAAA RFC 3596, SRV RFC 2782,
 * OPT RFC 6891), compression pointers followed at most DNS_MAX_HOPS times.
 *
 *                                  1  1  1  1  1  1
 *    0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |                      ID                       |
 *  |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *  |          QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT   |
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  question: QNAME QTYPE(16) QCLASS(16)
 *  record:   NAME TYPE(16) CLASS(16) TTL(32) RDLENGTH(16) RDATA
 *  name:     labels <len 1..63><bytes>, ending in 0 or in a pointer 11xxxxxx xxxxxxxx
 *  TCP:      each message follows a 16-bit length (RFC 1035 4.2.2)
 *
 * Query:    "13784+ A? example.com."
 * Response: "13784*- q: A? example.com. 1/0/0 example.com. 3600 A 93.184.216.34"
 */
#include "config.h"

#include "radump.h"

#include <string.h>

#define DNS_MAX_HOPS 64		/* compression pointers followed for one name */
#define DNS_MAX_RR 256		/* records printed per section */

enum name_rc { NAME_OK, NAME_CUT, NAME_BAD };

struct dns {
	const struct cursor *msg;	/* the whole message: pointers are offsets in it */
	struct rd_out *o;
	const char *why;		/* reason of NAME_BAD / a bad record */
};

static const char *type_name(uint16_t t)
{
	switch (t) {
	case 1: return "A";
	case 2: return "NS";
	case 5: return "CNAME";
	case 6: return "SOA";
	case 12: return "PTR";
	case 13: return "HINFO";
	case 15: return "MX";
	case 16: return "TXT";
	case 28: return "AAAA";
	case 33: return "SRV";
	case 35: return "NAPTR";
	case 41: return "OPT";
	case 43: return "DS";
	case 46: return "RRSIG";
	case 47: return "NSEC";
	case 48: return "DNSKEY";
	case 50: return "NSEC3";
	case 64: return "SVCB";
	case 65: return "HTTPS";
	case 252: return "AXFR";
	case 255: return "ANY";
	case 257: return "CAA";
	}
	return NULL;
}

static void put_type(struct rd_out *o, uint16_t t)
{
	const char *n = type_name(t);
	if (n) {
		rd_puts(o, n);
	} else {
		rd_lit(o, "TYPE");
		rd_u(o, t);
	}
}

static void put_class(struct rd_out *o, uint16_t cls)
{
	cls &= 0x7fff;		/* mDNS: unicast-response / cache-flush bit */
	if (cls == 1)
		return;
	rd_putc(o, ' ');
	if (cls == 3)
		rd_lit(o, "CH");
	else if (cls == 4)
		rd_lit(o, "HS");
	else if (cls == 255)
		rd_lit(o, "ANY");
	else {
		rd_lit(o, "CLASS");
		rd_u(o, cls);
	}
}

/*
 * A name at c (which moves past it: past the first pointer when there is
 * one), printed when o is not NULL.  Each pointer jump counts toward
 * DNS_MAX_HOPS, so a pointer loop ends; a name over 255 bytes is bad.
 */
static enum name_rc dns_name(struct dns *d, struct cursor *c, struct rd_out *o)
{
	struct cursor at = *c;
	bool jumped = false, any = false;
	size_t total = 0;
	int hops = 0;

	for (;;) {
		uint8_t len, lo;
		if (!cur_u8(&at, &len))
			goto cut;
		if ((len & 0xc0) == 0xc0) {
			size_t ptr;
			if (!cur_u8(&at, &lo))
				goto cut;
			if (!jumped)
				*c = at;
			jumped = true;
			if (++hops > DNS_MAX_HOPS) {
				d->why = "compression pointer loop";
				return NAME_BAD;
			}
			ptr = (size_t)(len & 0x3f) << 8 | lo;
			if (ptr >= d->msg->len)
				return NAME_CUT;	/* points past the captured bytes */
			at = *d->msg;
			at.off = ptr;
			continue;
		}
		if (len & 0xc0) {
			d->why = "unknown label type";
			return NAME_BAD;
		}
		if (len == 0) {
			if (!any && o)
				rd_putc(o, '.');
			if (!jumped)
				*c = at;
			return NAME_OK;
		}
		total += (size_t)len + 1;
		if (total > 255) {
			d->why = "name longer than 255 bytes";
			return NAME_BAD;
		}
		if (!cur_has(&at, len)) {
			if (o)
				rd_text(o, cur_ptr(&at), cur_left(&at));
			cur_skip(&at, cur_left(&at));
			goto cut;
		}
		if (o) {
			rd_text(o, cur_ptr(&at), len);
			rd_putc(o, '.');
		}
		cur_skip(&at, len);
		any = true;
	}
cut:
	if (!jumped)
		*c = at;
	return NAME_CUT;
}

/* Character strings (TXT, HINFO): <len><bytes>..., printed space-separated. */
static bool strings(struct cursor *rd, struct rd_out *o)
{
	bool first = true;

	while (cur_left(rd) > 0) {
		uint8_t len;
		cur_u8(rd, &len);
		if (!first)
			rd_putc(o, ' ');
		first = false;
		if (!cur_has(rd, len)) {
			rd_text(o, cur_ptr(rd), cur_left(rd));
			return false;
		}
		rd_text(o, cur_ptr(rd), len);
		cur_skip(rd, len);
	}
	return true;
}

/* RDATA of one record; rd spans exactly RDLENGTH bytes (or fewer when cut).
 * Returns NAME_OK, NAME_CUT or NAME_BAD (d->why). */
static enum name_rc rdata(struct dns *d, uint16_t type, struct cursor *rd, bool cut)
{
	struct rd_out *o = d->o;
	uint8_t a[16];
	uint16_t v16, w16, p16;
	uint32_t v32;
	enum name_rc rc;

	switch (type) {
	case 1:
	case 28: {
		size_t n = type == 1 ? 4 : 16;
		if (!cur_bytes(rd, a, n))
			return cut ? NAME_CUT : (d->why = "address of the wrong length", NAME_BAD);
		if (n == 4)
			rd_ip4(o, a);
		else
			rd_ip6(o, a);
		return NAME_OK;
	}
	case 2: case 5: case 12:
		return dns_name(d, rd, o);
	case 15:
		if (!cur_be16(rd, &v16))
			return NAME_CUT;
		rd_u(o, v16);
		rd_putc(o, ' ');
		return dns_name(d, rd, o);
	case 33:
		if (!cur_be16(rd, &v16) || !cur_be16(rd, &w16) || !cur_be16(rd, &p16))
			return NAME_CUT;
		rd_u(o, v16);
		rd_putc(o, ' ');
		rd_u(o, w16);
		rd_putc(o, ' ');
		rd_u(o, p16);
		rd_putc(o, ' ');
		return dns_name(d, rd, o);
	case 6:
		if ((rc = dns_name(d, rd, o)) != NAME_OK)
			return rc;
		rd_putc(o, ' ');
		if ((rc = dns_name(d, rd, o)) != NAME_OK)
			return rc;
		for (int i = 0; i < 5; i++) {
			if (!cur_be32(rd, &v32))
				return NAME_CUT;
			rd_putc(o, ' ');
			rd_u(o, v32);
		}
		return NAME_OK;
	case 13: case 16:
		return strings(rd, o) && !cut ? NAME_OK : NAME_CUT;
	default:
		rd_putc(o, '[');
		rd_u(o, cur_left(rd));
		rd_puts(o, cut ? "+ bytes]" : " bytes]");
		cur_skip(rd, cur_left(rd));
		return cut ? NAME_CUT : NAME_OK;
	}
}

/* "TYPE? " put in before the name written from name_at on (a question's
 * type follows its name on the wire): escaped in a scratch writer, then the
 * name moves up.  When the buffer is full the name stays as it is. */
static void type_before(struct rd_out *o, size_t name_at, uint16_t type)
{
	char t[4 * 64 + 40];	/* room for rd_text's inline path */
	struct rd_out tmp = { t, 0, sizeof(t), o->esc, false };
	size_t nl = o->len - name_at;

	put_type(&tmp, type);
	rd_lit(&tmp, "? ");
	if (o->full || tmp.full || o->len + tmp.len + 36 > o->cap)
		return;
	memmove(o->p + name_at + tmp.len, o->p + name_at, nl);
	memcpy(o->p + name_at, t, tmp.len);
	o->len += tmp.len;
}

/* One question ("A? name") or record ("name ttl A data"), after lead when
 * print is set; OPT records print nothing and count in *opt. */
static enum name_rc record(struct dns *d, struct cursor *c, bool question, bool print,
			   const char *lead, int *opt)
{
	uint16_t type, cls, rdlen;
	uint32_t ttl;
	size_t mark = d->o->len, name_at;
	bool cut = false;
	enum name_rc rc;

	/* the name prints as it is read; a question's type then moves in before it */
	if (print)
		rd_puts(d->o, lead);
	name_at = d->o->len;
	rc = dns_name(d, c, print ? d->o : NULL);
	if (rc == NAME_BAD) {
		if (print && d->o->len == name_at)
			d->o->len = mark;	/* no lead before the reason alone */
		return rc;
	}
	if (rc == NAME_CUT || !cur_be16(c, &type) || !cur_be16(c, &cls))
		return NAME_CUT;	/* the name as far as it goes */
	if (!question && type == 41) {
		(*opt)++;
		if (print)
			d->o->len = mark;	/* an OPT record prints nothing */
		print = false;
	}
	if (question) {
		if (print)
			type_before(d->o, name_at, type);
		if (print)
			put_class(d->o, cls);
		return NAME_OK;
	}
	if (!cur_be32(c, &ttl) || !cur_be16(c, &rdlen))
		return NAME_CUT;
	{
		/* RDATA is read in place so its names may point back into the message */
		struct cursor rd = *c;
		size_t end = c->off + rdlen;
		if (end > c->len) {
			cut = true;
			end = c->len;
		}
		rd.len = end;
		c->off = end;
		if (!print)
			return cut ? NAME_CUT : NAME_OK;
		rd_putc(d->o, ' ');
		rd_u(d->o, ttl);
		put_class(d->o, cls);
		rd_putc(d->o, ' ');
		put_type(d->o, type);
		rd_putc(d->o, ' ');
		rc = rdata(d, type, &rd, cut);
		if (rc == NAME_OK && cur_left(&rd) > 0) {
			d->why = "data longer than the record's type holds";
			return NAME_BAD;
		}
		return rc;
	}
}

static const char *rcode_name(unsigned rc)
{
	static const char *const n[] = { NULL, "FormErr", "ServFail", "NXDomain", "NotImp", "Refused",
					 "YXDomain", "YXRRSet", "NXRRSet", "NotAuth", "NotZone" };
	return rc < sizeof(n) / sizeof(*n) ? n[rc] : "RCode";
}

static const char *opcode_name(unsigned op)
{
	switch (op) {
	case 1: return "IQuery";
	case 2: return "Status";
	case 4: return "Notify";
	case 5: return "Update";
	}
	return "Op";
}

/* A section of n records; false when printing stopped (cut or bad). */
static bool section(struct dns *d, struct cursor *c, unsigned n, bool question, const char *lead,
		    int *opt)
{
	unsigned shown = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t before = d->o->len;
		enum name_rc rc = record(d, c, question, i < DNS_MAX_RR, shown ? ", " : lead, opt);
		if (d->o->len != before)
			shown++;
		if (rc == NAME_CUT) {
			rd_trunc(d->o, "dns");
			return false;
		}
		if (rc == NAME_BAD) {
			rd_bad(d->o, "dns", d->why);
			return false;
		}
	}
	return true;
}

/* One message in msg; returns false when it ended early. */
static bool message(struct cursor *msg, struct rd_out *o)
{
	struct dns d = { msg, o, NULL };
	struct cursor c = *msg;
	uint16_t id, flags, qd, an, ns, ar;
	int opt = 0;

	c.off = 0;
	if (!cur_be16(&c, &id) || !cur_be16(&c, &flags)) {
		rd_lit(o, "dns");
		rd_trunc(o, "dns");
		return false;
	}
	rd_u(o, id);
	if (flags & 0x8000) {
		if (flags & 0x000f) {
			rd_putc(o, ' ');
			rd_puts(o, rcode_name(flags & 0x000f));
			if ((flags & 0x000f) > 10)
				rd_u(o, flags & 0x000f);
		}
		if (flags & 0x0400) rd_putc(o, '*');
		if (!(flags & 0x0080)) rd_putc(o, '-');
		if (flags & 0x0200) rd_putc(o, '|');
		if (flags & 0x0020) rd_putc(o, '$');
	} else {
		if (flags & 0x0100) rd_putc(o, '+');
		if (flags & 0x0200) rd_putc(o, '|');
	}
	if ((flags >> 11) & 15) {
		unsigned op = (flags >> 11) & 15;
		rd_putc(o, ' ');
		rd_puts(o, opcode_name(op));
		if (op == 3 || op > 5)
			rd_u(o, op);
	}
	if (!cur_be16(&c, &qd) || !cur_be16(&c, &an) || !cur_be16(&c, &ns) || !cur_be16(&c, &ar)) {
		rd_trunc(o, "dns");
		return false;
	}
	if (!section(&d, &c, qd, true, (flags & 0x8000) ? " q: " : " ", &opt))
		return false;
	if (flags & 0x8000) {
		rd_putc(o, ' ');
		rd_u(o, an);
		rd_putc(o, '/');
		rd_u(o, ns);
		rd_putc(o, '/');
		rd_u(o, ar);
	}
	if (!section(&d, &c, an, false, " ", &opt) || !section(&d, &c, ns, false, " ns: ", &opt) ||
	    !section(&d, &c, ar, false, " ar: ", &opt))
		return false;
	if (opt)
		rd_lit(o, " [EDNS]");
	return true;
}

void rd_print_dns(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	if (x->proto != 6) {
		message(c, o);
		return;
	}
	/* TCP: <length><message>, as many as were captured */
	for (int i = 0; cur_left(c) > 0; i++) {
		uint16_t len;
		bool cut = false;
		struct cursor m;
		if (i)
			rd_lit(o, "; ");
		if (!cur_be16(c, &len)) {
			rd_trunc(o, "dns");
			return;
		}
		m = rd_take(c, len, &cut);
		if (!message(&m, o))
			return;
		if (cut) {
			rd_trunc(o, "dns");
			return;
		}
	}
}
