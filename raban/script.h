/*
 * script.h - ban and unban scripts run as children: fork and execve with
 * the environment given, no shell; at most N at once (the rest wait in a
 * bounded queue); their output read and logged up to a limit; killed when
 * they overrun the timeout; every child reaped and its end logged.
 */
#ifndef RABAN_SCRIPT_H
#define RABAN_SCRIPT_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#define SCRIPT_QUEUE 4096		/* jobs waiting for a free slot */
#define SCRIPT_LOG_BYTES 4096		/* output logged per run; the rest is counted */

struct scripts;

/* log: one line, without newline; error marks failures. */
typedef void (*script_log)(bool error, const char *line);

struct scripts *scripts_new(unsigned max_running, uint64_t timeout_ms, script_log log);
void scripts_free(struct scripts *s);

/*
 * Run path with env (NULL-terminated "K=V" strings, copied) when a slot is
 * free.  what names the run in the log ("ban t 192.0.2.1").  Jobs with the
 * same key (the ban's trigger, level and target) run one after the other,
 * in the order given, so an unban never overtakes its ban.  False when the
 * queue is full (logged).
 */
bool scripts_run(struct scripts *s, const char *path, char *const *env, const char *what,
		 const char *key);

/* Fill pfd with the output pipes to poll; returns how many (at most max). */
unsigned scripts_pollfds(struct scripts *s, struct pollfd *pfd, unsigned max);
/* Read output, reap ended children, kill overdue ones, start queued jobs. */
void scripts_service(struct scripts *s, uint64_t now_ms);
/* Children running plus jobs queued. */
unsigned scripts_pending(const struct scripts *s);

#endif
