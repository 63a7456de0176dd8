/*
 * userdata.h - captured payload (suser, duser) as text: Argus's user data
 * encodings (RA_USERDATA_ENCODE, -M printer=...) and the escaping that keeps
 * decoded payload on one line and inside one delimited field.
 */
#ifndef COMMON_USERDATA_H
#define COMMON_USERDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ud_encode {
	UD_ASCII = 0,		/* printable bytes as they are, others as '.' */
	UD_OBFUSCATE,		/* Ascii with clear-text passwords replaced by 'x' */
	UD_HEX,			/* bytes in hex, two per group: "35d8 0120 ..." */
	UD_ENCODE32,		/* bytes in upper-case hex, unbroken */
	UD_ENCODE64,		/* base64 (RFC 4648) */
};

/* "Ascii", "Obfuscate", "Hex", "Encode32", "Encode64" (any case); -1 if none. */
int ud_encode_parse(const char *name);

/*
 * One direction's payload as "p[N]=text" (p is 's' or 'd'): N is the
 * captured length for Ascii, Obfuscate and Hex, and the text's length for
 * Encode32 and Encode64, as Argus prints them.  Returns the length written;
 * 0 when there is no payload.  cap must be at least 4 * len + 32.
 */
size_t ud_format(enum ud_encode enc, const uint8_t *p, size_t len, char prefix, char *out, size_t cap);

/*
 * Obfuscation alone: copy len bytes to out (room for len) with the
 * passwords of FTP/POP3 "PASS x", IMAP "tag LOGIN user x", SMTP/IMAP
 * "AUTH PLAIN x" and HTTP "Authorization: Basic x" overwritten by 'x'.
 * out may be p.  Returns how many bytes were overwritten.
 */
size_t ud_obfuscate(const uint8_t *p, size_t len, uint8_t *out);

#endif
