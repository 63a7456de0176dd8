/*
 * draw.c - ragraph's picture, with cairo: stacked areas (or lines) of the
 * series over a time axis fitted to the span (dates where the day changes),
 * a value axis in units per second with SI prefixes, source-direction
 * series above the axis and destination-direction ones below, a title and
 * a legend.  PNG, SVG and PDF from the same drawing code.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>

#include "ragraph.h"

/* Distinct colours: Tableau's ten, then their light companions; "other" grey. */
static const uint32_t palette[] = {
	0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0xbcbd22, 0x17becf, 0x393b79,
	0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xdbdb8d, 0x9edae5, 0x6b6ecf,
};
#define NPALETTE (sizeof(palette) / sizeof(*palette))

static void set_color(cairo_t *cr, int i, double alpha)
{
	double r, g, b;

	if (i < 0) {
		r = g = b = 0.70;
	} else if ((size_t)i < NPALETTE) {
		r = ((palette[i] >> 16) & 255) / 255.0;
		g = ((palette[i] >> 8) & 255) / 255.0;
		b = (palette[i] & 255) / 255.0;
	} else {	/* beyond the palette: hues a golden angle apart */
		double h = fmod(i * 0.618033988749895, 1.0) * 6, f = h - floor(h), v = 0.80, s = 0.65;
		double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
		switch ((int)h) {
		case 0: r = v; g = t; b = p; break;
		case 1: r = q; g = v; b = p; break;
		case 2: r = p; g = v; b = t; break;
		case 3: r = p; g = q; b = v; break;
		case 4: r = t; g = p; b = v; break;
		default: r = v; g = p; b = q; break;
		}
	}
	cairo_set_source_rgba(cr, r, g, b, alpha);
}

void rg_si(double v, const char *unit, char *out, size_t cap)
{
	static const char *const pre[] = { "", "k", "M", "G", "T", "P" };
	double a = fabs(v);
	int p = 0;

	while (a >= 1000 && p < 5) {
		a /= 1000;
		v /= 1000;
		p++;
	}
	if (a == 0 || a >= 100 || a == floor(a))
		snprintf(out, cap, "%.0f %s%s", v, pre[p], unit);
	else if (a >= 10)
		snprintf(out, cap, "%.1f %s%s", v, pre[p], unit);
	else
		snprintf(out, cap, "%.2g %s%s", v, pre[p], unit);
}

/* A round step (1, 2 or 5 times a power of ten) giving about n ticks up to max. */
static double nice_step(double max, int n)
{
	double raw = max / n, p = pow(10, floor(log10(raw))), f = raw / p;

	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

struct plot {
	cairo_t *cr;
	double x0, x1, y0, y1;	/* plot area: left, right, top, bottom */
	double axis;		/* y of value 0 */
	double up, down;	/* units per second at the top, at the bottom (below the axis) */
	double lmin, lmax;	/* -log: log10 of the axis' ends */
	bool log;
	uint64_t t0, t1;	/* time span, microseconds */
	int ncol;		/* columns drawn (bins, or pixel columns when fewer) */
	double **val;		/* [series][column] units per second */
};

static double ypos(const struct plot *p, double v, bool below)
{
	if (p->log) {
		double l = v > 0 ? log10(v) : p->lmin;
		if (l < p->lmin)
			l = p->lmin;
		return p->y1 - (l - p->lmin) / (p->lmax - p->lmin) * (p->y1 - p->y0);
	}
	if (below)
		return p->axis + (p->down > 0 ? v / p->down * (p->y1 - p->axis) : 0);
	return p->axis - (p->up > 0 ? v / p->up * (p->axis - p->y0) : 0);
}

static double xcol(const struct plot *p, int c)
{
	return p->x0 + (p->x1 - p->x0) * c / p->ncol;
}

static void text(cairo_t *cr, double x, double y, const char *s, double align)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - e.x_advance * align, y);
	cairo_show_text(cr, s);
}

