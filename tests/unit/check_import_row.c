#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "import_row.h"

/* 2026-10-03T12:00:00Z */
#define NOW	((time_t)1791028800)

static const char *hdr[] = { "Given name", "family_name", "NHS number",
    "date_of_birth", "sex", "date_of_death", "place_of_death",
    "attending_practitioner_name", "attending_practitioner_gmc_number",
    "state", "examiner", "officer", "mccd_issued_on", "coroner_outcome",
    "notified_at" };
#define NHDR	(sizeof(hdr) / sizeof(hdr[0]))

static struct import_map	map;

static void
setup_map(void)
{
	struct ferrs	fe;

	ferr_init(&fe);
	ck_assert_int_eq(import_header(&map, (char **)hdr, NHDR, &fe), 0);
}

/* A good row, then cell i replaced by v (i < 0: none). */
static int
read_row(int i, const char *v, struct import_row *row, struct ferrs *fe)
{
	const char	*f[NHDR] = { "Ann", "Lee", "943 476 5919",
	    "01/02/1940", "Female", "2026-09-30", "Care home", "Dr P Jones",
	    "1234567", "", "", "", "", "", "01/10/2026" };

	if (i >= 0)
		f[i] = v;
	ferr_init(fe);
	return (import_row_read(&map, (char **)f, NHDR, NOW, row, fe));
}

/* The message of the error on col, or NULL. */
static const char *
err_of(const struct ferrs *fe, const char *col)
{
	size_t	i;

	for (i = 0; i < fe->n; i++) {
		if (strcmp(fe->pairs[i][0], col) == 0)
			return (fe->pairs[i][1]);
	}
	return (NULL);
}

START_TEST(header_folds_case_and_blanks)
{
	setup_map();
	ck_assert_int_eq(map.col[0], IC_GIVEN_NAME);
	ck_assert_int_eq(map.col[2], IC_NHS_NUMBER);
}
END_TEST

START_TEST(header_refuses_unknown_repeated_and_missing_columns)
{
	const char	*h[] = { "given_name", "given_name", "shoe size" };
	struct ferrs	 fe;

	ferr_init(&fe);
	ck_assert_int_eq(import_header(&map, (char **)h, 3, &fe), -1);
	ck_assert_str_eq(err_of(&fe, "given_name"), "is given twice");
	ck_assert_ptr_nonnull(err_of(&fe, "shoe_size"));
	ck_assert_ptr_nonnull(err_of(&fe, "date_of_death"));
}
END_TEST

START_TEST(good_row_becomes_the_api_body_in_column_names)
{
	struct import_row	row;
	struct ferrs		fe;

	setup_map();
	ck_assert_int_eq(read_row(-1, NULL, &row, &fe), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "nhs_number")), "9434765919");
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "date_of_birth")), "1940-02-01");
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "sex")), "female");
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "place_of_death")), "care_home");
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "ap_gmc")), "1234567");
	/* Midnight in London (BST) on 1 October. */
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "notified_at")), "2026-09-30T23:00:00Z");
	ck_assert_int_eq(row.state, CASE_NOTIFIED);
	import_row_free(&row);
}
END_TEST

START_TEST(bad_date_is_named_by_its_column_in_plain_words)
{
	struct import_row	row;
	struct ferrs		fe;

	setup_map();
	ck_assert_int_eq(read_row(5, "31/02/2026", &row, &fe), -1);
	ck_assert_str_eq(err_of(&fe, "date_of_death"), IMPORT_PHRASE_DATE);
	ck_assert_uint_eq(fe.n, 1);
}
END_TEST

START_TEST(the_apis_own_rules_apply)
{
	struct import_row	row;
	struct ferrs		fe;

	setup_map();
	ck_assert_int_eq(read_row(5, "2027-01-01", &row, &fe), -1);
	ck_assert_str_eq(err_of(&fe, "date_of_death"), "is in the future");
	ck_assert_int_eq(read_row(8, "12345", &row, &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe,
	    "attending_practitioner_gmc_number"));
	ck_assert_int_eq(read_row(2, "9434765918", &row, &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe, "nhs_number"));
	ck_assert_int_eq(read_row(0, "", &row, &fe), -1);
	ck_assert_str_eq(err_of(&fe, "given_name"), "is required");
	ck_assert_int_eq(read_row(7, "", &row, &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe, "attending_practitioner_name"));
}
END_TEST

