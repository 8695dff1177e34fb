#include <check.h>
#include <stdlib.h>

#include "query.h"

START_TEST(finds_and_decodes_a_parameter)
{
	char	out[64];

	ck_assert_int_eq(query_get("a=1&q=Jones+O%27Neil&b=2", "q", out,
	    sizeof(out)), QUERY_FOUND);
	ck_assert_str_eq(out, "Jones O'Neil");
	ck_assert_int_eq(query_get("a=1", "q", out, sizeof(out)),
	    QUERY_ABSENT);
	ck_assert_int_eq(query_get(NULL, "q", out, sizeof(out)),
	    QUERY_ABSENT);
}
END_TEST

START_TEST(prefix_of_a_name_is_not_the_name)
{
	char	out[64];

	ck_assert_int_eq(query_get("limitx=5&limit=7", "limit", out,
	    sizeof(out)), QUERY_FOUND);
	ck_assert_str_eq(out, "7");
}
END_TEST

START_TEST(bad_escapes_and_control_characters_are_refused)
{
	char	out[64];

	ck_assert_int_eq(query_get("q=%zz", "q", out, sizeof(out)),
	    QUERY_BAD);
	ck_assert_int_eq(query_get("q=%4", "q", out, sizeof(out)),
	    QUERY_BAD);
	ck_assert_int_eq(query_get("q=%00", "q", out, sizeof(out)),
	    QUERY_BAD);
	ck_assert_int_eq(query_get("q=%0a", "q", out, sizeof(out)),
	    QUERY_BAD);
	ck_assert_int_eq(query_get("q=%ff%fe", "q", out, sizeof(out)),
	    QUERY_BAD);
}
END_TEST

START_TEST(welsh_utf8_is_kept)
{
	char	out[64];

	ck_assert_int_eq(query_get("q=G%C5%B5yl", "q", out, sizeof(out)),
	    QUERY_FOUND);
	ck_assert_str_eq(out, "Gŵyl");
}
END_TEST

START_TEST(too_long_for_the_buffer_is_refused)
{
	char	out[4];

	ck_assert_int_eq(query_get("q=abcd", "q", out, sizeof(out)),
	    QUERY_BAD);
	ck_assert_int_eq(query_get("q=abc", "q", out, sizeof(out)),
	    QUERY_FOUND);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("query");
	tc = tcase_create("core");
	tcase_add_test(tc, finds_and_decodes_a_parameter);
	tcase_add_test(tc, prefix_of_a_name_is_not_the_name);
	tcase_add_test(tc, bad_escapes_and_control_characters_are_refused);
	tcase_add_test(tc, welsh_utf8_is_kept);
	tcase_add_test(tc, too_long_for_the_buffer_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
