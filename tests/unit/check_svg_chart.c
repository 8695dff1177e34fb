/*
 * svg_chart: server-drawn bar charts for the exports page.  Escaping of
 * every text, the scale (axis and bar heights), suppressed and missing
 * figures drawn without a bar, all-zero data, and no style anywhere.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "svg_chart.h"

static size_t
count(const char *hay, const char *needle)
{
	size_t	n;

	for (n = 0; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return (n);
}

static void
draw(const struct svg_bar *bars, size_t n, struct sbuf *sb)
{
	struct svg_chart	c;

	memset(&c, 0, sizeof(c));
	c.id = "chart-1";
	c.title = "Deaths notified";
	c.desc = "Twelve months";
	c.bars = bars;
	c.nbars = n;
	sbuf_init(sb, 1 << 20);
	ck_assert_int_eq(svg_bar_chart(sb, &c), 0);
	ck_assert(!sb->oom);
	sbuf_appendc(sb, '\0');
}

START_TEST(axis_is_a_round_number_above_the_largest_figure)
{
	ck_assert_int_eq(svg_axis_max(0), 4);
	ck_assert_int_eq(svg_axis_max(-3), 4);
	ck_assert_int_eq(svg_axis_max(1), 4);
	ck_assert_int_eq(svg_axis_max(4), 4);
	ck_assert_int_eq(svg_axis_max(5), 8);
	ck_assert_int_eq(svg_axis_max(10), 20);
	ck_assert_int_eq(svg_axis_max(20), 20);
	ck_assert_int_eq(svg_axis_max(35), 40);
	ck_assert_int_eq(svg_axis_max(85), 200);
	ck_assert_int_eq(svg_axis_max(1234), 2000);
	ck_assert_int_eq(svg_axis_max(SVG_VALUE_MAX), 2 * SVG_VALUE_MAX);
}
END_TEST

START_TEST(bars_scale_to_the_plot_and_round)
{
	ck_assert_int_eq(svg_bar_height(0, 20), 0);
	ck_assert_int_eq(svg_bar_height(20, 20), SVG_PLOT_H);
	ck_assert_int_eq(svg_bar_height(40, 20), SVG_PLOT_H);
	ck_assert_int_eq(svg_bar_height(10, 20), SVG_PLOT_H / 2);
	/* 228 / 3 = 76; 1 of 7 is 32.57, rounded to 33. */
	ck_assert_int_eq(svg_bar_height(1, 7), 33);
	ck_assert_int_eq(svg_bar_height(-5, 20), 0);
	ck_assert_int_eq(svg_bar_height(5, 0), 0);
	ck_assert_int_le(svg_bar_height(9000000000000000000LL - 1,
	    9000000000000000000LL), SVG_PLOT_H);
}
END_TEST

START_TEST(numbers_draw_bars_to_scale_with_their_values)
{
	struct svg_bar	bars[2] = {
		{ "Jan", "2019", SVG_BAR_NUMBER, 10 },
		{ "Feb", NULL, SVG_BAR_NUMBER, 20 },
	};
	struct sbuf	sb;
	char		want[96];

	draw(bars, 2, &sb);
	ck_assert_int_eq(count(sb.data, "<rect "), 2);
	/* Axis 0..20: 20 fills the plot, 10 half of it. */
	snprintf(want, sizeof(want), "height=\"%d\"", SVG_PLOT_H);
	ck_assert_ptr_nonnull(strstr(sb.data, want));
	snprintf(want, sizeof(want), "y=\"%d\" width=\"192\" height=\"%d\"",
	    SVG_TOP + SVG_PLOT_H / 2, SVG_PLOT_H / 2);
	ck_assert_msg(strstr(sb.data, want) != NULL, "%s", sb.data);
	ck_assert_ptr_nonnull(strstr(sb.data, ">10</text>"));
	ck_assert_ptr_nonnull(strstr(sb.data, ">20</text>"));
	ck_assert_ptr_nonnull(strstr(sb.data, ">Jan</text>"));
	ck_assert_ptr_nonnull(strstr(sb.data, ">2019</text>"));
	/* Grid lines 0, 5, 10, 15, 20. */
	ck_assert_int_eq(count(sb.data, "<line "), SVG_TICKS + 1);
	ck_assert_ptr_nonnull(strstr(sb.data, ">15</text>"));
	sbuf_free(&sb);
}
END_TEST

START_TEST(suppressed_and_missing_figures_have_no_bar)
{
	struct svg_bar	bars[3] = {
		{ "Jan", NULL, SVG_BAR_SUPPRESSED, 3 },
		{ "Feb", NULL, SVG_BAR_NONE, 0 },
		{ "Mar", NULL, SVG_BAR_NUMBER, 15 },
	};
	struct sbuf	sb;

	draw(bars, 3, &sb);
	ck_assert_int_eq(count(sb.data, "<rect "), 1);
	ck_assert_int_eq(count(sb.data, ">*</text>"), 1);
	ck_assert_int_eq(count(sb.data, ">-</text>"), 1);
	/* A suppressed figure's raw value is never written. */
	ck_assert_ptr_null(strstr(sb.data, ">3</text>"));
	sbuf_free(&sb);
}
END_TEST

