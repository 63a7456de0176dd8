/* test_health.c - the host health record's /proc parsers on fixture files
 * (tests/data/health: whole, truncated, missing lines, numbers past 64
 * bits), the port list of ARGUS_HOST_HEALTH_PORTS, and the kernel's port
 * filter of the sock_diag dumps on loopback listeners. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "field.h"
#include "filter.h"
#include "health.h"
#include "health_diag.h"
#include "health_proc.h"
#include "status.h"
#include "../tests/unit/tap.h"

static char buf[65536];

static size_t load(const char *name)
{
	const char *dir = getenv("top_srcdir");
	char path[1024];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/data/health/%s", dir ? dir : ".", name);
	fp = fopen(path, "rb");
	if (!fp) {
		printf("# cannot open %s\n", path);
		return 0;
	}
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	return n;
}

/*
 * The watched ports as the kernel's filter: four listeners on loopback,
 * three of them watched in two ranges; the kernel sends those three only
 * (a dump of every listener sends the fourth too).
 */
static void diag_filter(void)
{
	static uint8_t want[8192];
	struct hd_diag *d = hd_open();
	struct hd_listener *l = NULL;
	size_t cap = 0;
	int fds[4] = { -1, -1, -1, -1 };
	static const unsigned off[4] = { 0, 1, 2, 7 };
	unsigned base = 0;
	long n;

	for (unsigned try = 0; try < 20 && !base && d; try++) {
		unsigned b = 20000 + ((unsigned)getpid() * 7 + try * 131) % 11000;
		int i;
		for (i = 0; i < 4; i++) {
			struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)(b + off[i])) };
			a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			fds[i] = socket(AF_INET, SOCK_STREAM, 0);
			if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fds[i], 3) != 0)
				break;
		}
		if (i == 4) {
			base = b;
			break;
		}
		for (int j = 0; j <= i && j < 4; j++)
			if (fds[j] >= 0)
				close(fds[j]);
	}
	if (!base) {
		for (int i = 0; i < 3; i++)
			printf("ok %d # SKIP sock_diag or loopback listeners unavailable\n", ++tap_count);
		hd_close(d);
		return;
	}
	want[base >> 3] |= (uint8_t)(1u << (base & 7));
	want[(base + 1) >> 3] |= (uint8_t)(1u << ((base + 1) & 7));
	want[(base + 7) >> 3] |= (uint8_t)(1u << ((base + 7) & 7));
	n = hd_sample(d, want, &l, &cap, NULL);
	ok(n == 3 && hd_filtered(d) && hd_messages(d) == 3,
	   "port filter: the kernel sends the three watched listeners of two ranges, not the fourth");
	n = hd_sample(d, NULL, &l, &cap, NULL);
	ok(n >= 4 && hd_messages(d) == (size_t)n && !hd_filtered(d), "no filter: every listener, the fourth too");
	memset(want, 0, sizeof(want));
	want[(base + 2) >> 3] |= (uint8_t)(1u << ((base + 2) & 7));
	n = hd_sample(d, want, &l, &cap, NULL);
	ok(n == 1 && l[0].port == base + 2 && hd_messages(d) == 1, "one port: that listener alone");
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	free(l);
	hd_close(d);
}

