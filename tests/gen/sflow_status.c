/*
 * sflow_status.c - prints the status records of a record stream, one item
 * a line, so tests and the benchmark can check what the sFlow input
 * reported, independently of ra's status printer (ra - man):
 *
 *   KIND SOURCE KEY AUX VALUE
 *
 * KIND is daemon, agent or iface; SOURCE the agent address or "-".  With
 * -k KIND -K KEY it prints only the sum of that key over matching items.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "record.h"
#include "stream.h"

static const char *kind_name(unsigned k)
{
	return k == RA_STATUS_DAEMON ? "daemon" : k == RA_STATUS_AGENT ? "agent" :
	       k == RA_STATUS_IFACE ? "iface" : "other";
}

int main(int argc, char **argv)
{
	static struct ra_status st;
	struct ra_reader *r = ra_reader_new();
	struct ra_err err;
	const uint8_t *rec;
	size_t len;
	const char *want_kind = NULL;
	long want_key = -1;
	unsigned long long sum = 0;
	int i = 1;

	ra_err_clear(&err);
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-k") == 0)
			want_kind = argv[i + 1];
		else if (strcmp(argv[i], "-K") == 0)
			want_key = strtol(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (!r || i >= argc) {
		fprintf(stderr, "usage: sflow_status [-k kind -K key] file...\n");
		return 2;
	}
	for (; i < argc; i++)
		if (!ra_reader_add(r, argv[i], false, &err)) {
			fprintf(stderr, "sflow_status: %s: %s\n", argv[i], err.msg);
			return 1;
		}
	for (;;) {
		enum ra_read_result rr = ra_reader_next(r, &rec, &len, &err);
		uint16_t type, flen;
		char src[64];

		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			fprintf(stderr, "sflow_status: %s\n", err.msg);
			return 1;
		}
		ra_frame(rec, &type, &flen);
		if (type != RA_REC_STATUS)
			continue;
		if (!ra_decode_status(rec, len, &st, &err)) {
			fprintf(stderr, "sflow_status: %s\n", err.msg);
			return 1;
		}
		if (st.family) {
			size_t n = fmt_addr(src, st.family, &st.source);
			src[n] = '\0';
		} else {
			memcpy(src, "-", 2);
		}
		for (unsigned j = 0; j < st.nitems; j++) {
			if (want_kind && strcmp(want_kind, kind_name(st.kind)) != 0)
				continue;
			if (want_key >= 0) {
				if (st.items[j].key == (uint32_t)want_key)
					sum += st.items[j].value;
				continue;
			}
			printf("%s %s %u %u %llu\n", kind_name(st.kind), src, st.items[j].key,
			       st.items[j].aux, (unsigned long long)st.items[j].value);
		}
	}
	if (want_key >= 0)
		printf("%llu\n", sum);
	ra_reader_free(r);
	return 0;
}
