/*
 * radump.c - ra whose suser and duser columns are decoded by a protocol
 * printer (DNS, HTTP, TLS, SSH, SMTP/FTP/POP3/IMAP, NTP, DHCP, SIP)
 * rather than shown as bytes.
 *
 *   radump -r day.argus -s stime saddr daddr suser:1024 duser:1024 - port domain
 */
#include "config.h"

#include <signal.h>
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

static void loop_report(void *ctx, const struct ra_err *e) { (void)ctx; report(e); }

/* For each selected flow: printed (decode() turns its user data into
 * text) or written by -w; records of other types are left out. */
static int run_inputs(struct client *c)
{
	struct client_loop loop = { .report = loop_report };

	return client_each_flow(c, &loop);
}

/* Live streams (-S): notices to stderr, and SIGINT/SIGTERM end the input cleanly. */
static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }
static void notice(void *arg, const char *msg) { (void)arg; fprintf(stderr, "radump: %s\n", msg); }

int main(int argc, char **argv)
{
	static struct dump dump;
	struct client c;
	struct ra_err err;
	int rc, status;
	char buf[1200];

	memset(&c, 0, sizeof(c));
	ra_err_clear(&err);
	rc = ra_opts_parse(&c.o, "radump", "", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	dump.delim = c.o.pr.mode == OUT_CSV ? c.o.pr.delim : 0;
	rd_style_init(&dump.style, dump.delim);
	dump.encode = c.o.pr.fmt.user_encode;
	c.o.pr.fmt.user_decode = decode;
	c.o.pr.fmt.user_ctx = &dump;
	c.notice = notice;
	c.on_signal = on_stop;
	c.stop = &stop;
	status = client_open(&c, "radump", default_fields,
			     (int)(sizeof(default_fields) / sizeof(*default_fields)), true, &err);
	if (status != 0) {
		fprintf(stderr, "radump: %s\n", client_error_text(&c, &err, buf, sizeof(buf)));
		client_close(&c, status, &err);
		return status;
	}
	status = run_inputs(&c);
	rc = client_close(&c, status, &err);
	if (rc && !status)
		report(&err);
	return rc;
}
