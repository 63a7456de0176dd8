/*
 * source_pcap.h - pcap files and live interfaces as inputs (source_pcap.c).
 * warn(), when not NULL, is told about unsupported link types.
 */
#ifndef ARGUS_SOURCE_PCAP_H
#define ARGUS_SOURCE_PCAP_H

#include <stdbool.h>

#include "error.h"
#include "input.h"

bool pcap_input_open_file(const char *path, const char *filter, struct input *out,
			  void (*warn)(const char *fmt, ...), struct ra_err *err);
bool pcap_input_open_live(const char *iface, const char *filter, int snaplen, bool promisc,
			  struct input *out, void (*warn)(const char *fmt, ...), struct ra_err *err);

#endif
