/*
 * daemon.h - the daemon's habits (daemon.c): logging to stderr or syslog,
 * going to the background, the pid file, dropping privileges, signals.
 */
#ifndef ARGUS_DAEMON_H
#define ARGUS_DAEMON_H

#include <signal.h>
#include <stdbool.h>

extern volatile sig_atomic_t daemon_stop;	/* SIGTERM or SIGINT seen */
extern volatile sig_atomic_t daemon_reopen;	/* SIGHUP seen */

void log_open(const char *prog, bool use_syslog);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Handlers for TERM, INT, HUP (no SA_RESTART, so poll() returns). */
bool daemon_signals(void);
/* Fork into the background, new session, stdin/stdout to /dev/null
 * (stdout kept when it is the output). */
bool daemon_background(bool keep_stdout);
bool daemon_write_pidfile(const char *path);
void daemon_remove_pidfile(const char *path);
/* chroot (when dir) and setgid/setuid (when user/group), in that order. */
bool daemon_drop_privileges(const char *user, const char *group, const char *chroot_dir);

#endif
