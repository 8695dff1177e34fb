#include <check.h>
#include <stdlib.h>

#include "route_match.h"

START_TEST(exact_path_matches)
{
	struct route_captures	c;

	ck_assert_int_eq(route_match("/healthz", "/healthz", &c), 1);
	ck_assert_int_eq(c.count, 0);
}
END_TEST

START_TEST(prefix_or_longer_path_does_not_match)
{
	struct route_captures	c;

	ck_assert_int_eq(route_match("/api/v1/cases", "/api/v1/cases/", &c), 0);
	ck_assert_int_eq(route_match("/api/v1/cases", "/api/v1/case", &c), 0);
	ck_assert_int_eq(route_match("/api/v1/cases", "/api/v1/casesx", &c), 0);
}
END_TEST

START_TEST(capture_takes_one_segment)
{
	struct route_captures	c;

	ck_assert_int_eq(route_match("/api/v1/cases/{id}/notes",
	    "/api/v1/cases/abc-123/notes", &c), 1);
	ck_assert_int_eq(c.count, 1);
	ck_assert_str_eq(c.value[0], "abc-123");
	ck_assert_int_eq(route_match("/api/v1/cases/{id}",
	    "/api/v1/cases/a/b", &c), 0);
}
END_TEST

START_TEST(capture_refuses_odd_characters_and_empty)
{
	struct route_captures	c;

	ck_assert_int_eq(route_match("/x/{id}", "/x/", &c), 0);
	ck_assert_int_eq(route_match("/x/{id}", "/x/a%20b", &c), 0);
	ck_assert_int_eq(route_match("/x/{id}", "/x/a b", &c), 0);
	ck_assert_int_eq(route_match("/x/{id}", "/x/<script>", &c), 0);
}
END_TEST

START_TEST(capture_refuses_overlong_segment)
{
	struct route_captures	c;
	char			path[200];
	int			i;

	path[0] = '/';
	path[1] = 'x';
	path[2] = '/';
	for (i = 3; i < 3 + 65; i++)
		path[i] = 'a';
	path[i] = '\0';
	ck_assert_int_eq(route_match("/x/{id}", path, &c), 0);
	path[3 + 64] = '\0';
	ck_assert_int_eq(route_match("/x/{id}", path, &c), 1);
}
END_TEST

START_TEST(two_captures)
{
	struct route_captures	c;

	ck_assert_int_eq(route_match("/a/{x}/b/{y}", "/a/1/b/2", &c), 1);
	ck_assert_int_eq(c.count, 2);
	ck_assert_str_eq(c.value[1], "2");
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("route_match");
	tc = tcase_create("core");
	tcase_add_test(tc, exact_path_matches);
	tcase_add_test(tc, prefix_or_longer_path_does_not_match);
	tcase_add_test(tc, capture_takes_one_segment);
	tcase_add_test(tc, capture_refuses_odd_characters_and_empty);
	tcase_add_test(tc, capture_refuses_overlong_segment);
	tcase_add_test(tc, two_captures);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
