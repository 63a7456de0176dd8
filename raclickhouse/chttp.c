/*
 * chttp.c - ClickHouse's HTTP interface through one reused libcurl handle
 * (one kept-alive connection).
 *
 * The server answers 200 with the result, or an error status with its
 * exception text ("Code: 60, e.displayText() = DB::Exception: Table
 * flows.x doesn't exist., e.what() = DB::Exception").  Errors that a later
 * attempt may not meet (the server going down or up, too many parts, out
 * of memory) are CH_AWAY; the rest are the caller's to report.
 */
#include "config.h"

#include "chttp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_MAX (256u << 20)	/* the largest answer kept: batchrow lists of big batches */

struct ch_conn {
	CURL *curl;
	char base[512];
	char *url;		/* base + "/?query=" + the escaped statement */
	size_t url_cap;
	char *answer;
	size_t alen, acap;
	bool too_long;
	char curl_err[CURL_ERROR_SIZE];
	char settings[256];	/* "name=value&" for the statements with a body */
};

static size_t on_answer(char *p, size_t size, size_t nmemb, void *arg)
{
	struct ch_conn *c = arg;
	size_t n = size * nmemb;

	if (c->alen + n + 1 > c->acap) {
		size_t cap = c->acap ? c->acap : 4096;
		while (cap < c->alen + n + 1)
			cap *= 2;
		if (cap > ANSWER_MAX) {
			c->too_long = true;
			return 0;
		}
		char *a = realloc(c->answer, cap);
		if (!a)
			return 0;
		c->answer = a;
		c->acap = cap;
	}
	memcpy(c->answer + c->alen, p, n);
	c->alen += n;
	c->answer[c->alen] = '\0';
	return n;
}

struct ch_conn *ch_conn_new(const char *base, const char *user, const char *password, struct ra_err *err)
{
	static bool curl_ready;
	struct ch_conn *c;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			ra_err_set(err, RA_ERR_IO, "libcurl could not start");
			return NULL;
		}
		curl_ready = true;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->curl = curl_easy_init())) {
		free(c);
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	snprintf(c->base, sizeof(c->base), "%s", base);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	/* a server that stops answering for two minutes is away */
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(c->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->curl_err);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
	if (user && *user) {
		curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c->curl, CURLOPT_USERNAME, user);
		curl_easy_setopt(c->curl, CURLOPT_PASSWORD, password ? password : "");
	}
	return c;
}

void ch_conn_settings(struct ch_conn *c, const char *settings)
{
	snprintf(c->settings, sizeof(c->settings), "%s", settings);
}

void ch_conn_free(struct ch_conn *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c->url);
	free(c->answer);
	free(c);
}

/* The server's text on one line: newlines become spaces, trailing space goes. */
static void one_line(const char *in, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < cap; i++)
		out[k++] = in[i] == '\n' || in[i] == '\r' || in[i] == '\t' ? ' ' : in[i];
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

/* ClickHouse's error codes that a later attempt may not meet. */
static bool passing_code(long code)
{
	switch (code) {
	case 159:	/* TIMEOUT_EXCEEDED */
	case 202:	/* TOO_MANY_SIMULTANEOUS_QUERIES */
	case 203:	/* NO_FREE_CONNECTION */
	case 209:	/* SOCKET_TIMEOUT */
	case 210:	/* NETWORK_ERROR */
	case 236:	/* ABORTED */
	case 241:	/* MEMORY_LIMIT_EXCEEDED */
	case 252:	/* TOO_MANY_PARTS */
	case 394:	/* QUERY_WAS_CANCELLED */
		return true;
	default:
		return false;
	}
}

static bool set_url(struct ch_conn *c, const char *sql, struct ra_err *err)
{
	char *esc = curl_easy_escape(c->curl, sql, 0);
	size_t need;

	if (!esc) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	need = strlen(c->base) + strlen(c->settings) + strlen(esc) + 16;
	if (need > c->url_cap) {
		char *u = realloc(c->url, need);
		if (!u) {
			curl_free(esc);
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return false;
		}
		c->url = u;
		c->url_cap = need;
	}
	snprintf(c->url, c->url_cap, "%s/?%squery=%s", c->base, c->settings, esc);
	curl_free(esc);
	return true;
}

enum ch_result ch_run(struct ch_conn *c, const char *sql, const uint8_t *body, size_t n,
		      const char **answer, size_t *answer_len, struct ra_err *err)
{
	CURLcode rc;
	long status = 0;

	c->alen = 0;
	c->too_long = false;
	c->curl_err[0] = '\0';
	if (c->answer)
		c->answer[0] = '\0';
	if (body) {
		if (!set_url(c, sql, err))
			return CH_REFUSED;
		curl_easy_setopt(c->curl, CURLOPT_URL, c->url);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, (const char *)body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	} else {
		if (!set_url(c, "", err))
			return CH_REFUSED;
		c->url[strlen(c->base) + 1] = '\0';	/* base + "/" */
		curl_easy_setopt(c->curl, CURLOPT_URL, c->url);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, sql);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(sql));
	}
	rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK) {
		if (c->too_long) {
			ra_err_set(err, RA_ERR_IO, "the server's answer is longer than %u bytes", ANSWER_MAX);
			return CH_REFUSED;
		}
		ra_err_set(err, RA_ERR_IO, "%s", c->curl_err[0] ? c->curl_err : curl_easy_strerror(rc));
		return CH_AWAY;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200) {
		if (answer) {
			*answer = c->answer ? c->answer : "";
			*answer_len = c->alen;
		}
		return CH_OK;
	}
	char text[sizeof(err->msg)];
	one_line(c->answer ? c->answer : "", c->alen, text, sizeof(text));
	if (!text[0])
		snprintf(text, sizeof(text), "HTTP status %ld", status);
	ra_err_set(err, RA_ERR_IO, "%s", text);
	if (status == 503 || status == 502 || status == 504)
		return CH_AWAY;
	if (strncmp(text, "Code: ", 6) == 0 && passing_code(strtol(text + 6, NULL, 10)))
		return CH_AWAY;
	return CH_REFUSED;
}
