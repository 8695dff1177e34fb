/*
 * Server-drawn bar charts; see svg_chart.h.  Markup from our literals
 * (html_raw), numbers through html_attr(), text through html_text().
 */
#include <stdio.h>
#include <string.h>

#include "html_writer.h"
#include "sbuf.h"
#include "svg_chart.h"

#define SVG_BAR_FILL	"#005eb8"	/* NHS blue */
#define SVG_TEXT_FILL	"#212b32"	/* NHS text colour */
#define SVG_MUTED_FILL	"#4c6272"	/* NHS secondary text */
#define SVG_GRID	"#d8dde0"	/* NHS grey 4 */

static int	svg_chart_ok(const struct svg_chart *);
static int	svg_attr_int(struct sbuf *, const char *, long long);
static int	svg_text(struct sbuf *, long long, long long, const char *,
		    const char *, const char *);

long long
svg_axis_max(long long max)
{
	static const long long	nice[] = { 1, 2, 5 };
	long long		scale;
	size_t			i;

	if (max <= 0)
		return (SVG_TICKS);
	for (scale = 1; scale <= SVG_VALUE_MAX; scale *= 10) {
		for (i = 0; i < sizeof(nice) / sizeof(nice[0]); i++) {
			if (nice[i] * scale * SVG_TICKS >= max)
				return (nice[i] * scale * SVG_TICKS);
		}
	}
	return (SVG_VALUE_MAX * SVG_TICKS);
}

/* Rounded half up; never taller than the plot, never negative. */
int
svg_bar_height(long long value, long long axis_max)
{
	if (value <= 0 || axis_max <= 0)
		return (0);
	if (value >= axis_max)
		return (SVG_PLOT_H);
	/* Past any figure we draw: no overflow, a little less rounding. */
	if (axis_max > SVG_VALUE_MAX * SVG_TICKS)
		return ((int)(value / (axis_max / SVG_PLOT_H)));
	return ((int)((value * SVG_PLOT_H * 2 + axis_max) / (axis_max * 2)));
}

static int
svg_chart_ok(const struct svg_chart *c)
{
	const char	*p;
	size_t		 i;

	if (c == NULL || c->id == NULL || *c->id == '\0' ||
	    c->bars == NULL || c->nbars == 0 || c->nbars > SVG_BARS_MAX)
		return (0);
	for (p = c->id; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return (0);
	}
	for (i = 0; i < c->nbars; i++) {
		switch (c->bars[i].kind) {
		case SVG_BAR_NUMBER:
			if (c->bars[i].value < 0 ||
			    c->bars[i].value > SVG_VALUE_MAX)
				return (0);
			break;
		case SVG_BAR_SUPPRESSED:
		case SVG_BAR_NONE:
			break;
		default:
			return (0);
		}
	}
	return (1);
}

static int
svg_attr_int(struct sbuf *sb, const char *name, long long v)
{
	char	buf[32];

	(void)snprintf(buf, sizeof(buf), "%lld", v);
	return (html_attr(sb, name, buf));
}

/* <text> at x, y with an anchor, a fill and the (escaped) text. */
static int
svg_text(struct sbuf *sb, long long x, long long y, const char *anchor,
    const char *fill, const char *text)
{
	html_start(sb, "text");
	svg_attr_int(sb, "x", x);
	svg_attr_int(sb, "y", y);
	html_attr(sb, "text-anchor", anchor);
	html_attr(sb, "font-size", "13");
	html_attr(sb, "fill", fill);
	html_end(sb);
	html_text(sb, text);
	return (html_raw(sb, "</text>"));
}

int
svg_bar_chart(struct sbuf *sb, const struct svg_chart *c)
{
	const struct svg_bar	*b;
	char			 id[96], num[32];
	long long		 max, axis, x, y, slot, w, h, v;
	size_t			 i;
	int			 t;

	if (!svg_chart_ok(c))
		return (-1);
	max = 0;
	for (i = 0; i < c->nbars; i++) {
		if (c->bars[i].kind == SVG_BAR_NUMBER &&
		    c->bars[i].value > max)
			max = c->bars[i].value;
	}
	axis = svg_axis_max(max);
	slot = SVG_PLOT_W / (long long)c->nbars;
	w = slot * 2 / 3;

	/* viewBox has a capital: a literal, as the drawing's size is. */
	html_raw(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 640 300\" width=\"100%\" "
	    "preserveAspectRatio=\"xMinYMin meet\" focusable=\"false\" "
	    "role=\"img\" class=\"medex-chart\"");
	(void)snprintf(id, sizeof(id), "%s-title %s-desc", c->id, c->id);
	html_attr(sb, "aria-labelledby", id);
	html_end(sb);
	(void)snprintf(id, sizeof(id), "%s-title", c->id);
	html_start(sb, "title");
	html_attr(sb, "id", id);
	html_end(sb);
	html_text(sb, c->title);
	html_raw(sb, "</title>");
	(void)snprintf(id, sizeof(id), "%s-desc", c->id);
	html_start(sb, "desc");
	html_attr(sb, "id", id);
	html_end(sb);
	html_text(sb, c->desc);
	html_raw(sb, "</desc><g aria-hidden=\"true\">");

	/* Grid lines and the axis's figures, 0 at the bottom. */
	for (t = 0; t <= SVG_TICKS; t++) {
		v = axis / SVG_TICKS * t;
		y = SVG_TOP + SVG_PLOT_H - svg_bar_height(v, axis);
		html_start(sb, "line");
		svg_attr_int(sb, "x1", SVG_LEFT);
		svg_attr_int(sb, "x2", SVG_WIDTH - SVG_RIGHT);
		svg_attr_int(sb, "y1", y);
		svg_attr_int(sb, "y2", y);
		html_attr(sb, "stroke", t == 0 ? SVG_TEXT_FILL : SVG_GRID);
		html_attr(sb, "stroke-width", "1");
		html_raw(sb, "/>");
		(void)snprintf(num, sizeof(num), "%lld", v);
		svg_text(sb, SVG_LEFT - 8, y + 4, "end", SVG_TEXT_FILL, num);
	}

	for (i = 0; i < c->nbars; i++) {
		b = &c->bars[i];
		x = SVG_LEFT + slot * (long long)i + (slot - w) / 2;
		y = SVG_TOP + SVG_PLOT_H;
		switch (b->kind) {
		case SVG_BAR_NUMBER:
			h = svg_bar_height(b->value, axis);
			html_start(sb, "rect");
			svg_attr_int(sb, "x", x);
			svg_attr_int(sb, "y", y - h);
			svg_attr_int(sb, "width", w);
			svg_attr_int(sb, "height", h);
			html_attr(sb, "fill", SVG_BAR_FILL);
			html_raw(sb, "/>");
			(void)snprintf(num, sizeof(num), "%lld", b->value);
			svg_text(sb, x + w / 2, y - h - 6, "middle",
			    SVG_TEXT_FILL, num);
			break;
		case SVG_BAR_SUPPRESSED:
			svg_text(sb, x + w / 2, y - 6, "middle",
			    SVG_MUTED_FILL, "*");
			break;
		default:
			svg_text(sb, x + w / 2, y - 6, "middle",
			    SVG_MUTED_FILL, "-");
			break;
		}
		svg_text(sb, x + w / 2, y + 18, "middle", SVG_TEXT_FILL,
		    b->label != NULL ? b->label : "");
		if (b->sublabel != NULL)
			svg_text(sb, x + w / 2, y + 36, "middle",
			    SVG_MUTED_FILL, b->sublabel);
	}
	return (html_raw(sb, "</g></svg>"));
}
