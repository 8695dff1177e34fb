/*
 * case_warning.c: the warning codes, the acknowledgement's body and the
 * test-range NHS number, refused or kept by the instance's setting.
 */
#include <check.h>
#include <stdlib.h>

#include "case_warning.h"

START_TEST(codes_known_and_unknown)
{
	ck_assert_int_eq(case_warning_code_known("possible_duplicate"), 1);
	ck_assert_int_eq(case_warning_code_known("age_over_120"), 1);
	ck_assert_int_eq(case_warning_code_known("abbreviation_in_cause"), 1);
	ck_assert_int_eq(case_warning_code_known("implants_before_cremation"),
	    1);
	ck_assert_int_eq(case_warning_code_known("test_nhs_number"), 1);
	ck_assert_int_eq(case_warning_code_known("Age_over_120"), 0);
	ck_assert_int_eq(case_warning_code_known(""), 0);
	ck_assert_int_eq(case_warning_code_known(NULL), 0);
}
END_TEST

START_TEST(test_numbers_refused_unless_allowed)
{
	ck_assert_ptr_nonnull(case_warning_nhs_refusal("9991234561", 0));
	ck_assert_ptr_null(case_warning_nhs_refusal("9991234561", 1));
	ck_assert_ptr_null(case_warning_nhs_refusal("9434765919", 0));
	ck_assert_ptr_null(case_warning_nhs_refusal(NULL, 0));
}
END_TEST

START_TEST(body_nhs_check_names_the_field)
{
	struct ferrs	 fe;
	json_t		*out;

	out = json_pack("{ss}", "nhs_number", "9991234561");
	ferr_init(&fe);
	case_warning_nhs_check(out, 1, &fe);
	ck_assert_uint_eq(fe.n, 0);
	case_warning_nhs_check(out, 0, &fe);
	ck_assert_uint_eq(fe.n, 1);
	ck_assert_str_eq(fe.pairs[0][0], "nhs_number");
	json_decref(out);
	/* No number (or null, a PATCH removing it): nothing to refuse. */
	out = json_pack("{sn}", "nhs_number");
	ferr_init(&fe);
	case_warning_nhs_check(out, 0, &fe);
	ck_assert_uint_eq(fe.n, 0);
	json_decref(out);
}
END_TEST

START_TEST(ack_body_checked)
{
	struct ferrs	 fe;
	json_t		*j;

	j = json_pack("{ss}", "code", "age_over_120");
	ferr_init(&fe);
	ck_assert_str_eq(case_warning_ack_body(j, &fe), "age_over_120");
	json_decref(j);

	j = json_pack("{ss}", "code", "tall");
	ferr_init(&fe);
	ck_assert_ptr_null(case_warning_ack_body(j, &fe));
	ck_assert_str_eq(fe.pairs[0][0], "code");
	json_decref(j);

	j = json_pack("{si}", "code", 3);
	ferr_init(&fe);
	ck_assert_ptr_null(case_warning_ack_body(j, &fe));
	json_decref(j);

	j = json_object();
	ferr_init(&fe);
	ck_assert_ptr_null(case_warning_ack_body(j, &fe));
	ck_assert_str_eq(fe.pairs[0][1], "is required");
	json_decref(j);

	j = json_pack("{ss sb}", "code", "age_over_120", "also", 1);
	ferr_init(&fe);
	ck_assert_ptr_null(case_warning_ack_body(j, &fe));
	ck_assert_str_eq(fe.pairs[0][0], "also");
	json_decref(j);
}
END_TEST

START_TEST(abbreviation_lists_checked)
{
	struct ferrs	 fe;
	json_t		*j, *out;

	j = json_pack("{s[sss]}", "abbreviations", "mi", "COPD", "t2dm");
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 0);
	ck_assert_uint_eq(json_array_size(out), 3);
	ck_assert_str_eq(json_string_value(json_array_get(out, 0)), "COPD");
	ck_assert_str_eq(json_string_value(json_array_get(out, 1)), "MI");
	ck_assert_str_eq(json_string_value(json_array_get(out, 2)), "T2DM");
	json_decref(out);
	json_decref(j);

	/* Twice (in any case), a space, too long, empty, not a string. */
	j = json_pack("{s[ss]}", "abbreviations", "mi", "MI");
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 1);
	ck_assert_uint_eq(json_array_size(out), 0);
	json_decref(out);
	json_decref(j);
	j = json_pack("{s[s]}", "abbreviations", "C P");
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 1);
	json_decref(out);
	json_decref(j);
	j = json_pack("{s[s]}", "abbreviations", "ABCDEFGHIJKLMNOPQ");
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 1);
	json_decref(out);
	json_decref(j);
	j = json_pack("{s[s]}", "abbreviations", "");
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 1);
	json_decref(out);
	json_decref(j);
	j = json_pack("{s[i]}", "abbreviations", 4);
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 1);
	json_decref(out);
	json_decref(j);
	/* An empty list is a list: nothing raises the warning. */
	j = json_pack("{s[]}", "abbreviations");
	out = json_array();
	ferr_init(&fe);
	case_warning_abbrev_body(j, out, &fe);
	ck_assert_uint_eq(fe.n, 0);
	json_decref(out);
	json_decref(j);
}
END_TEST

int
main(void)
{
	Suite	*s;
	SRunner	*sr;
	TCase	*tc;
	int	 failed;

	s = suite_create("case_warning");
	tc = tcase_create("core");
	tcase_add_test(tc, codes_known_and_unknown);
	tcase_add_test(tc, test_numbers_refused_unless_allowed);
	tcase_add_test(tc, body_nhs_check_names_the_field);
	tcase_add_test(tc, ack_body_checked);
	tcase_add_test(tc, abbreviation_lists_checked);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
