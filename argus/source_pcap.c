/*
 * source_pcap.c - capture inputs through libpcap: pcap and pcapng files
 * (microsecond and nanosecond resolution, read at microsecond precision)
 * and live interfaces, each with an optional BPF capture filter.
 *
 * A file is read in batches of packets so the main loop can notice signals
 * between batches; a live interface is non-blocking and polled through its
 * selectable descriptor.  A classic pcap file (either byte order, micro- or
 * nanosecond) is mapped into memory and walked directly, without a copy
 * per packet (the filter then runs through pcap_offline_filter()); pcapng
 * and anything else goes through libpcap.  A link type the engine does not decode is named
 * with its DLT number when the input opens, never skipped silently.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"

#include "engine.h"
#include "input.h"
#include "source_pcap.h"

#define FILE_BATCH 65536

struct pcap_src {
	pcap_t *pc;
	/* mapped classic pcap file */
	const uint8_t *map;
	size_t maplen, off, unmapped;
	bool swapped, nsec;
	struct bpf_program prog;
	bool have_prog;
	char path[256];
	int dlt;
	bool live;
	struct engine *e;
	uint64_t received;
	struct pcap_stat last;		/* live: kernel counters at the last stats() */
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct pcap_src *s = (struct pcap_src *)user;
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;

	s->received++;
	engine_packet(s->e, s->dlt, ts, bytes, h->caplen, h->len, 1, NULL);
}

static int src_fd(void *self)
{
	struct pcap_src *s = self;
	return s->live ? pcap_get_selectable_fd(s->pc) : -1;
}

/* One batch of the mapped file. */
static int map_poll(struct pcap_src *s, struct engine *e, struct ra_err *err)
{
	struct engine_frame fr[1024];
	unsigned nf = 0;
	int rc = 1;

	for (unsigned n = 0; n < FILE_BATCH; n++) {
		struct cursor c = cur_make(s->map + s->off, s->maplen - s->off);
		uint32_t sec, frac, caplen, len;
		if (cur_left(&c) == 0) {
			rc = 0;
			break;
		}
		bool ok = s->swapped ? (cur_be32(&c, &sec) && cur_be32(&c, &frac) && cur_be32(&c, &caplen) &&
					 cur_be32(&c, &len))
				     : (cur_le32(&c, &sec) && cur_le32(&c, &frac) && cur_le32(&c, &caplen) &&
					cur_le32(&c, &len));
		if (!ok || caplen > 262144 || !cur_has(&c, caplen)) {
			ra_err_set(err, RA_ERR_TRUNCATED, "capture file cut short or damaged at byte %zu "
				   "(packet %llu)", s->off, (unsigned long long)s->received + 1);
			rc = -1;
			break;
		}
		const uint8_t *data = cur_ptr(&c);
		s->off += 16 + caplen;
		if (s->have_prog) {
			struct pcap_pkthdr h;
			h.ts.tv_sec = sec;
			h.ts.tv_usec = s->nsec ? frac / 1000 : frac;
			h.caplen = caplen;
			h.len = len;
			if (!pcap_offline_filter(&s->prog, &h, data)) {
				s->received++;
				continue;
			}
		}
		s->received++;
		fr[nf].ts_us = (uint64_t)sec * 1000000u + (s->nsec ? frac / 1000u : frac);
		fr[nf].bytes = data;
		fr[nf].caplen = caplen;
		fr[nf].wirelen = len;
		if (++nf == 1024) {
			engine_packets(e, s->dlt, fr, nf);
			nf = 0;
		}
	}
	if (nf)
		engine_packets(e, s->dlt, fr, nf);
	/* What is behind us need not stay mapped: RSS stays the flows'. */
	size_t done = s->off & ~(((size_t)1 << 21) - 1);
	if (done > s->unmapped) {
		madvise((void *)(s->map + s->unmapped), done - s->unmapped, MADV_DONTNEED);
		s->unmapped = done;
	}
	return rc;
}

static int src_poll(void *self, struct engine *e, struct ra_err *err)
{
	struct pcap_src *s = self;
	int n;

	if (s->map)
		return map_poll(s, e, err);
	s->e = e;
	n = pcap_dispatch(s->pc, s->live ? -1 : FILE_BATCH, on_packet, (u_char *)s);
	if (n == PCAP_ERROR) {
		ra_err_set(err, RA_ERR_IO, "%s", pcap_geterr(s->pc));
		return -1;
	}
	if (n == PCAP_ERROR_BREAK)
		return 1;
	if (!s->live && n == 0)
		return 0;
	return 1;
}

static void src_close(void *self)
{
	struct pcap_src *s = self;
	if (s->map)
		munmap((void *)s->map, s->maplen);
	if (s->have_prog)
		pcap_freecode(&s->prog);
	if (s->pc)
		pcap_close(s->pc);
	free(s);
}

static void src_stats(void *self, struct input_stats *st)
{
	struct pcap_src *s = self;
	struct pcap_stat ps;

	st->received += s->received;
	if (s->live && pcap_stats(s->pc, &ps) == 0) {
		st->dropped += ps.ps_drop;
		st->ifdropped += ps.ps_ifdrop;
	}
}

static const struct input_ops pcap_ops = { src_fd, src_poll, src_close, src_stats };

