/*
 * state.c - what survives a restart and what people read: the state file
 * (one line per standing ban, written to a temporary file and renamed, so
 * it is always whole) and the status file viewer of -M status (apermon's
 * CSV as a table sorted by inbound bits per second).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"

bool state_save(const struct detect *d, const char *path)
{
	char tmp[4200];
	FILE *fp;
	bool ok;
	const struct conf *c = detect_conf(d);

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(fp = fopen(tmp, "w")))
		return false;
	fputs("# raban state: standing bans\n", fp);
	for (unsigned i = 0; i < detect_bans_hwm(d); i++) {
		const struct ban *b = detect_ban(d, i);
		char a[INET6_ADDRSTRLEN] = "-";
		const char *net = b->key.net < c->nplists ? c->plists[b->key.net].name : "-";
		if (!b->used)
			continue;
		if (b->key.family)
			conf_addr_text(b->key.family, &b->key.addr, a, sizeof(a));
		fprintf(fp, "ban %s %s %u %u %u %s %u %s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
			b->tname, b->lname[0] ? b->lname : "-", b->af, b->key.family, b->key.plen, net,
			b->key.pfx, a, (unsigned long long)b->first_ms, (unsigned long long)b->last_ms,
			(unsigned long long)b->ban_ms,
			(unsigned long long)b->at_ban.in_bps, (unsigned long long)b->at_ban.out_bps,
			(unsigned long long)b->at_ban.in_pps, (unsigned long long)b->at_ban.out_pps,
			(unsigned long long)b->peak.in_bps, (unsigned long long)b->peak.out_bps,
			(unsigned long long)b->peak.in_pps, (unsigned long long)b->peak.out_pps);
	}
	ok = !ferror(fp);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
		ok = false;
	if (fclose(fp) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return false;
	}
	return true;
}

int state_load(struct detect *d, const char *path, char *err, size_t errcap)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;
	int n = 0;
	const struct conf *c = detect_conf(d);

	if (!fp) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct ban b;
		char tn[128], ln[64], net[256], addr[64];
		unsigned af, fam, plen, pfx;
		unsigned long long v[11];
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		memset(&b, 0, sizeof(b));
		if (sscanf(line, "ban %127s %63s %u %u %u %255s %u %63s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   tn, ln, &af, &fam, &plen, net, &pfx, addr, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7], &v[8], &v[9], &v[10]) != 19 ||
		    (fam != 0 && fam != RA_AF_INET && fam != RA_AF_INET6) || plen > 128) {
			snprintf(err, errcap, "%s:%u: not a ban line", path, lineno);
			fclose(fp);
			return -1;
		}
		snprintf(b.tname, sizeof(b.tname), "%s", tn);
		snprintf(b.lname, sizeof(b.lname), "%s", strcmp(ln, "-") ? ln : "");
		b.af = (uint8_t)af;
		b.key.family = (uint8_t)fam;
		b.key.plen = (uint8_t)plen;
		b.key.pfx = pfx;
		b.key.net = UINT16_MAX;
		for (unsigned i = 0; i < c->nplists; i++)
			if (!strcmp(c->plists[i].name, net))
				b.key.net = (uint16_t)i;
		struct conf_prefix pa;
		if (fam && (!conf_prefix_parse(addr, &pa) || pa.family != fam)) {
			snprintf(err, errcap, "%s:%u: bad address '%s'", path, lineno, addr);
			fclose(fp);
			return -1;
		}
		if (fam)
			b.key.addr = pa.addr;
		b.first_ms = v[0];
		b.last_ms = v[1];
		b.ban_ms = v[2];
		b.at_ban.in_bps = v[3];
		b.at_ban.out_bps = v[4];
		b.at_ban.in_pps = v[5];
		b.at_ban.out_pps = v[6];
		b.peak.in_bps = v[7];
		b.peak.out_bps = v[8];
		b.peak.in_pps = v[9];
		b.peak.out_pps = v[10];
		if (detect_restore(d, &b))
			n++;
	}
	fclose(fp);
	return n;
}

struct row {
	char trigger[128], addr[128];
	int agg;
	double in_bps, out_bps, in_pps, out_pps;
};

static int by_in(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->trigger, y->trigger);
	if (c)
		return c;
	double kx = x->in_bps > x->out_bps ? x->in_bps : x->out_bps;
	double ky = y->in_bps > y->out_bps ? y->in_bps : y->out_bps;
	if (kx != ky)
		return kx < ky ? 1 : -1;
	return strcmp(x->addr, y->addr);
}

int state_show_status(const char *path, unsigned top, FILE *out, char *err, size_t errcap)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	unsigned lineno = 0;
	static const char *const agg[] = { "host", "prefix", "net" };

	if (!fp) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct row r;
		unsigned af;
		lineno++;
		if (lineno == 1 && strncmp(line, "trigger,", 8) == 0)
			continue;
		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%127[^,],%d,%u,%127[^,],%lf,%lf,%lf,%lf", r.trigger, &r.agg, &af, r.addr,
			   &r.in_bps, &r.out_bps, &r.in_pps, &r.out_pps) != 8 || r.agg < 0 || r.agg > 2) {
			snprintf(err, errcap, "%s:%u: not a status line", path, lineno);
			fclose(fp);
			free(rows);
			return 1;
		}
		if (n == cap) {
			struct row *nr;
			cap = cap ? cap * 2 : 256;
			if (cap > (1u << 24) || !(nr = realloc(rows, cap * sizeof(*rows)))) {
				snprintf(err, errcap, "%s: too many lines", path);
				fclose(fp);
				free(rows);
				return 1;
			}
			rows = nr;
		}
		rows[n++] = r;
	}
	fclose(fp);
	qsort(rows, n, sizeof(*rows), by_in);
	for (size_t i = 0, shown = 0; i < n; i++) {
		if (i == 0 || strcmp(rows[i].trigger, rows[i - 1].trigger)) {
			fprintf(out, "%strigger %s\n  %-39s %10s %10s %10s %10s %8s %8s\n", i ? "\n" : "",
				rows[i].trigger, agg[rows[i].agg], "in_mbps", "out_mbps", "in_kpps", "out_kpps",
				"in_sz", "out_sz");
			shown = 0;
		}
		if (top && shown >= top)
			continue;
		shown++;
		fprintf(out, "  %-39s %10.2f %10.2f %10.2f %10.2f %8.0f %8.0f\n", rows[i].addr,
			rows[i].in_bps / 1e6, rows[i].out_bps / 1e6, rows[i].in_pps / 1e3, rows[i].out_pps / 1e3,
			rows[i].in_pps > 0 ? rows[i].in_bps / rows[i].in_pps / 8 : 0.0,
			rows[i].out_pps > 0 ? rows[i].out_bps / rows[i].out_pps / 8 : 0.0);
	}
	free(rows);
	return 0;
}
