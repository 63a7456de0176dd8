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
	uint64_t passed, out;
};

/* One record; 0 go on, 1 stop (-N reached), -1 output error. */
static int one(struct run *r, const uint8_t *rec, size_t len, struct ra_flow *f, int *status)
{
	struct ra_err err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);

	ra_err_clear(&err);
	if (type != RA_REC_FLOW) {
		/* status records are not about addresses: copied by -w when nothing else selects */
		if (r->c.w && !r->c.o.filter[0] && !r->c.o.trange.set && !ra_writer_put(r->c.w, rec, len, &err)) {
			report(&err);
			return -1;
		}
		return 0;
	}
	if (!ra_decode_flow(rec, len, f, &err)) {
		ra_err_where(&err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
		report(&err);
		ra_reader_abandon(r->c.rd);
		*status = 1;
		return 0;
	}
	if (ra_addrset_match_flow(r->set, f) == r->invert)
		return 0;
	if (!ra_time_range_match(&r->c.o.trange, f->stime, f->ltime))
		return 0;
	if (r->c.o.filter[0] && !flt_match(r->c.flt, f))
		return 0;
	if (r->passed++ < r->c.o.first_record)
		return 0;
	if (r->c.o.max_records && r->out >= r->c.o.max_records)
		return 1;
	r->out++;
	if ((r->c.w && !ra_writer_put(r->c.w, rec, len, &err)) ||
	    (!r->c.w && r->c.pr && !printer_flow(r->c.pr, f, &err))) {
		report(&err);
		return -1;
	}
	return 0;
}

static int run_inputs(struct run *r)
{
	struct ra_flow flow;
	int status = 0;

	ra_flow_init(&flow);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		struct ra_err err;
		enum ra_read_result rr;
		int rc;

		ra_err_clear(&err);
		rr = ra_reader_next(r->c.rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report(&err);
			status = 1;
			continue;
		}
		rc = one(r, rec, len, &flow, &status);
		if (rc < 0)
			return 1;
		if (rc > 0)
			break;
	}
	return status;
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
