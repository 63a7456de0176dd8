/*
 * fuzz_dispatch.c - libFuzzer harness for the worker dispatch walk
 * (argus/dispatch_key.c): which worker a captured frame goes to.
 *
 * Input: the packet harness's format (fuzz_packet.c): one byte choosing the
 * link type, then frames, each prefixed by a 2-byte big-endian length and a
 * 1-byte time step (unused here), so tests/corpus/packet is its corpus too.
 * Every frame is walked from an exact-size copy (ASan catches reads past
 * it), and the rule the workers rest on is checked: the same frame with
 * source and destination swapped (IPv4 and IPv6, raw or over Ethernet,
 * MAC addresses too) goes to the same worker.  A violation aborts.
 */
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, 276, DLT_RAW, DLT_NULL, DLT_LOOP, DLT_PPP, DLT_IPV4, DLT_IPV6, 226,
};

static void swap(uint8_t *p, size_t a, size_t b, size_t n)
{
	uint8_t t[16];

	memcpy(t, p + a, n);
	memcpy(p + a, p + b, n);
	memcpy(p + b, t, n);
}

/* The frame the other direction sends, when we know where the addresses
 * are (IPv4/IPv6 at off); false otherwise. */
static bool reverse(uint8_t *p, size_t len, size_t off)
{
	if (len < off + 1)
		return false;
	if ((p[off] >> 4) == 4 && len >= off + 20) {
		if (p[off + 9] == 2)
			return false;	/* IGMP: keyed by host and group, not by the pair */
		swap(p, off + 12, off + 16, 4);
		return true;
	}
	if ((p[off] >> 4) == 6 && len >= off + 40) {
		swap(p, off + 8, off + 24, 16);
		return true;
	}
	return false;
}

static void check(int dlt, const uint8_t *frame, size_t len)
{
	struct dispatch_key k, r;
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		return;
	memcpy(copy, frame, len);
	dispatch_key(dlt, copy, (uint32_t)len, &k);
	bool rev = false;
	if (dlt == DLT_RAW || dlt == DLT_IPV4 || dlt == DLT_IPV6)
		rev = reverse(copy, len, 0);
	else if (dlt == DLT_EN10MB && len >= 14 && copy[12] == 0x08 && copy[13] == 0x00) {
		swap(copy, 0, 6, 6);
		rev = reverse(copy, len, 14);
	}
	if (rev) {
		dispatch_key(dlt, copy, (uint32_t)len, &r);
		if (r.ok != k.ok || (k.ok && r.hash != k.hash))
			abort();	/* the two directions of a flow in two workers */
		for (unsigned n = 1; n <= 8; n++)
			if (k.ok && dispatch_worker(k.hash, n) >= n)
				abort();
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int dlt = dlts[(data[0] & 0x3f) % (sizeof dlts / sizeof dlts[0])];
	size_t off = 1;
	while (off + 3 <= size) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		off += 3;
		if (len > size - off)
			len = size - off;
		check(dlt, data + off, len);
		off += len;
	}
	return 0;
}
