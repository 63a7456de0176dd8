/*
 * script.h - rastream's -f script: run on every closed file, in the
 * background, its output logged, reaped, killed past its timeout.
 */
#ifndef RASTREAM_SCRIPT_H
#define RASTREAM_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>

#define SCRIPT_MAX 16		/* running at once; more wait for one to end */

struct scripts;
typedef void (*script_log_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct scripts *scripts_new(const char *path, uint64_t timeout_us, script_log_fn log);
/* Start the script with the file's path as its argument. */
void scripts_run(struct scripts *s, const char *file);
/* Read their output, reap the finished, kill the late; wait: until all ended. */
void scripts_poll(struct scripts *s, bool wait);
void scripts_free(struct scripts *s);

#endif
