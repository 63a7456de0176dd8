/* test_options.c - the shared command line, -s columns, rarc files, and the printer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "options.h"
#include "units.h"
#include "printer.h"
#include "../tests/unit/tap.h"

static int parse(struct ra_opts *o, const char *line, struct ra_err *err)
{
	static char buf[512];
	char *argv[64];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 63; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	return ra_opts_parse(o, "ra", "b", argc, argv, err);
}

/* Print one flow through a printer into a string. */
static const char *print(const struct printer_opts *po, const char *const *names, int n, const struct ra_flow *f)
{
	static char out[4096];
	struct column cols[16];
	struct ra_err err;
	int fds[2];
	ssize_t got;
	struct printer *p;

	for (int i = 0; i < n; i++) {
		cols[i].fd = fld_lookup(names[i]);
		cols[i].width = cols[i].fd->width;
		cols[i].limit = 0;
	}
	if (pipe(fds) != 0)
		return "";
	p = printer_new(po, cols, n, fds[1], &err);
	printer_flow(p, f, &err);
	printer_flush(p, &err);
	printer_free(p);
	close(fds[1]);
	got = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	out[got > 0 ? got : 0] = '\0';
	return out;
}

int main(void)
{
	struct ra_opts o;
	struct ra_err err;
	struct column cols[RA_MAX_COLS];
	static const char *const defs[] = { "stime", "saddr", "daddr", "bytes" };
	char path[] = "/tmp/test_options.XXXXXX";
	int n, fd;

	setenv("HOME", "/nonexistent", 1);
	tap_plan(38);

	ok(parse(&o, "ra -r a b c -s saddr daddr -n - tcp and port 80", &err) == 0, "parse a typical line");
	is_int(o.ninputs, 3, "-r takes every following word");
	is_int(o.nfields, 2, "-s takes a list");
	is_str(o.filter, "tcp and port 80", "the filter follows a lone -");
	is_int(o.pr.fmt.numeric, 1, "-n counted");
	ra_opts_free(&o);

	ok(parse(&o, "ra -r - -w - -- not udp", &err) == 0 && !strcmp(o.inputs[0], "-") && !strcmp(o.wfile, "-") &&
	   !strcmp(o.filter, "not udp"), "'-r -' is stdin, '-w -' stdout, '--' starts the filter");
	ra_opts_free(&o);
	ok(parse(&o, "ra -nnuq -L-1 -N5", &err) == 0 && o.pr.fmt.numeric == 2 && o.pr.fmt.epoch && o.quiet &&
	   o.pr.labels == -1 && o.max_records == 5, "clustered flags and attached values");
	ra_opts_free(&o);
	ok(parse(&o, "ra -s -dur +sport", &err) == 0 && o.nfields == 2, "-s: the first word may start with -");
	ra_opts_free(&o);
	ok(parse(&o, "ra -s saddr -state", &err) == 0 && o.nfields == 2 && !strcmp(o.fields[1], "tate"),
	   "a later word starting with - is an option: -state is -s tate, as getopt reads it");
	ra_opts_free(&o);
	ok(parse(&o, "ra - tcp -n and -s saddr,daddr dur -N 3 port 80", &err) == 0 &&
	   !strcmp(o.filter, "tcp and port 80") && o.nfields == 3 && !strcmp(o.fields[1], "daddr") && o.max_records == 3 && o.pr.fmt.numeric == 1,
	   "options between filter words; -s splits at commas and takes words up to the next option");
	ra_opts_free(&o);
	ok(parse(&o, "ra udp -n -r f -- -s", &err) == 0 && !strcmp(o.filter, "udp -s") && o.nfields == 0,
	   "filter words without '-'; after '--' nothing is an option");
	ra_opts_free(&o);
	ok(parse(&o, "ra - tcp - udp", &err) == -1 && strstr(err.msg, "second lone '-'"), "a second lone - is refused");
	ok(parse(&o, "ra -w out tcp -t 2020/01/01 - 2020/01/02", &err) == 0 && !strcmp(o.wfilter, "tcp") &&
	   !o.filter[0] && o.trange.set, "-w file filter; -t a - b");
	ra_opts_free(&o);
	ok(parse(&o, "ra -Y", &err) == -1 && strstr(err.msg, "unknown option -Y"), "an unknown letter is refused");
	ok(parse(&o, "ra -w", &err) == -1 && strstr(err.msg, "needs an argument"), "a missing argument is refused");
	ok(parse(&o, "ra -h", &err) == 1, "-h asks for usage");
	ok(parse(&o, "ra -p 12", &err) == -1, "-p beyond 9 digits is refused");

	parse(&o, "ra -s +trans -s -state saddr:20", &err);
	n = ra_opts_columns(&o, defs, 4, cols, &err);
	is_int(n, 2, "a plain name replaces the defaults after +/- applied");
	ra_opts_free(&o);
	parse(&o, "ra -s +trans -s-bytes", &err);
	n = ra_opts_columns(&o, defs, 4, cols, &err);
	ok(n == 4 && cols[3].fd->id == F_TRANS && cols[2].fd->id == F_DADDR, "+ adds at the end, - removes");
	ra_opts_free(&o);
	parse(&o, "ra -s saddr:30 +1proto", &err);
	n = ra_opts_columns(&o, defs, 4, cols, &err);
	ok(n == 2 && cols[0].fd->id == F_PROTO && cols[1].width == 30, "+N inserts at a position; :width sets a width");
	ra_opts_free(&o);
	parse(&o, "ra -s saddr:0", &err);
	ok(ra_opts_columns(&o, defs, 4, cols, &err) == -1, "a zero width is refused");
	ra_opts_free(&o);

	/* rarc */
	fd = mkstemp(path);
	if (fd >= 0) {
		const char *rc = "# settings\nRA_TIME_FORMAT = \"%H:%M\"\nRA_FIELD_DELIMITER=|\nRA_ARGUS_SERVERPORT=561\n";
		if (write(fd, rc, strlen(rc)) < 0)
			return 1;
		close(fd);
	}
	parse(&o, "ra", &err);
	ok(ra_rarc_load(&o, path, false, &err) && !strcmp(o.time_format, "%H:%M") && o.pr.mode == OUT_CSV &&
	   o.pr.delim == '|', "rarc: quoted values, spaces around =, Argus variables we do not use");
	ra_opts_free(&o);
	ok(!ra_rarc_load(&o, "/nonexistent/rc", false, &err), "a missing -F file is an error");
	ok(ra_rarc_load(&o, "/nonexistent/rc", true, &err), "a missing ~/.rarc is not");
	unlink(path);

	/* printer */
	{
		struct printer_opts po;
		struct ra_flow f;
		static const char *const two[] = { "saddr", "suser" };
		static const char *const three[] = { "saddr", "pkts", "state" };
		static const uint8_t pay[] = "a,\"b\"\n\x01";

		memset(&po, 0, sizeof(po));
		fmt_opts_default(&po.fmt);
		ra_flow_init(&f);
		f.family = RA_AF_INET; f.saddr.v4 = 0x0a000001; f.spkts = 3; f.state = RA_ST_INT;
		RA_SET(&f, RA_BLK_PAYLOAD_SRC);
		f.spayload = pay; f.spaylen = sizeof(pay) - 1;
		po.mode = OUT_TEXT; po.labels = 0;
		is_str(print(&po, three, 3, &f),
		       "        SrcAddr  TotPkts State\n       10.0.0.1        3 INT\n", "text: right-aligned, labels, left-aligned state");
		po.labels = -1;
		po.mode = OUT_CSV; po.delim = ',';
		is_str(print(&po, two, 2, &f), "10.0.0.1,\"s[7]=a,\"\"b\"\"..\"\n", "CSV quotes a value holding the delimiter and quotes");
		po.mode = OUT_JSON;
		is_str(print(&po, three, 3, &f), "{\"saddr\":\"10.0.0.1\",\"pkts\":3,\"state\":\"INT\"}\n", "JSON line");
		is_str(print(&po, two, 2, &f), "{\"saddr\":\"10.0.0.1\",\"suser\":\"s[7]=a,\\\"b\\\"..\"}\n", "JSON escapes quotes");
		po.mode = OUT_TEXT;
		f.family = RA_AF_INET6;
		memset(f.saddr.v6, 0x11, 16);
		{
			static const char *const one[] = { "saddr" };
			is_str(print(&po, one, 1, &f), "1111:1111:1111:1111:1111:1111:1111:1111\n", "a wide value widens its column");
		}
		po.labels = 0;
		po.mode = OUT_CSV;
		is_str(print(&po, three, 3, &f), "SrcAddr,TotPkts,State\n1111:1111:1111:1111:1111:1111:1111:1111,3,INT\n", "CSV labels");
	}
	/* sizes and durations */
	{
		uint64_t v = 0;
		ok(ra_parse_size("512M", SIZE_MAX, &v) && v == 512ull << 20, "sizes: 512M");
		ok(!ra_parse_size("3G", 1ull << 31, &v) && !ra_parse_size("0", 100, &v) &&
		   !ra_parse_size("12x", 100, &v) && !ra_parse_size("1kk", 1 << 20, &v),
		   "sizes: too large, zero, unknown or doubled suffix refused");
		ok(ra_parse_seconds("5m", 86400, &v) && v == 300000000ull, "durations: 5m is 300 s in microseconds");
		ok(!ra_parse_seconds("2d", 86400, &v) && !ra_parse_seconds("-1", 86400, &v),
		   "durations: past the limit or negative refused");
	}

	/* error values and the client's filter message */
	{
		struct ra_err e;
		char buf[700];
		ra_err_clear(&e);
		ra_err_set(&e, RA_ERR_TRUNCATED, "file ends inside a record (%u of %u bytes present)", 20u, 64u);
		ra_err_where(&e, "day.argus", 4096, 63);
		is_str(ra_err_string(&e, buf, sizeof(buf)),
		       "day.argus: byte 4096 (record 63): file ends inside a record (20 of 64 bytes present)",
		       "an error names the file, the byte offset and the record");
		e.recno = 0;
		is_str(ra_err_string(&e, buf, sizeof(buf)), "day.argus: byte 4096: file ends inside a record (20 of 64 bytes present)",
		       "without a record number");
		ra_err_clear(&e);
		ra_err_set(&e, RA_ERR_USAGE, "column 10: expected a port number or name after 'port', found 'foo'");
		e.offset = 10;
		is_str(client_filter_message("tcp port foo", &e, buf, sizeof(buf)),
		       "filter: column 10: expected a port number or name after 'port', found 'foo'\n  tcp port foo\n           ^",
		       "a filter error shows the expression and a caret under the column");
		{
			struct client c;
			memset(&c, 0, sizeof(c));
			parse(&c.o, "ra - tcp and port foo", &e);
			ok(client_filter(&c, &e) == 2 && c.filter_error && e.offset == 14, "client_filter: exit 2, the column");
			client_close(&c, 2, &e);
		}
	}
	return tap_done();
}
