/*
 * clkey.c - racluster's keys: -m words compiled once (fields, masks,
 * matrix, none, the flow key), and each record's key built into a
 * fixed-length byte string (addresses masked) that the table hashes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster_int.h"

unsigned cl_family_bits(unsigned family)
{
	switch (family) {
	case RA_AF_INET:
	case RA_AF_ARP: return 32;
	case RA_AF_INET6: return 128;
	default: return 0;	/* MACs and none: no prefixes */
	}
}

/* ---- key compilation ---- */

/* Bytes a key item takes: the natural width of the field. */
size_t cl_item_size(unsigned field) { return fld_key_size(field); }

/* "24" or "255.255.255.0" after the slash. */
static bool parse_mask(const char *s, uint8_t *len)
{
	char *end;
	unsigned long v;
	union ra_addr a;

	if (strchr(s, '.') && parse_addr(s, &a) == RA_AF_INET) {
		uint32_t m = a.v4;
		unsigned n = 0;
		while (n < 32 && (m & (0x80000000u >> n)))
			n++;
		if (n < 32 && (m << n) != 0)
			return false;	/* not contiguous */
		*len = (uint8_t)n;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > 128)
		return false;
	*len = (uint8_t)v;
	return true;
}

static bool add_item(struct cl_spec *s, unsigned field, uint8_t masklen, struct ra_err *err)
{
	for (int i = 0; i < s->nitems; i++)
		if (s->items[i].field == field) {
			if (masklen < s->items[i].masklen)
				s->items[i].masklen = masklen;
			return true;
		}
	if (s->nitems >= CL_MAX_KEYS) {
		ra_err_set(err, RA_ERR_USAGE, "-m: more than %d keys", CL_MAX_KEYS);
		return false;
	}
	s->items[s->nitems].field = (uint8_t)field;
	s->items[s->nitems].masklen = masklen;
	s->nitems++;
	cl_bit_set(s->keyed, field);
	return true;
}

bool cl_spec_parse(struct cl_spec *s, const char *const *words, int n, bool rmon,
		   struct ra_err *err)
{
	static const uint8_t flow_key[] = { F_FAMILY, F_PROTO, F_ETYPE, F_SADDR, F_DADDR,
					    F_SPORT, F_DPORT, F_SRCID };
	size_t off = 0;

	memset(s, 0, sizeof(*s));
	s->rmon = rmon;
	s->matrix_len = CL_NO_PREFIX;
	if (n == 0 && rmon) {
		/* rmon with no keys: one group per host */
		if (!add_item(s, F_SADDR, CL_NO_PREFIX, err))
			return false;
	} else if (n == 0) {
		s->flow = true;
		for (size_t i = 0; i < sizeof(flow_key); i++)
			if (!add_item(s, flow_key[i], CL_NO_PREFIX, err))
				return false;
	}
	for (int i = 0; i < n; i++) {
		char name[64];
		const char *w = words[i], *slash = strchr(w, '/');
		size_t nl = slash ? (size_t)(slash - w) : strlen(w);
		uint8_t masklen = CL_NO_PREFIX;
		const struct ra_field *fd;

		if (nl == 0 || nl >= sizeof(name)) {
			ra_err_set(err, RA_ERR_USAGE, "-m: '%s' is not a key", w);
			return false;
		}
		memcpy(name, w, nl);
		name[nl] = '\0';
		if (slash && !parse_mask(slash + 1, &masklen)) {
			ra_err_set(err, RA_ERR_USAGE, "-m: '%s': the mask must be a length (0-128) or a dotted netmask", w);
			return false;
		}
		if (strcmp(name, "none") == 0 && !slash)
			continue;
		if (strcmp(name, "matrix") == 0) {
			s->matrix = true;
			s->matrix_len = masklen;
			if (!add_item(s, F_SADDR, masklen, err) || !add_item(s, F_DADDR, masklen, err))
				return false;
			continue;
		}
		fd = fld_lookup(name);
		if (!fd) {
			ra_err_set(err, RA_ERR_USAGE, "-m: unknown key '%s' (racluster -h lists them)", name);
			return false;
		}
		if (!(fd->flags & FF_KEY)) {
			ra_err_set(err, RA_ERR_USAGE,
				   "-m: '%s' is not an identity field: counters and times are merged, not keyed", name);
			return false;
		}
		if (slash && !(fd->flags & FF_MASK)) {
			ra_err_set(err, RA_ERR_USAGE, "-m: '%s' takes no mask", name);
			return false;
		}
		/* Argus: a port implies the protocol */
		if ((fd->id == F_SPORT || fd->id == F_DPORT) && !add_item(s, F_PROTO, CL_NO_PREFIX, err))
			return false;
		if (!add_item(s, fd->id, masklen, err))
			return false;
	}
	/* addresses are always keyed with their family */
	for (int i = 0; i < s->nitems; i++)
		if (s->items[i].field == F_SADDR || s->items[i].field == F_DADDR)
			cl_bit_set(s->keyed, F_FAMILY);
	for (int i = 0; i < s->nitems; i++) {
		s->items[i].offset = (uint16_t)off;
		off += cl_item_size(s->items[i].field);
	}
	s->keylen = (off + 7) & ~(size_t)7;
	if (s->keylen == 0)
		s->keylen = 8;
	s->addr_mask[0] = s->addr_mask[1] = CL_NO_PREFIX;
	for (int i = 0; i < 4; i++)
		s->pair_at[i] = -1;
	for (int i = 0; i < s->nitems; i++) {
		static const uint8_t pair[4] = { F_SADDR, F_DADDR, F_SPORT, F_DPORT };
		for (int w = 0; w < 4; w++)
			if (s->items[i].field == pair[w]) {
				s->pair_at[w] = (int16_t)s->items[i].offset;
				if (w < 2)
					s->addr_mask[w] = s->items[i].masklen;
			}
	}
	cl_key4_compile(s);
	return true;
}