/* The value axis: grid lines and labels, above (and below) the zero line. */
static void value_axis(struct plot *p, const char *unit)
{
	cairo_t *cr = p->cr;
	char lab[64];

	cairo_set_font_size(cr, 11);
	cairo_set_line_width(cr, 1);
	if (p->log) {
		for (double l = p->lmin; l <= p->lmax + 1e-9; l += 1) {
			double y = ypos(p, pow(10, l), false);
			cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
			cairo_move_to(cr, p->x0, y);
			cairo_line_to(cr, p->x1, y);
			cairo_stroke(cr);
			rg_si(pow(10, l), unit, lab, sizeof(lab));
			cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
			text(cr, p->x0 - 6, y + 4, lab, 1);
		}
		return;
	}
	for (int side = 0; side < 2; side++) {
		double max = side ? p->down : p->up, step;
		if (max <= 0)
			continue;
		step = nice_step(max, (int)((side ? p->y1 - p->axis : p->axis - p->y0) / 40) + 1);
		for (double v = side && p->up > 0 ? step : 0; v <= max * 1.0001; v += step) {
			double y = ypos(p, v, side);
			cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
			cairo_move_to(cr, p->x0, floor(y) + 0.5);
			cairo_line_to(cr, p->x1, floor(y) + 0.5);
			cairo_stroke(cr);
			rg_si(v, unit, lab, sizeof(lab));
			cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
			text(cr, p->x0 - 6, y + 4, lab, 1);
		}
	}
}

/* The time axis: ticks at a round interval fitted to the span, the date
 * under the first label and wherever the day changes. */
static void time_axis(struct plot *p, bool utc)
{
	static const uint64_t steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
					  10800, 21600, 43200, 86400, 172800, 604800, 2592000, 31536000 };
	cairo_t *cr = p->cr;
	double span = (double)(p->t1 - p->t0) / 1e6, room = (p->x1 - p->x0) / 95;
	uint64_t step = steps[sizeof(steps) / sizeof(*steps) - 1];
	int lastday = -1;

	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		if (span / (double)steps[i] <= room) {
			step = steps[i];
			break;
		}
	cairo_set_font_size(cr, 11);
	for (uint64_t s = (p->t0 / 1000000 + step - 1) / step * step; s * 1000000 <= p->t1; s += step) {
		double x = p->x0 + (double)(s * 1000000 - p->t0) / (double)(p->t1 - p->t0) * (p->x1 - p->x0);
		time_t tt = (time_t)s;
		struct tm tm;
		char lab[32];

		if (!(utc ? gmtime_r(&tt, &tm) : localtime_r(&tt, &tm)))
			continue;
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, floor(x) + 0.5, p->y0);
		cairo_line_to(cr, floor(x) + 0.5, p->y1);
		cairo_stroke(cr);
		strftime(lab, sizeof(lab), step < 60 ? "%H:%M:%S" : step < 86400 ? "%H:%M" : "%b %d", &tm);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		text(cr, x, p->y1 + 15, lab, 0.5);
		if (tm.tm_yday != lastday) {
			strftime(lab, sizeof(lab), "%Y-%m-%d", &tm);
			text(cr, x, p->y1 + 29, lab, 0.5);
			lastday = tm.tm_yday;
		}
	}
}

/* Columns: every bin when they fit, else pixel columns averaging the bins
 * they hold; values in units per second. */
static bool columns(struct plot *p, const struct rg_graph *g)
{
	int pw = (int)(p->x1 - p->x0);
	double secs = (double)g->width / 1e6;

	p->ncol = g->nbins <= (uint64_t)pw ? (int)g->nbins : pw;
	if (!(p->val = calloc((size_t)g->nseries, sizeof(*p->val))))
		return false;
	for (int s = 0; s < g->nseries; s++) {
		const struct rg_metric *m = &g->m[g->s[s].metric];
		int *n = NULL;
		if (!(p->val[s] = calloc((size_t)p->ncol, sizeof(double))) || !(n = calloc((size_t)p->ncol, sizeof(int)))) {
			free(n);
			return false;
		}
		for (uint64_t b = 0; b < g->nbins; b++) {
			int c = (int)(b * (uint64_t)p->ncol / g->nbins);
			p->val[s][c] += g->s[s].v[b] * m->scale / (m->gauge ? 1 : secs);
			n[c]++;
		}
		for (int c = 0; c < p->ncol; c++)
			if (n[c])
				p->val[s][c] /= n[c];
		free(n);
	}
	return true;
}