static bool set_filter(pcap_t *pc, const char *filter, const char *name, struct ra_err *err)
{
	struct bpf_program prog;

	if (!filter || !*filter)
		return true;
	if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		ra_err_set(err, RA_ERR_USAGE, "filter \"%s\": %s", filter, pcap_geterr(pc));
		return false;
	}
	if (pcap_setfilter(pc, &prog) != 0) {
		ra_err_set(err, RA_ERR_USAGE, "%s: setting the filter: %s", name, pcap_geterr(pc));
		pcap_freecode(&prog);
		return false;
	}
	pcap_freecode(&prog);
	return true;
}

/* The input is open: warn once about a link type we cannot decode, and hand it out. */
static bool publish(struct pcap_src *s, const char *name, struct input *out,
		    void (*warn)(const char *fmt, ...))
{
	if (!engine_dlt_supported(s->dlt) && warn) {
		const char *dn = pcap_datalink_val_to_name(s->dlt);
		warn("%s: link type %s (DLT %d) is not supported: its packets are counted as malformed, "
		     "not decoded", name, dn ? dn : "unknown", s->dlt);
	}
	out->ops = &pcap_ops;
	out->self = s;
	snprintf(out->name, sizeof out->name, "%s", name);
	return true;
}

static bool finish(pcap_t *pc, bool live, const char *name, const char *filter, struct input *out,
		   void (*warn)(const char *fmt, ...), struct ra_err *err)
{
	struct pcap_src *s;

	if (!set_filter(pc, filter, name, err)) {
		pcap_close(pc);
		return false;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		pcap_close(pc);
		return false;
	}
	s->pc = pc;
	s->live = live;
	s->dlt = pcap_datalink(pc);
	return publish(s, name, out, warn);
}

/* Classic pcap, mapped: true when done (or failed: err set, *failed), false to fall back. */
static bool open_mapped(const char *path, const char *filter, struct input *out,
			void (*warn)(const char *fmt, ...), bool *failed, struct ra_err *err)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t h[24];

	*failed = false;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
	    pread(fd, h, 24, 0) != 24) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	struct cursor c = cur_make(h, 24);
	uint32_t magic = 0, linktype = 0;
	cur_le32(&c, &magic);
	bool swapped, nsec;
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swapped = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swapped = true;
	else {
		close(fd);
		return false;
	}
	nsec = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	c.off = 20;
	if (swapped)
		cur_be32(&c, &linktype);
	else
		cur_le32(&c, &linktype);
	linktype &= 0xffff;
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return false;
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);

	struct pcap_src *s = calloc(1, sizeof *s);
	if (!s) {
		munmap(map, (size_t)st.st_size);
		return false;
	}
	s->map = map;
	s->maplen = (size_t)st.st_size;
	s->off = 24;
	s->swapped = swapped;
	s->nsec = nsec;
	s->dlt = (int)linktype == 101 ? DLT_RAW : (int)linktype;
	if (filter && *filter) {
		pcap_t *dead = pcap_open_dead(s->dlt, 262144);
		if (!dead || pcap_compile(dead, &s->prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			ra_err_set(err, RA_ERR_USAGE, "filter \"%s\": %s", filter,
				   dead ? pcap_geterr(dead) : "cannot compile");
			if (dead)
				pcap_close(dead);
			munmap(map, s->maplen);
			free(s);
			*failed = true;
			return true;
		}
		pcap_close(dead);
		s->have_prog = true;
	}
	return publish(s, path, out, warn);
}

bool pcap_input_open_file(const char *path, const char *filter, struct input *out,
			  void (*warn)(const char *fmt, ...), struct ra_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	bool failed;

	if (open_mapped(path, filter, out, warn, &failed, err))
		return !failed;
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, eb);

	if (!pc) {
		ra_err_set(err, RA_ERR_IO, "%s", eb);
		return false;
	}
	return finish(pc, false, path, filter, out, warn, err);
}

bool pcap_input_open_live(const char *iface, const char *filter, int snaplen, bool promisc,
			  struct input *out, void (*warn)(const char *fmt, ...), struct ra_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = pcap_create(iface, eb);
	int rc;

	if (!pc) {
		ra_err_set(err, RA_ERR_IO, "%s", eb);
		return false;
	}
	pcap_set_snaplen(pc, snaplen > 0 ? snaplen : 262144);
	pcap_set_promisc(pc, promisc);
	pcap_set_timeout(pc, 100);
	pcap_set_buffer_size(pc, 32 << 20);
	pcap_set_immediate_mode(pc, 1);
	rc = pcap_activate(pc);
	if (rc < 0) {
		ra_err_set(err, RA_ERR_IO, "%s: %s", iface,
			   rc == PCAP_ERROR ? pcap_geterr(pc) : pcap_statustostr(rc));
		pcap_close(pc);
		return false;
	}
	if (rc > 0 && warn)
		warn("%s: %s", iface, pcap_statustostr(rc));
	if (pcap_setnonblock(pc, 1, eb) != 0) {
		ra_err_set(err, RA_ERR_IO, "%s: %s", iface, eb);
		pcap_close(pc);
		return false;
	}
	return finish(pc, true, iface, filter, out, warn, err);
}
