#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"

/* A memory source handing out at most `chunk` bytes per read. */
struct src {
	const char	*data;
	size_t		 len;
	size_t		 pos;
	size_t		 chunk;
};

static ssize_t
src_read(void *arg, char *buf, size_t n)
{
	struct src	*s = arg;

	if (n > s->len - s->pos)
		n = s->len - s->pos;
	if (s->chunk && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return ((ssize_t)n);
}

static struct csv_reader	*rd;
static struct src		 sr_;

static void
open_mem(const char *data, size_t len, size_t chunk)
{
	sr_.data = data;
	sr_.len = len;
	sr_.pos = 0;
	sr_.chunk = chunk;
	rd = malloc(sizeof(*rd));
	ck_assert_ptr_nonnull(rd);
	ck_assert_int_eq(csv_reader_init(rd, src_read, &sr_), 0);
}

static void
close_mem(void)
{
	csv_reader_free(rd);
	free(rd);
}

START_TEST(comma_separated_lf_records)
{
	open_mem("a,b,c\n1,2,3\n", 12, 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->sep, ',');
	ck_assert_int_eq(rd->nfields, 3);
	ck_assert_str_eq(rd->fields[2], "c");
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_str_eq(rd->fields[0], "1");
	ck_assert_int_eq(rd->record, 2);
	ck_assert_int_eq(csv_next(rd), CSV_END);
	close_mem();
}
END_TEST

START_TEST(semicolons_in_the_header_make_the_separator)
{
	const char	*d = "given name;family name;\"x,y\"\r\nAnn;Lee, Jr;z\r\n";

	open_mem(d, strlen(d), 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->sep, ';');
	ck_assert_str_eq(rd->fields[2], "x,y");
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->nfields, 3);
	ck_assert_str_eq(rd->fields[1], "Lee, Jr");
	ck_assert_int_eq(csv_next(rd), CSV_END);
	close_mem();
}
END_TEST

START_TEST(quoted_fields_hold_quotes_separators_and_line_breaks)
{
	const char	*d = "a,b\r\n\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nx,\"\"\n";

	open_mem(d, strlen(d), 1);	/* one byte per read */
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_str_eq(rd->fields[0], "say \"hi\"");
	ck_assert_str_eq(rd->fields[1], "two\r\nlines");
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->record, 3);
	ck_assert_str_eq(rd->fields[1], "");
	ck_assert_int_eq(csv_next(rd), CSV_END);
	close_mem();
}
END_TEST

