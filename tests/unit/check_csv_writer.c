#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "sbuf.h"

/* One cell as a whole row, into a fresh buffer. */
static void
csv_one_cell(struct sbuf *sb, const char *s, size_t len)
{
	struct csv_writer	cw;

	sbuf_init(sb, 4096);
	csv_init(&cw, sb);
	ck_assert_int_eq(csv_cell_len(&cw, s, len), 0);
	ck_assert_int_eq(csv_row_end(&cw), 0);
}

START_TEST(cells_are_joined_by_commas_and_rows_end_in_crlf)
{
	struct sbuf		sb;
	struct csv_writer	cw;

	sbuf_init(&sb, 4096);
	csv_init(&cw, &sb);
	csv_cell(&cw, "month");
	csv_cell(&cw, "office");
	csv_row_end(&cw);
	csv_cell(&cw, "2026-04");
	csv_cell(&cw, "GWYNEDD");
	ck_assert_int_eq(csv_row_end(&cw), 0);
	ck_assert_str_eq(sb.data, "month,office\r\n2026-04,GWYNEDD\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(cell_with_a_comma_is_quoted)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "Smith, John", 11);
	ck_assert_str_eq(sb.data, "\"Smith, John\"\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(embedded_quotes_are_doubled_inside_quotes)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "say \"hi\"", 8);
	ck_assert_str_eq(sb.data, "\"say \"\"hi\"\"\"\r\n");
	sbuf_free(&sb);
	csv_one_cell(&sb, "\"", 1);
	ck_assert_str_eq(sb.data, "\"\"\"\"\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(embedded_newlines_stay_inside_quotes)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "line one\nline two\r\nthree", 24);
	ck_assert_str_eq(sb.data, "\"line one\nline two\r\nthree\"\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(cells_starting_a_formula_get_a_single_quote)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "=1+1", 4);
	ck_assert_str_eq(sb.data, "'=1+1\r\n");
	sbuf_free(&sb);
	csv_one_cell(&sb, "+1", 2);
	ck_assert_str_eq(sb.data, "'+1\r\n");
	sbuf_free(&sb);
	csv_one_cell(&sb, "-1", 2);
	ck_assert_str_eq(sb.data, "'-1\r\n");
	sbuf_free(&sb);
	csv_one_cell(&sb, "@SUM(A1)", 8);
	ck_assert_str_eq(sb.data, "'@SUM(A1)\r\n");
	sbuf_free(&sb);
	csv_one_cell(&sb, "\t=1", 3);
	ck_assert_str_eq(sb.data, "'\t=1\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(dde_payload_is_defused)
{
	struct sbuf	 sb;
	const char	*s = "=cmd|' /C calc'!A0";

	csv_one_cell(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data, "'=cmd|' /C calc'!A0\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(formula_that_needs_quoting_is_prefixed_inside_the_quotes)
{
	struct sbuf	 sb;
	const char	*s = "=HYPERLINK(\"http://x\",\"click\")";

	csv_one_cell(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(leading_carriage_return_is_prefixed_and_quoted)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "\r=1", 3);
	ck_assert_str_eq(sb.data, "\"'\r=1\"\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(formula_characters_later_in_the_cell_are_left_alone)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "a=b-c+d@e", 9);
	ck_assert_str_eq(sb.data, "a=b-c+d@e\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(nul_is_dropped_and_cannot_hide_a_formula)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "\0\0=1+1", 6);
	ck_assert_str_eq(sb.data, "'=1+1\r\n");
	sbuf_free(&sb);
	csv_one_cell(&sb, "a\0b", 3);
	ck_assert_uint_eq(sb.len, 4);
	ck_assert_str_eq(sb.data, "ab\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(welsh_utf8_is_kept_intact)
{
	struct sbuf	 sb;
	const char	*s = "Ysbyty Gwynedd \xe2\x80\x93 G\xc5\xb5yl";

	csv_one_cell(&sb, s, strlen(s));
	ck_assert_int_eq(memcmp(sb.data, s, strlen(s)), 0);
	ck_assert_str_eq(sb.data + strlen(s), "\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(invalid_utf8_is_replaced_with_fffd)
{
	struct sbuf	sb;

	csv_one_cell(&sb, "a\xff" "b\xe2\x82", 5);
	ck_assert_str_eq(sb.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(html_payload_is_kept_as_text_and_quoted_for_its_quote)
{
	struct sbuf	 sb;
	const char	*s = "\"><img src=x onerror=alert(1)>";

	csv_one_cell(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data,
	    "\"\"\"><img src=x onerror=alert(1)>\"\r\n");
	sbuf_free(&sb);
	s = "<script>alert(1)</script>";
	csv_one_cell(&sb, s, strlen(s));
	ck_assert_str_eq(sb.data, "<script>alert(1)</script>\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(empty_and_null_cells_are_empty)
{
	struct sbuf		sb;
	struct csv_writer	cw;

	sbuf_init(&sb, 4096);
	csv_init(&cw, &sb);
	csv_cell(&cw, "");
	csv_cell(&cw, NULL);
	csv_cell(&cw, "x");
	csv_cell(&cw, "");
	csv_cell_len(&cw, NULL, 5);
	csv_row_end(&cw);
	ck_assert_str_eq(sb.data, ",,x,,\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(integers_and_tenths_are_written_as_numbers)
{
	struct sbuf		sb;
	struct csv_writer	cw;

	sbuf_init(&sb, 4096);
	csv_init(&cw, &sb);
	csv_cell_int(&cw, 410);
	csv_cell_int(&cw, 0);
	csv_cell_tenths(&cw, 750);
	csv_cell_tenths(&cw, 0);
	csv_cell_tenths(&cw, 375);
	csv_row_end(&cw);
	ck_assert_str_eq(sb.data, "410,0,75.0,0.0,37.5\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(a_negative_number_would_not_start_a_formula_either)
{
	struct sbuf		sb;
	struct csv_writer	cw;

	sbuf_init(&sb, 4096);
	csv_init(&cw, &sb);
	csv_cell_int(&cw, -5);
	csv_cell_tenths(&cw, -5);
	csv_row_end(&cw);
	ck_assert_str_eq(sb.data, "'-5,'-0.5\r\n");
	sbuf_free(&sb);
}
END_TEST

START_TEST(output_past_the_buffer_limit_sets_the_flag)
{
	struct sbuf		sb;
	struct csv_writer	cw;
	char			big[100];

	memset(big, '"', sizeof(big));
	sbuf_init(&sb, 64);
	csv_init(&cw, &sb);
	ck_assert_int_eq(csv_cell_len(&cw, big, sizeof(big)), -1);
	ck_assert_int_eq(sb.oom, 1);
	ck_assert_uint_le(sb.len, 64);
	ck_assert_int_eq(csv_row_end(&cw), -1);
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

	s = suite_create("csv_writer");
	tc = tcase_create("core");
	tcase_add_test(tc, cells_are_joined_by_commas_and_rows_end_in_crlf);
	tcase_add_test(tc, cell_with_a_comma_is_quoted);
	tcase_add_test(tc, embedded_quotes_are_doubled_inside_quotes);
	tcase_add_test(tc, embedded_newlines_stay_inside_quotes);
	tcase_add_test(tc, cells_starting_a_formula_get_a_single_quote);
	tcase_add_test(tc, dde_payload_is_defused);
	tcase_add_test(tc,
	    formula_that_needs_quoting_is_prefixed_inside_the_quotes);
	tcase_add_test(tc, leading_carriage_return_is_prefixed_and_quoted);
	tcase_add_test(tc, formula_characters_later_in_the_cell_are_left_alone);
	tcase_add_test(tc, nul_is_dropped_and_cannot_hide_a_formula);
	tcase_add_test(tc, welsh_utf8_is_kept_intact);
	tcase_add_test(tc, invalid_utf8_is_replaced_with_fffd);
	tcase_add_test(tc,
	    html_payload_is_kept_as_text_and_quoted_for_its_quote);
	tcase_add_test(tc, empty_and_null_cells_are_empty);
	tcase_add_test(tc, integers_and_tenths_are_written_as_numbers);
	tcase_add_test(tc, a_negative_number_would_not_start_a_formula_either);
	tcase_add_test(tc, output_past_the_buffer_limit_sets_the_flag);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
