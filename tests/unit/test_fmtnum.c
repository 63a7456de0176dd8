/*
 * test_fmtnum.c - the printer's fast formatting against the slow answers:
 * integers and IPv4 addresses against snprintf and inet_ntop, times by the
 * second's cache against strftime, port and protocol names read once
 * against getservbyport and getprotobynumber, the character sets that let
 * the printer skip CSV quoting and JSON escaping, and lines that do need
 * them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "field.h"
#include "fmtnum.h"
#include "printer.h"
#include "../tests/unit/tap.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void integers(void)
{
	char got[32], want[32];
	int bad = 0, tried = 0;
	uint64_t edge[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 65535, 4294967295u,
			    9999999999999999999u, 10000000000000000000u, UINT64_MAX };

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]) + 200000; i++) {
		uint64_t v = i < sizeof(edge) / sizeof(edge[0]) ? edge[i] : next() >> (next() % 64);
		size_t n = fmt_u64(got, v);
		got[n] = '\0';
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		bad += strcmp(got, want) != 0 || fmt_ndigits(v) != n;
		tried++;
	}
	ok(tried > 200000 && bad == 0, "fmt_u64 writes what %llu writes, edges and random values");
	for (uint32_t f = 0; f < 1000000; f += 7) {
		fmt_frac6(got, f);
		got[6] = '\0';
		snprintf(want, sizeof(want), "%06u", f);
		bad += strcmp(got, want) != 0;
	}
	ok(bad == 0, "fmt_frac6 writes six digits, zero-filled");
}

static void ipv4(void)
{
	char got[32], want[INET_ADDRSTRLEN];
	int bad = 0;

	for (int i = 0; i < 100000; i++) {
		uint32_t v = i < 256 ? (uint32_t)i * 0x01010101u : (uint32_t)next();
		struct in_addr a = { htonl(v) };
		size_t n = fmt_ipv4(got, v);
		got[n] = '\0';
		inet_ntop(AF_INET, &a, want, sizeof(want));
		bad += strcmp(got, want) != 0;
	}
	ok(bad == 0, "fmt_ipv4 writes what inet_ntop writes");
}

/* Times through the cache, seconds that share a slot taking turns. */
static void times(void)
{
	static const char *const formats[] = { "%Y-%m-%d %T.%f", "%T", "%T.%f", "%f %f|%%f", "%s.%f" };
	char got[256], want[256], tf[64];
	int bad = 0, tried = 0;

	for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
		for (int digits = 0; digits <= 6; digits += 3) {
			struct fmt_opts o;
			struct fmt_cache *c;
			fmt_opts_default(&o);
			o.time_format = formats[k];
			o.usec_digits = digits;
			o.utc = true;
			c = fmt_cache_new(&o);
			for (int i = 0; i < 400; i++) {
				uint64_t sec = 1704067200u + (uint64_t)(i % 3) * 4 + (uint64_t)(i / 50);
				uint32_t us = (uint32_t)(next() % 1000000);
				time_t t = (time_t)sec;
				struct tm tm;
				size_t n = fmt_time(c, sec * 1000000 + us, got, sizeof(got)), w = 0;
				char frac[8];
				got[n] = '\0';
				/* the slow answer: strftime with each %f spelled out */
				snprintf(frac, sizeof(frac), "%06u", us);
				frac[digits] = '\0';
				for (const char *p = formats[k]; *p; p++) {
					if (p[0] == '%' && p[1] == 'f') {
						if (digits == 0 && w && tf[w - 1] == '.')
							w--;
						memcpy(tf + w, frac, strlen(frac));
						w += strlen(frac);
						p++;
					} else if (p[0] == '%' && p[1] == '%') {
						tf[w++] = '%';
						tf[w++] = '%';
						p++;
					} else {
						tf[w++] = *p;
					}
				}
				tf[w] = '\0';
				gmtime_r(&t, &tm);
				strftime(want, sizeof(want), tf, &tm);
				bad += strcmp(got, want) != 0;
				tried++;
			}
			fmt_cache_free(c);
		}
	}
	ok(tried == 6000 && bad == 0, "times from the second's cache are strftime's, fraction patched");
}