/* One series as a stacked area on base (updated), or a line. */
static void series(struct plot *p, const struct rg_graph *g, int s, double *base, bool stack)
{
	cairo_t *cr = p->cr;
	bool below = g->m[g->s[s].metric].below && !p->log;

	cairo_new_path(cr);
	for (int c = 0; c < p->ncol; c++) {
		double top = (stack ? base[c] : 0) + p->val[s][c];
		double y = ypos(p, top, below);
		if (c == 0)
			cairo_move_to(cr, xcol(p, 0), y);
		else
			cairo_line_to(cr, xcol(p, c), y);
		cairo_line_to(cr, xcol(p, c + 1), y);
	}
	if (stack) {
		for (int c = p->ncol - 1; c >= 0; c--) {
			double y = ypos(p, base[c], below);
			cairo_line_to(cr, xcol(p, c + 1), y);
			cairo_line_to(cr, xcol(p, c), y);
		}
		cairo_close_path(cr);
		set_color(cr, g->s[s].color, 0.85);
		cairo_fill_preserve(cr);
		set_color(cr, g->s[s].color, 1);
		cairo_set_line_width(cr, 0.6);
		cairo_stroke(cr);
		for (int c = 0; c < p->ncol; c++)
			base[c] += p->val[s][c];
	} else {
		set_color(cr, g->s[s].color, 1);
		cairo_set_line_width(cr, 1.5);
		cairo_stroke(cr);
	}
}

static void legend(struct plot *p, const struct rg_graph *g, double x, double y, double h)
{
	cairo_t *cr = p->cr;
	bool both = false;

	for (int m = 0; m < g->nmetrics; m++)
		both |= g->m[m].below;
	cairo_set_font_size(cr, 11);
	for (int s = 0; s < g->nseries && y < h - 10; s++) {
		char lab[64];
		const char *l = g->s[s].label;
		size_t n;
		if (g->keyed && g->nmetrics > 1) {	/* a key's colour is the same for every metric */
			if (s >= g->per)
				break;
			l = strchr(l, ' ') ? strchr(l, ' ') + 1 : l;
		}
		n = strlen(l);
		set_color(cr, g->s[s].color, 0.85);
		cairo_rectangle(cr, x, y - 9, 12, 10);
		cairo_fill(cr);
		snprintf(lab, sizeof(lab), "%.*s%s", n > 26 ? 25 : (int)n, l, n > 26 ? "~" : "");
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		text(cr, x + 17, y, lab, 0);
		y += 16;
	}
	if (both && !p->log) {
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		text(cr, x, y + 8, "above: source", 0);
		text(cr, x, y + 22, "below: destination", 0);
	}
}

struct sink {
	FILE *fp;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *k = closure;
	return fwrite(data, 1, len, k->fp) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void paint(struct plot *p, const struct rg_graph *g, const struct rg_look *look, double w, double h)
{
	cairo_t *cr = p->cr;
	double *base = calloc((size_t)p->ncol, sizeof(double));
	char title[256];
	const char *unit = g->m[0].unit;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	value_axis(p, unit);
	time_axis(p, look->utc);
	for (int pass = 0; pass < 2 && base; pass++) {	/* above the axis, then below */
		memset(base, 0, (size_t)p->ncol * sizeof(double));
		for (int s = 0; s < g->nseries; s++)
			if ((g->m[g->s[s].metric].below && !p->log) == (pass == 1))
				series(p, g, s, base, look->stack && !p->log);
	}
	free(base);
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, p->x0 + 0.5, p->y0 + 0.5, p->x1 - p->x0 - 1, p->y1 - p->y0 - 1);
	cairo_stroke(cr);
	if (!p->log && p->down > 0) {
		cairo_move_to(cr, p->x0, floor(p->axis) + 0.5);
		cairo_line_to(cr, p->x1, floor(p->axis) + 0.5);
		cairo_stroke(cr);
	}
	if (look->title)
		snprintf(title, sizeof(title), "%s", look->title);
	else
		snprintf(title, sizeof(title), "%s%s per %llu s bin", g->m[0].name, g->nmetrics > 1 ? " ..." : "",
			 (unsigned long long)(g->width / 1000000));
	cairo_set_font_size(cr, 15);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, (p->x0 + p->x1) / 2, 24, title, 0.5);
	cairo_save(cr);
	cairo_set_font_size(cr, 11);
	cairo_translate(cr, 14, (p->y0 + p->y1) / 2);
	cairo_rotate(cr, -M_PI / 2);
	text(cr, 0, 0, unit, 0.5);
	cairo_restore(cr);
	legend(p, g, p->x1 + 14, p->y0 + 10, h);
	(void)w;
}

