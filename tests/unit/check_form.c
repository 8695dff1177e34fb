#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

START_TEST(pairs_are_split_and_decoded)
{
	struct form	f;
	const char	*b = "username=ada.admin&password=a+b%26c%3D&x=";

	ck_assert_int_eq(form_parse(&f, b, strlen(b)), 0);
	ck_assert_uint_eq(f.n, 3);
	ck_assert_str_eq(form_get(&f, "username"), "ada.admin");
	ck_assert_str_eq(form_get(&f, "password"), "a b&c=");
	ck_assert_str_eq(form_get(&f, "x"), "");
	ck_assert_ptr_null(form_get(&f, "missing"));
	form_free(&f);
}
END_TEST

START_TEST(repeated_names_are_all_kept_in_order)
{
	struct form	f;
	const char	*b = "c=violence&c=neglect&reason=r";

	ck_assert_int_eq(form_parse(&f, b, strlen(b)), 0);
	ck_assert_uint_eq(form_count(&f, "c"), 2);
	ck_assert_str_eq(form_get_nth(&f, "c", 0), "violence");
	ck_assert_str_eq(form_get_nth(&f, "c", 1), "neglect");
	ck_assert_ptr_null(form_get_nth(&f, "c", 2));
	form_free(&f);
}
END_TEST

START_TEST(empty_pieces_and_names_without_value_are_allowed)
{
	struct form	f;
	const char	*b = "&&a&&b=1&";

	ck_assert_int_eq(form_parse(&f, b, strlen(b)), 0);
	ck_assert_uint_eq(f.n, 2);
	ck_assert_str_eq(form_get(&f, "a"), "");
	ck_assert_str_eq(form_get(&f, "b"), "1");
	form_free(&f);
	ck_assert_int_eq(form_parse(&f, "", 0), 0);
	ck_assert_uint_eq(f.n, 0);
	form_free(&f);
}
END_TEST

START_TEST(utf8_names_are_decoded)
{
	struct form	f;
	const char	*b = "given_name=Si%C3%A2n&family_name=Pr%C5%B5s";

	ck_assert_int_eq(form_parse(&f, b, strlen(b)), 0);
	ck_assert_str_eq(form_get(&f, "given_name"), "Si\xc3\xa2n");
	ck_assert_str_eq(form_get(&f, "family_name"), "Pr\xc5\xb5s");
	form_free(&f);
}
END_TEST

START_TEST(bad_escapes_nul_and_bad_utf8_are_refused)
{
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%zz", "a=%00", "a=%C3", "a=%FF%FE",
		"%=1", NULL
	};
	struct form	f;
	size_t		i;

	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(form_parse(&f, bad[i], strlen(bad[i])) == -1,
		    "%s was accepted", bad[i]);
		ck_assert_uint_eq(f.n, 0);
	}
}
END_TEST

START_TEST(too_many_fields_are_refused)
{
	struct form	f;
	char		*b;
	size_t		 i;

	b = malloc(4 * (FORM_FIELDS_MAX + 1) + 1);
	b[0] = '\0';
	for (i = 0; i <= FORM_FIELDS_MAX; i++)
		strcat(b, "a=1&");
	ck_assert_int_eq(form_parse(&f, b, strlen(b)), -1);
	free(b);
}
END_TEST

START_TEST(a_value_over_the_limit_is_refused)
{
	struct form	f;
	char		*b;

	b = malloc(FORM_VALUE_MAX + 8);
	memcpy(b, "a=", 2);
	memset(b + 2, 'x', FORM_VALUE_MAX + 1);
	b[FORM_VALUE_MAX + 3] = '\0';
	ck_assert_int_eq(form_parse(&f, b, strlen(b)), -1);
	b[FORM_VALUE_MAX + 2] = '\0';
	ck_assert_int_eq(form_parse(&f, b, strlen(b)), 0);
	form_free(&f);
	free(b);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("form");
	tc = tcase_create("core");
	tcase_add_test(tc, pairs_are_split_and_decoded);
	tcase_add_test(tc, repeated_names_are_all_kept_in_order);
	tcase_add_test(tc, empty_pieces_and_names_without_value_are_allowed);
	tcase_add_test(tc, utf8_names_are_decoded);
	tcase_add_test(tc, bad_escapes_nul_and_bad_utf8_are_refused);
	tcase_add_test(tc, too_many_fields_are_refused);
	tcase_add_test(tc, a_value_over_the_limit_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
