/*
 * fuzz_health.c - libFuzzer harness for the host health record's parsers:
 * the input as /proc/stat, /proc/meminfo, /proc/loadavg, /proc/net/netstat
 * (health_proc.c), as a sock_diag netlink reply (health_diag.c hd_parse)
 * and as an ARGUS_HOST_HEALTH_PORTS list.
 */
#include <linux/inet_diag.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "health_diag.h"
#include "health_proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void seen(void *arg, const struct inet_diag_msg *m)
{
	*(unsigned *)arg += m->idiag_rqueue & 1u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_cpu cpu;
	struct hp_mem mem;
	struct hp_load ld;
	struct hp_netstat net;
	static uint8_t want[8192];
	unsigned count = 0;
	char *s;

	/* exact-size copy: a read past the end is the sanitizer's to see */
	s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	hp_parse_stat(s, size, &cpu);
	hp_parse_meminfo(s, size, &mem);
	hp_parse_loadavg(s, size, &ld);
	hp_parse_netstat(s, size, &net);
	hd_parse((const uint8_t *)s, size, seen, &count);
	free(s);
	if (size < 1024) {
		char *z = malloc(size + 1);
		if (z) {
			memcpy(z, data, size);
			z[size] = 0;
			health_ports(z, want);
			free(z);
		}
	}
	return 0;
}
