/*
 * sigc.c - compiles a signature file into C: the table svc_builtin()
 * returns, so the field `service` names flows without reading a file.
 *
 *   sigc raservices/services.sig > common/service_builtin.c
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "service.h"

static void bytes(const uint8_t *b)
{
	fputc('{', stdout);
	for (int i = 0; i < SVC_SIGLEN; i++)
		printf("%s%u", i ? "," : "", b[i]);
	fputc('}', stdout);
}

int main(int argc, char **argv)
{
	struct svc_owned o;
	struct ra_err err;
	char buf[700];
	size_t total = 0;

	ra_err_clear(&err);
	if (argc != 2) {
		fprintf(stderr, "usage: sigc file.sig\n");
		return 2;
	}
	if (!svc_load(argv[1], &o, &err)) {
		fprintf(stderr, "sigc: %s\n", ra_err_string(&err, buf, sizeof(buf)));
		return 1;
	}
	printf("/*\n * service_builtin.c - made by raservices/sigc from %s: do not edit.\n"
	       " * The signatures the field `service` uses (svc_builtin).\n */\n"
	       "#include \"config.h\"\n\n#include \"service.h\"\n\n", "raservices/services.sig");
	printf("static const struct svc_sig sigs[%zu] = {\n", o.t.n ? o.t.n : 1);
	for (size_t i = 0; i < o.t.n; i++) {
		const struct svc_sig *s = &o.sigs[i];
		printf("\t{ \"%s\", %u, %u, %u, %lu, ", s->name, s->proto, s->flags, s->port, (unsigned long)s->count);
		bytes(s->sval);
		fputs(", ", stdout);
		bytes(s->smask);
		fputs(", ", stdout);
		bytes(s->dval);
		fputs(", ", stdout);
		bytes(s->dmask);
		printf(", %u, %u, %u, %u },\n", s->slen, s->dlen, s->sfixed, s->dfixed);
	}
	total = o.t.start[1][SVC_BUCKETS];
	printf("};\n\nstatic const uint16_t order[%zu] = {", total ? total : 1);
	for (size_t i = 0; i < total; i++)
		printf("%s%s%u", i ? "," : "", i % 16 ? "" : "\n\t", o.order[i]);
	printf("\n};\n\nstatic const uint32_t start[2][SVC_BUCKETS + 1] = {\n");
	for (int p = 0; p < 2; p++) {
		printf("\t{");
		for (int b = 0; b <= SVC_BUCKETS; b++)
			printf("%s%s%u", b ? "," : "", b % 16 ? "" : "\n\t ", o.start[p][b]);
		printf(" },\n");
	}
	printf("};\n\nstatic const struct svc_table table = { sigs, %zu, order, start };\n\n"
	       "const struct svc_table *svc_builtin(void)\n{\n\treturn &table;\n}\n", o.t.n);
	svc_free(&o);
	return ferror(stdout) ? 1 : 0;
}
