/*
 * Bar charts drawn by the server as inline SVG, for the exports page:
 * no chart library, no script, and no style attribute or element (the
 * page's Content-Security-Policy forbids inline style), only SVG
 * presentation attributes.  Written through html_writer.h: titles,
 * descriptions and labels are escaped.
 *
 * The chart is an image with a name: role="img" and aria-labelledby
 * its <title> and <desc>.  Its figures are meant to be shown in a table
 * beside it too, which is what a screen reader user reads.
 *
 * A bar is a number (drawn to scale with its value above it), a
 * suppressed figure (no bar, a `*` on the axis) or no figure (no bar,
 * a dash).  The axis runs from 0 to svg_axis_max() of the largest
 * number, so that all zeros still draw a chart with an axis.
 *
 * Functions returning int return 0 on success and -1 on failure (a bad
 * chart, refused before anything is written, or the sbuf's error flag).
 */
#ifndef MEDEX_SVG_CHART_H
#define MEDEX_SVG_CHART_H

#include <stddef.h>

#include "sbuf.h"

#define SVG_BAR_NUMBER		1
#define SVG_BAR_SUPPRESSED	2
#define SVG_BAR_NONE		3

#define SVG_BARS_MAX		24
#define SVG_TICKS		4	/* grid lines above 0 */
#define SVG_VALUE_MAX		1000000000000LL

/* The drawing, in viewBox units. */
#define SVG_WIDTH		640
#define SVG_HEIGHT		300
#define SVG_LEFT		56
#define SVG_RIGHT		8
#define SVG_TOP			24
#define SVG_BOTTOM		48
#define SVG_PLOT_W		(SVG_WIDTH - SVG_LEFT - SVG_RIGHT)
#define SVG_PLOT_H		(SVG_HEIGHT - SVG_TOP - SVG_BOTTOM)

struct svg_bar {
	const char	*label;		/* under the bar, e.g. "Apr" */
	const char	*sublabel;	/* a second line, e.g. "2019"; or NULL */
	int		 kind;		/* SVG_BAR_* */
	long long	 value;		/* 0..SVG_VALUE_MAX, for a number */
};

struct svg_chart {
	const char		*id;	/* unique on the page: a-z 0-9 - */
	const char		*title;
	const char		*desc;
	const struct svg_bar	*bars;
	size_t			 nbars;	/* 1..SVG_BARS_MAX */
};

/* The top of the axis: 1, 2 or 5 x 10^k times SVG_TICKS, >= max. */
long long	svg_axis_max(long long);

/* A bar's height for value on an axis up to axis_max, rounded. */
int		svg_bar_height(long long, long long);

int		svg_bar_chart(struct sbuf *, const struct svg_chart *);

#endif
