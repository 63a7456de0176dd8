/*
 * conf.h - raclickhouse's command line beyond the common options: the
 * table URL (-w), its -M words, and the login (-U, or RA_DB_USER and
 * RA_DB_PASS in ~/.rarc or the -F file).
 */
#ifndef RACLICKHOUSE_CONF_H
#define RACLICKHOUSE_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "schema.h"

struct conf {
	char base[512];		/* "http://host:port", without any user:password@ */
	char where[704];	/* base + "/db.table": what messages name */
	char db[64], table[64];
	char *user, *password;	/* never printed */
	bool create, print_schema, drain_only;
	const char *spool;
	uint64_t spool_max;
	uint32_t batch_rows;
	unsigned wait_s;
	unsigned senders;	/* INSERTs at once */
};

/* Parse argv into o and cf.  Returns 0, 1 for -h, -1 on a usage error (err). */
int conf_parse(struct conf *cf, struct ra_opts *o, int argc, char **argv, struct ra_err *err);
void conf_free(struct conf *cf);

/* A hash of the columns and their types: a spool is read back only by the same layout. */
uint64_t conf_schema_hash(const struct ch_schema *s);

#endif
