/*
 * ragraph.h - what ragraph's reading side (ragraph.c) hands its drawing
 * side (draw.c): the series to draw, bin by bin, and how to draw them.
 */
#ifndef RAGRAPH_RAGRAPH_H
#define RAGRAPH_RAGRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define RG_MAX_METRICS 8

struct rg_metric {
	unsigned field;		/* enum fld_id: a counter */
	const char *name;	/* as given: "dbytes" */
	bool below;		/* drawn below the axis (destination direction) */
	const char *unit;	/* per second: "bps", "pps", "/s"; a gauge's own: "%", "B" */
	double scale;		/* count to unit: 8 for bytes (bits) */
	bool gauge;		/* a host health gauge (cpu, acceptq ...): drawn as it is, not per second */
};

struct rg_series {
	char label[160];	/* the legend's: key value(s), or the metric */
	int metric;		/* index into metrics */
	int color;		/* palette index; -1: "other" */
	double total;		/* count over the whole graph */
	double *v;		/* nbins counts */
};

struct rg_graph {
	int nmetrics;
	struct rg_metric m[RG_MAX_METRICS];
	uint64_t width;		/* bin width, microseconds */
	uint64_t bin0;		/* index of the first bin (start / width) */
	uint64_t nbins;
	int nseries;
	int per;		/* series per metric (keys shown, and "other") */
	bool keyed;		/* series are key values (else one per metric) */
	struct rg_series *s;
	uint64_t records;	/* flow records drawn */
};

struct rg_look {
	int width, height;	/* pixels (points for PDF) */
	const char *title;
	bool log;		/* logarithmic value axis: series as lines */
	double upper;		/* value axis top, units per second; 0: fitted */
	bool stack;		/* stacked areas (else lines) */
	bool utc;		/* time labels in UTC rather than local time */
};

enum rg_format { RG_PNG, RG_SVG, RG_PDF, RG_CSV };

/* Draw g onto fp in format f (PNG, SVG or PDF).  false with err on a
 * drawing or write error. */
bool rg_draw(const struct rg_graph *g, const struct rg_look *look, enum rg_format f, FILE *fp, struct ra_err *err);

/* "1.5 Mbps": v in units with an SI prefix, into out. */
void rg_si(double v, const char *unit, char *out, size_t cap);

#endif
