/*
 * tap.h - a few macros that make a C unit test speak TAP.
 *
 *   int main(void) { tap_plan(3); ok(1 + 1 == 2, "adds"); is_int(f(), 4, "f");
 *                    is_str(s, "x", "s"); return tap_done(); }
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline void tap_plan(int n) { printf("1..%d\n", n); }

static inline int tap_ok(int cond, const char *file, int line, const char *name)
{
	tap_count++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", tap_count, name);
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

#define ok(cond, name) tap_ok(!!(cond), __FILE__, __LINE__, (name))
#define is_int(got, want, name) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (!tap_ok(g_ == w_, __FILE__, __LINE__, (name))) \
		printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)
#define is_str(got, want, name) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!tap_ok(g_ && strcmp(g_, w_) == 0, __FILE__, __LINE__, (name))) \
		printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

static inline int tap_done(void) { return tap_failed ? 1 : 0; }

#endif
