/*
 * rafilteraddr.c - keep (or, with -v, drop) the flow records whose source
 * or destination address is in a file of addresses, CIDR blocks and a-b
 * ranges (common/addrset.c), as Argus's rafilteraddr does:
 *
 *   rafilteraddr -r day.argus -f blocklist.txt -w hits.argus
 *   ra -r day.argus -w - - udp | rafilteraddr -f local.txt -v
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrset.h"
#include "client.h"

static const char *const default_fields[] = {
	"stime", "flgs", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "state",
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: rafilteraddr -f addresses [-v] [options] [-r file ...] [- filter]\n"
		"Keep the records whose source or destination address is in the file.\n"
		"  -f file         addresses, CIDR blocks and a-b ranges, one a line, '#' comments\n"
		"                  (IPv4 and IPv6; -f may be given more than once)\n"
		"  -v              keep the records that do not match instead\n%s", ra_common_usage);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "rafilteraddr: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

struct run {
	struct client c;
	struct ra_addrset *set;
	bool invert;
};

static void loop_report(void *ctx, const struct ra_err *e) { (void)ctx; report(e); }

/* A flow goes on when an address of it is in the set (none is, with -v). */
static bool in_set(void *ctx, struct ra_flow *f)
{
	struct run *r = ctx;

	return ra_addrset_match_flow(r->set, f) != r->invert;
}

/* For each selected flow: written or printed; status records are not
 * about addresses: copied by -w when nothing else selects. */
static int run_inputs(struct run *r)
{
	struct client_loop loop = { .ctx = r, .report = loop_report, .take = in_set, .copy_other = true };

	return client_each_flow(&r->c, &loop);
}

int main(int argc, char **argv)
{
	struct run r;
	struct ra_err err;
	int rc, status, nfiles = 0;

	memset(&r, 0, sizeof(r));
	ra_err_clear(&err);
	rc = ra_opts_parse(&r.c.o, "rafilteraddr", "f:v", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&r.c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	for (int i = 0; i < r.c.o.nnotes; i++)
		fprintf(stderr, "rafilteraddr: %s\n", r.c.o.notes[i]);
	r.set = ra_addrset_new();
	if (!r.set) {
		fprintf(stderr, "rafilteraddr: out of memory\n");
		return 1;
	}
	status = 0;
	for (int i = 0; i < r.c.o.nextra && status == 0; i++) {
		if (r.c.o.extra[i].opt == 'v') {
			r.invert = true;
		} else if (r.c.o.extra[i].opt == 'f') {
			nfiles++;
			if (!ra_addrset_load(r.set, r.c.o.extra[i].val, &err)) {
				report(&err);
				status = err.code == RA_ERR_USAGE ? 2 : 1;
			}
		}
	}
	if (status == 0 && nfiles == 0) {
		fprintf(stderr, "rafilteraddr: -f addresses is required (rafilteraddr -h)\n");
		status = 2;
	}
	if (status == 0 && !ra_addrset_finish(r.set, &err)) {
		report(&err);
		status = 1;
	}
	if (status == 0) {
		status = client_open(&r.c, "rafilteraddr", default_fields,
				     (int)(sizeof(default_fields) / sizeof(*default_fields)), true, &err);
		if (status != 0) {
			char buf[1200];
			fprintf(stderr, "rafilteraddr: %s\n", client_error_text(&r.c, &err, buf, sizeof(buf)));
		}
	}
	if (status != 0) {
		client_close(&r.c, status, &err);
		ra_addrset_free(r.set);
		return status;
	}
	status = run_inputs(&r);
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		report(&err);
	ra_addrset_free(r.set);
	return rc;
}
