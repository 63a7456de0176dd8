/*
 * field.c - reading a field of a flow through its row of the table
 * (field_table.c): the numeric, floating and address views, the name
 * lookup and the key width.  Nothing here knows a field by name; what a
 * field is and where its value lives is all in its row.
 */
#include "config.h"

#include "field.h"

#include <string.h>
#include <strings.h>

const struct ra_field *fld_lookup(const char *name)
{
	for (unsigned i = 0; i < F_COUNT; i++)
		if (strcasecmp(name, ra_fields[i].name) == 0)
			return &ra_fields[i];
	return NULL;
}

static bool is_address(const struct ra_field *fd) { return fd->type == FT_ADDR || fd->type == FT_MAC; }

/* A stored unsigned integer of 1, 2, 4 or 8 bytes. */
static uint64_t stored(const struct ra_field *fd, const struct ra_flow *f)
{
	const uint8_t *p = (const uint8_t *)f + fd->off;

	switch (fd->size) {
	case 1: return *p;
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
	default: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
}

bool fld_numeric(unsigned id)
{
	const struct ra_field *fd;

	if (id >= F_COUNT)
		return false;
	fd = &ra_fields[id];
	return fd->calc || fd->real || (fd->size && !is_address(fd));
}

uint64_t fld_uint(unsigned id, const struct ra_flow *f)
{
	const struct ra_field *fd;
	double d;

	if (!fld_numeric(id))
		return 0;
	fd = &ra_fields[id];
	if (fd->calc)
		return fd->calc(f, fd->arg);
	if (!fd->real)
		return stored(fd, f);
	d = fd->real(f, fd->arg);
	if (!(d >= 0.0))
		return 0;
	if (fd->type == FT_DUR)	/* seconds (stddev), as an integer: microseconds */
		return (uint64_t)(d * 1e6 + 0.5);
	return d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d;
}

double fld_double(unsigned id, const struct ra_flow *f)
{
	const struct ra_field *fd;

	if (!fld_numeric(id))
		return 0.0;
	fd = &ra_fields[id];
	if (fd->real)
		return fd->real(f, fd->arg);
	return (double)(fd->calc ? fd->calc(f, fd->arg) : stored(fd, f));
}

size_t fld_key_size(unsigned id)
{
	return id < F_COUNT && ra_fields[id].key_size ? ra_fields[id].key_size : 8;
}

/* The L2 block may carry only VLANs or labels: all-zero MACs were not captured. */
static bool mac_zero(const uint8_t *m)
{
	return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

unsigned fld_addr(unsigned id, const struct ra_flow *f, union ra_addr *out)
{
	const struct ra_field *fd;
	const uint8_t *at;
	unsigned family;

	memset(out, 0, sizeof(*out));
	if (id >= F_COUNT || !is_address(&ra_fields[id]))
		return 0;
	fd = &ra_fields[id];
	at = (const uint8_t *)f + fd->off;
	memcpy(out, at, fd->size);
	if (fd->type == FT_MAC)	/* an OUI: its MAC is at the same place */
		return RA_HAS(f, RA_BLK_L2) && !mac_zero(at) ? RA_AF_ETHER : 0;
	family = ((const uint8_t *)f)[fd->fam_off];
	/* an ARP flow's addresses are IPv4 addresses */
	return family == RA_AF_ARP ? RA_AF_INET : family;
}
