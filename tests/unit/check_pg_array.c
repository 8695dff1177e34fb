#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pg_array.h"

/*
 * PostgreSQL's reading of a one-dimensional literal of quoted elements
 * and unquoted NULLs (arrayfuncs.c): what the literal must come back
 * as.  Returns the number of elements, -1 when it is malformed.
 */
static int
pg_read(const char *s, char out[][64], int isnull[], int max)
{
	int	n, len;

	if (*s++ != '{')
		return (-1);
	for (n = 0; *s != '}'; n++) {
		if (n >= max)
			return (-1);
		if (n > 0 && *s++ != ',')
			return (-1);
		isnull[n] = 0;
		if (strncmp(s, "NULL", 4) == 0) {
			isnull[n] = 1;
			s += 4;
			continue;
		}
		if (*s++ != '"')
			return (-1);
		for (len = 0; *s != '"'; s++) {
			if (*s == '\0' || len >= 63)
				return (-1);
			if (*s == '\\')
				s++;
			out[n][len++] = *s;
		}
		out[n][len] = '\0';
		s++;
	}
	return (s[1] == '\0' ? n : -1);
}

START_TEST(values_are_quoted_and_null_is_bare)
{
	struct sbuf	 b;
	const char	*v[] = { "abc", NULL, "", "NULL", "t" };

	sbuf_init(&b, 1024);
	ck_assert_int_eq(pg_array_text(&b, v, 5), 0);
	ck_assert_str_eq(b.data, "{\"abc\",NULL,\"\",\"NULL\",\"t\"}");
	sbuf_free(&b);
}
END_TEST

START_TEST(quotes_and_backslashes_are_escaped)
{
	struct sbuf	 b;
	const char	*v[] = { "a\"b", "c\\d", "\\\"", "{x,y}" };

	sbuf_init(&b, 1024);
	ck_assert_int_eq(pg_array_text(&b, v, 4), 0);
	ck_assert_str_eq(b.data,
	    "{\"a\\\"b\",\"c\\\\d\",\"\\\\\\\"\",\"{x,y}\"}");
	sbuf_free(&b);
}
END_TEST

START_TEST(an_empty_list_is_an_empty_array)
{
	struct sbuf	b;

	sbuf_init(&b, 16);
	ck_assert_int_eq(pg_array_text(&b, NULL, 0), 0);
	ck_assert_str_eq(b.data, "{}");
	sbuf_free(&b);
}
END_TEST

/* Whatever the bytes, PostgreSQL reads back the values given. */
START_TEST(random_values_read_back_as_given)
{
	const char	 alphabet[] = "ab\"\\{},NUL \t'$1";
	char		 vals[8][64], got[8][64];
	const char	*v[8];
	int		 isnull[8], round, i, j, n, len;
	struct sbuf	 b;

	srandom(21);
	sbuf_init(&b, 4096);
	for (round = 0; round < 20000; round++) {
		n = 1 + (int)(random() % 8);
		for (i = 0; i < n; i++) {
			len = (int)(random() % 20);
			for (j = 0; j < len; j++)
				vals[i][j] = alphabet[random() %
				    (sizeof(alphabet) - 1)];
			vals[i][len] = '\0';
			v[i] = random() % 7 == 0 ? NULL : vals[i];
		}
		sbuf_reset(&b);
		ck_assert_int_eq(pg_array_text(&b, v, (size_t)n), 0);
		ck_assert_int_eq(pg_read(b.data, got, isnull, 8), n);
		for (i = 0; i < n; i++) {
			ck_assert_int_eq(isnull[i], v[i] == NULL);
			if (v[i] != NULL)
				ck_assert_str_eq(got[i], v[i]);
		}
	}
	sbuf_free(&b);
}
END_TEST

START_TEST(a_full_buffer_fails_and_says_so)
{
	struct sbuf	 b;
	const char	*v[] = { "0123456789", "0123456789" };

	sbuf_init(&b, 16);
	ck_assert_int_eq(pg_array_text(&b, v, 2), -1);
	ck_assert_int_eq(b.oom, 1);
	sbuf_free(&b);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("pg_array");
	tc = tcase_create("core");
	tcase_add_test(tc, values_are_quoted_and_null_is_bare);
	tcase_add_test(tc, quotes_and_backslashes_are_escaped);
	tcase_add_test(tc, an_empty_list_is_an_empty_array);
	tcase_add_test(tc, random_values_read_back_as_given);
	tcase_add_test(tc, a_full_buffer_fails_and_says_so);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
