/*
 * health_proc.h - parsers of the /proc files the host health record reads
 * (/proc/stat, /proc/meminfo, /proc/loadavg, /proc/net/netstat), over a
 * buffer the caller read: bounds-checked, never past len, a value that is
 * absent, malformed or past 64 bits is left unset (its bit in have clear).
 */
#ifndef ARGUS_HEALTH_PROC_H
#define ARGUS_HEALTH_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The "cpu" line of /proc/stat, in clock ticks. */
enum hp_cpu_col { HP_USER, HP_NICE, HP_SYSTEM, HP_IDLE, HP_IOWAIT, HP_IRQ, HP_SOFTIRQ, HP_STEAL, HP_CPU_COLS };
struct hp_cpu {
	uint64_t t[HP_CPU_COLS];
	unsigned have;		/* bit n: column n read */
};
void hp_parse_stat(const char *buf, size_t len, struct hp_cpu *out);

/* /proc/meminfo's MemTotal and MemAvailable, in bytes. */
struct hp_mem {
	uint64_t total, avail;
	unsigned have;		/* bit 0 total, bit 1 avail */
};
void hp_parse_meminfo(const char *buf, size_t len, struct hp_mem *out);

/* /proc/loadavg's three averages, in hundredths. */
struct hp_load {
	uint64_t l[3];
	unsigned have;		/* bit n: average n */
};
void hp_parse_loadavg(const char *buf, size_t len, struct hp_load *out);

/* The TcpExt counters of /proc/net/netstat the record carries. */
enum hp_tcpext {
	HP_SYNCOOKIES_SENT, HP_SYNCOOKIES_RECV, HP_SYNCOOKIES_FAILED, HP_LISTEN_OVERFLOWS,
	HP_LISTEN_DROPS, HP_REQQ_FULL_DROP, HP_REQQ_FULL_DOCOOKIES, HP_TCPEXT_COUNT
};
extern const char *const hp_tcpext_names[HP_TCPEXT_COUNT];	/* the kernel's names */
struct hp_netstat {
	uint64_t v[HP_TCPEXT_COUNT];
	unsigned have;		/* bit n: counter n read */
};
void hp_parse_netstat(const char *buf, size_t len, struct hp_netstat *out);

#endif
