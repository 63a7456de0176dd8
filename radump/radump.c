/*
 * radump.c - ra whose suser and duser columns are decoded by a protocol
 * printer (DNS, HTTP, TLS, SSH, SMTP/FTP/POP3/IMAP, NTP, DHCP, SIP)
 * rather than shown as bytes.
 *
 *   radump -r day.argus -s stime saddr daddr suser:1024 duser:1024 - port domain
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "radump.h"
#include "userdata.h"

static const char *const default_fields[] = {
	"stime", "proto", "saddr", "sport", "dir", "daddr", "dport", "suser", "duser",
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: radump [options] [-r file ...] [- filter]\n"
		"Print flow records with their captured payload decoded by protocol\n"
		"(dns http tls ssh smtp ftp pop3 imap ntp dhcp sip).\n%s"
		"  -M printer=enc  payload no printer decodes: ascii obfuscate hex encode32 encode64\n"
		"Fields for -s: those of ra -h; suser and duser are decoded.\n", ra_common_usage);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "radump: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

struct dump {
	char delim;			/* the field delimiter, 0 for none */
	struct rd_style style;		/* what decoded text escapes */
	int encode;			/* enum ud_encode: for payload no printer takes */
	uint8_t clear[RA_PAYLOAD_MAX];	/* the payload with passwords blanked (Obfuscate) */
	char text[4 * RA_PAYLOAD_MAX + 64];	/* an encoding's text before escaping */
};

/* fmt_opts.user_decode: one direction of one flow as "s[N]=text". */
static size_t decode(void *ctx, const struct ra_flow *f, int dir, char *out, size_t cap)
{
	struct dump *d = ctx;
	const uint8_t *p = dir ? f->dpayload : f->spayload;
	size_t n = dir ? f->dpaylen : f->spaylen, k = 0;
	struct rd_flow x = { f->proto, (uint8_t)dir, f->sport, f->dport, 0 };
	enum rd_proto proto = RD_NONE;
	char tmp[24];
	int t = 0;

	if (!p || !n || cap < 64)
		return 0;
	if (f->proto == 6 || f->proto == 17)
		proto = rd_choose(&x, f->spayload, f->spaylen, f->dpayload, f->dpaylen);
	if (proto == RD_NONE) {
		/* no printer: the user data encoding, escaped like decoded text */
		size_t len = ud_format((enum ud_encode)d->encode, p, n, dir ? 'd' : 's', d->text, sizeof(d->text));
		if (!d->delim)
			return len <= cap ? (memcpy(out, d->text, len), len) : 0;
		return rd_escape(d->text, len, &d->style, out, cap);
	}
	if (d->encode == UD_OBFUSCATE && n <= sizeof(d->clear)) {
		ud_obfuscate(p, n, d->clear);
		p = d->clear;
	}
	out[k++] = dir ? 'd' : 's';
	out[k++] = '[';
	{
		size_t v = n;
		do
			tmp[t++] = (char)('0' + v % 10);
		while ((v /= 10) > 0);
	}
	while (t > 0)
		out[k++] = tmp[--t];
	out[k++] = ']';
	out[k++] = '=';
	return k + rd_print(proto, &x, p, n, &d->style, out + k, cap - k);
}

struct run {
	struct client c;
	uint64_t passed, printed;
};

/* One framed record; returns 0 to go on, 1 to stop (count reached), -1 on error. */
static int one(struct run *r, const uint8_t *rec, size_t len, struct ra_flow *f, int *status)
{
	struct ra_err err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);

	ra_err_clear(&err);
	if (type != RA_REC_FLOW)
		return 0;
	if (!ra_decode_flow(rec, len, f, &err)) {
		ra_err_where(&err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
		report(&err);
		ra_reader_abandon(r->c.rd);
		*status = 1;
		return 0;
	}
	if (!ra_time_range_match(&r->c.o.trange, f->stime, f->ltime))
		return 0;
	if (r->c.o.filter[0] && !flt_match(r->c.flt, f))
		return 0;
	if (r->passed++ < r->c.o.first_record)
		return 0;
	if (r->c.o.max_records && r->printed >= r->c.o.max_records)
		return 1;
	r->printed++;
	if (r->c.w) {
		if (!ra_writer_put(r->c.w, rec, len, &err)) {
			report(&err);
			return -1;
		}
	} else if (r->c.pr && !printer_flow(r->c.pr, f, &err)) {
		report(&err);
		return -1;
	}
	return 0;
}

static int run_inputs(struct run *r)
{
	struct ra_flow flow;
	int status = 0;

	ra_flow_init(&flow);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		struct ra_err err;
		enum ra_read_result rr;
		int rc;

		ra_err_clear(&err);
		rr = ra_reader_next(r->c.rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report(&err);
			status = 1;
			continue;
		}
		rc = one(r, rec, len, &flow, &status);
		if (rc < 0)
			return 1;
		if (rc > 0)
			break;
	}
	return status;
}

int main(int argc, char **argv)
{
	static struct dump dump;
	struct run r;
	struct ra_err err;
	int rc, status;
	char buf[1200];

	memset(&r, 0, sizeof(r));
	ra_err_clear(&err);
	rc = ra_opts_parse(&r.c.o, "radump", "", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&r.c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	dump.delim = r.c.o.pr.mode == OUT_CSV ? r.c.o.pr.delim : 0;
	rd_style_init(&dump.style, dump.delim);
	dump.encode = r.c.o.pr.fmt.user_encode;
	r.c.o.pr.fmt.user_decode = decode;
	r.c.o.pr.fmt.user_ctx = &dump;
	status = client_open(&r.c, "radump", default_fields,
			     (int)(sizeof(default_fields) / sizeof(*default_fields)), true, &err);
	if (status != 0) {
		fprintf(stderr, "radump: %s\n", client_error_text(&r.c, &err, buf, sizeof(buf)));
		client_close(&r.c, status, &err);
		return status;
	}
	status = run_inputs(&r);
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		report(&err);
	return rc;
}
