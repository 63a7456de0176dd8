/*
 * replay.c - runs a libFuzzer harness over files named on the command line,
 * so make check replays the corpus without libFuzzer.  Prints TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	printf("1..%d\n", argc - 1);
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!fp) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		do {
			if (len == cap) {
				uint8_t *nb;
				cap = cap ? cap * 2 : 65536;
				nb = realloc(buf, cap);
				if (!nb) {
					free(buf);
					fclose(fp);
					return 1;
				}
				buf = nb;
			}
			n = fread(buf + len, 1, cap - len, fp);
			len += n;
		} while (n > 0);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, len);	/* a crash or sanitizer report fails the run */
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	return 0;
}
