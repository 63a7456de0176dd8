/*
 * test_filter.c - the filter language (ra-filter(7)) as a table: sixteen
 * flows A..P built by hand, and for each expression the flows it must
 * select, worked out from the record fields below and the rules of the man
 * page; then the errors (column and message) for bad expressions, and the
 * shape of the compiled program (every jump goes forward; the truth table
 * of a short program agrees with its jumps).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "filter_int.h"
#include "tap.h"

#define T0 1704067200000000ull	/* 2024-01-01 00:00:00 UTC */
#define NREC 16

static struct ra_flow rec[NREC];

static uint32_t v4(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return ntohl(a.s_addr);
}

static void v6(uint8_t *out, const char *s) { inet_pton(AF_INET6, s, out); }

static void mac(uint8_t *out, unsigned a, unsigned b, unsigned c, unsigned d, unsigned e, unsigned f)
{
	out[0] = (uint8_t)a; out[1] = (uint8_t)b; out[2] = (uint8_t)c;
	out[3] = (uint8_t)d; out[4] = (uint8_t)e; out[5] = (uint8_t)f;
}

static struct ra_flow *ip4(int i, uint8_t proto, const char *s, uint16_t sp, const char *d, uint16_t dp,
			   uint8_t state, uint64_t dur_us)
{
	struct ra_flow *f = &rec[i];
	ra_flow_init(f);
	f->family = RA_AF_INET;
	f->proto = proto;
	f->saddr.v4 = v4(s);
	f->daddr.v4 = v4(d);
	f->sport = sp;
	f->dport = dp;
	f->state = state;
	f->stime = T0 + (uint64_t)i * 1000000;
	f->ltime = f->stime + dur_us;
	return f;
}

static void counts(struct ra_flow *f, uint64_t sp, uint64_t dp, uint64_t sb, uint64_t db)
{
	f->spkts = sp; f->dpkts = dp; f->sbytes = sb; f->dbytes = db;
}

