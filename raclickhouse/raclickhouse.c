/*
 * raclickhouse.c - read flow records, filter them, and insert them into a
 * ClickHouse table over its HTTP interface, in batches of its Native format.
 *
 *   raclickhouse -r day.argus -w http://127.0.0.1:8123/flows.records -M create
 *   raclickhouse -M schema -w http://127.0.0.1:8123/flows.records
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "conf.h"
#include "native.h"
#include "senders.h"

static volatile sig_atomic_t got_usr1, got_stop;
static volatile int stop_flag;

static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		got_usr1 = 1;
	} else {
		got_stop = 1;
		stop_flag = 1;
	}
}

static void usage(FILE *fp)
{
	fprintf(fp, "usage: raclickhouse -w http://host:8123/db.table [options] [-r file ...] [- filter]\n"
		"Insert flow records into a ClickHouse table (Native format over HTTP).\n%s"
		"  -U user[:password]  log in as this user (or RA_DB_USER, RA_DB_PASS in the rarc)\n"
		"  -M create           create the database, the table and its rollups if missing\n"
		"  -M schema           print the statements that create them, and exit\n"
		"  -M drain            read no input: only -M create, and send what the spool holds\n"
		"  -M spool=file       keep batches in this file while the server is away\n"
		"  -M spoolmax=bytes   the spool's bound (k, m, g suffixes; default 1g)\n"
		"  -M batch=rows       rows per INSERT (default 262144)\n"
		"  -M wait=seconds     how long the server may be away (default 300)\n"
		"  -M senders=n        batches sent at once, each on its connection (default 2)\n"
		"SIGUSR1 prints the counters; SIGINT and SIGTERM send what was read, then stop.\n",
		ra_common_usage);
}

static void report(const char *where, const struct ra_err *e)
{
	char buf[900];

	if (where)
		fprintf(stderr, "raclickhouse: %s: %s\n", where, ra_err_string(e, buf, sizeof(buf)));
	else
		fprintf(stderr, "raclickhouse: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

struct run {
	struct client c;
	struct conf cf;
	struct ch_schema schema;
	struct spool *spool;
	struct senders snd;
	bool snd_ready;
	struct batch *b;		/* the batch being filled */
	struct ch_builder bld;		/* its rows, column by column */
	uint64_t next_id;
	uint64_t read;
	size_t batch_bytes;
};

static void counters(struct run *r)
{
	struct ship_counts n = { 0, 0, 0, 0 };
	uint64_t waiting = 0;

	if (r->snd_ready) {
		n = senders_counts(&r->snd);
		pthread_mutex_lock(&r->snd.mu);
		waiting = r->spool ? spool_rows(r->spool) : 0;
		pthread_mutex_unlock(&r->snd.mu);
	}
	fprintf(stderr, "raclickhouse: %llu records read, %llu sent, %llu retried, %llu spooled, %llu dropped",
		(unsigned long long)r->read, (unsigned long long)n.sent, (unsigned long long)n.retried,
		(unsigned long long)n.spooled, (unsigned long long)n.dropped);
	if (r->spool)
		fprintf(stderr, ", %llu waiting in the spool", (unsigned long long)waiting);
	fputc('\n', stderr);
}

/* Run -M create's statements. */
static int create(struct run *r)
{
	static char sql[65536];
	struct ra_err err;
	size_t n = ch_create_sql(&r->schema, r->cf.db, r->cf.table, sql, sizeof(sql));

	ra_err_clear(&err);
	for (const char *s = sql; n && *s; s += strlen(s) + 1) {
		enum ch_result cr = ch_run(r->snd.sh[0].conn, s, NULL, 0, NULL, NULL, &err);
		if (cr != CH_OK) {
			report(r->cf.where, &err);
			return 1;
		}
	}
	return 0;
}

/* Hand the batch being filled to the senders and take an empty one; false once a sender failed. */
static bool flush(struct run *r)
{
	if (r->b->rows == 0)
		return true;
	r->b->len = ch_builder_emit(&r->bld, r->b->buf);
	senders_put(&r->snd, r->b);
	r->b = senders_get(&r->snd);
	return r->b != NULL;
}

/* After the input: wait for the senders, then for the spool to empty. */
static int finish(struct run *r, int status)
{
	struct ra_err err;

	ra_err_clear(&err);
	if (r->b && r->b->rows > 0) {
		r->b->len = ch_builder_emit(&r->bld, r->b->buf);
		senders_put(&r->snd, r->b);
		r->b = NULL;
	}
	if (!senders_finish(&r->snd, &err)) {
		report(r->cf.where, &err);
		return 1;
	}
	if (r->spool) {
		int d = ship_drain(&r->snd.sh[0], !got_stop, &err);
		if (d < 0) {
			report(r->cf.where, &err);
			return 1;
		}
		if (d == 0) {
			fprintf(stderr, "raclickhouse: %s: the server is away (%s): %llu records kept in %s for the next run\n",
				r->cf.where, err.msg, (unsigned long long)spool_rows(r->spool), r->cf.spool);
			return 1;
		}
	}
	return status;
}

