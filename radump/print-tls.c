/*
 * print-tls.c - TLS records and the hello messages (RFC 8446 TLS 1.3,
 * RFC 5246 TLS 1.2): ClientHello version, server name (RFC 6066), ALPN
 * (RFC 7301), offered versions and cipher count; ServerHello version and
 * cipher; other records by their type.
 *
 *   record:    type(8) legacy_version(16) length(16) fragment
 *   handshake: msg_type(8) length(24) body
 *   ClientHello: version(16) random(32*8) session_id<0..32> cipher_suites<2..2^16-2>
 *                compression_methods<1..2^8-1> extensions<8..2^16-1>
 *   ServerHello: version(16) random(32*8) session_id<0..32> cipher_suite(16)
 *                compression_method(8) extensions<6..2^16-1>
 *   extension: type(16) length(16) data; server_name 0, ALPN 16, supported_versions 43
 *
 * "ClientHello TLSv1.2 sni=www.example.com alpn=h2,http/1.1 versions=TLSv1.3,TLSv1.2 ciphers=17"
 * "ServerHello TLSv1.3 cipher=TLS_AES_128_GCM_SHA256"
 */
#include "config.h"

#include "radump.h"

static void version(struct rd_out *o, uint16_t v)
{
	if (v == 0x0300)
		rd_lit(o, "SSLv3");
	else if (v >= 0x0301 && v <= 0x0304) {
		rd_lit(o, "TLSv1.");
		rd_u(o, v - 0x0301);
	} else if ((v & 0x0f0f) == 0x0a0a) {
		rd_lit(o, "GREASE");
	} else {
		rd_hex(o, v, 4);
	}
}

static const struct { uint16_t id; const char *name; } suites[] = {
	{ 0x1301, "TLS_AES_128_GCM_SHA256" }, { 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" }, { 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" }, { 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" }, { 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
};

static void cipher(struct rd_out *o, uint16_t id)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(*suites); i++)
		if (suites[i].id == id) {
			rd_puts(o, suites[i].name);
			return;
		}
	rd_hex(o, id, 4);
}

/* Skip a vector with a length prefix of w bytes; false when cut. */
static bool skip_vec(struct cursor *c, int w, size_t *len)
{
	uint8_t l8;
	uint16_t l16;

	if (w == 1) {
		if (!cur_u8(c, &l8))
			return false;
		*len = l8;
	} else {
		if (!cur_be16(c, &l16))
			return false;
		*len = l16;
	}
	return cur_skip(c, *len);
}

/* server_name: list<2> of { type(8), name<2> }; host_name is type 0. */
static void sni(struct cursor *e, struct rd_out *o)
{
	uint16_t list, len;
	uint8_t type;
	bool cut = false;
	struct cursor l;

	if (!cur_be16(e, &list))
		return;
	l = rd_take(e, list, &cut);
	while (cur_u8(&l, &type) && cur_be16(&l, &len)) {
		struct cursor name = rd_take(&l, len, &cut);
		if (type == 0) {
			rd_lit(o, " sni=");
			rd_text(o, cur_ptr(&name), cur_left(&name));
			return;
		}
	}
}

/* ALPN: list<2> of protocol<1>. */
static void alpn(struct cursor *e, struct rd_out *o)
{
	uint16_t list;
	uint8_t len;
	bool cut = false, first = true;
	struct cursor l;

	if (!cur_be16(e, &list))
		return;
	l = rd_take(e, list, &cut);
	rd_lit(o, " alpn=");
	while (cur_u8(&l, &len)) {
		struct cursor p = rd_take(&l, len, &cut);
		if (!first)
			rd_putc(o, ',');
		first = false;
		rd_text(o, cur_ptr(&p), cur_left(&p));
	}
}

/* supported_versions: ClientHello list<1> of version(16); ServerHello one version. */
static void versions(struct cursor *e, struct rd_out *o, bool client, uint16_t *chosen)
{
	uint16_t v;
	uint8_t len;
	bool cut = false, first = true;

	if (!client) {
		if (cur_be16(e, &v))
			*chosen = v;
		return;
	}
	if (!cur_u8(e, &len))
		return;
	{
		struct cursor l = rd_take(e, len, &cut);
		rd_lit(o, " versions=");
		while (cur_be16(&l, &v)) {
			if ((v & 0x0f0f) == 0x0a0a)
				continue;	/* GREASE (RFC 8701) */
			if (!first)
				rd_putc(o, ',');
			first = false;
			version(o, v);
		}
	}
}

/* Extensions block; false when cut.  o NULL: only *chosen is read. */
static bool extensions(struct cursor *c, struct rd_out *o, bool client, uint16_t *chosen)
{
	uint16_t total, type, len;
	bool cut = false;
	struct cursor all;

	if (cur_left(c) == 0)
		return true;		/* no extensions (TLS 1.0 style) */
	if (!cur_be16(c, &total))
		return false;
	all = rd_take(c, total, &cut);
	while (cur_left(&all) > 0) {
		struct cursor e;
		if (!cur_be16(&all, &type) || !cur_be16(&all, &len))
			return false;
		e = rd_take(&all, len, &cut);
		if (!o) {
			if (type == 43 && !client)
				versions(&e, o, client, chosen);
		} else if (type == 0 && client)
			sni(&e, o);
		else if (type == 16)
			alpn(&e, o);
		else if (type == 43)
			versions(&e, o, client, chosen);
	}
	return !cut;
}