bool rg_draw(const struct rg_graph *g, const struct rg_look *look, enum rg_format f, FILE *fp, struct ra_err *err)
{
	double w = look->width, h = look->height;
	struct plot p = { 0 };
	struct sink k = { fp };
	cairo_surface_t *sf;
	cairo_status_t st;
	bool ok = true;

	p.x0 = 84;
	p.x1 = w - 190 > p.x0 + 100 ? w - 190 : p.x0 + 100;
	p.y0 = 40;
	p.y1 = h - 44 > p.y0 + 60 ? h - 44 : p.y0 + 60;
	p.t0 = g->bin0 * g->width;
	p.t1 = (g->bin0 + g->nbins) * g->width;
	p.log = look->log;
	if (!columns(&p, g)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		ok = false;
		goto out;
	}
	/* the axis' ends: the highest stack above, the deepest below */
	for (int c = 0; c < p.ncol; c++) {
		double up = 0, down = 0, mx = 0;
		for (int s = 0; s < g->nseries; s++) {
			double v = p.val[s][c];
			if (g->m[g->s[s].metric].below)
				down += v;
			else
				up += v;
			if (v > mx)
				mx = v;
		}
		if (!look->stack || p.log)
			up = down = mx;
		if (up > p.up)
			p.up = up;
		if (down > p.down)
			p.down = down;
	}
	if (p.log) {
		double lo = HUGE_VAL;
		for (int s = 0; s < g->nseries; s++)
			for (int c = 0; c < p.ncol; c++)
				if (p.val[s][c] > 0 && p.val[s][c] < lo)
					lo = p.val[s][c];
		p.lmax = ceil(log10(look->upper > 0 ? look->upper : p.up > p.down ? p.up : p.down > 0 ? p.down : 1));
		p.lmin = lo == HUGE_VAL ? p.lmax - 1 : floor(log10(lo));
		if (p.lmin >= p.lmax)
			p.lmin = p.lmax - 1;
	}
	if (look->upper > 0)
		p.up = look->upper;
	if (p.up <= 0 && p.down <= 0)
		p.up = 1;	/* an empty graph still gets an axis */
	if (p.up > 0)
		p.up = nice_step(p.up, 5) * ceil(p.up / nice_step(p.up, 5) - 1e-9);
	if (p.down > 0)
		p.down = nice_step(p.down, 5) * ceil(p.down / nice_step(p.down, 5) - 1e-9);
	p.axis = p.down > 0 && p.up > 0 ? p.y0 + (p.y1 - p.y0) * p.up / (p.up + p.down)
		 : p.down > 0 ? p.y0 : p.y1;
	sf = f == RG_SVG ? cairo_svg_surface_create_for_stream(sink_write, &k, w, h)
	     : f == RG_PDF ? cairo_pdf_surface_create_for_stream(sink_write, &k, w, h)
			   : cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
	p.cr = cairo_create(sf);
	paint(&p, g, look, w, h);
	cairo_destroy(p.cr);
	if (f == RG_PNG && cairo_surface_status(sf) == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(sf, sink_write, &k);
	else
		cairo_surface_finish(sf), st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		ra_err_set(err, RA_ERR_IO, "cannot draw: %s", cairo_status_to_string(st));
		ok = false;
	}
out:
	for (int s = 0; p.val && s < g->nseries; s++)
		free(p.val[s]);
	free(p.val);
	/* the font caches cairo and fontconfig keep for the process, given back */
	cairo_debug_reset_static_data();
	FcFini();
	return ok;
}