static int run_inputs(struct run *r)
{
	struct ra_flow flow;
	int status = 0;
	bool have_filter = r->c.o.filter[0] != '\0';

	ra_flow_init(&flow);
	r->b = senders_get(&r->snd);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		struct ra_err err;
		enum ra_read_result rr;
		struct batch *b = r->b;

		if (got_usr1) {
			got_usr1 = 0;
			counters(r);
		}
		if (got_stop || !b)
			break;
		ra_err_clear(&err);
		rr = ra_reader_next(r->c.rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report(NULL, &err);
			status = 1;
			continue;
		}
		if ((rec[0] | rec[1] << 8) != RA_REC_FLOW)
			continue;
		if (!ra_decode_flow(rec, len, &flow, &err)) {
			ra_err_where(&err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd),
				     ra_reader_recno(r->c.rd));
			report(NULL, &err);
			ra_reader_abandon(r->c.rd);
			status = 1;
			continue;
		}
		if (!ra_time_range_match(&r->c.o.trange, flow.stime, flow.ltime))
			continue;
		if (have_filter && !flt_match(r->c.flt, &flow))
			continue;
		if (r->c.o.max_records && r->read >= r->c.o.max_records)
			break;
		if (b->rows == 0) {
			b->id = r->next_id++;
			b->tmin = b->tmax = flow.stime;
		}
		if (flow.stime < b->tmin)
			b->tmin = flow.stime;
		if (flow.stime > b->tmax)
			b->tmax = flow.stime;
		if (!ch_builder_add(&r->bld, &flow, b->id)) {
			fprintf(stderr, "raclickhouse: out of memory for a batch's captured payload\n");
			status = 1;
			break;
		}
		b->rows++;
		r->read++;
		if (b->rows >= r->cf.batch_rows || r->bld.bytes >= r->batch_bytes)
			flush(r);
	}
	return finish(r, status);
}

/* A batch identity unique across runs: random high bits, a counter below. */
static uint64_t first_id(void)
{
	uint64_t v = 0;
	FILE *fp = fopen("/dev/urandom", "rb");

	if (!fp || fread(&v, sizeof(v), 1, fp) != 1)
		v = (uint64_t)getpid() << 40 ^ (uint64_t)ship_now() * 1000003u;
	if (fp)
		fclose(fp);
	return (v & ~0xffffffull) >> 1;	/* below 2^63: ClickHouse prints it as is */
}

static int setup(struct run *r, int argc, char **argv)
{
	struct ra_err err;
	int rc;

	ra_err_clear(&err);
	rc = conf_parse(&r->cf, &r->c.o, argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(NULL, &err);
		return rc == 1 ? 0 : 2;
	}
	ch_schema_init(&r->schema);
	if (r->cf.print_schema) {
		static char sql[65536];
		size_t n = ch_create_sql(&r->schema, r->cf.db, r->cf.table, sql, sizeof(sql));
		for (const char *s = sql; n && *s; s += strlen(s) + 1)
			printf("%s;\n", s);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (r->cf.drain_only) {
		r->c.o.ninputs = 0;
		rc = client_filter(&r->c, &err);
	} else {
		rc = client_open(&r->c, "raclickhouse", NULL, 0, false, &err);
	}
	if (rc != 0) {
		char buf[1200];
		fprintf(stderr, "raclickhouse: %s\n", client_error_text(&r->c, &err, buf, sizeof(buf)));
		return rc;
	}
	if (r->cf.spool) {
		r->spool = spool_open(r->cf.spool, r->cf.spool_max, conf_schema_hash(&r->schema), &err);
		if (!r->spool) {
			report(NULL, &err);
			return 1;
		}
	}
	r->batch_bytes = 64u << 20;
	if (!ch_builder_init(&r->bld, &r->schema, r->cf.batch_rows)) {
		fprintf(stderr, "raclickhouse: out of memory for a batch of %u rows\n", r->cf.batch_rows);
		return 1;
	}
	if (!senders_init(&r->snd, (int)r->cf.senders, &r->cf, &r->schema, r->spool, &stop_flag,
			  r->batch_bytes + r->bld.head + r->schema.row_max, &err)) {
		report(NULL, &err);
		return 1;
	}
	r->snd_ready = true;
	r->next_id = first_id();
	if (r->cf.create && create(r) != 0)
		return 1;
	return -1;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct sigaction sa;
	struct ra_err err;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	status = setup(&r, argc, argv);
	if (status < 0) {
		/* a spool left by an earlier run goes first */
		ra_err_clear(&err);
		if (r.spool && spool_batches(r.spool) > 0 && ship_drain(&r.snd.sh[0], false, &err) < 0) {
			report(r.cf.where, &err);
			status = 1;
		} else if (r.cf.drain_only) {
			status = 0;
			if (r.spool && ship_drain(&r.snd.sh[0], true, &err) != 1) {
				report(r.cf.where, &err);
				status = 1;
			}
		} else if (!senders_start(&r.snd, &err)) {
			report(NULL, &err);
			status = 1;
		} else {
			status = run_inputs(&r);
		}
		for (int i = 0; i < r.snd.n; i++)
			if (r.snd.sh[i].damaged && status == 0)
				status = 1;
		counters(&r);
	}
	ra_err_clear(&err);
	client_close(&r.c, status, &err);
	if (r.snd_ready)
		senders_free(&r.snd);
	ch_builder_free(&r.bld);
	spool_close(r.spool);
	conf_free(&r.cf);
	return status;
}
