/*
 * sflow.h - sFlow v5 inputs of the daemon (sflow_input.c).
 *
 *   argus -i sflow:[ADDR:]PORT[,OPTION...]   listen for datagrams over UDP
 *   argus -r sflow:FILE[:PORT][,OPTION...]   replay datagrams from a capture
 *
 * ADDR is an IPv4 or IPv6 address ("[::1]:6343" or "::1:6343"); without it
 * the socket listens on every address, IPv4 and IPv6.  The file input takes
 * UDP datagrams sent to PORT (default 6343).  OPTIONs (also settable for
 * every sFlow input with sflow_configure(), from the config file):
 *
 *   allow=PREFIX[@CAP]   accept datagrams only from agents in PREFIX
 *                        (address or address/len; repeatable), with an
 *                        optional sampling-rate cap for those agents
 *   cap=N                sampling-rate cap for every agent (0 = none)
 *   rcvbuf=BYTES         socket receive buffer (default 32M; k/M/G suffix)
 *   status=SECONDS       how often agent status records are written (60)
 */
#ifndef ARGUS_SFLOW_H
#define ARGUS_SFLOW_H

#include <stdbool.h>

#include "error.h"
#include "input.h"

struct engine;

/* True when an -i/-r argument names an sFlow input ("sflow:..."). */
bool sflow_spec(const char *arg);

/* Open the input: spec is the whole argument, "sflow:" included. */
bool sflow_input_open(const char *spec, bool is_file, struct engine *e, struct input *out,
		      struct ra_err *err);

/*
 * Defaults for every sFlow input opened afterwards.  key is one of the
 * OPTION names above ("allow", "cap", "rcvbuf", "status"), or the config
 * file variable names SFLOW_ALLOW (several prefixes separated by spaces or
 * commas; repeatable), SFLOW_RATE_CAP, SFLOW_RCVBUF, SFLOW_STATUS_INTERVAL
 * (argus/settings.c hands every SFLOW_ key here, from the config file and
 * from -o KEY=VALUE; an ARGUS_ prefix is accepted too).  False (err filled) for
 * a bad value; an unknown key is an error too.
 */
bool sflow_configure(const char *key, const char *value, struct ra_err *err);
/* The same, under the name argus/settings.c's extension table uses. */
bool sflow_settings_set(const char *key, const char *value, struct ra_err *err);

#endif
