/*
 * health.c - the host health sampler (health.h): reads /proc/stat,
 * /proc/meminfo, /proc/loadavg and /proc/net/netstat through descriptors
 * kept open (pread from 0), the listeners through health_diag.c, and turns
 * them into host status records.  A value it cannot read travels as
 * missing (status.h RA_SA_MISSING) and is logged once.
 */
#include "config.h"

#include "health.h"
#include "health_diag.h"
#include "health_proc.h"
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SRC_STAT, SRC_MEMINFO, SRC_LOADAVG, SRC_NETSTAT, SRC_COUNT };
static const char *const src_path[SRC_COUNT] = {
	"/proc/stat", "/proc/meminfo", "/proc/loadavg", "/proc/net/netstat",
};
#define READ_MAX 32768	/* the cpu line is first in /proc/stat; TcpExt fits well within */

struct health {
	int fd[SRC_COUNT];
	struct hd_diag *diag;
	int diag_errno;			/* why sock_diag is refused, 0 when it works */
	uint8_t *want;			/* port bitmap, NULL: every listener */
	void (*warn)(const char *fmt, ...);
	uint32_t logged;		/* bit per host key already said missing */
	bool diag_logged;
	struct hp_cpu cpu;		/* the previous sample */
	struct hp_netstat net;
	uint64_t prev_time;		/* 0 until the first record */
	bool have_prev;			/* cpu and net hold a sample */
	bool count_synrecv;		/* ARGUS_HOST_HEALTH_SYNRECV */
	struct hd_listener *l;
	size_t lcap;
	uint32_t synrecv[65536];
	struct ra_status st;
	char buf[READ_MAX];
};

bool health_ports(const char *spec, uint8_t *want)
{
	const char *p = spec;
	bool any = false;

	memset(want, 0, 8192);
	while (*p) {
		unsigned long a, b;
		char *end;
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p < '0' || *p > '9')
			return false;
		a = strtoul(p, &end, 10);
		b = a;
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return false;
			b = strtoul(end + 1, &end, 10);
		}
		if (a > 65535 || b > 65535 || b < a || (*end && *end != ',' && *end != ' ' && *end != '\t'))
			return false;
		for (unsigned long x = a; x <= b; x++)
			want[x >> 3] |= (uint8_t)(1u << (x & 7));
		any = true;
		p = end;
	}
	return any;
}