static void build(void)
{
	struct ra_flow *f;

	/* A: web client, handshake and FIN, Ethernet, retransmissions, jitter */
	f = ip4(0, 6, "10.0.0.1", 34567, "192.168.1.10", 80, RA_ST_CON, 2500000);
	counts(f, 10, 8, 1000, 9000);
	f->sappbytes = 400; f->dappbytes = 8000;
	f->stcpflags = 0x1b; f->dtcpflags = 0x13;
	f->sttl = 64; f->dttl = 56; f->dir = RA_DIR_BOTH; f->flgs = RA_FL_ETHER;
	RA_SET(f, RA_BLK_L2); mac(f->smac, 0, 0x11, 0x22, 0x33, 0x44, 0x55); mac(f->dmac, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb);
	RA_SET(f, RA_BLK_TCP); f->sretrans = 2;
	RA_SET(f, RA_BLK_TIMING); f->sjit = 1500; f->sintpkt = 200000; f->dintpkt = 250000;
	/* B: ssh attempt reset */
	f = ip4(1, 6, "10.1.2.3", 1025, "10.0.0.1", 22, RA_ST_RST, 0);
	counts(f, 1, 1, 60, 54);
	f->stcpflags = 0x02; f->dtcpflags = 0x14; f->sttl = 128; f->dttl = 64; f->stos = 0x10; f->flgs = RA_FL_ETHER;
	/* C: mDNS to a multicast group */
	f = ip4(2, 17, "10.0.0.2", 5353, "224.0.0.251", 5353, RA_ST_INT, 1000000);
	counts(f, 3, 0, 300, 0);
	f->sttl = 255; f->flgs = RA_FL_ETHER;
	RA_SET(f, RA_BLK_L2); mac(f->smac, 0, 0x11, 0x22, 0x33, 0x44, 0x66); mac(f->dmac, 1, 0, 0x5e, 0, 0, 0xfb);
	/* D: DNS query and answer */
	f = ip4(3, 17, "10.0.0.1", 40000, "8.8.8.8", 53, RA_ST_CON, 20000);
	counts(f, 1, 1, 70, 150);
	f->sttl = 64; f->dttl = 120;
	/* E: ping */
	f = ip4(4, 1, "10.0.0.1", 8, "8.8.4.4", 0x1234, RA_ST_ECO, 3000000);
	counts(f, 4, 4, 392, 392);
	f->sttl = 64; f->dttl = 118;
	/* F: port unreachable */
	f = ip4(5, 1, "192.168.1.1", 3, "10.0.0.1", 3, RA_ST_URP, 0);
	counts(f, 1, 0, 70, 0);
	f->sttl = 255;
	/* G: IPv6 https, out of order and window shut */
	f = ip4(6, 6, "0.0.0.0", 51000, "0.0.0.0", 443, RA_ST_FIN, 10000000);
	f->family = RA_AF_INET6; v6(f->saddr.v6, "2001:db8::1"); v6(f->daddr.v6, "2001:db8:1::80");
	counts(f, 20, 30, 3000, 40000);
	f->stcpflags = 0x13; f->dtcpflags = 0x13; f->sttl = 64; f->dttl = 60;
	RA_SET(f, RA_BLK_TCP); f->sooo = 1; f->dwinshut = 1;
	/* H: ICMPv6 router solicitation to ff02::2 */
	f = ip4(7, 58, "0.0.0.0", 133, "0.0.0.0", 0, RA_ST_INT, 0);
	f->family = RA_AF_INET6; v6(f->saddr.v6, "fe80::1"); v6(f->daddr.v6, "ff02::2");
	counts(f, 1, 0, 70, 0);
	f->sttl = 255;
	/* I: ARP who-has, broadcast */
	f = ip4(8, 0, "10.0.0.1", 0, "10.0.0.254", 0, RA_ST_INT, 0);
	f->family = RA_AF_ARP; f->dir = RA_DIR_WHO; f->flgs = RA_FL_ETHER;
	counts(f, 2, 1, 84, 42);
	RA_SET(f, RA_BLK_L2); mac(f->smac, 0, 0x11, 0x22, 0x33, 0x44, 0x55); mac(f->dmac, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	/* J: LLDP, a non-IP Ethernet flow */
	f = ip4(9, 0, "0.0.0.0", 0, "0.0.0.0", 0, RA_ST_INT, 0);
	f->family = RA_AF_ETHER; f->etype = 0x88cc; f->flgs = RA_FL_ETHER;
	mac(f->saddr.mac, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee); mac(f->daddr.mac, 1, 0x80, 0xc2, 0, 0, 0x0e);
	counts(f, 5, 0, 300, 0);
	RA_SET(f, RA_BLK_L2); memcpy(f->smac, f->saddr.mac, 6); memcpy(f->dmac, f->daddr.mac, 6);
	/* K: DHCP discover, broadcast, VLAN 100 */
	f = ip4(10, 17, "0.0.0.0", 68, "255.255.255.255", 67, RA_ST_INT, 0);
	counts(f, 2, 0, 684, 0);
	f->sttl = 128; f->flgs = RA_FL_ETHER | RA_FL_8021Q;
	RA_SET(f, RA_BLK_L2); mac(f->smac, 0, 0x11, 0x22, 0x33, 0x44, 0x77); mac(f->dmac, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	f->svlan = 100;
	/* L: ESP */
	f = ip4(11, 50, "10.2.0.1", 0, "10.3.0.1", 0, RA_ST_INT, 500000);
	counts(f, 7, 0, 1000, 0);
	/* M: GRE over MPLS */
	f = ip4(12, 47, "10.2.0.2", 0, "10.3.0.2", 0, RA_ST_INT, 0);
	counts(f, 3, 0, 300, 0);
	f->flgs = RA_FL_MPLS | RA_FL_TUNNEL;
	RA_SET(f, RA_BLK_L2); f->smpls = 1000;
	/* N: UDP fragments only */
	f = ip4(13, 17, "172.16.0.1", 0, "10.0.0.1", 0, RA_ST_INT, 0);
	counts(f, 2, 0, 2960, 0);
	f->flgs = RA_FL_FRAG | RA_FL_FRAG_PART;
	/* O: ftp SYN only, ECN, an ICMP unreachable mapped onto it, srcid, 3 records merged */
	f = ip4(14, 6, "10.0.0.5", 2000, "10.0.0.6", 21, RA_ST_REQ, 6000000);
	counts(f, 3, 0, 180, 0);
	f->stcpflags = 0x02; f->stos = 2; f->flgs = RA_FL_ECN | RA_FL_ICMP_MAP;
	RA_SET(f, RA_BLK_ID); f->srcid.v4 = v4("192.0.2.1"); f->srcid_family = RA_AF_INET; f->seq = 500;
	RA_SET(f, RA_BLK_AGG); f->trans = 3;
	RA_SET(f, RA_BLK_ICMP); f->icmp_type = 3; f->icmp_code = 1;
	f->inode.v4 = v4("10.0.0.254"); f->inode_family = RA_AF_INET;
	/* P: mid-stream bulk transfer with losses */
	f = ip4(15, 6, "172.16.5.5", 8080, "10.0.0.1", 3000, RA_ST_CON, 1000000);
	counts(f, 100, 100, 150000, 4000);
	f->sappbytes = 140000; f->stcpflags = 0x18; f->dtcpflags = 0x10; f->sttl = 50; f->dttl = 60;
	RA_SET(f, RA_BLK_TCP); f->sretrans = 5; f->dretrans = 3;
	RA_SET(f, RA_BLK_TIMING); f->djit = 500; f->sintpkt = 10000;
	RA_SET(f, RA_BLK_ID); v6(f->srcid.v6, "2001:db8::99"); f->srcid_family = RA_AF_INET6; f->seq = 70000;
}

/* Expression, and the flows (letters A..P) it selects. */
static const struct { const char *expr, *want; } cases[] = {
	{ "", "ABCDEFGHIJKLMNOP" },
	/* protocols */
	{ "tcp", "ABGOP" }, { "udp", "CDKN" }, { "icmp", "EF" }, { "icmp6", "H" },
	{ "ip", "ABCDEFGHKLMNOP" }, { "ipv4", "ABCDEFKLMNOP" }, { "ipv6", "GH" }, { "ip6", "GH" },
	{ "arp", "I" }, { "esp", "L" }, { "gre", "M" }, { "igmp", "" }, { "proto 50", "L" },
	{ "ip proto gre", "M" }, { "ip proto 6", "ABGOP" }, { "ip6 proto tcp", "G" },
	{ "ipv4 proto tcp", "ABOP" }, { "proto udp", "CDKN" }, { "not ip", "IJ" },
	{ "ether proto arp", "I" }, { "ether proto 0x88cc", "J" }, { "ether proto ip6", "GH" },
	{ "ether proto ip", "ABCDEFKLMNOP" }, { "proto 1", "EF" },
	/* hosts */
	{ "host 10.0.0.1", "ABDEFINP" }, { "src host 10.0.0.1", "ADEI" }, { "dst host 10.0.0.1", "BFNP" },
	{ "src and dst host 10.0.0.1", "" }, { "src or dst host 10.0.0.1", "ABDEFINP" },
	{ "10.0.0.1", "ABDEFINP" }, { "host 10.0.0.1 and 8.8.8.8", "D" }, { "host 2001:db8::1", "G" },
	{ "dst host 2001:db8:1::80", "G" }, { "ip6 host ff02::2", "H" }, { "ip host 10.0.0.254", "" },
	{ "arp host 10.0.0.254", "I" }, { "tcp host 10.0.0.1", "ABP" }, { "not host 10.0.0.1", "CGHJKLMO" },
	{ "src 10.0.0.5", "O" }, { "host 10.0.0.1 or 8.8.4.4", "ABDEFINP" },
	/* nets */
	{ "net 10.0.0.0/8", "ABCDEFILMNOP" }, { "net 10.0.0.0 mask 255.0.0.0", "ABCDEFILMNOP" },
	{ "net 10", "ABCDEFILMNOP" }, { "src net 10.0.0.0/16", "ACDEIO" }, { "dst net 192.168.0.0/16", "A" },
	{ "net 192.168", "AF" }, { "net 2001:db8::/32", "G" }, { "net fe80::/10", "H" },
	{ "dst net ff00::/8", "H" }, { "net 172.16.0.0/12", "NP" }, { "net 0.0.0.0/0", "ABCDEFIKLMNOP" },
	{ "src net 10.2.0.0/15", "LM" }, { "net 10.0.0.0/8 and not net 10.0.0.0/16", "LM" },
	{ "net 10.2.0.0/16 or 10.3.0.0/16", "LM" }, { "net ::/0", "GH" },
	/* ports */
	{ "port 80", "A" }, { "dst port 80", "A" }, { "src port 80", "" }, { "port http", "A" },
	{ "port 53", "D" }, { "port domain", "D" }, { "tcp port domain", "" }, { "udp port domain", "D" },
	{ "port 53-215", "ADK" }, { "port gt 1024", "ABCDGOP" },
	{ "src port gt 1024 and dst port lt 1024", "ABDGO" }, { "port 8", "" },
	{ "tcp dst port ftp or domain", "O" }, { "dst port 21 or 22", "BO" }, { "port ssh or ftp", "BO" },
	{ "udp port 5353", "C" }, { "src port 5353 and dst port 5353", "C" }, { "src and dst port 5353", "C" },
	{ "port 0", "N" }, { "dst port lte 22", "BNO" }, { "dst port >= 443", "CGP" }, { "sport > 30000", "ADG" },
	{ "port 1025 or 34567", "AB" }, { "udp port 53 or 67", "DK" }, { "port ne 80", "ABCDGKNOP" },
	/* TCP words */
	{ "syn", "ABGO" }, { "synack", "AG" }, { "syn and not synack", "BO" }, { "fin", "AG" },
	{ "finack", "AG" }, { "reset", "B" }, { "src reset", "" }, { "dst reset", "B" },
	{ "retrans", "AP" }, { "src retrans", "AP" }, { "dst retrans", "P" }, { "retrans gt 4", "P" }, { "retrans gt 5", "" },
	{ "outoforder", "G" }, { "winshut", "G" }, { "dst winshut", "G" }, { "src winshut", "" },
	{ "ecn", "O" }, { "con", "ADGP" }, { "est", "ADGP" }, { "dst syn", "AG" },
	/* states */
	{ "CON", "ADP" }, { "INT", "CHIJKLMN" }, { "REQ or RST", "BO" }, { "state FIN", "G" },
	{ "state eco", "E" }, { "ECO", "E" }, { "URP", "F" },
	/* ICMP */
	{ "echo", "E" }, { "unreach", "FO" }, { "icmp and not echo", "F" }, { "redirect", "" }, { "timexed", "" },
	/* flags and encapsulations */
	{ "frag", "N" }, { "fragonly", "N" }, { "icmpmap", "O" }, { "encaps mpls", "M" },
	{ "encaps 802q", "K" }, { "encaps eth", "ABCIJK" }, { "vlan", "K" }, { "vlan 100", "K" },
	{ "vid 100", "K" }, { "src vid 100", "K" }, { "dst vid 100", "" }, { "mpls", "M" },
	{ "mpls 1000", "M" }, { "mid gt 0", "M" }, { "multipath", "" },
	/* ether, broadcast, multicast */
	{ "ether host 00:11:22:33:44:55", "AI" }, { "ether src 00:11:22:33:44:55", "AI" },
	{ "ether dst ff:ff:ff:ff:ff:ff", "IK" }, { "ether broadcast", "IK" }, { "ether multicast", "CIJK" },
	{ "broadcast", "K" }, { "multicast", "CH" }, { "ip6 multicast", "H" }, { "ip multicast", "CH" },
	{ "ipv4 multicast", "C" }, { "src multicast", "" }, { "ether host 66-77-88-99-aa-bb", "A" },
	{ "ether src host 0:11:22:33:44:77", "K" },
	/* counters and rates */
	{ "pkts gt 5", "AGLP" }, { "src pkts gt 5", "AGLP" }, { "dst pkts gt 5", "AGP" },
	{ "pkts eq 2", "IKN" }, { "pkts == 1", "BDFHI" }, { "src pkts > 1 && dst pkts < 1", "CJKLMNO" },
	{ "bytes gt 10000", "GP" }, { "bytes gte 10000", "GP" },
	{ "totpkts gt 5", "AEGLP" }, { "totbytes gte 10000", "AGP" }, { "totpkts eq 2", "BDKN" },
	{ "totappbytes gt 8400", "P" }, { "src bytes lt 100", "BDFHI" },
	{ "appbytes gt 0", "AP" }, { "dst appbytes gt 0", "A" }, { "sbytes gt 100000", "P" },
	{ "dpkts eq 0", "CFHJKLMNO" }, { "ttl eq 255", "CFH" }, { "src ttl gt 100", "BCFHK" },
	{ "dst ttl lt 60", "ACFHIJKLMNO" }, { "tos gt 0", "BO" }, { "dst tos gt 0", "" },
	{ "dur gt 2", "AEGO" }, { "dur lt 0.1", "BDFHIJKMN" }, { "dur == 1", "CP" }, { "trans gt 1", "O" },
	{ "seq gt 1000", "P" }, { "seq eq 500", "O" }, { "srcid 192.0.2.1", "O" }, { "srcid 2001:db8::99", "P" },
	{ "srcid 192.0.2.0/24", "O" }, { "rate gt 100", "P" }, { "rate gt 10 and rate lt 100", "DL" },
	{ "load gt 1000000", "P" }, { "src load gt 2000", "AGLP" }, { "loss gt 0", "AP" },
	{ "src loss gt 3", "P" }, { "ploss gt 5", "A" }, { "jit gt 1", "A" }, { "dst jit gte 0.5", "P" },
	{ "intpkt gt 100", "A" }, { "src intpkt gt 5 and src intpkt lt 50", "P" },
	{ "src pkts gt 5 and lt 15", "AL" }, { "pkts ne 2", "ABCDEFGHIJKLMNOP" }, { "totpkts ne 2", "ACEFGHIJLMOP" },
	/* field names of the field table */
	{ "sttl eq 128", "BK" }, { "dttl == 64", "B" }, { "spkts gt 50", "P" }, { "dmeansz gt 1000", "AG" },
	{ "sport == 8", "E" }, { "sretrans >= 2", "AP" }, { "dwinshut gt 0", "G" }, { "synack gt 0", "" },
	{ "family eq 3", "I" }, { "etype == 0x88cc", "J" },
	/* logic */
	{ "not tcp or udp", "CDEFHIJKLMN" }, { "tcp or udp and port 80", "A" },
	{ "tcp or (udp and port 53)", "ABDGOP" }, { "!(tcp || udp)", "EFHIJLM" }, { "tcp && !syn", "P" },
	{ "(tcp and dst port 80) or (udp and dst port 53)", "AD" }, { "not not icmp", "EF" },
	{ "icmp or icmp6 or arp", "EFHI" }, { "tcp and dst port 80 and src net 10.0.0.0/8", "A" },
	{ "host 10.0.0.1 and not port 53", "ABEFINP" }, { "( ( tcp ) )", "ABGOP" },
	{ "ether host 00:11:22:33:44:55 or ether host 00:11:22:33:44:66", "ACI" },
	{ "not (tcp or udp or icmp or icmp6)", "IJLM" }, { "tcp and (syn or reset) and not fin", "BO" },
	{ "udp and not (multicast or broadcast)", "DN" },
};

/* Bad expressions: the column and a part of the message. */
static const struct { const char *expr; int col; const char *msg; } errors[] = {
	{ "host 999.1.1.1", 6, "999.1.1.1 is not an IPv4 address" },
	{ "net 10.0.0.0/33", 5, "prefix length 33 is out of range for IPv4 (0-32)" },
	{ "fo", 1, "unknown word 'fo'" },
	{ "tcp and dst port foo", 18, "expected a port number or name after 'port', found 'foo'" },
	{ "(tcp or udp", 12, "expected ')' to close the '(' at column 1" },
	{ "tcp)", 4, "')' without a matching '('" },
	{ "tcp udp", 5, "expected 'and' or 'or', found 'udp'" },
	{ "port 70000", 6, "port 70000 is out of range (0-65535)" },
	{ "net 10.1.2.3/8", 5, "bits set outside" },
	{ "host 10.0.0.0/8", 6, "needs 'net'" },
	{ "net fe80::/129", 5, "(0-128)" },
	{ "pkts gt x", 9, "expected a number after 'pkts', found 'x'" },
	{ "ttl gt 300", 8, "out of range for 'ttl' (0-255)" },
	{ "tcp & udp", 5, "'&' alone is not an operator" },
	{ "and", 1, "expected a primitive" },
	{ "not", 4, "found the end of the expression" },
	{ "ether host 1:2:3", 12, "expected a MAC address" },
	{ "state FOO", 7, "expected a state name" },
	{ "ip6 host 10.0.0.1", 10, "an IPv4 address cannot match 'ip6'" },
	{ "icmp port 80", 6, "'port' does not apply to 'icmp'" },
	{ "vlan 5000", 6, "out of range" },
	{ "tcp proto 6", 5, "makes no sense" },
	{ "src spkts gt 5", 5, "already has a direction" },
	{ "src totpkts gt 1", 5, "'totpkts' takes no 'src' or 'dst'" },
	{ "encaps foo", 8, "expected an encapsulation" },
	{ "port 215-53", 6, "increasing order" },
	{ "host 10.0.0.1 and", 18, "found the end of the expression" },
	{ "dur gt 1e5", 8, "expected a number after 'dur', found '1e5'" },
	{ "host foo", 6, "'foo' is not an address" },
	{ "tcp \x01", 5, "unexpected byte 0x01" },
	{ "net 10.0.0.0 mask 255.0", 19, "expected an IPv4 mask" },
	{ "src tcp", 5, "expected host, net, port or a flow word after 'src/dst', found 'tcp'" },
	{ "ether proto foo", 13, "expected an ethertype" },
	{ "ip6 broadcast", 5, "IPv6 has no broadcast address" },
	{ "dur > ", 7, "found the end of the expression" },
	{ "port", 5, "expected a port number or name after 'port', found the end" },
	{ "tcp port smtp-nonexistent", 10, "expected a port number or name" },
	{ "host 1.2.3.4.5", 6, "1.2.3.4.5 is not an IPv4 address" },
	{ "ether foo", 7, "expected host, src, dst, proto, broadcast or multicast" },
	{ "frag or", 8, "expected a primitive" },
	{ ")", 1, "expected a primitive" },
};

static void selects(const char *expr, const char *want)
{
	struct ra_err err;
	struct ra_filter *flt;
	char got[NREC + 1], name[200];
	size_t n = 0;
	bool forward = true;

	ra_err_clear(&err);
	flt = flt_compile(expr, &err);
	snprintf(name, sizeof(name), "'%s' selects %s", expr, *want ? want : "nothing");
	if (!flt) {
		ok(0, name);
		printf("#   error: %s\n", err.msg);
		return;
	}
	for (int i = 0; i < NREC; i++) {
		uint32_t pc = 0;	/* the jump program, walked here, agrees with flt_match */
		while (pc < flt->n)
			pc = flt_leaf_test(&flt->nodes[pc].leaf, &rec[i]) ? flt->nodes[pc].jt : flt->nodes[pc].jf;
		if ((pc == flt->n) != flt_match(flt, &rec[i]))
			forward = false;
		if (flt_match(flt, &rec[i]))
			got[n++] = (char)('A' + i);
	}
	got[n] = 0;
	for (uint32_t i = 0; i < flt->n; i++)
		if (flt->nodes[i].jt <= i || flt->nodes[i].jf <= i || flt->nodes[i].jt > flt->n + 1 ||
		    flt->nodes[i].jf > flt->n + 1)
			forward = false;
	if (!tap_ok(strcmp(got, want) == 0 && forward, __FILE__, __LINE__, name))
		printf("#   got '%s'%s\n", got, forward ? "" : " (a jump goes backwards, or the truth table disagrees)");
	flt_free(flt);
}

static void fails(const char *expr, int col, const char *msg)
{
	struct ra_err err;
	struct ra_filter *flt;
	char name[200], prefix[32];

	ra_err_clear(&err);
	flt = flt_compile(expr, &err);
	snprintf(name, sizeof(name), "'%s' fails at column %d: %s", expr, col, msg);
	snprintf(prefix, sizeof(prefix), "column %d: ", col);
	if (!tap_ok(!flt && err.code == RA_ERR_USAGE && (int)err.offset == col &&
		    strncmp(err.msg, prefix, strlen(prefix)) == 0 && strstr(err.msg, msg), __FILE__, __LINE__, name))
		printf("#   got %s: offset %d, '%s'\n", flt ? "a filter" : "an error", (int)err.offset, err.msg);
	flt_free(flt);
}

static void dumps(void)
{
	struct ra_err err;
	struct ra_filter *flt;
	char buf[4096];
	size_t n;

	ra_err_clear(&err);
	flt = flt_compile("tcp and dst port 80 and src net 10.0.0.0/8", &err);
	n = flt ? flt_dump(flt, buf, sizeof(buf)) : 0;
	ok(n > 0 && n < sizeof(buf) && strstr(buf, "(000) proto == 6") && strstr(buf, "(001) dport == 80") &&
	   strstr(buf, "(002) saddr & 255.0.0.0 == 10.0.0.0") && strstr(buf, "jt accept jf reject") &&
	   !strstr(buf, "(003)"), "flt_dump: three nodes for the benchmark filter");
	n = flt ? flt_dump(flt, buf, 10) : 0;
	ok(n > 10 && strlen(buf) == 9, "flt_dump: cut to the buffer, returns the length needed");
	flt_free(flt);
	flt = flt_compile("   ", &err);
	ok(flt && flt->n == 0 && flt_match(flt, &rec[0]), "blank expression matches everything");
	flt_free(flt);
}

static void deep(void)
{
	char expr[1400];
	struct ra_err err;
	struct ra_filter *flt;
	size_t n = 0;

	for (int i = 0; i < 150; i++)
		expr[n++] = '(';
	memcpy(expr + n, "tcp", 3);
	n += 3;
	for (int i = 0; i < 150; i++)
		expr[n++] = ')';
	expr[n] = 0;
	ra_err_clear(&err);
	flt = flt_compile(expr, &err);
	ok(flt && flt_match(flt, &rec[0]) && !flt_match(flt, &rec[2]), "150 nested parentheses");
	flt_free(flt);
	n = 0;
	for (int i = 0; i < 300; i++) {
		memcpy(expr + n, "not ", 4);
		n += 4;
	}
	memcpy(expr + n, "tcp", 4);
	flt = flt_compile(expr, &err);
	ok(!flt && strstr(err.msg, "nested too deeply"), "300 nested 'not' are refused, not a stack overflow");
	flt_free(flt);
}

int main(void)
{
	size_t nc = sizeof(cases) / sizeof(cases[0]), ne = sizeof(errors) / sizeof(errors[0]);

	build();
	tap_plan((int)(nc + ne + 5));
	for (size_t i = 0; i < nc; i++)
		selects(cases[i].expr, cases[i].want);
	for (size_t i = 0; i < ne; i++)
		fails(errors[i].expr, errors[i].col, errors[i].msg);
	dumps();
	deep();
	return tap_done();
}
