/*
 * fuzz_packet.c - libFuzzer harness for the daemon's packet decoders and
 * flow table (argus/decode_*.c, frag.c, flowtab.c, engine.c).
 *
 * Input: one byte choosing the link type, then packets, each prefixed by a
 * 2-byte big-endian length and a 1-byte time step (tenths of a second), so
 * the fuzzer can build sequences: fragments before their first fragment,
 * connections that close and restart, ICMP errors about earlier flows,
 * idle expiry.  Every packet goes through engine_packet() with no output;
 * the engine is flushed and freed at the end.
 */
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, 276, DLT_RAW, DLT_NULL, DLT_LOOP, DLT_PPP, DLT_IPV4, DLT_IPV6, 226,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_config cfg;

	if (size < 1)
		return 0;
	memset(&cfg, 0, sizeof cfg);
	cfg.status_interval = 5000000;
	cfg.timeout[TC_TCP] = 60000000;
	cfg.timeout[TC_UDP] = 30000000;
	cfg.timeout[TC_ICMP] = 5000000;
	cfg.timeout[TC_OTHER] = 30000000;
	cfg.timeout[TC_CLOSED] = 5000000;
	cfg.dns_xid = true;
	cfg.payload = data[0] & 0x80 ? 64 : 0;
	cfg.mac = data[0] & 0x40;
	struct engine *e = engine_new(&cfg, NULL);
	if (!e)
		return 0;
	int dlt = dlts[(data[0] & 0x3f) % (sizeof dlts / sizeof dlts[0])];
	uint64_t ts = 1700000000000000ull;
	size_t off = 1;
	while (off + 3 <= size) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		ts += (uint64_t)data[off + 2] * 100000u;
		off += 3;
		if (len > size - off)
			len = size - off;
		/* A copy of exactly len bytes: reads past it are caught by ASan. */
		uint8_t *copy = malloc(len ? len : 1);
		if (!copy)
			break;
		memcpy(copy, data + off, len);
		engine_packet(e, dlt, ts, copy, (uint32_t)len, (uint32_t)len + (data[0] & 1) * 100, 1, NULL);
		if (off + len >= size && len >= 32) {	/* and once more as a batch */
			struct engine_frame fr = { ts + 1, copy, (uint32_t)len, (uint32_t)len };
			engine_packets(e, dlt, &fr, 1);
		}
		free(copy);
		off += len;
	}
	engine_flush(e);
	engine_free(e);
	return 0;
}
