/* test_stream.c - writer and reader: round trips, gzip, concatenation, damage. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream.h"
#include "../tests/unit/tap.h"

static char dir[] = "/tmp/test_stream.XXXXXX";

static const char *path(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static bool write_flows(const char *p, int n, bool gz)
{
	struct ra_err err;
	struct ra_writer *w = ra_writer_open(p, gz, false, "test", &err);
	struct ra_flow f;

	if (!w)
		return false;
	for (int i = 0; i < n; i++) {
		ra_flow_init(&f);
		f.family = RA_AF_INET;
		f.proto = 17;
		f.stime = 1000000ull * (uint64_t)(i + 1);
		f.ltime = f.stime;
		f.sport = (uint16_t)i;
		f.spkts = 1;
		if (!ra_writer_put_flow(w, &f, &err))
			return false;
	}
	return ra_writer_close(w, &err);
}

/* Read everything; returns the number of flows and the sum of sports. */
static long read_all(const char **paths, int n, bool is_dir, long *sum, struct ra_err *last)
{
	struct ra_reader *r = ra_reader_new();
	struct ra_err err;
	struct ra_flow f;
	const uint8_t *rec;
	size_t len;
	long count = 0;
	enum ra_read_result rr;

	*sum = 0;
	ra_err_clear(last);
	ra_flow_init(&f);
	for (int i = 0; i < n; i++)
		ra_reader_add(r, paths[i], is_dir, &err);
	while ((rr = ra_reader_next(r, &rec, &len, &err)) != RA_READ_END) {
		if (rr == RA_READ_ERROR) {
			*last = err;
			continue;
		}
		if (rec[0] == RA_REC_FLOW && ra_decode_flow(rec, len, &f, &err)) {
			count++;
			*sum += f.sport;
		}
	}
	ra_reader_free(r);
	return count;
}

static void append(const char *dst, const char *src, long limit)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "ab");
	int ch;
	long n = 0;
	while (in && out && (limit < 0 || n < limit) && (ch = fgetc(in)) != EOF) {
		fputc(ch, out);
		n++;
	}
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

int main(void)
{
	struct ra_err err;
	long sum;
	const char *p[3];

	if (!mkdtemp(dir))
		return 1;
	tap_plan(17);

	ok(write_flows(path("a"), 3000, false), "write 3000 flows");
	p[0] = path("a");
	is_int(read_all(p, 1, false, &sum, &err), 3000, "read them back");
	is_int(err.code, RA_OK, "without an error");

	ok(write_flows(path("a.gz"), 3000, false), "write through a .gz name");
	{
		FILE *fp = fopen(path("a.gz"), "rb");
		int b0 = fp ? fgetc(fp) : -1, b1 = fp ? fgetc(fp) : -1;
		if (fp)
			fclose(fp);
		ok(b0 == 0x1f && b1 == 0x8b, "a .gz name gets gzip bytes");
	}
	p[0] = path("a.gz");
	is_int(read_all(p, 1, false, &sum, &err), 3000, "gzip is read transparently");

	ok(write_flows(path("b"), 10, false), "a second file");
	append(path("ab"), path("a"), -1);
	append(path("ab"), path("b"), -1);
	p[0] = path("ab");
	is_int(read_all(p, 1, false, &sum, &err), 3010, "cat a b: a stream header mid-stream is accepted");

	ok(write_flows(path("a"), 5, false), "-w truncates an existing file");
	p[0] = path("a");
	is_int(read_all(p, 1, false, &sum, &err), 5, "and never appends");

	/* truncated: the header (48) and 2 whole 64-byte records and half a third */
	append(path("cut"), path("b"), 48 + 64 * 2 + 30);
	p[0] = path("cut");
	is_int(read_all(p, 1, false, &sum, &err), 2, "records before the damage are delivered");
	ok(err.code == RA_ERR_TRUNCATED && err.offset == 48 + 128 && err.recno == 3,
	   "truncation reported at byte 176, record 3");

	/* not a record stream */
	{
		FILE *fp = fopen(path("text"), "w");
		if (fp) {
			fputs("hello, this is text\n", fp);
			fclose(fp);
		}
	}
	p[0] = path("text");
	read_all(p, 1, false, &sum, &err);
	ok(err.code == RA_ERR_FORMAT && strstr(err.msg, "text"), "a text file is named as text");

	/* a directory: files in name order, including a subdirectory */
	mkdir(path("d"), 0755);
	mkdir(path("d/sub"), 0755);
	write_flows(path("d/2"), 4, false);
	write_flows(path("d/1"), 3, false);
	write_flows(path("d/sub/3"), 2, false);
	write_flows(path("d/.hidden"), 100, false);
	p[0] = path("d");
	is_int(read_all(p, 1, true, &sum, &err), 9, "-R reads every file below, skipping dot files");

	/* several inputs, one missing: the others are still read */
	p[0] = path("b");
	p[1] = path("missing");
	p[2] = path("b");
	is_int(read_all(p, 3, false, &sum, &err), 20, "a missing input does not stop the others");
	ok(err.code == RA_ERR_IO && strstr(err.path, "missing"), "and is named");

	/* a corrupt gzip stream */
	append(path("badgz"), path("a.gz"), 100);
	p[0] = path("badgz");
	read_all(p, 1, false, &sum, &err);
	ok(err.code == RA_ERR_TRUNCATED || err.code == RA_ERR_FORMAT, "a cut gzip stream is an error");
	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return tap_done();
}
