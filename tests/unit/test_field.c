/* test_field.c - the field table: names, derived values, formatting. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "../tests/unit/tap.h"

static const char *show(struct fmt_cache *c, const char *name, const struct ra_flow *f)
{
	static char buf[4 * RA_PAYLOAD_MAX + 64];
	const struct ra_field *fd = fld_lookup(name);
	size_t n = fd ? fld_format(fd, f, c, buf, sizeof(buf)) : 0;
	buf[n] = '\0';
	return buf;
}

/* Every row answers every view, on an empty record and on a full one:
 * numeric fields a value, the others 0 and an address or text, never a
 * crash or a recursion (fld_uint(F_SADDR) once went round fld_double). */
static void every_field(void)
{
	static char buf[4 * RA_PAYLOAD_MAX + 64];
	struct fmt_opts o;
	struct fmt_cache *c;
	struct ra_flow f[2];
	union ra_addr a;
	unsigned seen = 0, numeric = 0, nonnum_zero = 0, formatted = 0;

	fmt_opts_default(&o);
	c = fmt_cache_new(&o);
	ra_flow_init(&f[0]);
	ra_flow_init(&f[1]);
	f[1].family = RA_AF_INET; f[1].proto = 17; f[1].stime = 1000000; f[1].ltime = 3500000;
	f[1].spkts = 3; f[1].dpkts = 2; f[1].sbytes = 300; f[1].dbytes = 200; f[1].trans = 2;
	f[1].saddr.v4 = 0x0a000001; f[1].daddr.v4 = 0x0a000002; f[1].sport = 53; f[1].dport = 5353;
	for (unsigned id = 0; id < F_COUNT; id++) {
		const struct ra_field *fd = &ra_fields[id];
		for (int k = 0; k < 2; k++) {
			uint64_t u = fld_uint(id, &f[k]);
			double d = fld_double(id, &f[k]);
			unsigned fam = fld_addr(id, &f[k], &a);
			size_t n = fld_format(fd, &f[k], c, buf, sizeof(buf));
			seen++;
			formatted += n < sizeof(buf);
			if (fld_numeric(id))
				numeric += k == 1 && (d >= 0.0) && (u <= UINT64_MAX);
			else
				nonnum_zero += u == 0 && d == 0.0 && (k == 0 || fam || fd->type != FT_ADDR);
		}
	}
	fmt_cache_free(c);
	ok(seen == 2 * F_COUNT && seen > 100, "every field's views answered on two records");
	ok(formatted == seen, "every field formats within its buffer");
	ok(numeric > 60 && fld_numeric(F_BYTES) && fld_numeric(F_LOAD) && fld_numeric(F_STDDEV),
	   "counters, rates and stddev are numeric");
	ok(!fld_numeric(F_SADDR) && !fld_numeric(F_SMAC) && fld_uint(F_SADDR, &f[1]) == 0 &&
	   fld_double(F_DADDR, &f[1]) == 0.0 && nonnum_zero > 0 && !fld_numeric(F_COUNT),
	   "addresses are not numeric: 0, and no recursion");
}

