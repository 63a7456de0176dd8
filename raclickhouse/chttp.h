/*
 * chttp.h - one ClickHouse server over its HTTP interface, through libcurl:
 * statements, INSERTs with a binary body, and the server's answers, with
 * failures sorted into "the server is away, try again" and "the server
 * refuses this, stop".  Credentials go in HTTP basic authentication and
 * never into a message.
 */
#ifndef RACLICKHOUSE_CHTTP_H
#define RACLICKHOUSE_CHTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum ch_result {
	CH_OK = 0,
	CH_AWAY,	/* not reached, connection lost, or a passing server error: try again */
	CH_REFUSED,	/* the server refused the statement: its error text is in err */
};

struct ch_conn;

/* base: "http://host:port" (no path); user may be NULL. */
struct ch_conn *ch_conn_new(const char *base, const char *user, const char *password, struct ra_err *err);
void ch_conn_free(struct ch_conn *c);
/* Settings sent with every statement that has a body: "name=value&name=value&". */
void ch_conn_settings(struct ch_conn *c, const char *settings);

/*
 * Run a statement.  sql goes in the URL's query parameter when body is
 * given (an INSERT and its data), else as the POST body.  On CH_OK the
 * answer is in *answer (NUL-terminated, *answer_len bytes, valid until
 * the next call; pass NULL when not wanted).  Otherwise err says what
 * happened: the server's own error text on one line, or libcurl's.
 */
enum ch_result ch_run(struct ch_conn *c, const char *sql, const uint8_t *body, size_t n,
		      const char **answer, size_t *answer_len, struct ra_err *err);

#endif
