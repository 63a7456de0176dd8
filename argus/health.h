/*
 * health.h - the host health sampler (ARGUS_HOST_HEALTH): at every daemon
 * status record, one host status record (RA_STATUS_HOST: CPU, memory,
 * load, TcpExt counter deltas) and one per watched listening TCP socket
 * (accept queue, its limit, half-open connections).  argus-record(5)
 * draws the records; argus(8) the settings.
 */
#ifndef ARGUS_HEALTH_H
#define ARGUS_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

struct health;

/*
 * Open the sources (the /proc files and the sock_diag socket stay open, so
 * sampling works after a chroot or a change of user) and take the first
 * sample the first interval's deltas start from.  ports: NULL or "" for
 * every listener, else "80,443" (ports and a-b ranges); a bad list is a
 * usage error.  synrecv false: no half-open counts (ARGUS_HOST_HEALTH_SYNRECV=no
 * saves the dump that walks the kernel's established hash).  A source that cannot be opened is said through warn and
 * reported missing in every record.
 */
struct health *health_open(const char *ports, bool synrecv, void (*warn)(const char *fmt, ...),
			   struct ra_err *err);
void health_close(struct health *h);

/* Sample now: the records to emit (st is overwritten for each one). */
void health_sample(struct health *h, uint64_t now, void (*emit)(void *arg, const struct ra_status *st),
		   void *arg);

/* Parse a port list into want (8192 bytes, bit per port); false on a bad list. */
bool health_ports(const char *spec, uint8_t *want);

#endif