/* The whole file (up to READ_MAX - 1 bytes) into h->buf; its length, or -1. */
static ssize_t slurp(struct health *h, unsigned src)
{
	size_t got = 0;

	if (h->fd[src] < 0)
		return -1;
	while (got < READ_MAX - 1) {
		ssize_t n = pread(h->fd[src], h->buf + got, READ_MAX - 1 - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	h->buf[got] = 0;
	return (ssize_t)got;
}

struct health *health_open(const char *ports, bool synrecv, void (*warn)(const char *fmt, ...),
			   struct ra_err *err)
{
	struct health *h = calloc(1, sizeof(*h));
	ssize_t n;

	if (!h) {
		ra_err_set(err, RA_ERR_IO, "ARGUS_HOST_HEALTH: out of memory");
		return NULL;
	}
	h->warn = warn;
	h->count_synrecv = synrecv;
	if (ports && *ports && strcmp(ports, "all") != 0) {
		h->want = malloc(8192);
		if (!h->want || !health_ports(ports, h->want)) {
			ra_err_set(err, RA_ERR_USAGE, "ARGUS_HOST_HEALTH_PORTS: bad port list \"%s\"", ports);
			health_close(h);
			return NULL;
		}
	}
	for (unsigned i = 0; i < SRC_COUNT; i++) {
		h->fd[i] = open(src_path[i], O_RDONLY | O_CLOEXEC);
		if (h->fd[i] < 0 && warn)
			warn("host health: %s: %s; its values are reported missing", src_path[i], strerror(errno));
	}
	h->diag = hd_open();
	if (!h->diag)
		h->diag_errno = errno;
	if ((n = slurp(h, SRC_STAT)) >= 0)
		hp_parse_stat(h->buf, (size_t)n, &h->cpu);
	if ((n = slurp(h, SRC_NETSTAT)) >= 0)
		hp_parse_netstat(h->buf, (size_t)n, &h->net);
	h->have_prev = true;	/* the first interval runs from here */
	return h;
}

void health_close(struct health *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < SRC_COUNT; i++)
		if (h->fd[i] >= 0)
			close(h->fd[i]);
	hd_close(h->diag);
	free(h->want);
	free(h->l);
	free(h);
}

static void add(struct ra_status *st, uint32_t key, uint64_t value, bool ok)
{
	if (st->nitems >= RA_STATUS_MAX_ITEMS)
		return;
	st->items[st->nitems].key = key;
	st->items[st->nitems].aux = ok ? 0 : RA_STATUS_MISSING;
	st->items[st->nitems].value = ok ? value : 0;
	st->nitems++;
}

/* part of the interval's ticks as hundredths of a percent */
static uint64_t share(uint64_t part, uint64_t total)
{
	return total ? (part * 10000 + total / 2) / total : 0;
}

static uint64_t tick_delta(const struct hp_cpu *a, const struct hp_cpu *b, unsigned col)
{
	return b->t[col] >= a->t[col] ? b->t[col] - a->t[col] : 0;
}

static void host_record(struct health *h, uint64_t now, long nlisteners)
{
	struct ra_status *st = &h->st;
	struct hp_cpu cpu;
	struct hp_mem mem;
	struct hp_load load;
	struct hp_netstat net;
	ssize_t n;
	uint32_t missing = 0;

	memset(&cpu, 0, sizeof(cpu));
	memset(&mem, 0, sizeof(mem));
	memset(&load, 0, sizeof(load));
	memset(&net, 0, sizeof(net));
	if ((n = slurp(h, SRC_STAT)) >= 0)
		hp_parse_stat(h->buf, (size_t)n, &cpu);
	if ((n = slurp(h, SRC_MEMINFO)) >= 0)
		hp_parse_meminfo(h->buf, (size_t)n, &mem);
	if ((n = slurp(h, SRC_LOADAVG)) >= 0)
		hp_parse_loadavg(h->buf, (size_t)n, &load);
	if ((n = slurp(h, SRC_NETSTAT)) >= 0)
		hp_parse_netstat(h->buf, (size_t)n, &net);

	memset(st, 0, offsetof(struct ra_status, items));
	st->time = now;
	st->kind = RA_STATUS_HOST;

	/* CPU: the first five columns (user nice system idle iowait) make a
	 * usable line; irq, softirq and steal count when the kernel has them */
	unsigned need = 0x1f, both = cpu.have & h->cpu.have;
	bool cpu_ok = (both & need) == need && h->have_prev;
	uint64_t total = 0, idle = 0, user = 0, sys = 0, iow = 0, soft = 0;
	if (cpu_ok) {
		for (unsigned c = 0; c < HP_CPU_COLS; c++)
			if (both >> c & 1)
				total += tick_delta(&h->cpu, &cpu, c);
		user = tick_delta(&h->cpu, &cpu, HP_USER) + tick_delta(&h->cpu, &cpu, HP_NICE);
		sys = tick_delta(&h->cpu, &cpu, HP_SYSTEM);
		idle = tick_delta(&h->cpu, &cpu, HP_IDLE);
		iow = tick_delta(&h->cpu, &cpu, HP_IOWAIT);
		soft = both >> HP_SOFTIRQ & 1 ? tick_delta(&h->cpu, &cpu, HP_SOFTIRQ) : 0;
	}
	add(st, RA_HK_CPU, share(total - idle - iow, total), cpu_ok);
	add(st, RA_HK_CPU_USER, share(user, total), cpu_ok);
	add(st, RA_HK_CPU_SYS, share(sys, total), cpu_ok);
	add(st, RA_HK_CPU_IOWAIT, share(iow, total), cpu_ok);
	add(st, RA_HK_CPU_SOFTIRQ, share(soft, total), cpu_ok && (both >> HP_SOFTIRQ & 1));
	add(st, RA_HK_MEMTOTAL, mem.total, mem.have & 1);
	add(st, RA_HK_MEMAVAIL, mem.avail, mem.have & 2);
	for (unsigned i = 0; i < 3; i++)
		add(st, RA_HK_LOAD1 + i, load.l[i], load.have >> i & 1);
	for (unsigned i = 0; i < HP_TCPEXT_COUNT; i++) {
		bool ok = h->have_prev && (net.have & h->net.have) >> i & 1;
		uint64_t d = ok && net.v[i] >= h->net.v[i] ? net.v[i] - h->net.v[i] : 0;
		add(st, RA_HK_SYNCOOKIES_SENT + i, d, ok);
	}
	add(st, RA_HK_LISTENERS, nlisteners < 0 ? 0 : (uint64_t)nlisteners, nlisteners >= 0);
	add(st, RA_HK_INTERVAL, h->prev_time && now > h->prev_time ? now - h->prev_time : 0, true);

	/* said once per value: what this kernel (or this user) does not give */
	for (unsigned i = 0; i < st->nitems; i++)
		if (st->items[i].aux == RA_STATUS_MISSING)
			missing |= 1u << st->items[i].key;
	missing &= ~h->logged;
	if (missing && h->warn) {
		char names[512];
		size_t off = 0;
		for (unsigned k = 0; k < 32; k++) {
			const struct ra_status_key *row = ra_status_key_find(RA_STATUS_HOST, k);
			if (!(missing >> k & 1) || !row || k == RA_HK_LISTENERS)
				continue;
			size_t len = strlen(row->name);
			if (off + len + 2 < sizeof(names)) {
				if (off)
					names[off++] = ' ';
				memcpy(names + off, row->name, len);
				off += len;
			}
		}
		names[off] = 0;
		if (off)
			h->warn("host health: cannot read %s; reported missing", names);
		h->logged |= missing;
	}
	h->cpu = cpu;
	h->net = net;
	h->prev_time = now;
	h->have_prev = true;
}

void health_sample(struct health *h, uint64_t now, void (*emit)(void *arg, const struct ra_status *st),
		   void *arg)
{
	long n = -1;

	if (h->diag) {
		n = hd_sample(h->diag, h->want, &h->l, &h->lcap, h->count_synrecv ? h->synrecv : NULL);
		if (n < 0 && !h->diag_logged) {
			h->diag_errno = errno;
		}
	}
	if (n < 0 && !h->diag_logged && h->warn) {
		h->warn("host health: sock_diag: %s; the listeners are reported missing", strerror(h->diag_errno));
		h->diag_logged = true;
	}
	host_record(h, now, n);
	emit(arg, &h->st);
	for (long i = 0; i < n; i++) {
		struct ra_status *st = &h->st;
		const struct hd_listener *l = &h->l[i];
		memset(st, 0, offsetof(struct ra_status, items));
		st->time = now;
		st->kind = RA_STATUS_HOST;
		st->family = l->family;
		st->source = l->addr;
		add(st, RA_HK_LPORT, l->port, true);
		add(st, RA_HK_ACCEPTQ, l->acceptq, true);
		add(st, RA_HK_ACCEPTMAX, l->acceptmax, true);
		if (h->count_synrecv)
			add(st, RA_HK_SYNRECV, h->synrecv[l->port], true);
		emit(arg, st);
	}
}
