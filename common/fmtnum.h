/*
 * fmtnum.h - numbers as text by tables: decimal integers two digits at a
 * time, a microsecond fraction, IPv4 addresses a byte at a time.  The
 * printer's inner loop; every function writes into a buffer the caller
 * has made large enough and returns the length (no NUL).
 */
#ifndef COMMON_FMTNUM_H
#define COMMON_FMTNUM_H

#include <stddef.h>
#include <stdint.h>

/* Decimal digits of v (1 for 0). */
unsigned fmt_ndigits(uint64_t v);
/* Exactly six digits, zero-filled: frac < 1000000 (microseconds). */
void fmt_frac6(char *out, uint32_t frac);
/* A host-order IPv4 address, dotted quad; writes up to 16 bytes (15 kept). */
size_t fmt_ipv4(char *out, uint32_t v4);

#endif
