#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sql_batch.h"

START_TEST(context_parameters_stay_and_own_ones_move)
{
	char	out[128];

	ck_assert_int_eq(sql_renumber(out, sizeof(out),
	    "f($1, $2, $6, $7, $8::boolean, $10)", 7, 3), 1);
	ck_assert_str_eq(out, "f($1, $2, $6, $10, $11::boolean, $13)");
}
END_TEST

START_TEST(dollars_without_digits_are_copied)
{
	char	out[64];

	ck_assert_int_eq(sql_renumber(out, sizeof(out), "a $ b $$ $x $7",
	    7, 1), 1);
	ck_assert_str_eq(out, "a $ b $$ $x $8");
}
END_TEST

START_TEST(too_small_a_buffer_fails)
{
	char	out[8];

	ck_assert_int_eq(sql_renumber(out, sizeof(out), "f($7, $8)", 7, 90),
	    0);
	ck_assert_int_eq(sql_renumber(out, sizeof(out), "1234567", 7, 0), 1);
	ck_assert_int_eq(sql_renumber(out, sizeof(out), "12345678", 7, 0), 0);
	ck_assert_int_eq(sql_renumber(out, sizeof(out), "$99999999", 7, 0),
	    0);
}
END_TEST

START_TEST(three_calls_make_one_numbered_statement)
{
	char			buf[512];
	struct sql_batch	b;

	sql_batch_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(sql_batch_add(&b,
	    "SELECT * FROM me($1, $2, $3, $4, $5, $6)", 0), 1);
	ck_assert_int_eq(sql_batch_add(&b,
	    "SELECT * FROM get($1, $2, $3, $4, $5, $6, $7, $8::boolean)", 2),
	    1);
	ck_assert_int_eq(sql_batch_add(&b,
	    "SELECT * FROM ev($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", 4),
	    1);
	ck_assert_int_eq(sql_batch_end(&b), 1);
	ck_assert_int_eq(b.calls, 3);
	ck_assert_int_eq(b.params, 6);
	ck_assert_str_eq(buf, "SELECT * FROM ("
	    "SELECT 0 AS batch_call, s.* FROM "
	    "(SELECT * FROM me($1, $2, $3, $4, $5, $6)) s"
	    " UNION ALL SELECT 1, s.* FROM "
	    "(SELECT * FROM get($1, $2, $3, $4, $5, $6, $7, $8::boolean)) s"
	    " UNION ALL SELECT 2, s.* FROM "
	    "(SELECT * FROM ev($1, $2, $3, $4, $5, $6, $9, $10, $11, $12)) s"
	    ") b ORDER BY batch_call");
}
END_TEST

START_TEST(overflow_is_reported_and_sticky)
{
	char			buf[64];
	struct sql_batch	b;

	sql_batch_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(sql_batch_add(&b,
	    "SELECT * FROM a_function_with_a_long_name($1, $2, $3, $4, $5, "
	    "$6)", 0), 0);
	ck_assert_int_eq(b.overflow, 1);
	ck_assert_int_eq(sql_batch_add(&b, "SELECT 1", 0), 0);
	ck_assert_int_eq(sql_batch_end(&b), 0);
	ck_assert_uint_lt(strlen(buf), sizeof(buf));
}
END_TEST

START_TEST(an_empty_batch_is_refused)
{
	char			buf[64];
	struct sql_batch	b;

	sql_batch_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(sql_batch_end(&b), 0);
	sql_batch_init(&b, buf, 0);
	ck_assert_int_eq(sql_batch_add(&b, "SELECT 1", 0), 0);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("sql_batch");
	tc = tcase_create("core");
	tcase_add_test(tc, context_parameters_stay_and_own_ones_move);
	tcase_add_test(tc, dollars_without_digits_are_copied);
	tcase_add_test(tc, too_small_a_buffer_fails);
	tcase_add_test(tc, three_calls_make_one_numbered_statement);
	tcase_add_test(tc, overflow_is_reported_and_sticky);
	tcase_add_test(tc, an_empty_batch_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