static void names(void)
{
	static char buf[4 * RA_PAYLOAD_MAX + 64];
	struct fmt_opts o;
	struct fmt_cache *c;
	struct ra_flow f;
	int bad = 0, named = 0;

	fmt_opts_default(&o);
	c = fmt_cache_new(&o);
	ra_flow_init(&f);
	f.family = RA_AF_INET;
	for (unsigned proto = 6; proto <= 17; proto += 11) {
		f.proto = (uint8_t)proto;
		for (unsigned port = 0; port < 4096; port++) {
			struct servent *se = getservbyport(htons((uint16_t)port), proto == 6 ? "tcp" : "udp");
			char want[64];
			size_t n;
			f.sport = (uint16_t)port;
			n = fld_format(&ra_fields[F_SPORT], &f, c, buf, sizeof(buf));
			buf[n] = '\0';
			snprintf(want, sizeof(want), "%s", se ? se->s_name : "");
			if (!se)
				snprintf(want, sizeof(want), "%u", port);
			named += se != NULL;
			bad += strcmp(buf, want) != 0;
		}
	}
	ok(named > 20 && bad == 0, "port names read once are getservbyport's");
	bad = 0;
	for (unsigned p = 0; p < 256; p++) {
		struct protoent *pe = getprotobynumber((int)p);
		char want[64];
		size_t n;
		f.proto = (uint8_t)p;
		n = fld_format(&ra_fields[F_PROTO], &f, c, buf, sizeof(buf));
		buf[n] = '\0';
		if (p == 58)
			snprintf(want, sizeof(want), "ipv6-icmp");
		else if (pe && *pe->p_name)
			snprintf(want, sizeof(want), "%s", pe->p_name);
		else
			snprintf(want, sizeof(want), "%u", p);
		bad += strcmp(buf, want) != 0;
	}
	ok(bad == 0, "protocol names read once are getprotobynumber's");
	fmt_cache_free(c);
}

/* Every character a field prints is in the set it promises. */
static void charsets(void)
{
	static char buf[4 * RA_PAYLOAD_MAX + 64];
	struct fmt_opts o;
	struct fmt_cache *c;
	struct ra_flow f;
	bool set[256];
	int bad = 0, checked = 0, known = 0;

	fmt_opts_default(&o);
	c = fmt_cache_new(&o);
	for (int i = 0; i < 3000; i++) {
		static const uint8_t families[] = { RA_AF_INET, RA_AF_INET6, RA_AF_ARP, RA_AF_ETHER };
		static const uint8_t protos[] = { 6, 17, 1, 58, 132, 47, 0, 255 };
		ra_flow_init(&f);
		f.family = families[next() % 4];
		f.proto = protos[next() % 8];
		f.etype = next() % 2 ? 0 : (uint16_t)next();
		f.sport = (uint16_t)next();
		f.dport = (uint16_t)(next() % 1024);
		f.stime = next() >> 12;
		f.ltime = f.stime + (next() >> 40);
		f.spkts = next() >> (next() % 64);
		f.sbytes = next();
		f.state = (uint8_t)next();
		f.dir = (uint8_t)next();
		f.flgs = (uint32_t)next();
		f.saddr.v4 = (uint32_t)next();
		memset(f.daddr.v6, (int)(next() & 0xff), 16);
		for (unsigned id = 0; id < F_COUNT; id++) {
			const struct ra_field *fd = &ra_fields[id];
			size_t n;
			if (!fld_format_chars(fd, c, set))
				continue;
			known++;
			n = fld_format(fd, &f, c, buf, sizeof(buf));
			for (size_t k = 0; k < n; k++)
				bad += !set[(unsigned char)buf[k]];
			checked++;
		}
	}
	ok(known > 1000 && checked > 1000 && bad == 0, "every printed character is in its field's set");
	ok(!fld_format_chars(&ra_fields[F_SUSER], c, set) && !fld_format_chars(&ra_fields[F_SERVICE], c, set),
	   "payload and service names promise nothing");
	fmt_cache_free(c);
	o.time_format = "%b %d %T";
	c = fmt_cache_new(&o);
	ok(!fld_format_chars(&ra_fields[F_STIME], c, set), "a month's name: no promise for the time");
	fmt_cache_free(c);
}

