/*
 * Unit tests for app/core/reqbody.c: what a request body may be before
 * any handler looks at it, and the typed getters' field errors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reqbody.h"

/* {"a": [[[...0...]]]} with n arrays: the object is depth 1. */
static char *
nested(int n)
{
	char	*p;
	int	 i, o;

	p = malloc((size_t)n * 2 + 16);
	ck_assert_ptr_nonnull(p);
	o = sprintf(p, "{\"a\":");
	for (i = 0; i < n; i++)
		p[o++] = '[';
	p[o++] = '0';
	for (i = 0; i < n; i++)
		p[o++] = ']';
	p[o++] = '}';
	p[o] = '\0';
	return (p);
}

/* n objects, each the only member of the one around it. */
static char *
nested_objects(int n)
{
	char	*p;
	int	 i, o;

	p = malloc((size_t)n * 6 + 1);
	ck_assert_ptr_nonnull(p);
	o = 0;
	for (i = 0; i < n - 1; i++)
		o += sprintf(p + o, "{\"k\":");
	p[o++] = '{';
	for (i = 0; i < n; i++)
		p[o++] = '}';
	p[o] = '\0';
	return (p);
}

static json_t *
parse(const char *s)
{
	return (reqbody_parse(s, strlen(s)));
}

START_TEST(an_object_parses)
{
	json_t	*j;

	j = parse("{\"code\":\"NHS01\",\"name\":\"x\"}");
	ck_assert_ptr_nonnull(j);
	json_decref(j);
}
END_TEST

START_TEST(anything_but_one_object_is_refused)
{
	ck_assert_ptr_null(parse("[1]"));
	ck_assert_ptr_null(parse("\"s\""));
	ck_assert_ptr_null(parse("1"));
	ck_assert_ptr_null(parse("{} {}"));
	ck_assert_ptr_null(parse("{"));
	ck_assert_ptr_null(reqbody_parse("", 0));
	ck_assert_ptr_null(reqbody_parse(NULL, 3));
}
END_TEST

START_TEST(duplicate_keys_nul_and_bad_utf8_are_refused)
{
	ck_assert_ptr_null(parse("{\"a\":1,\"a\":2}"));
	ck_assert_ptr_null(parse("{\"a\":\"\\u0000\"}"));
	ck_assert_ptr_null(parse("{\"a\":\"\xff\"}"));
	ck_assert_ptr_null(parse("{\"a\":\"\xc0\xaf\"}"));
	ck_assert_ptr_null(parse("{\"a\":\"\\ud800\"}"));
	ck_assert_ptr_null(reqbody_parse("{\"a\":\"x\0y\"}", 11));
}
END_TEST

/*
 * Issue 19: a number jansson cannot hold is not malformed JSON but a
 * bad value of its field, for a 422 that names it.
 */
START_TEST(numbers_out_of_range_become_field_errors)
{
	struct ferrs	 fe;
	json_t		*j;
	int		 b;

	j = parse("{\"a\":1e999999,\"b\":[-123456789012345678901234567890],"
	    "\"c\":\"1e999\",\"d\":99999999999999999999,\"e\":1e-999,"
	    "\"f\":9223372036854775807}");
	ck_assert_ptr_nonnull(j);
	ck_assert(reqbody_nofit(json_object_get(j, "a")));
	ck_assert(reqbody_nofit(json_array_get(json_object_get(j, "b"), 0)));
	ck_assert_str_eq(json_string_value(json_object_get(j, "c")), "1e999");
	ck_assert(reqbody_nofit(json_object_get(j, "d")));
	ck_assert(json_is_real(json_object_get(j, "e")));
	ck_assert(json_is_integer(json_object_get(j, "f")));
	ferr_init(&fe);
	ck_assert_ptr_null(reqbody_string(j, "a", REQ_REQUIRED, &fe));
	ck_assert_int_eq(reqbody_bool(j, "d", REQ_REQUIRED, &b, &fe), 0);
	ck_assert_uint_eq(fe.n, 2);
	ck_assert_str_eq(fe.pairs[0][0], "a");
	ck_assert_str_eq(fe.pairs[0][1], REQBODY_NOFIT_PHRASE);
	ck_assert_str_eq(fe.pairs[1][0], "d");
	json_decref(j);
	/* Still malformed: the rewrite makes nothing valid. */
	ck_assert_ptr_null(parse("{\"a\":1e999999,}"));
	ck_assert_ptr_null(parse("[1e999999]"));
}
END_TEST

