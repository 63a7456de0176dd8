/*
 * health_diag.h - the listening TCP sockets of the host through
 * NETLINK_SOCK_DIAG (inet_diag, IPv4 and IPv6): each one's local address
 * and port, accept queue length and limit, and the half-open (SYN_RECV)
 * connections per local port.  No /proc parsing, no kernel module.
 */
#ifndef ARGUS_HEALTH_DIAG_H
#define ARGUS_HEALTH_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct hd_listener {
	union ra_addr addr;	/* as the record stores it (IPv4 host order) */
	uint8_t family;		/* RA_AF_INET or RA_AF_INET6 */
	uint16_t port;
	uint32_t acceptq;	/* idiag_rqueue: connections waiting for accept() */
	uint32_t acceptmax;	/* idiag_wqueue: the backlog */
};

struct hd_diag;

/* Open the netlink socket; NULL with errno set when the kernel refuses. */
struct hd_diag *hd_open(void);
void hd_close(struct hd_diag *d);

/*
 * Dump the listeners (every one when want is NULL, else those whose port
 * has its bit set in want[port / 8], which the kernel is asked to filter
 * by, up to 64 ranges of ports) into *out (grown with realloc, *cap
 * its room) and count the SYN_RECV connections of every port into
 * synrecv[65536] (zeroed first for the ports it touched last time), or,
 * when synrecv is NULL, skip that dump (it walks the kernel's whole
 * established hash, the sample's dearest part).
 * Returns the number of listeners, or -1 with errno set (the kernel
 * refused a dump, or no memory).
 */
long hd_sample(struct hd_diag *d, const uint8_t *want, struct hd_listener **out, size_t *cap,
	       uint32_t *synrecv);

/* The listeners the kernel sent in the last hd_sample (with the port
 * filter, only the watched ones), and whether the port filter is in use. */
size_t hd_messages(const struct hd_diag *d);
bool hd_filtered(const struct hd_diag *d);

/* A netlink reply's messages, walked with every length checked: each
 * inet_diag_msg found is given to fn.  Returns 1 at NLMSG_DONE, 0 when
 * more parts follow, -1 (errno set) on an error message or bad framing.
 * hd_sample's reader, and the fuzz harness's entry. */
struct inet_diag_msg;
int hd_parse(const uint8_t *buf, size_t len, void (*fn)(void *arg, const struct inet_diag_msg *m), void *arg);

#endif
