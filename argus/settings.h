/*
 * settings.h - what the user sets, from argus.conf and the command line
 * (settings.c).  The command line wins: main.c reads the config file into
 * the defaults first, then applies the options over it.
 */
#ifndef ARGUS_SETTINGS_H
#define ARGUS_SETTINGS_H

#include <stdbool.h>

#include "engine_int.h"
#include "error.h"
#include "input.h"

struct settings {
	const char *rfiles[INPUT_MAX];
	unsigned nr;
	const char *ifaces[INPUT_MAX];
	unsigned ni;
	const char *wfile;
	const char *filter;
	const char *pidfile;
	const char *user, *group, *chroot_dir;
	bool background;		/* ARGUS_DAEMON=yes and no -d */
	bool syslog;
	int snaplen;
	bool promisc;
	struct engine_config ecfg;
	/* the record stream server (-P, -B; common/serve.c) */
	const char *port;		/* NULL: no server */
	const char *binds[16];
	unsigned nbinds;
	const char *allow;		/* ARGUS_ACCESS_ALLOW */
	uint64_t client_buffer;		/* ARGUS_CLIENT_BUFFER, bytes */
	/* host health records (argus/health.c) */
	bool host_health;		/* ARGUS_HOST_HEALTH */
	bool host_health_nosynrecv;	/* ARGUS_HOST_HEALTH_SYNRECV=no */
	const char *host_health_ports;	/* ARGUS_HOST_HEALTH_PORTS, NULL: every listener */
	unsigned workers;		/* ARGUS_WORKERS (-W): flow engine threads, 0 = the default */
};

void settings_default(struct settings *s);
/* One KEY=VALUE (argus.conf names, see argus(8)); false + err on a bad value. */
bool settings_set(struct settings *s, const char *key, const char *value, struct ra_err *err);
/* Read a config file: "KEY=VALUE" lines, '#' comments, values optionally quoted. */
/* Unknown keys are passed to warn() and skipped; bad values are errors. */
bool settings_load(struct settings *s, const char *path, void (*warn)(const char *fmt, ...),
		   struct ra_err *err);
/* Parse "30", "30s", "5m", "1h", "1.5" into microseconds. */
bool settings_duration(const char *v, uint64_t *us);

#endif
