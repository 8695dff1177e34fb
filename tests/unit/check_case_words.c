#include <check.h>
#include <stdlib.h>

#include "case_words.h"

START_TEST(ethnic_categories_in_words)
{
	ck_assert_str_eq(case_ethnicity_label("A"), "White: British");
	ck_assert_str_eq(case_ethnicity_label("N"),
	    "Black or Black British: African");
	ck_assert_str_eq(case_ethnicity_label("Z"), "Not stated");
}
END_TEST

START_TEST(letters_that_are_no_category_have_no_words)
{
	ck_assert_ptr_null(case_ethnicity_label("I"));
	ck_assert_ptr_null(case_ethnicity_label("AA"));
	ck_assert_ptr_null(case_ethnicity_label(""));
	ck_assert_ptr_null(case_ethnicity_label(NULL));
}
END_TEST

START_TEST(codes_with_their_own_words)
{
	ck_assert_str_eq(case_code_words("present_not_removed"),
	    "Present, not removed");
	ck_assert_str_eq(case_code_words("sudden_not_unexpected"),
	    "Sudden but not unexpected");
	ck_assert_ptr_null(case_code_words("cremation"));
	ck_assert_ptr_null(case_code_words(NULL));
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("case_words");
	tc = tcase_create("core");
	tcase_add_test(tc, ethnic_categories_in_words);
	tcase_add_test(tc, letters_that_are_no_category_have_no_words);
	tcase_add_test(tc, codes_with_their_own_words);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