/*
 * The body is the client's bytes, not a C string: a malformed body that
 * ends in a number is scanned up to its length and no further (the
 * fuzzer found a strspn() reading past the end).
 */
START_TEST(a_body_ending_in_a_number_is_read_to_its_length)
{
	static const char	 text[] = "{\"a\":1e999999,9";
	char			*body;
	json_t			*j;

	body = malloc(sizeof(text) - 1);
	ck_assert_ptr_nonnull(body);
	memcpy(body, text, sizeof(text) - 1);
	j = reqbody_parse(body, sizeof(text) - 1);
	ck_assert_ptr_null(j);
	free(body);
}
END_TEST

START_TEST(nesting_up_to_the_limit_parses)
{
	json_t	*j;
	char	*s;

	s = nested(REQBODY_MAX_DEPTH - 1);
	j = parse(s);
	ck_assert_ptr_nonnull(j);
	json_decref(j);
	free(s);
}
END_TEST

START_TEST(nesting_past_the_limit_is_refused)
{
	json_t	*j;
	char	*s;

	s = nested(REQBODY_MAX_DEPTH);
	ck_assert_ptr_null(parse(s));
	free(s);
	/* Deeper than jansson itself allows, and objects 33 deep. */
	s = nested(5000);
	ck_assert_ptr_null(parse(s));
	free(s);
	s = nested_objects(REQBODY_MAX_DEPTH + 1);
	ck_assert_ptr_null(parse(s));
	free(s);
	s = nested_objects(REQBODY_MAX_DEPTH);
	ck_assert_ptr_nonnull(j = parse(s));
	json_decref(j);
	free(s);
}
END_TEST

START_TEST(getters_name_each_bad_field)
{
	struct ferrs	 fe;
	json_t		*j;
	const char	*s;
	int		 b;
	static const char *const allowed[] = { "name", "flag", NULL };

	j = parse("{\"name\":\"a\\u0000b\",\"flag\":\"yes\",\"extra\":1}");
	ck_assert_ptr_null(j);
	j = parse("{\"name\":7,\"flag\":\"yes\",\"extra\":1}");
	ck_assert_ptr_nonnull(j);
	ferr_init(&fe);
	reqbody_unknown(j, allowed, NULL, &fe);
	s = reqbody_string(j, "name", REQ_REQUIRED, &fe);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(reqbody_bool(j, "flag", REQ_REQUIRED, &b, &fe), 0);
	(void)reqbody_string(j, "missing", REQ_REQUIRED, &fe);
	ck_assert_int_eq(fe.n, 4);
	ck_assert_str_eq(fe.pairs[0][0], "extra");
	ck_assert_str_eq(fe.pairs[1][0], "name");
	ck_assert_str_eq(fe.pairs[2][0], "flag");
	ck_assert_str_eq(fe.pairs[3][1], "is required");
	json_decref(j);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("reqbody");
	tc = tcase_create("core");
	tcase_add_test(tc, an_object_parses);
	tcase_add_test(tc, anything_but_one_object_is_refused);
	tcase_add_test(tc, duplicate_keys_nul_and_bad_utf8_are_refused);
	tcase_add_test(tc, numbers_out_of_range_become_field_errors);
	tcase_add_test(tc, a_body_ending_in_a_number_is_read_to_its_length);
	tcase_add_test(tc, nesting_up_to_the_limit_parses);
	tcase_add_test(tc, nesting_past_the_limit_is_refused);
	tcase_add_test(tc, getters_name_each_bad_field);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
