/* test_origin.c - sFlow origins get exact numbers: agents never share one. */
#include "config.h"

#include <string.h>

#include "origin.h"
#include "tap.h"

static struct pkt_origin v4(uint32_t addr, uint32_t sub)
{
	struct pkt_origin o;
	memset(&o, 0xee, sizeof(o));	/* garbage beyond the IPv4 address must not count */
	o.agent_family = RA_AF_INET;
	o.agent.v4 = addr;
	o.subagent = sub;
	return o;
}

int main(void)
{
	struct origin_tab *t = origin_new();
	struct pkt_origin a = v4(0x0a000001, 0), b = v4(0x0a000002, 0), a1 = v4(0x0a000001, 1), a2;
	uint64_t over = 0;
	uint32_t na, nb, na1;

	tap_plan(7);
	na = origin_number(t, &a, &over);
	nb = origin_number(t, &b, &over);
	na1 = origin_number(t, &a1, &over);
	ok(na && nb && na1 && na != nb && na != na1 && nb != na1, "two agents and two sub-agents: three numbers");
	a2 = a;
	memset(&a2.agent.v6[4], 0x11, 12);
	is_int(origin_number(t, &a2, &over), na, "the same IPv4 agent keeps its number whatever follows its address");
	is_int(origin_number(t, &b, &over), nb, "and so does the other");
	{
		struct pkt_origin six;
		memset(&six, 0, sizeof(six));
		six.agent_family = RA_AF_INET6;
		memcpy(six.agent.v6, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
		ok(origin_number(t, &six, &over) > na1, "an IPv6 agent gets a new number");
	}
	for (uint32_t i = 0; i < ORIGIN_MAX; i++) {
		struct pkt_origin o = v4(0xc0000000u + i, 7);
		origin_number(t, &o, &over);
	}
	is_int(over, 4, "past the table, origins are counted");
	{
		struct pkt_origin o = v4(0xd0000000u, 9);
		is_int(origin_number(t, &o, &over), ORIGIN_OVERFLOW, "and share the overflow number");
	}
	is_int(origin_number(t, &a, &over), na, "known origins keep their numbers when the table is full");
	origin_free(t);
	return tap_done();
}
