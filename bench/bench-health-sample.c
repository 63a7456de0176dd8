/*
 * bench-health-sample.c - CPU time of one host health sample (health.c:
 * the four /proc files and the sock_diag dumps, records built and handed
 * to a sink that encodes them as the daemon would): -n samples, -s without
 * the half-open counts (ARGUS_HOST_HEALTH_SYNRECV=no), the mean
 * user + system time per sample and the records per sample printed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "health.h"

static uint8_t enc[32 + 16 * RA_STATUS_MAX_ITEMS];
static unsigned long records;

static void sink(void *arg, const struct ra_status *st)
{
	(void)arg;
	records += ra_encode_status(st, enc) > 0;
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	int n = 1000, c;
	const char *ports = NULL;
	bool synrecv = true;
	struct ra_err err;
	struct health *h;
	double t0, t1;

	while ((c = getopt(argc, argv, "n:p:s")) != -1) {
		if (c == 'n')
			n = (int)strtol(optarg, NULL, 10) > 0 ? (int)strtol(optarg, NULL, 10) : 1;
		else if (c == 'p')
			ports = optarg;
		else if (c == 's')
			synrecv = false;	/* ARGUS_HOST_HEALTH_SYNRECV=no */
		else {
			fprintf(stderr, "usage: bench-health-sample [-n samples] [-p ports] [-s]\n");
			return 2;
		}
	}
	ra_err_clear(&err);
	h = health_open(ports, synrecv, NULL, &err);
	if (!h) {
		fprintf(stderr, "bench-health-sample: %s\n", err.msg);
		return 1;
	}
	t0 = cpu_seconds();
	for (int i = 0; i < n; i++)
		health_sample(h, 1000000ull * (uint64_t)(i + 1), sink, NULL);
	t1 = cpu_seconds();
	printf("%d samples, %lu records each, %.1f us of CPU per sample\n", n, records / (unsigned long)n,
	       (t1 - t0) * 1e6 / n);
	health_close(h);
	return 0;
}