int main(void)
{
	struct hp_cpu cpu;
	struct hp_mem mem;
	struct hp_load ld;
	struct hp_netstat net;
	static uint8_t want[8192];
	size_t n;

	tap_plan(39);
	n = load("stat");
	hp_parse_stat(buf, n, &cpu);
	is_int(cpu.have, 0xff, "stat: eight columns of the cpu line");
	ok(cpu.t[HP_USER] == 4705 && cpu.t[HP_IDLE] == 3699176 && cpu.t[HP_SOFTIRQ] == 277, "stat: user, idle, softirq");
	n = load("stat-short");
	hp_parse_stat(buf, n, &cpu);
	is_int(cpu.have, 0x7, "stat: a short cpu line gives its three columns");
	n = load("stat-huge");
	hp_parse_stat(buf, n, &cpu);
	is_int(cpu.have, 0, "stat: a column past 64 bits stops the line");
	hp_parse_stat("cpu0 1 2 3 4 5\n", 15, &cpu);
	is_int(cpu.have, 0, "stat: cpu0 is not the cpu line");

	n = load("meminfo");
	hp_parse_meminfo(buf, n, &mem);
	is_int(mem.have, 3, "meminfo: total and available");
	ok(mem.total == 16307404ull * 1024 && mem.avail == 12709088ull * 1024, "meminfo: kB to bytes");
	n = load("meminfo-truncated");
	hp_parse_meminfo(buf, n, &mem);
	is_int(mem.have, 1, "meminfo: cut inside MemAvailable: total only");
	n = load("meminfo-huge");
	hp_parse_meminfo(buf, n, &mem);
	is_int(mem.have, 0, "meminfo: past 64 bits, and past 64 bits once in bytes: neither");

	n = load("loadavg");
	hp_parse_loadavg(buf, n, &ld);
	is_int(ld.have, 7, "loadavg: three averages");
	ok(ld.l[0] == 52 && ld.l[1] == 107 && ld.l[2] == 1299, "loadavg: in hundredths");
	n = load("loadavg-truncated");
	hp_parse_loadavg(buf, n, &ld);
	is_int(ld.have, 3, "loadavg: cut in the second: two");
	is_int(ld.l[1], 100, "loadavg: 1.0 is 100");
	hp_parse_loadavg("", 0, &ld);
	is_int(ld.have, 0, "loadavg: empty");

	n = load("netstat");
	hp_parse_netstat(buf, n, &net);
	is_int(net.have, 0x7f, "netstat: all seven counters");
	ok(net.v[HP_SYNCOOKIES_SENT] == 495 && net.v[HP_SYNCOOKIES_FAILED] == 7, "netstat: cookies");
	ok(net.v[HP_LISTEN_OVERFLOWS] == 12 && net.v[HP_LISTEN_DROPS] == 14, "netstat: listen counters by name, not place");
	ok(net.v[HP_REQQ_FULL_DOCOOKIES] == 495 && net.v[HP_REQQ_FULL_DROP] == 0, "netstat: TCPReqQFull*");
	n = load("netstat-old");
	hp_parse_netstat(buf, n, &net);
	is_int(net.have, 0x7, "netstat: a values line shorter than its names: the first three");
	n = load("netstat-novalues");
	hp_parse_netstat(buf, n, &net);
	is_int(net.have, 0, "netstat: names without values: none");
	n = load("netstat-huge");
	hp_parse_netstat(buf, n, &net);
	is_int(net.have, 1, "netstat: 2^64-1 read, 2^64 and x7 not");
	ok(net.v[HP_SYNCOOKIES_SENT] == UINT64_MAX, "netstat: the largest value");
	hp_parse_netstat("IpExt: A\nIpExt: 1\n", 18, &net);
	is_int(net.have, 0, "netstat: no TcpExt lines");

	ok(health_ports("80,443", want) && (want[80 >> 3] >> (80 & 7) & 1) && (want[443 >> 3] >> (443 & 7) & 1) &&
	   !(want[81 >> 3] >> (81 & 7) & 1), "ports: 80,443");
	ok(health_ports("8000-8002, 22", want) && (want[8001 >> 3] >> (8001 & 7) & 1), "ports: a range");
	ok(!health_ports("80,http", want), "ports: a name is refused");
	ok(!health_ports("70000", want) && !health_ports("9-3", want) && !health_ports("", want), "ports: out of range, backwards, empty");

	/* a host record as ra reads it: a missing value, the fields, the word health */
	static struct ra_status st;
	struct ra_status_iter it;
	struct ra_flow f;
	struct ra_filter *flt;
	struct ra_err err;
	char name[64], val[64], all[512] = "";
	uint64_t v = 7;

	st.kind = RA_STATUS_HOST;
	st.nitems = 3;
	st.items[0] = (struct ra_status_item){ RA_HK_CPU, 0, 1250 };
	st.items[1] = (struct ra_status_item){ RA_HK_SYNCOOKIES_SENT, RA_STATUS_MISSING, 0 };
	st.items[2] = (struct ra_status_item){ RA_HK_LISTEN_OVERFLOWS, 0, 37 };
	ra_status_iter_init(&it, &st);
	while (ra_status_iter_next(&it, &st, name, sizeof(name), val, sizeof(val))) {
		size_t at = strlen(all);
		snprintf(all + at, sizeof(all) - at, "%s=%s ", name, val);
	}
	is_str(all, "cpu=12.50 syncookiessent=- listenoverflows=37 ", "host record: hundredths, a missing value, a count");
	ok(!ra_status_value(&st, RA_STATUS_HOST, RA_HK_SYNCOOKIES_SENT, &v) && v == 7, "a missing value has none");
	ra_status_view(&st, &f);
	is_int(fld_uint(F_LISTENOVERFLOWS, &f), 37, "field listenoverflows reads the item");
	ok(fld_double(F_CPU, &f) == 12.5, "field cpu: percent");
	is_int(fld_uint(F_SYNCOOKIESSENT, &f), 0, "field syncookiessent: missing is 0");
	flt = flt_compile("health and listenoverflows > 30", &err);
	ok(flt && flt_match(flt, &f) && flt_names_status(flt), "'health and listenoverflows > 30' takes it");
	flt_free(flt);
	st.nitems = 2;
	st.items[0] = (struct ra_status_item){ RA_HK_ACCEPTQ, 0, 129 };
	st.items[1] = (struct ra_status_item){ RA_HK_ACCEPTMAX, 0, 128 };
	flt = flt_compile("health and acceptpct >= 100", &err);
	ok(flt && flt_match(flt, &f), "acceptpct: 129 of 128 is past 100");
	flt_free(flt);
	st.kind = RA_STATUS_DAEMON;
	ra_status_view(&st, &f);
	flt = flt_compile("health", &err);
	ok(flt && !flt_match(flt, &f), "'health' leaves the daemon's record out");
	flt_free(flt);
	ra_flow_init(&f);
	f.family = RA_AF_INET;
	f.proto = RA_STATUS_HOST;
	flt = flt_compile("health", &err);
	ok(flt && !flt_match(flt, &f), "'health' leaves an IPv4 flow of protocol 5 out");
	flt_free(flt);
	diag_filter();
	return tap_done();
}
