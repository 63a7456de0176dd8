/*
 * cursor.h - a bounds-checked cursor over untrusted bytes.
 *
 * Every read of a packet, datagram or record goes through one of these
 * getters.  A getter returns false and leaves the cursor untouched when
 * the window holds too few bytes; offsets are compared as lengths, never
 * as pointers.  cur_window() narrows the readable window to a length a
 * header declares, as tcpdump's nd_push_snaplen does.
 */
#ifndef COMMON_CURSOR_H
#define COMMON_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *base;	/* first byte of the window */
	size_t len;		/* bytes in the window */
	size_t off;		/* next byte to read, 0 <= off <= len */
};

static inline struct cursor cur_make(const void *base, size_t len)
{
	struct cursor c = { (const uint8_t *)base, len, 0 };
	return c;
}

static inline size_t cur_left(const struct cursor *c) { return c->len - c->off; }
static inline bool cur_has(const struct cursor *c, size_t n) { return n <= c->len - c->off; }
static inline const uint8_t *cur_ptr(const struct cursor *c) { return c->base + c->off; }

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (!cur_has(c, n))
		return false;
	c->off += n;
	return true;
}

static inline bool cur_bytes(struct cursor *c, void *dst, size_t n)
{
	if (!cur_has(c, n))
		return false;
	memcpy(dst, c->base + c->off, n);
	c->off += n;
	return true;
}

/* A sub-cursor over the next n bytes; the parent moves past them. */
static inline bool cur_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	if (!cur_has(c, n))
		return false;
	*sub = cur_make(c->base + c->off, n);
	c->off += n;
	return true;
}

/* Shrink the window so that at most n bytes remain readable. */
static inline void cur_window(struct cursor *c, size_t n)
{
	if (n < cur_left(c))
		c->len = c->off + n;
}

static inline bool cur_u8(struct cursor *c, uint8_t *v)
{
	if (!cur_has(c, 1))
		return false;
	*v = c->base[c->off++];
	return true;
}

static inline bool cur_be16(struct cursor *c, uint16_t *v)
{
	if (!cur_has(c, 2))
		return false;
	const uint8_t *p = c->base + c->off;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	c->off += 2;
	return true;
}

static inline bool cur_be32(struct cursor *c, uint32_t *v)
{
	if (!cur_has(c, 4))
		return false;
	const uint8_t *p = c->base + c->off;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	c->off += 4;
	return true;
}

static inline bool cur_be64(struct cursor *c, uint64_t *v)
{
	uint32_t hi, lo;
	if (!cur_has(c, 8))
		return false;
	cur_be32(c, &hi);
	cur_be32(c, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

static inline bool cur_le16(struct cursor *c, uint16_t *v)
{
	if (!cur_has(c, 2))
		return false;
	const uint8_t *p = c->base + c->off;
	*v = (uint16_t)(p[0] | p[1] << 8);
	c->off += 2;
	return true;
}

static inline bool cur_le32(struct cursor *c, uint32_t *v)
{
	if (!cur_has(c, 4))
		return false;
	const uint8_t *p = c->base + c->off;
	*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	c->off += 4;
	return true;
}

static inline bool cur_le64(struct cursor *c, uint64_t *v)
{
	uint32_t lo, hi;
	if (!cur_has(c, 8))
		return false;
	cur_le32(c, &lo);
	cur_le32(c, &hi);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* Unchecked little-endian loads and stores for buffers whose size the
 * caller has already checked (record encode/decode after one length test).
 * On a little-endian host each is one move (a copy the compiler makes a
 * single load or store); elsewhere byte by byte. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint16_t ld_le16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t ld_le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t ld_le64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void st_le16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void st_le32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void st_le64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
#else
static inline uint16_t ld_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t ld_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ld_le64(const uint8_t *p) { return (uint64_t)ld_le32(p + 4) << 32 | ld_le32(p); }
static inline void st_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void st_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void st_le64(uint8_t *p, uint64_t v) { st_le32(p, (uint32_t)v); st_le32(p + 4, (uint32_t)(v >> 32)); }
#endif

#endif