START_TEST(formula_cell_is_kept_as_text)
{
	struct import_row	row;
	struct ferrs		fe;

	setup_map();
	ck_assert_int_eq(read_row(1, "=HYPERLINK(\"http://x\",\"Lee\")", &row,
	    &fe), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row.data,
	    "family_name")), "=HYPERLINK(\"http://x\",\"Lee\")");
	import_row_free(&row);
}
END_TEST

START_TEST(later_states_need_their_columns)
{
	const char	*f[NHDR] = { "Ann", "Lee", "", "1940-02-01", "male",
	    "2026-09-30", "home", "Dr P Jones", "1234567", "Closed", "",
	    "", "", "", "" };
	struct import_row	row;
	struct ferrs		fe;

	setup_map();
	ferr_init(&fe);
	ck_assert_int_eq(import_row_read(&map, (char **)f, NHDR, NOW, &row,
	    &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe, "examiner"));
	ck_assert_ptr_nonnull(err_of(&fe, "mccd_issued_on"));
	f[10] = "Asha.Rao";
	f[12] = "29/09/2026";
	ferr_init(&fe);
	ck_assert_int_eq(import_row_read(&map, (char **)f, NHDR, NOW, &row,
	    &fe), -1);
	ck_assert_str_eq(err_of(&fe, "mccd_issued_on"),
	    "is before the date of death");
	f[12] = "02/10/2026";
	ferr_init(&fe);
	ck_assert_int_eq(import_row_read(&map, (char **)f, NHDR, NOW, &row,
	    &fe), 0);
	ck_assert_int_eq(row.state, CASE_CLOSED);
	ck_assert_str_eq(row.examiner, "asha.rao");
	ck_assert_str_eq(row.mccd, "2026-10-02");
	ck_assert_ptr_null(row.coroner);
	import_row_free(&row);
}
END_TEST

START_TEST(coroner_outcome_fits_the_state)
{
	struct import_row	row;
	struct ferrs		fe;

	setup_map();
	ck_assert_int_eq(read_row(9, "coroner_investigating", &row, &fe), -1);
	ck_assert_str_eq(err_of(&fe, "coroner_outcome"),
	    "is required for a case in state coroner_investigating");
	ck_assert_int_eq(read_row(13, "investigating", &row, &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe, "coroner_outcome"));
	ck_assert_int_eq(read_row(9, "nonsense", &row, &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe, "state"));
}
END_TEST

START_TEST(dates_in_both_spellings)
{
	struct vdate	d;

	ck_assert_int_eq(import_date("3/4/2026", &d), 1);
	ck_assert_int_eq(d.day, 3);
	ck_assert_int_eq(d.month, 4);
	ck_assert_int_eq(import_date("2026-04-03", &d), 1);
	ck_assert_int_eq(import_date("29/02/2025", &d), 0);
	ck_assert_int_eq(import_date("04/03/26", &d), 0);
	ck_assert_int_eq(import_date("2026/04/03", &d), 0);
	ck_assert_int_eq(import_date("a/b/cdef", &d), 0);
	ck_assert_int_eq(import_date("", &d), 0);
}
END_TEST

START_TEST(row_longer_than_the_header_is_refused)
{
	const char	*f[NHDR + 1];
	struct import_row	row;
	struct ferrs		fe;
	size_t			i;

	setup_map();
	for (i = 0; i <= NHDR; i++)
		f[i] = "x";
	ferr_init(&fe);
	ck_assert_int_eq(import_row_read(&map, (char **)f, NHDR + 1, NOW,
	    &row, &fe), -1);
	ck_assert_ptr_nonnull(err_of(&fe, "row"));
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("import_row");
	tc = tcase_create("core");
	tcase_add_test(tc, header_folds_case_and_blanks);
	tcase_add_test(tc, header_refuses_unknown_repeated_and_missing_columns);
	tcase_add_test(tc, good_row_becomes_the_api_body_in_column_names);
	tcase_add_test(tc, bad_date_is_named_by_its_column_in_plain_words);
	tcase_add_test(tc, the_apis_own_rules_apply);
	tcase_add_test(tc, formula_cell_is_kept_as_text);
	tcase_add_test(tc, later_states_need_their_columns);
	tcase_add_test(tc, coroner_outcome_fits_the_state);
	tcase_add_test(tc, dates_in_both_spellings);
	tcase_add_test(tc, row_longer_than_the_header_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
