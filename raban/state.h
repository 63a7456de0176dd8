/*
 * state.h - the state file of standing bans (state-file in raban.conf) and
 * the status-file viewer (raban -M status FILE).
 */
#ifndef RABAN_STATE_H
#define RABAN_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "detect.h"

/* Write every standing ban atomically; false with errno. */
bool state_save(const struct detect *d, const char *path);
/* Restore the bans of path into d (no script runs); how many, or -1 with err. */
int state_load(struct detect *d, const char *path, char *err, size_t errcap);
/* Print apermon's status CSV as tables per trigger, top rows first. */
int state_show_status(const char *path, unsigned top, FILE *out, char *err, size_t errcap);

#endif