void cl_mask_addr(unsigned family, union ra_addr *a, unsigned len)
{
	unsigned bits = cl_family_bits(family);

	if (!bits || len >= bits)
		return;
	if (bits == 32) {
		a->v4 = len ? a->v4 & (0xffffffffu << (32 - len)) : 0;
		return;
	}
	for (unsigned i = 0; i < 16; i++) {
		unsigned lo = i * 8;
		if (lo >= len)
			a->v6[i] = 0;
		else if (lo + 8 > len)
			a->v6[i] &= (uint8_t)(0xff << (8 - (len - lo)));
	}
}

bool cl_spec_bin(struct cl_spec *s, uint64_t width, struct ra_err *err)
{
	if (width == 0 || s->bin_width || s->keylen + 8 > CL_MAX_KEYLEN) {
		ra_err_set(err, RA_ERR_USAGE, "-m: too many keys to add a time bin");
		return false;
	}
	s->bin_width = width;
	s->bin_at = (uint16_t)s->keylen;
	s->keylen += 8;
	/* the compiled IPv4 keys copy key4 over keylen: its new word is zero,
	 * and cl_rec_key puts the bin there after them */
	return true;
}

/* Build the key of f into out (spec->keylen bytes). */
void cl_build_key(const struct cl_spec *s, const struct ra_flow *f, uint64_t *out)
{
	uint8_t *k = (uint8_t *)out;

	memset(out, 0, s->keylen);
	for (int i = 0; i < s->nitems; i++) {
		const struct cl_keyitem *it = &s->items[i];
		const struct ra_field *fd = &ra_fields[it->field];
		uint8_t *p = k + it->offset;
		uint64_t v;

		if (fd->type == FT_ADDR) {
			union ra_addr a;
			unsigned fam = fld_addr(it->field, f, &a);
			if (it->masklen != CL_NO_PREFIX)
				cl_mask_addr(fam, &a, it->masklen);
			/* as in Argus, an ARP flow's addresses are not the IP host's */
			p[0] = (uint8_t)(f->family == RA_AF_ARP && (fd->id == F_SADDR || fd->id == F_DADDR)
					 ? RA_AF_ARP : fam);
			memcpy(p + 1, &a, 16);
			continue;
		}
		if (fd->type == FT_MAC) {
			memcpy(p, (const uint8_t *)f + fd->off, fd->size);
			continue;
		}
		v = fld_uint(it->field, f);
		switch (cl_item_size(it->field)) {
		case 1: p[0] = (uint8_t)v; break;
		case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
		case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
		default: memcpy(p, &v, 8); break;
		}
	}
	if (s->bin_width) {
		uint64_t b = f->stime / s->bin_width;
		memcpy(k + s->bin_at, &b, 8);
	}
}

/* The flow key of the reverse direction: addresses and ports trade places
 * (the flow key holds each of saddr, daddr, sport, dport once). */
void cl_reverse_key(const struct cl_spec *s, const uint64_t *key, uint64_t *out)
{
	const uint8_t *k = (const uint8_t *)key;
	uint8_t *o = (uint8_t *)out;
	const int16_t *at = s->pair_at;

	if (s->keylen <= 64) {	/* key buffers hold CL_MAX_KEYLEN: eight words at once */
		for (int i = 0; i < 8; i++)
			out[i] = key[i];
	} else {
		memcpy(out, key, s->keylen);
	}
	if (at[0] >= 0 && at[1] >= 0) {
		memcpy(o + at[0], k + at[1], 17);
		memcpy(o + at[1], k + at[0], 17);
	}
	if (at[2] >= 0 && at[3] >= 0) {
		memcpy(o + at[2], k + at[3], 2);
		memcpy(o + at[3], k + at[2], 2);
	}
}