START_TEST(all_zero_data_still_draws_an_axis)
{
	struct svg_bar	bars[12];
	struct sbuf	sb;
	size_t		i;

	for (i = 0; i < 12; i++) {
		bars[i].label = "M";
		bars[i].sublabel = NULL;
		bars[i].kind = SVG_BAR_NUMBER;
		bars[i].value = 0;
	}
	draw(bars, 12, &sb);
	ck_assert_int_eq(count(sb.data, "height=\"0\""), 12);
	ck_assert_int_eq(count(sb.data, "<line "), SVG_TICKS + 1);
	ck_assert_ptr_nonnull(strstr(sb.data, ">4</text>"));
	ck_assert_int_eq(count(sb.data, ">0</text>"), 12 + 1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(titles_and_labels_are_escaped)
{
	struct svg_bar		bars[1] = {
		{ "<script>alert(1)</script>", "\"><img src=x onerror=y>",
		    SVG_BAR_NUMBER, 5 },
	};
	struct svg_chart	c;
	struct sbuf		sb;

	memset(&c, 0, sizeof(c));
	c.id = "x";
	c.title = "</title><script>alert(2)</script>";
	c.desc = "a & b";
	c.bars = bars;
	c.nbars = 1;
	sbuf_init(&sb, 1 << 20);
	ck_assert_int_eq(svg_bar_chart(&sb, &c), 0);
	sbuf_appendc(&sb, '\0');
	ck_assert_ptr_null(strstr(sb.data, "<script"));
	ck_assert_ptr_null(strstr(sb.data, "<img"));
	ck_assert_ptr_nonnull(strstr(sb.data, "&lt;/title&gt;&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(sb.data, "a &amp; b"));
	ck_assert_ptr_nonnull(strstr(sb.data, "&quot;&gt;&lt;img"));
	ck_assert_int_eq(count(sb.data, "<title"), 1);
	sbuf_free(&sb);
}
END_TEST

START_TEST(chart_is_an_image_named_by_its_title_and_desc_without_style)
{
	struct svg_bar	bars[1] = { { "Jan", NULL, SVG_BAR_NUMBER, 5 } };
	struct sbuf	sb;

	draw(bars, 1, &sb);
	ck_assert_int_eq(strncmp(sb.data, "<svg ", 5), 0);
	ck_assert_ptr_nonnull(strstr(sb.data, "role=\"img\""));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "aria-labelledby=\"chart-1-title chart-1-desc\""));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "<title id=\"chart-1-title\">Deaths notified</title>"));
	ck_assert_ptr_nonnull(strstr(sb.data,
	    "<desc id=\"chart-1-desc\">Twelve months</desc>"));
	ck_assert_ptr_null(strstr(sb.data, "style"));
	ck_assert_ptr_null(strstr(sb.data, "<script"));
	ck_assert_int_eq(strcmp(sb.data + sb.len - 7, "</svg>"), 0);
	sbuf_free(&sb);
}
END_TEST

START_TEST(bad_charts_are_refused_before_writing)
{
	struct svg_bar		bars[SVG_BARS_MAX + 1];
	struct svg_chart	c;
	struct sbuf		sb;
	size_t			i;

	for (i = 0; i < SVG_BARS_MAX + 1; i++) {
		bars[i].label = "M";
		bars[i].sublabel = NULL;
		bars[i].kind = SVG_BAR_NUMBER;
		bars[i].value = 1;
	}
	memset(&c, 0, sizeof(c));
	c.id = "ok";
	c.title = "t";
	c.desc = "d";
	c.bars = bars;
	sbuf_init(&sb, 1 << 20);
	c.nbars = 0;
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	c.nbars = SVG_BARS_MAX + 1;
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	c.nbars = 2;
	c.id = "a\" onload=\"x";
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	c.id = "ok";
	bars[1].kind = 0;
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	bars[1].kind = SVG_BAR_NUMBER;
	bars[1].value = -1;
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	bars[1].value = SVG_VALUE_MAX + 1;
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	ck_assert_int_eq(svg_bar_chart(&sb, NULL), -1);
	ck_assert_int_eq((int)sb.len, 0);
	sbuf_free(&sb);
}
END_TEST

START_TEST(a_full_buffer_fails)
{
	struct svg_bar		bars[1] = { { "Jan", NULL, SVG_BAR_NUMBER, 5 } };
	struct svg_chart	c;
	struct sbuf		sb;

	memset(&c, 0, sizeof(c));
	c.id = "x";
	c.title = "t";
	c.desc = "d";
	c.bars = bars;
	c.nbars = 1;
	sbuf_init(&sb, 64);
	ck_assert_int_eq(svg_bar_chart(&sb, &c), -1);
	ck_assert(sb.oom);
	sbuf_free(&sb);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("svg_chart");
	tc = tcase_create("core");
	tcase_add_test(tc, axis_is_a_round_number_above_the_largest_figure);
	tcase_add_test(tc, bars_scale_to_the_plot_and_round);
	tcase_add_test(tc, numbers_draw_bars_to_scale_with_their_values);
	tcase_add_test(tc, suppressed_and_missing_figures_have_no_bar);
	tcase_add_test(tc, all_zero_data_still_draws_an_axis);
	tcase_add_test(tc, titles_and_labels_are_escaped);
	tcase_add_test(tc,
	    chart_is_an_image_named_by_its_title_and_desc_without_style);
	tcase_add_test(tc, bad_charts_are_refused_before_writing);
	tcase_add_test(tc, a_full_buffer_fails);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