static const char *print(const struct printer_opts *po, const char *const *cols_by_name, int n,
			 const struct ra_flow *f)
{
	static char out[4096];
	struct column cols[8];
	struct ra_err err;
	int fds[2];
	ssize_t got;
	struct printer *p;

	for (int i = 0; i < n; i++) {
		cols[i].fd = fld_lookup(cols_by_name[i]);
		cols[i].width = cols[i].fd->width;
		cols[i].limit = 0;
	}
	if (pipe(fds) != 0)
		return "";
	p = printer_new(po, cols, n, fds[1], &err);
	printer_flow(p, f, &err);
	printer_flow(p, f, &err);
	printer_flush(p, &err);
	printer_free(p);
	close(fds[1]);
	got = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	out[got > 0 ? got : 0] = '\0';
	return out;
}

/* Cells whose characters meet the delimiter or a JSON escape still get them. */
static void lines(void)
{
	static const char *const cols[] = { "stime", "saddr", "sport", "pkts", "state" };
	struct printer_opts po;
	struct ra_flow f;

	memset(&po, 0, sizeof(po));
	fmt_opts_default(&po.fmt);
	po.fmt.utc = true;
	po.fmt.numeric = 1;
	po.labels = -1;
	ra_flow_init(&f);
	f.family = RA_AF_INET;
	f.proto = 6;
	f.stime = 1704067200123456ull;
	f.ltime = f.stime;
	f.saddr.v4 = 0x0a000102;
	f.sport = 80;
	f.spkts = 12;
	f.state = RA_ST_CON;
	po.mode = OUT_CSV;
	po.delim = ',';
	is_str(print(&po, cols, 5, &f), "2024-01-01 00:00:00.123456,10.0.1.2,80,12,CON\n"
	       "2024-01-01 00:00:00.123456,10.0.1.2,80,12,CON\n", "CSV: plain cells");
	po.delim = '.';
	is_str(print(&po, cols, 5, &f), "\"2024-01-01 00:00:00.123456\".\"10.0.1.2\".80.12.CON\n"
	       "\"2024-01-01 00:00:00.123456\".\"10.0.1.2\".80.12.CON\n", "CSV: cells holding the delimiter are quoted");
	po.delim = '1';
	is_str(print(&po, cols, 5, &f), "\"2024-01-01 00:00:00.123456\"1\"10.0.1.2\"1801\"12\"1CON\n"
	       "\"2024-01-01 00:00:00.123456\"1\"10.0.1.2\"1801\"12\"1CON\n", "CSV: a digit delimiter quotes numbers");
	po.mode = OUT_JSON;
	po.fmt.time_format = "%T \"%f\"\\";
	is_str(print(&po, cols, 5, &f),
	       "{\"stime\":\"00:00:00 \\\"123456\\\"\\\\\",\"saddr\":\"10.0.1.2\",\"sport\":80,\"pkts\":12,\"state\":\"CON\"}\n"
	       "{\"stime\":\"00:00:00 \\\"123456\\\"\\\\\",\"saddr\":\"10.0.1.2\",\"sport\":80,\"pkts\":12,\"state\":\"CON\"}\n",
	       "JSON: a time format's quote and backslash are escaped");
	po.mode = OUT_TEXT;
	po.fmt.time_format = "%T.%f";
	is_str(print(&po, cols, 5, &f), "           00:00:00.123456        10.0.1.2 80           12 CON\n"
	       "           00:00:00.123456        10.0.1.2 80           12 CON\n", "text: right-aligned cells padded in place");
}

int main(void)
{
	tap_plan(14);
	integers();
	ipv4();
	times();
	names();
	charsets();
	lines();
	return tap_done();
}
