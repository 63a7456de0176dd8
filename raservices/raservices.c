/*
 * raservices.c - flows named by payload signature (Argus's std.sig
 * format), falling back to the port's name; or, with -M learn, signatures
 * grown from the flows read.
 *
 *   raservices -r day.argus -s stime saddr daddr dport service - tcp
 *   raservices -r day.argus -M learn > site.sig
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "learn.h"
#include "service.h"

static const char *const default_fields[] = {
	"stime", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "service",
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: raservices [options] [-f file.sig] [-r file ...] [- filter]\n"
		"Name flows by payload signature, else by port; -M learn writes signatures.\n%s"
		"  -f file.sig     signatures to use (Argus's std.sig format, raservices.sig(5));\n"
		"                  without -f, the ones built in (raservices/services.sig)\n"
		"  -M learn        print signatures learnt from the flows read, not the flows\n"
		"  -M learn=N      ... only those seen in at least N flows (default 2)\n", ra_common_usage);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "raservices: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

struct run {
	struct client c;
	struct client_loop loop;	/* for each selected flow (client.h) */
	const struct svc_table *sigs;
	struct learner *learn;
	uint32_t learn_min;
	char name[SVC_NAMELEN];
};

static void loop_report(void *ctx, const struct ra_err *e) { (void)ctx; report(e); }

/* Every flow named before it is selected: the label the filter, -s and -m see. */
static bool label(void *ctx, struct ra_flow *f)
{
	struct run *r = ctx;

	svc_name(r->sigs, f, r->name);
	f->service = r->name;
	return true;
}

/* A selected flow: learnt from (-M learn), written or printed. */
static int one(void *ctx, const uint8_t *rec, size_t len, struct ra_flow *f)
{
	struct run *r = ctx;
	struct ra_err err;

	ra_err_clear(&err);
	if (r->learn) {
		if (!learn_flow(r->learn, f)) {
			ra_err_set(&err, RA_ERR_NOMEM, "-M learn: out of memory");
			report(&err);
			return -1;
		}
	} else if (!client_put_flow(&r->c, rec, len, f, &err)) {
		report(&err);
		return -1;
	}
	return 0;
}

static int run_inputs(struct run *r)
{
	r->loop.ctx = r;
	r->loop.report = loop_report;
	r->loop.take = label;
	r->loop.flow = one;
	return client_each_flow(&r->c, &r->loop);
}

/* -M learn: the signatures, one a line, on standard output. */
static int print_learnt(struct run *r)
{
	struct svc_sig *v;
	uint64_t dropped;
	size_t n = learn_result(r->learn, r->sigs, r->learn_min, &v, &dropped);
	char line[256];

	if (!v) {
		fprintf(stderr, "raservices: -M learn: out of memory\n");
		return 1;
	}
	printf("# raservices -M learn: %zu signatures from %llu flows (groups of at least %u)\n", n,
	       (unsigned long long)r->loop.out, r->learn_min);
	for (size_t i = 0; i < n; i++)
		if (svc_format(&v[i], line, sizeof(line)))
			printf("%s\n", line);
	free(v);
	if (dropped)
		fprintf(stderr, "raservices: -M learn: %llu flows of new groups past the table's cap not counted\n",
			(unsigned long long)dropped);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* -M learn or learn=N among the -M words; false on a bad N. */
static bool learn_mode(struct run *r, struct ra_err *err)
{
	for (int i = 0; i < r->c.o.nmodes; i++) {
		const char *m = r->c.o.modes[i];
		char *end;
		unsigned long v;
		if (strcmp(m, "learn") == 0) {
			r->learn_min = 2;
		} else if (strncmp(m, "learn=", 6) == 0) {
			v = strtoul(m + 6, &end, 10);
			if (!m[6] || *end || v < 1 || v > 0xffffffffUL) {
				ra_err_set(err, RA_ERR_USAGE, "-M %s: the count must be a positive number", m);
				return false;
			}
			r->learn_min = (uint32_t)v;
		} else {
			ra_err_set(err, RA_ERR_USAGE, "-M %s: raservices knows learn and learn=N", m);
			return false;
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	struct run r;
	struct svc_owned own;
	struct ra_err err;
	int rc, status, nargs = 0;
	const char *sigfile = NULL;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	char buf[1200];
	bool filter = false;

	memset(&r, 0, sizeof(r));
	memset(&own, 0, sizeof(own));
	ra_err_clear(&err);
	if (!args)
		return 1;
	/* -f file is raservices' own (Argus's letter); the rest are ra's */
	for (int i = 0; i < argc; i++) {
		if (!filter && (strcmp(argv[i], "-") == 0 || strcmp(argv[i], "--") == 0))
			filter = true;
		if (!filter && i > 0 && strcmp(argv[i], "-f") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "raservices: option -f needs a signature file\n");
				free(args);
				return 2;
			}
			sigfile = argv[++i];
			continue;
		}
		args[nargs++] = argv[i];
	}
	rc = ra_opts_parse(&r.c.o, "raservices", "", nargs, args, &err);
	free(args);
	if (rc == 0 && !learn_mode(&r, &err))
		rc = -1;
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&r.c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	r.sigs = svc_builtin();
	if (sigfile) {
		if (!svc_load(sigfile, &own, &err)) {
			report(&err);
			client_close(&r.c, 0, &err);
			return 2;
		}
		r.sigs = &own.t;
	}
	if (r.learn_min) {
		r.learn = learn_new();
		if (!r.learn) {
			fprintf(stderr, "raservices: out of memory\n");
			return 1;
		}
		r.c.o.wfile = NULL;
	}
	status = client_open(&r.c, "raservices", default_fields,
			     (int)(sizeof(default_fields) / sizeof(*default_fields)), !r.learn, &err);
	if (status != 0) {
		fprintf(stderr, "raservices: %s\n", client_error_text(&r.c, &err, buf, sizeof(buf)));
		client_close(&r.c, status, &err);
		learn_free(r.learn);
		svc_free(&own);
		return status;
	}
	status = run_inputs(&r);
	if (r.learn && status != 1) {
		int ls = print_learnt(&r);
		if (ls)
			status = ls;
	}
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		report(&err);
	learn_free(r.learn);
	svc_free(&own);
	return rc;
}
