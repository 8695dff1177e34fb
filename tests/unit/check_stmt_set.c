/*
 * Unit tests for the prepared-statement set (app/core/stmt_set.c): a
 * text always gets the same name, different texts different names, a
 * set answers what was added until it is cleared, and a full set
 * refuses more rather than growing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "stmt_set.h"

static const char	read_sql[] =
    "SELECT * FROM api_case_get($1, $2, $3, $4, $5, $6, $7, $8::boolean)";

START_TEST(same_text_same_name)
{
	char	a[STMT_NAME_LEN], b[STMT_NAME_LEN];
	char	copy[sizeof(read_sql)];

	memcpy(copy, read_sql, sizeof(read_sql));
	stmt_name(read_sql, a);
	stmt_name(copy, b);
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(strncmp(a, "medex_", 6), 0);
	ck_assert_uint_lt(strlen(a), STMT_NAME_LEN);
	ck_assert_msg(strstr(a, "_67") != NULL, "length in the name: %s", a);
}
END_TEST

START_TEST(different_texts_different_names)
{
	char	a[STMT_NAME_LEN], b[STMT_NAME_LEN];

	stmt_name(read_sql, a);
	stmt_name("SELECT * FROM api_case_get($1, $2, $3, $4, $5, $6, $7, "
	    "$8::boolean) ", b);
	ck_assert_str_ne(a, b);
	ck_assert_uint_ne(stmt_hash("SELECT 1"), stmt_hash("SELECT 2"));
	/* FNV-1a's published value for the empty string. */
	ck_assert_uint_eq(stmt_hash(""), 14695981039346656037ULL);
}
END_TEST

START_TEST(set_holds_until_cleared)
{
	struct stmt_set	*s;
	uint64_t	 k;

	s = calloc(1, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	k = stmt_hash(read_sql);
	ck_assert_int_eq(stmt_set_has(s, k), 0);
	ck_assert_int_eq(stmt_set_add(s, k), 1);
	ck_assert_int_eq(stmt_set_add(s, k), 1);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_int_eq(stmt_set_has(s, k), 1);
	ck_assert_int_eq(stmt_set_has(s, stmt_hash("SELECT 1")), 0);
	stmt_set_clear(s);
	ck_assert_int_eq(stmt_set_has(s, k), 0);
	free(s);
}
END_TEST

START_TEST(full_set_refuses)
{
	struct stmt_set	*s;
	uint64_t	 i;

	s = calloc(1, sizeof(*s));
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < STMT_SET_MAX; i++)
		ck_assert_int_eq(stmt_set_add(s, i + 1), 1);
	ck_assert_int_eq(stmt_set_add(s, STMT_SET_MAX + 1), 0);
	ck_assert_int_eq(stmt_set_has(s, STMT_SET_MAX + 1), 0);
	/* What is in already is still answered. */
	ck_assert_int_eq(stmt_set_add(s, 7), 1);
	ck_assert_uint_eq(s->n, STMT_SET_MAX);
	free(s);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("stmt_set");
	tc = tcase_create("core");
	tcase_add_test(tc, same_text_same_name);
	tcase_add_test(tc, different_texts_different_names);
	tcase_add_test(tc, set_holds_until_cleared);
	tcase_add_test(tc, full_set_refuses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
