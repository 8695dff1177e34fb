/*
 * The import page's reading of a file in memory (app/core/import_batch.c):
 * the JSON that api_import_stage() takes, its errors by row and column,
 * the row limit, the file's name as kept, and the template's header,
 * which the reader must accept as it is.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_batch.h"
#include "import_row.h"

/* 2026-10-03T12:00:00Z */
#define NOW	((time_t)1791028800)

#define HDR	"given_name,family_name,nhs_number,date_of_birth,sex," \
		"date_of_death,place_of_death,attending_practitioner_name," \
		"attending_practitioner_gmc_number\r\n"
#define ROW	"Ann,Lee,943 476 5919,01/02/1940,female,30/09/2026,hospital," \
		"Dr P Jones,1234567\r\n"

static json_t *
check(const char *csv, long max)
{
	json_t	*j;

	j = import_batch_check(csv, strlen(csv), "C:\\Users\\me\\cases.csv",
	    NOW, max);
	ck_assert_ptr_nonnull(j);
	return (j);
}

static long
jint(json_t *j, const char *k)
{
	return ((long)json_integer_value(json_object_get(j, k)));
}

START_TEST(good_file_gives_its_rows_digest_and_name)
{
	json_t		*j, *r;

	j = check(HDR ROW ROW, 10);
	ck_assert_str_eq(json_string_value(json_object_get(j, "file")),
	    "cases.csv");
	/* sha256 of the bytes, as `sha256sum` says. */
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(j,
	    "sha256"))), 64);
	ck_assert_int_eq(jint(j, "rows_read"), 2);
	ck_assert_int_eq(jint(j, "errors_total"), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "rows")), 2);
	r = json_array_get(json_object_get(j, "rows"), 1);
	ck_assert_int_eq(jint(r, "row"), 3);
	ck_assert_str_eq(json_string_value(json_object_get(r, "state")),
	    "notified");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r,
	    "data"), "nhs_number")), "9434765919");
	ck_assert_str_eq(json_string_value(json_object_get(j, "separator")),
	    ",");
	json_decref(j);
}
END_TEST

START_TEST(bad_rows_are_named_by_row_and_column)
{
	json_t		*j, *e;

	j = check(HDR ROW "Bo,Ray,943 476 5919,31/02/1940,female,30/09/2026,"
	    "hospital,Dr P Jones,1234567\r\n", 10);
	ck_assert_int_eq(jint(j, "errors_total"), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "rows")), 1);
	e = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_int_eq(jint(e, "row"), 3);
	ck_assert_str_eq(json_string_value(json_object_get(e, "column")),
	    "date_of_birth");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e,
	    "message")), "real date"));
	json_decref(j);
}
END_TEST

START_TEST(more_rows_than_the_page_takes_is_one_error)
{
	json_t		*j, *e;

	j = check(HDR ROW ROW ROW, 2);
	ck_assert_int_eq(jint(j, "errors_total"), 1);
	e = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_int_eq(jint(e, "row"), 4);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e,
	    "message")), "medexctl"));
	json_decref(j);
}
END_TEST

START_TEST(errors_past_the_cap_are_counted_not_listed)
{
	json_t		*j;
	char		*csv;
	size_t		 i, n;

	n = strlen(HDR) + (IMPORT_PAGE_ERRORS + 5) * 8 + 1;
	csv = malloc(n);
	ck_assert_ptr_nonnull(csv);
	strcpy(csv, HDR);
	for (i = 0; i < IMPORT_PAGE_ERRORS + 5; i++)
		strcat(csv, "x,y\r\n");
	j = check(csv, 1000);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "errors")),
	    IMPORT_PAGE_ERRORS);
	ck_assert_int_gt(jint(j, "errors_total"), IMPORT_PAGE_ERRORS);
	json_decref(j);
	free(csv);
}
END_TEST

START_TEST(empty_file_and_bad_header_are_row_1)
{
	json_t		*j, *e;

	j = check("", 10);
	e = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_int_eq(jint(e, "row"), 1);
	json_decref(j);
	j = check("given_name,colour\r\n", 10);
	ck_assert_int_ge(jint(j, "errors_total"), 1);
	e = json_array_get(json_object_get(j, "errors"), 0);
	ck_assert_int_eq(jint(e, "row"), 1);
	json_decref(j);
}
END_TEST

START_TEST(file_name_keeps_the_last_part_only)
{
	char	out[IMPORT_FILE_NAME + 1];
	char	longname[400];

	import_file_name("../../etc/passwd", out, sizeof(out));
	ck_assert_str_eq(out, "passwd");
	import_file_name("a\nb\tc.csv", out, sizeof(out));
	ck_assert_str_eq(out, "a_b_c.csv");
	import_file_name("dir/", out, sizeof(out));
	ck_assert_str_eq(out, "upload.csv");
	import_file_name(NULL, out, sizeof(out));
	ck_assert_str_eq(out, "upload.csv");
	/* 199 ASCII then "é": the cut leaves no half character. */
	memset(longname, 'a', 199);
	strcpy(longname + 199, "\xc3\xa9xyz");
	import_file_name(longname, out, sizeof(out));
	ck_assert_uint_eq(strlen(out), 199);
}
END_TEST

START_TEST(template_is_a_header_the_reader_accepts)
{
	char		 t[1024];
	size_t		 n;
	json_t		*j;

	n = import_template(t, sizeof(t));
	ck_assert_uint_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(t, "date_of_death"));
	ck_assert_ptr_nonnull(strstr(t, "coroner_outcome"));
	j = check(t, 10);
	ck_assert_int_eq(jint(j, "errors_total"), 0);
	ck_assert_int_eq(jint(j, "rows_read"), 0);
	json_decref(j);
	ck_assert_uint_eq(import_template(t, 10), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("import_batch");
	tc = tcase_create("core");
	tcase_add_test(tc, good_file_gives_its_rows_digest_and_name);
	tcase_add_test(tc, bad_rows_are_named_by_row_and_column);
	tcase_add_test(tc, more_rows_than_the_page_takes_is_one_error);
	tcase_add_test(tc, errors_past_the_cap_are_counted_not_listed);
	tcase_add_test(tc, empty_file_and_bad_header_are_row_1);
	tcase_add_test(tc, file_name_keeps_the_last_part_only);
	tcase_add_test(tc, template_is_a_header_the_reader_accepts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