int main(void)
{
	struct fmt_opts o;
	struct fmt_cache *c;
	struct ra_flow f;
	union ra_addr a;
	int dup = 0;

	tap_plan(36);
	for (unsigned i = 0; i < F_COUNT; i++) {
		if (ra_fields[i].id != i || !ra_fields[i].name || !ra_fields[i].label)
			dup++;
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(ra_fields[i].name, ra_fields[j].name))
				dup++;
	}
	is_int(dup, 0, "every row is filled, in id order, with a unique name");
	ok(fld_lookup("SADDR") == &ra_fields[F_SADDR], "lookup ignores case");
	ok(fld_lookup("nosuch") == NULL, "unknown names are not found");

	fmt_opts_default(&o);
	o.numeric = 0;
	c = fmt_cache_new(&o);
	ra_flow_init(&f);
	f.family = RA_AF_INET; f.proto = 6;
	f.saddr.v4 = 0x0a000001; f.daddr.v4 = 0xc0a80001;
	f.sport = 40000; f.dport = 22;
	f.stime = 1361796995701161ull;	/* 2013-02-25 12:56:35.701161 UTC */
	f.ltime = f.stime + 4654422;
	f.spkts = 97; f.dpkts = 74; f.sbytes = 11107; f.dbytes = 11245;
	f.state = RA_ST_CON; f.dir = RA_DIR_FWD; f.flgs = RA_FL_ETHER;

	is_str(show(c, "saddr", &f), "10.0.0.1", "IPv4 address");
	is_str(show(c, "dport", &f), "ssh", "port names from /etc/services");
	is_str(show(c, "proto", &f), "tcp", "protocol names");
	is_str(show(c, "stime", &f), "2013-02-25 12:56:35.701161", "default time format has the date");
	is_str(show(c, "dur", &f), "4.654422", "duration in seconds");
	is_str(show(c, "pkts", &f), "171", "pkts is spkts + dpkts");
	is_str(show(c, "bytes", &f), "22352", "bytes is sbytes + dbytes");
	/* Argus 3.0.8 prints Rate 36.524406 and SrcRate 20.625547 for this flow */
	is_str(show(c, "rate", &f), "36.524406", "rate as Argus computes it");
	is_str(show(c, "srate", &f), "20.625547", "srate as Argus computes it");
	is_str(show(c, "state", &f), "CON", "state word");
	is_str(show(c, "dir", &f), "->", "dir symbol");
	is_str(show(c, "flgs", &f), " e      ", "Flgs column");
	is_str(show(c, "cause", &f), "Start", "cause");
	is_str(show(c, "smac", &f), "", "no MAC without the L2 block");
	is_str(show(c, "sjit", &f), "", "jitter blank when unknown");
	fmt_cache_free(c);

	o.numeric = 2;
	o.epoch = true;
	c = fmt_cache_new(&o);
	is_str(show(c, "dport", &f), "22", "-n: port numbers");
	is_str(show(c, "proto", &f), "6", "-nn: protocol numbers");
	is_str(show(c, "stime", &f), "1361796995.701161", "-u: epoch seconds");
	f.proto = 1; f.sport = 8; f.dport = 0xfffe;
	is_str(show(c, "sport", &f), "0x0008", "ICMP type printed as Argus does");
	is_str(show(c, "dport", &f), "0xfffe", "ICMP id printed as Argus does");
	fmt_cache_free(c);

	fmt_opts_default(&o);
	o.time_format = "%H:%M:%S.%f";
	o.usec_digits = 3;
	c = fmt_cache_new(&o);
	is_str(show(c, "stime", &f), "12:56:35.701", "RA_USEC_PRECISION cuts the fraction");
	f.family = RA_AF_INET6;
	memset(&f.saddr, 0, sizeof(f.saddr));
	f.saddr.v6[0] = 0x20; f.saddr.v6[1] = 0x01; f.saddr.v6[15] = 1;
	is_str(show(c, "saddr", &f), "2001::1", "IPv6 address");
	f.trans = 4; f.dur_sum = 8000000; f.dur_min = 1000000; f.dur_max = 3000000; f.dur_sumsq = 18.0;
	RA_SET(&f, RA_BLK_AGG);
	is_str(show(c, "mean", &f), "2.000000", "mean of merged durations");
	is_str(show(c, "stddev", &f), "0.707107", "stddev of merged durations");
	is_str(show(c, "trans", &f), "4", "trans");
	fmt_cache_free(c);

	ok(parse_addr("10.1.2.3", &a) == RA_AF_INET && a.v4 == 0x0a010203, "parse IPv4");
	ok(parse_addr("fe80::1", &a) == RA_AF_INET6 && a.v6[0] == 0xfe, "parse IPv6");
	ok(parse_addr("0:1:2:3:4:ff", &a) == RA_AF_ETHER && a.mac[5] == 0xff, "parse MAC");
	ok(parse_addr("999.1.1.1", &a) == 0, "refuse a bad IPv4 address");
	every_field();
	return tap_done();
}