/* A ClientHello or ServerHello body; false when cut. */
static bool hello(struct cursor *c, struct rd_out *o, bool client)
{
	uint16_t v, chosen = 0, ciphers, suite;
	uint8_t comp;
	size_t len;
	bool ok;

	rd_puts(o, client ? "ClientHello" : "ServerHello");
	if (!cur_be16(c, &v))
		return false;
	if (!cur_skip(c, 32) || !skip_vec(c, 1, &len)) {
		rd_putc(o, ' ');
		version(o, v);
		return false;
	}
	if (client) {
		rd_putc(o, ' ');
		version(o, v);
		if (!cur_be16(c, &ciphers))
			return false;
		if (!cur_skip(c, ciphers) || !skip_vec(c, 1, &len)) {
			rd_lit(o, " ciphers=");
			rd_u(o, ciphers / 2);
			return false;
		}
		ok = extensions(c, o, true, &chosen);
		rd_lit(o, " ciphers=");
		rd_u(o, ciphers / 2);
		return ok;
	}
	if (!cur_be16(c, &suite) || !cur_u8(c, &comp)) {
		rd_putc(o, ' ');
		version(o, v);
		return false;
	}
	{
		struct cursor again = *c;
		ok = extensions(c, NULL, false, &chosen);	/* the version first */
		rd_putc(o, ' ');
		version(o, chosen ? chosen : v);
		rd_lit(o, " cipher=");
		cipher(o, suite);
		extensions(&again, o, false, &chosen);
	}
	return ok;
}

static const char *hs_name(uint8_t t)
{
	switch (t) {
	case 0: return "HelloRequest";
	case 4: return "NewSessionTicket";
	case 8: return "EncryptedExtensions";
	case 11: return "Certificate";
	case 12: return "ServerKeyExchange";
	case 13: return "CertificateRequest";
	case 14: return "ServerHelloDone";
	case 15: return "CertificateVerify";
	case 16: return "ClientKeyExchange";
	case 20: return "Finished";
	}
	return NULL;
}

/* The handshake messages of one record's fragment; false when cut. */
static bool handshake(struct cursor *frag, struct rd_out *o, bool *first)
{
	while (cur_left(frag) > 0) {
		uint8_t type;
		uint32_t len;
		uint8_t l3[3];
		bool cut = false;
		struct cursor body;

		if (!*first)
			rd_lit(o, ", ");
		*first = false;
		if (!cur_u8(frag, &type) || !cur_bytes(frag, l3, 3)) {
			rd_lit(o, "Handshake");
			return false;
		}
		len = (uint32_t)l3[0] << 16 | (uint32_t)l3[1] << 8 | l3[2];
		body = rd_take(frag, len, &cut);
		if (type == 1 || type == 2) {
			if (!hello(&body, o, type == 1) || cut)
				return false;
		} else if (hs_name(type)) {
			rd_puts(o, hs_name(type));
		} else {
			/* an encrypted Finished after ChangeCipherSpec looks like this */
			rd_lit(o, "Handshake");
			return true;
		}
		if (cut)
			return false;
	}
	return true;
}

/* A record shown by its type alone; runs of one type print once with a count. */
static void plain(struct rd_out *o, const char *name, const char **last, unsigned *run, bool *first)
{
	if (*last == name) {
		(*run)++;
		return;
	}
	if (*run > 1) {
		rd_lit(o, " x");
		rd_u(o, *run);
	}
	if (!*first)
		rd_lit(o, ", ");
	*first = false;
	rd_puts(o, name);
	*last = name;
	*run = 1;
}

static void end_run(struct rd_out *o, unsigned run)
{
	if (run > 1) {
		rd_lit(o, " x");
		rd_u(o, run);
	}
}

void rd_print_tls(struct cursor *c, struct rd_out *o, const struct rd_flow *x)
{
	static const char *const names[] = { "ChangeCipherSpec", "Alert", "EncryptedHandshake",
					     "ApplicationData", "Heartbeat" };
	bool first = true, encrypted = false;
	const char *last = NULL;
	unsigned run = 0;

	(void)x;
	for (int i = 0; cur_left(c) > 0; i++) {
		uint8_t type;
		uint16_t v, len;
		bool cut = false;
		struct cursor frag;

		if (!cur_u8(c, &type) || !cur_be16(c, &v) || !cur_be16(c, &len)) {
			end_run(o, run);
			rd_trunc(o, "tls");
			return;
		}
		if (type < 20 || type > 24 || (v >> 8) != 3) {
			end_run(o, run);
			if (i == 0)
				rd_lit(o, "tls");
			rd_bad(o, "tls", "not a TLS record");
			return;
		}
		frag = rd_take(c, len, &cut);
		if (type == 22 && !encrypted) {
			end_run(o, run);
			last = NULL;
			run = 0;
			if (!handshake(&frag, o, &first)) {
				rd_trunc(o, "tls");
				return;
			}
		} else {
			plain(o, names[type - 20], &last, &run, &first);
		}
		if (type == 20)
			encrypted = true;	/* what follows ChangeCipherSpec is encrypted */
		if (cut) {
			end_run(o, run);
			rd_trunc(o, "tls");
			return;
		}
	}
	end_run(o, run);
}
