#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "nhs_number.h"

START_TEST(known_valid_numbers_are_accepted)
{
	char	out[NHS_NUMBER_LEN];

	ck_assert_int_eq(nhs_number_normalise("9434765919", out), NHS_OK);
	ck_assert_str_eq(out, "9434765919");
	ck_assert_int_eq(nhs_number_normalise("4010232137", out), NHS_OK);
	ck_assert_str_eq(out, "4010232137");
}
END_TEST

START_TEST(spaces_are_allowed_and_dropped)
{
	char	out[NHS_NUMBER_LEN];

	ck_assert_int_eq(nhs_number_normalise("943 476 5919", out), NHS_OK);
	ck_assert_str_eq(out, "9434765919");
	ck_assert_int_eq(nhs_number_normalise(" 94 347 659  19 ", out),
	    NHS_OK);
	ck_assert_str_eq(out, "9434765919");
}
END_TEST

START_TEST(wrong_check_digit_is_refused)
{
	char	out[NHS_NUMBER_LEN];

	ck_assert_int_eq(nhs_number_normalise("9434765918", out),
	    NHS_ERR_CHECK_DIGIT);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(nhs_number_error_str(NHS_ERR_CHECK_DIGIT),
	    "fails the check digit");
}
END_TEST

START_TEST(check_digit_computing_to_ten_is_refused)
{
	char	out[NHS_NUMBER_LEN];
	char	num[NHS_NUMBER_LEN];
	int	d;

	/* 999123456 sums to 320, remainder 1, check 10: no digit will do. */
	for (d = 0; d <= 9; d++) {
		memcpy(num, "999123456", 9);
		num[9] = (char)('0' + d);
		num[10] = '\0';
		ck_assert_int_eq(nhs_number_normalise(num, out),
		    NHS_ERR_CHECK_DIGIT);
	}
	ck_assert_int_eq(nhs_number_normalise("9991234560", out),
	    NHS_ERR_CHECK_DIGIT);
}
END_TEST

START_TEST(check_digit_computing_to_eleven_means_zero)
{
	char	out[NHS_NUMBER_LEN];

	/* 1*10 + 1*9 + 1*3 = 22, remainder 0: 11 - 0 is 11, written 0. */
	ck_assert_int_eq(nhs_number_normalise("1100000100", out), NHS_OK);
	ck_assert_str_eq(out, "1100000100");
	ck_assert_int_eq(nhs_number_normalise("1100000101", out),
	    NHS_ERR_CHECK_DIGIT);
}
END_TEST

START_TEST(one_repeated_digit_is_refused)
{
	char	out[NHS_NUMBER_LEN];
	char	num[NHS_NUMBER_LEN];
	int	d;

	for (d = 0; d <= 9; d++) {
		memset(num, '0' + d, NHS_NUMBER_DIGITS);
		num[NHS_NUMBER_DIGITS] = '\0';
		ck_assert_int_eq(nhs_number_normalise(num, out),
		    NHS_ERR_REPEATED);
		ck_assert_str_eq(out, "");
	}
	ck_assert_int_eq(nhs_number_normalise("000 000 0000", out),
	    NHS_ERR_REPEATED);
	ck_assert_str_eq(nhs_number_error_str(NHS_ERR_REPEATED),
	    "may not be one repeated digit");
}
END_TEST

START_TEST(wrong_length_is_refused)
{
	char	out[NHS_NUMBER_LEN];

	ck_assert_int_eq(nhs_number_normalise("123", out), NHS_ERR_LENGTH);
	ck_assert_int_eq(nhs_number_normalise("12345678901", out),
	    NHS_ERR_LENGTH);
	ck_assert_int_eq(nhs_number_normalise("94347659190", out),
	    NHS_ERR_LENGTH);
	ck_assert_int_eq(nhs_number_normalise("", out), NHS_ERR_LENGTH);
	ck_assert_int_eq(nhs_number_normalise("   ", out), NHS_ERR_LENGTH);
	ck_assert_int_eq(nhs_number_normalise(NULL, out), NHS_ERR_LENGTH);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(nhs_number_error_str(NHS_ERR_LENGTH),
	    "must be 10 digits");
}
END_TEST

START_TEST(other_characters_are_refused)
{
	char	out[NHS_NUMBER_LEN];

	ck_assert_int_eq(nhs_number_normalise("943-476-5919", out),
	    NHS_ERR_CHARACTER);
	ck_assert_int_eq(nhs_number_normalise("943\t476 5919", out),
	    NHS_ERR_CHARACTER);
	ck_assert_int_eq(nhs_number_normalise("94347659I9", out),
	    NHS_ERR_CHARACTER);
	/* Arabic-Indic digits are digits, but not NHS number digits. */
	ck_assert_int_eq(nhs_number_normalise("\xd9\xa9" "434765919", out),
	    NHS_ERR_CHARACTER);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(format_shows_three_three_four)
{
	char	shown[NHS_NUMBER_SHOWN_LEN];

	ck_assert_int_eq(nhs_number_format("9434765919", shown), 0);
	ck_assert_str_eq(shown, "943 476 5919");
	ck_assert_int_eq(nhs_number_format("943476591", shown), -1);
	ck_assert_str_eq(shown, "");
	ck_assert_int_eq(nhs_number_format("943476591x", shown), -1);
	ck_assert_int_eq(nhs_number_format(NULL, shown), -1);
}
END_TEST

START_TEST(test_range_starts_999)
{
	char	out[NHS_NUMBER_LEN];

	ck_assert_int_eq(nhs_number_is_test_range("9991234561"), 1);
	ck_assert_int_eq(nhs_number_is_test_range("9434765919"), 0);
	ck_assert_int_eq(nhs_number_is_test_range("99"), 0);
	ck_assert_int_eq(nhs_number_is_test_range(NULL), 0);

	/* 9*10 + 9*9 + 9*8 + 3*2 = 249, remainder 7, check 4. */
	ck_assert_int_eq(nhs_number_normalise("999 000 0034", out), NHS_OK);
	ck_assert_int_eq(nhs_number_is_test_range(out), 1);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("nhs_number");
	tc = tcase_create("core");
	tcase_add_test(tc, known_valid_numbers_are_accepted);
	tcase_add_test(tc, spaces_are_allowed_and_dropped);
	tcase_add_test(tc, wrong_check_digit_is_refused);
	tcase_add_test(tc, check_digit_computing_to_ten_is_refused);
	tcase_add_test(tc, check_digit_computing_to_eleven_means_zero);
	tcase_add_test(tc, one_repeated_digit_is_refused);
	tcase_add_test(tc, wrong_length_is_refused);
	tcase_add_test(tc, other_characters_are_refused);
	tcase_add_test(tc, format_shows_three_three_four);
	tcase_add_test(tc, test_range_starts_999);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
