/*
 * userdata.c - captured payload as text in Argus's user data encodings:
 * Ascii, Obfuscate, Hex, Encode32 and Encode64 (rarc(5) RA_USERDATA_ENCODE).
 */
#include "config.h"

#include "userdata.h"

#include <string.h>
#include <strings.h>

static const struct { const char *name; enum ud_encode enc; } names[] = {
	{ "ascii", UD_ASCII }, { "obfuscate", UD_OBFUSCATE }, { "hex", UD_HEX },
	{ "encode32", UD_ENCODE32 }, { "encode64", UD_ENCODE64 },
};

int ud_encode_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcasecmp(name, names[i].name) == 0)
			return (int)names[i].enc;
	return -1;
}

static size_t put_u(char *out, size_t v)
{
	char tmp[24];
	size_t n = 0, k = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		out[k++] = tmp[--n];
	return k;
}

static bool is_space(uint8_t c) { return c == ' ' || c == '\t'; }

/* Case-insensitive: does the line at p (n bytes) start with word? */
static bool starts(const uint8_t *p, size_t n, const char *word)
{
	size_t w = strlen(word);
	return n >= w && strncasecmp((const char *)p, word, w) == 0;
}

/* Overwrite from p up to the end of the line with 'x'; returns the count. */
static size_t blank_to_eol(uint8_t *p, size_t n)
{
	size_t k = 0;
	while (k < n && p[k] != '\r' && p[k] != '\n')
		p[k++] = 'x';
	return k;
}

/* Skip n words (runs of non-space) and the spaces after each; returns the new offset. */
static size_t skip_words(const uint8_t *p, size_t n, size_t at, int words)
{
	while (words-- > 0) {
		while (at < n && !is_space(p[at]) && p[at] != '\r' && p[at] != '\n')
			at++;
		while (at < n && is_space(p[at]))
			at++;
	}
	return at;
}

/* One line: the password part of the commands that carry one in clear. */
static size_t obfuscate_line(uint8_t *l, size_t n)
{
	size_t at;

	if (starts(l, n, "PASS "))				/* FTP, POP3 */
		return blank_to_eol(l + 5, n - 5);
	if (starts(l, n, "Authorization: Basic "))		/* HTTP */
		return blank_to_eol(l + 21, n - 21);
	if (starts(l, n, "Proxy-Authorization: Basic "))
		return blank_to_eol(l + 27, n - 27);
	if (starts(l, n, "AUTH PLAIN ")) 			/* SMTP */
		return blank_to_eol(l + 11, n - 11);
	at = skip_words(l, n, 0, 1);				/* IMAP: tag LOGIN user pass */
	if (starts(l + at, n - at, "LOGIN ")) {
		at = skip_words(l, n, at, 2);
		return blank_to_eol(l + at, n - at);
	}
	if (starts(l + at, n - at, "AUTHENTICATE PLAIN ")) {
		at = skip_words(l, n, at, 2);
		return blank_to_eol(l + at, n - at);
	}
	return 0;
}

size_t ud_obfuscate(const uint8_t *p, size_t len, uint8_t *out)
{
	size_t done = 0, start = 0;

	memmove(out, p, len);	/* out may be p */
	for (size_t i = 0; i <= len; i++) {
		if (i == len || out[i] == '\n') {
			done += obfuscate_line(out + start, i - start);
			start = i + 1;
		}
	}
	return done;
}

static const char hexl[] = "0123456789abcdef";
static const char hexu[] = "0123456789ABCDEF";
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t ascii(const uint8_t *p, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	return len;
}

static size_t hex(const uint8_t *p, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (i && i % 2 == 0)
			out[n++] = ' ';
		out[n++] = hexl[p[i] >> 4];
		out[n++] = hexl[p[i] & 15];
	}
	return n;
}

static size_t enc32(const uint8_t *p, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hexu[p[i] >> 4];
		out[2 * i + 1] = hexu[p[i] & 15];
	}
	return 2 * len;
}

static size_t enc64(const uint8_t *p, size_t len, char *out)
{
	size_t n = 0, i = 0;

	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[n++] = b64[v >> 18];
		out[n++] = b64[(v >> 12) & 63];
		out[n++] = b64[(v >> 6) & 63];
		out[n++] = b64[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);
		out[n++] = b64[v >> 18];
		out[n++] = b64[(v >> 12) & 63];
		out[n++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[n++] = '=';
	}
	return n;
}

size_t ud_format(enum ud_encode enc, const uint8_t *p, size_t len, char prefix, char *out, size_t cap)
{
	size_t n = 0, body, shown = len;

	if (!p || !len || cap < 4 * len + 32)
		return 0;
	out[n++] = prefix;
	out[n++] = '[';
	if (enc == UD_ENCODE32)
		shown = 2 * len;
	else if (enc == UD_ENCODE64)
		shown = (len + 2) / 3 * 4;
	n += put_u(out + n, shown);
	out[n++] = ']';
	out[n++] = '=';
	switch (enc) {
	case UD_OBFUSCATE:
		/* the raw bytes, passwords blanked line by line, then made printable */
		memcpy(out + n, p, len);
		ud_obfuscate((const uint8_t *)out + n, len, (uint8_t *)out + n);
		body = ascii((const uint8_t *)out + n, len, out + n);
		break;
	case UD_HEX: body = hex(p, len, out + n); break;
	case UD_ENCODE32: body = enc32(p, len, out + n); break;
	case UD_ENCODE64: body = enc64(p, len, out + n); break;
	default: body = ascii(p, len, out + n); break;
	}
	return n + body;
}
