#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

START_TEST(keys_and_values_are_trimmed)
{
	struct config	c;
	char		err[128];

	ck_assert_int_eq(config_parse(&c, "# comment\n a = b c \n\nn=42\n",
	    err, sizeof(err)), 0);
	ck_assert_str_eq(config_get(&c, "a"), "b c");
	ck_assert_int_eq(config_get_int(&c, "n", 0, 0, 100), 42);
	ck_assert_ptr_null(config_get(&c, "missing"));
	config_free(&c);
}
END_TEST

START_TEST(out_of_range_integer_falls_back_to_default)
{
	struct config	c;
	char		err[128];

	ck_assert_int_eq(config_parse(&c, "n=4200\nm=x\n", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(config_get_int(&c, "n", 7, 0, 100), 7);
	ck_assert_int_eq(config_get_int(&c, "m", 7, 0, 100), 7);
	config_free(&c);
}
END_TEST

START_TEST(line_without_equals_is_an_error_naming_the_line)
{
	struct config	c;
	char		err[128];

	ck_assert_int_eq(config_parse(&c, "a=1\nsecretvalue\n", err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 2"));
	ck_assert_ptr_null(strstr(err, "secretvalue"));
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("config");
	tc = tcase_create("core");
	tcase_add_test(tc, keys_and_values_are_trimmed);
	tcase_add_test(tc, out_of_range_integer_falls_back_to_default);
	tcase_add_test(tc, line_without_equals_is_an_error_naming_the_line);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
