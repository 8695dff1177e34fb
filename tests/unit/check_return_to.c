#include <check.h>
#include <stdlib.h>

#include "return_to.h"

START_TEST(local_paths_are_accepted)
{
	ck_assert_int_eq(return_to_valid("/cases/12?x=1"), 1);
	ck_assert_int_eq(return_to_valid("/"), 1);
	ck_assert_int_eq(return_to_valid("/audit?user=a.b&from=2026-01-01"),
	    1);
	ck_assert_int_eq(return_to_valid("/cases?q=O%27Neil"), 1);
}
END_TEST

START_TEST(other_hosts_and_schemes_are_refused)
{
	ck_assert_int_eq(return_to_valid("https://evil.example/"), 0);
	ck_assert_int_eq(return_to_valid("//evil.example/"), 0);
	ck_assert_int_eq(return_to_valid("/\\evil"), 0);
	ck_assert_int_eq(return_to_valid("/cases\\..\\x"), 0);
	ck_assert_int_eq(return_to_valid("javascript:alert(1)"), 0);
	ck_assert_int_eq(return_to_valid("cases/1"), 0);
	ck_assert_int_eq(return_to_valid(""), 0);
	ck_assert_int_eq(return_to_valid(NULL), 0);
}
END_TEST

START_TEST(control_characters_spaces_and_non_ascii_are_refused)
{
	ck_assert_int_eq(return_to_valid("/cases\r\nSet-Cookie: x=1"), 0);
	ck_assert_int_eq(return_to_valid("/\t/evil.example"), 0);
	ck_assert_int_eq(return_to_valid("/a b"), 0);
	ck_assert_int_eq(return_to_valid("/a\x7f"), 0);
	ck_assert_int_eq(return_to_valid("/caf\xc3\xa9"), 0);
}
END_TEST

START_TEST(the_sign_in_page_itself_is_refused)
{
	ck_assert_int_eq(return_to_valid("/login"), 0);
	ck_assert_int_eq(return_to_valid("/login?next=%2F"), 0);
	ck_assert_int_eq(return_to_valid("/logins"), 1);
}
END_TEST

START_TEST(too_long_is_refused)
{
	char	buf[RETURN_TO_MAX + 2];
	size_t	i;

	buf[0] = '/';
	for (i = 1; i < sizeof(buf) - 1; i++)
		buf[i] = 'a';
	buf[sizeof(buf) - 1] = '\0';
	ck_assert_int_eq(return_to_valid(buf), 0);
	buf[RETURN_TO_MAX] = '\0';
	ck_assert_int_eq(return_to_valid(buf), 1);
}
END_TEST

START_TEST(encodes_as_a_query_value)
{
	char	out[64];

	ck_assert_int_eq(return_to_encode("/cases/12?x=1", out, sizeof(out)),
	    1);
	ck_assert_str_eq(out, "%2Fcases%2F12%3Fx%3D1");
	ck_assert_int_eq(return_to_encode("//evil.example/", out,
	    sizeof(out)), 0);
	ck_assert_int_eq(return_to_encode("/cases/12?x=1", out, 10), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("return_to");
	tc = tcase_create("core");
	tcase_add_test(tc, local_paths_are_accepted);
	tcase_add_test(tc, other_hosts_and_schemes_are_refused);
	tcase_add_test(tc, control_characters_spaces_and_non_ascii_are_refused);
	tcase_add_test(tc, the_sign_in_page_itself_is_refused);
	tcase_add_test(tc, too_long_is_refused);
	tcase_add_test(tc, encodes_as_a_query_value);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