START_TEST(last_record_without_a_line_break_is_read)
{
	open_mem("a,b\nc,d", 7, 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_str_eq(rd->fields[1], "d");
	ck_assert_int_eq(csv_next(rd), CSV_END);
	close_mem();
}
END_TEST

START_TEST(empty_rows_are_skipped_but_counted)
{
	const char	*d = "a;b\n\n;\n1;2\n;;\n";

	open_mem(d, strlen(d), 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->record, 4);
	ck_assert_str_eq(rd->fields[0], "1");
	ck_assert_int_eq(csv_next(rd), CSV_END);
	close_mem();
}
END_TEST

START_TEST(utf8_bom_is_skipped_and_text_kept)
{
	const char	*d = "\xEF\xBB\xBFname\nGwenllïan \xC5\xB4yn\n";

	open_mem(d, strlen(d), 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->enc, CSV_ENC_UTF8_BOM);
	ck_assert_str_eq(rd->fields[0], "name");
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_str_eq(rd->fields[0], "Gwenllïan Ŵyn");
	close_mem();
}
END_TEST

START_TEST(windows_1252_is_converted_to_utf8)
{
	/* "Zoë;O’Brien;€5" as Excel writes it on Windows. */
	const char	*d = "a;b;c\r\nZo\xEB;O\x92" "Brien;\x80" "5\r\n";

	open_mem(d, strlen(d), 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(rd->enc, CSV_ENC_CP1252);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_str_eq(rd->fields[0], "Zoë");
	ck_assert_str_eq(rd->fields[1], "O’Brien");
	ck_assert_str_eq(rd->fields[2], "€5");
	close_mem();
}
END_TEST

START_TEST(bad_utf8_after_the_first_buffer_is_taken_as_1252)
{
	char	*d;
	size_t	 n, i;

	n = CSV_BUF_SIZE + 100;
	d = malloc(n + 1);
	ck_assert_ptr_nonnull(d);
	memcpy(d, "a\n", 2);
	for (i = 2; i < n - 6; i += 2)
		memcpy(d + i, "x\n", 2);
	memcpy(d + i, "Zo\xEB\n", 4);
	n = i + 4;
	open_mem(d, n, 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	while (csv_next(rd) == CSV_RECORD && strcmp(rd->fields[0], "x") == 0)
		;
	ck_assert_int_eq(rd->enc, CSV_ENC_UTF8);
	ck_assert_str_eq(rd->fields[0], "Zoë");
	ck_assert_int_eq(rd->converted, 1);
	close_mem();
	free(d);
}
END_TEST

START_TEST(formula_cells_are_plain_text)
{
	const char	*d = "a,b\n=HYPERLINK(\"x\"),@SUM(A1)\n";

	open_mem(d, strlen(d), 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_str_eq(rd->fields[0], "=HYPERLINK(\"x\")");
	ck_assert_str_eq(rd->fields[1], "@SUM(A1)");
	close_mem();
}
END_TEST

START_TEST(unclosed_quote_is_an_error)
{
	open_mem("a,b\n\"open,x\n", 12, 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(csv_next(rd), CSV_ERR_QUOTE);
	close_mem();
}
END_TEST

START_TEST(text_after_a_closing_quote_is_an_error)
{
	open_mem("\"a\"b,c\n", 7, 0);
	ck_assert_int_eq(csv_next(rd), CSV_ERR_QUOTE);
	close_mem();
}
END_TEST

START_TEST(nul_byte_is_an_error)
{
	open_mem("a,b\n1,\0002\n", 9, 0);
	ck_assert_int_eq(csv_next(rd), CSV_RECORD);
	ck_assert_int_eq(csv_next(rd), CSV_ERR_NUL);
	close_mem();
}
END_TEST

START_TEST(too_many_fields_and_too_long_rows_are_refused)
{
	char	*d;
	size_t	 i;

	d = malloc(CSV_FIELD_MAX + 10);
	ck_assert_ptr_nonnull(d);
	for (i = 0; i < 70; i++)
		d[i] = ',';
	d[i] = '\n';
	open_mem(d, 71, 0);
	ck_assert_int_eq(csv_next(rd), CSV_ERR_TOO_MANY);
	close_mem();
	memset(d, 'x', CSV_FIELD_MAX + 5);
	open_mem(d, CSV_FIELD_MAX + 5, 0);
	ck_assert_int_eq(csv_next(rd), CSV_ERR_TOO_LONG);
	close_mem();
	free(d);
}
END_TEST

START_TEST(cp1252_undefined_bytes_become_replacement_characters)
{
	char	out[16];

	ck_assert_uint_eq(csv_cp1252_to_utf8("\x81\xA0", 2, out), 5);
	ck_assert_str_eq(out, "\xEF\xBF\xBD\xC2\xA0");
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("csv_reader");
	tc = tcase_create("core");
	tcase_add_test(tc, comma_separated_lf_records);
	tcase_add_test(tc, semicolons_in_the_header_make_the_separator);
	tcase_add_test(tc, quoted_fields_hold_quotes_separators_and_line_breaks);
	tcase_add_test(tc, last_record_without_a_line_break_is_read);
	tcase_add_test(tc, empty_rows_are_skipped_but_counted);
	tcase_add_test(tc, utf8_bom_is_skipped_and_text_kept);
	tcase_add_test(tc, windows_1252_is_converted_to_utf8);
	tcase_add_test(tc, bad_utf8_after_the_first_buffer_is_taken_as_1252);
	tcase_add_test(tc, formula_cells_are_plain_text);
	tcase_add_test(tc, unclosed_quote_is_an_error);
	tcase_add_test(tc, text_after_a_closing_quote_is_an_error);
	tcase_add_test(tc, nul_byte_is_an_error);
	tcase_add_test(tc, too_many_fields_and_too_long_rows_are_refused);
	tcase_add_test(tc,
	    cp1252_undefined_bytes_become_replacement_characters);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
