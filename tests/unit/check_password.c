/*
 * Unit tests for app/core/password.c.
 *
 * Most tests run at t=1, m=1024 KiB (password_set_cost) to stay fast;
 * the production-parameter test uses the real cost and the timing test
 * 16 MiB, large enough to measure.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "password.h"

#define TEST_T		1
#define TEST_M		1024
#define GOOD_PW		"correct horse battery staple"
#define ROUNDS		5

static void	cheap(void);
static double	elapsed(struct timespec *);
static double	median(double *, int);
static Suite	*password_suite(void);

static void
cheap(void)
{
	ck_assert_int_eq(password_set_cost(TEST_T, TEST_M), 1);
}

static double
elapsed(struct timespec *start)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);

	return ((double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9);
}

static double
median(double *v, int n)
{
	double	tmp;
	int	i, j;

	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
	}

	return (v[n / 2]);
}

START_TEST(test_hash_then_verify_ok)
{
	char	enc[PASSWORD_ENCODED_MAX];

	ck_assert_int_eq(password_hash(GOOD_PW, enc, sizeof(enc)), 1);
	ck_assert_int_eq(password_verify(enc, GOOD_PW), 1);
}
END_TEST

START_TEST(test_wrong_password_fails)
{
	char	enc[PASSWORD_ENCODED_MAX];

	ck_assert_int_eq(password_hash(GOOD_PW, enc, sizeof(enc)), 1);
	ck_assert_int_eq(password_verify(enc, "correct horse battery"), 0);
	ck_assert_int_eq(password_verify(enc, GOOD_PW " "), 0);
	ck_assert_int_eq(password_verify(enc, ""), 0);
}
END_TEST

START_TEST(test_same_password_gets_fresh_salt)
{
	char	a[PASSWORD_ENCODED_MAX], b[PASSWORD_ENCODED_MAX];

	ck_assert_int_eq(password_hash(GOOD_PW, a, sizeof(a)), 1);
	ck_assert_int_eq(password_hash(GOOD_PW, b, sizeof(b)), 1);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(password_verify(a, GOOD_PW), 1);
	ck_assert_int_eq(password_verify(b, GOOD_PW), 1);
}
END_TEST

START_TEST(test_encoded_names_argon2id_and_test_cost)
{
	char	enc[PASSWORD_ENCODED_MAX];

	ck_assert_int_eq(password_hash(GOOD_PW, enc, sizeof(enc)), 1);
	ck_assert_msg(strncmp(enc, "$argon2id$v=19$m=1024,t=1,p=1$",
	    strlen("$argon2id$v=19$m=1024,t=1,p=1$")) == 0, "got %s", enc);
}
END_TEST

START_TEST(test_production_parameters_in_encoded)
{
	char	enc[PASSWORD_ENCODED_MAX];

	/* The defaults, not the test cost: this one costs 64 MiB. */
	ck_assert_int_eq(password_set_cost(PASSWORD_T_COST,
	    PASSWORD_M_COST_KIB), 1);
	ck_assert_int_eq(password_hash(GOOD_PW, enc, sizeof(enc)), 1);

	/* 16-byte salt and 32-byte hash: 22 and 43 base64 characters. */
	ck_assert_msg(strncmp(enc, "$argon2id$v=19$m=65536,t=3,p=1$",
	    strlen("$argon2id$v=19$m=65536,t=3,p=1$")) == 0, "got %s", enc);
	ck_assert_int_eq(strlen(enc), 31 + 22 + 1 + 43);
	ck_assert_int_eq(password_verify(enc, GOOD_PW), 1);

	/* Hashes keep their own cost: still verifiable at another. */
	cheap();
	ck_assert_int_eq(password_verify(enc, GOOD_PW), 1);
}
END_TEST

START_TEST(test_small_buffer_and_bad_input_fail)
{
	char	enc[PASSWORD_ENCODED_MAX], tiny[40];

	memset(tiny, 'x', sizeof(tiny));
	ck_assert_int_eq(password_hash(GOOD_PW, tiny, sizeof(tiny)), 0);
	ck_assert_int_eq(tiny[0], '\0');
	ck_assert_int_eq(password_hash(NULL, enc, sizeof(enc)), 0);
	ck_assert_int_eq(password_hash(GOOD_PW, NULL, 0), 0);

	ck_assert_int_eq(password_verify(NULL, GOOD_PW), 0);
	ck_assert_int_eq(password_verify("", GOOD_PW), 0);
	ck_assert_int_eq(password_verify("not a hash", GOOD_PW), 0);
	ck_assert_int_eq(password_verify("$argon2i$v=19$m=1024,t=1,p=1$"
	    "c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
	    GOOD_PW), 0);
	ck_assert_int_eq(password_hash(GOOD_PW, enc, sizeof(enc)), 1);
	ck_assert_int_eq(password_verify(enc, NULL), 0);
}
END_TEST

START_TEST(test_set_cost_refuses_what_argon2_refuses)
{
	ck_assert_int_eq(password_set_cost(0, TEST_M), 0);
	ck_assert_int_eq(password_set_cost(TEST_T, 7), 0);
	ck_assert_int_eq(password_set_cost(TEST_T, 8), 1);
	cheap();
}
END_TEST

START_TEST(test_dummy_verify_costs_a_real_verify)
{
	struct timespec	t0;
	char		enc[PASSWORD_ENCODED_MAX];
	double		real[ROUNDS], dummy[ROUNDS], r, d;
	int		i;

	/*
	 * At 16 MiB a hash takes long enough (~20 ms) to measure and the
	 * suite stays quick. The first dummy call also makes the dummy
	 * hash, so it is left out of the timing.
	 */
	ck_assert_int_eq(password_set_cost(1, 16384), 1);
	ck_assert_int_eq(password_hash(GOOD_PW, enc, sizeof(enc)), 1);
	password_dummy_verify(GOOD_PW);

	for (i = 0; i < ROUNDS; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		(void)password_verify(enc, "wrong password here");
		real[i] = elapsed(&t0);

		clock_gettime(CLOCK_MONOTONIC, &t0);
		password_dummy_verify("wrong password here");
		dummy[i] = elapsed(&t0);
	}
	r = median(real, ROUNDS);
	d = median(dummy, ROUNDS);

	/* Loose bounds: the point is "one argon2 run", not a benchmark. */
	ck_assert_msg(d > r / 2 && d < r * 2, "dummy %.4fs vs real %.4fs",
	    d, r);

	/* Follows a change of cost, and copes with NULL. */
	cheap();
	password_dummy_verify(NULL);
	password_dummy_verify(GOOD_PW);
}
END_TEST

START_TEST(test_policy_accepts_good_passwords)
{
	ck_assert_ptr_null(password_policy_check(GOOD_PW));
	ck_assert_ptr_null(password_policy_check("abcdefghijkl"));
	ck_assert_ptr_null(password_policy_check("with spaces ok"));
}
END_TEST

START_TEST(test_policy_too_short)
{
	ck_assert_ptr_nonnull(password_policy_check(""));
	ck_assert_ptr_nonnull(password_policy_check("abcdefghijk"));
	ck_assert_str_eq(password_policy_check("short"),
	    "The password must be at least 12 characters long.");
	ck_assert_str_eq(password_policy_check(NULL),
	    "A password is required.");
}
END_TEST

START_TEST(test_policy_counts_code_points_not_bytes)
{
	/* 11 x "é": 22 bytes but 11 characters. */
	ck_assert_ptr_nonnull(password_policy_check(
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
	/* 12 x "é". */
	ck_assert_ptr_null(password_policy_check(
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
	/* 11 x U+1F511 (4 bytes each): still 11 characters. */
	ck_assert_ptr_nonnull(password_policy_check(
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91"));
	/* 12 of them. */
	ck_assert_ptr_null(password_policy_check(
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91"));
}
END_TEST

START_TEST(test_policy_max_256_bytes)
{
	char	pw[PASSWORD_MAX_BYTES + 2];

	memset(pw, 'a', sizeof(pw));
	pw[PASSWORD_MAX_BYTES] = '\0';
	ck_assert_ptr_null(password_policy_check(pw));

	pw[PASSWORD_MAX_BYTES] = 'a';
	pw[PASSWORD_MAX_BYTES + 1] = '\0';
	ck_assert_str_eq(password_policy_check(pw),
	    "The password must be at most 256 bytes long.");
}
END_TEST

START_TEST(test_policy_refuses_control_characters)
{
	static const char	*bad[] = {
		"abcdefghijkl\t",
		"abcdef\nghijkl",
		"\rabcdefghijkl",
		"abcdefghijkl\x1b",
		"abcdefghijkl\x7f",
		"abcdefghijkl\xc2\x85",		/* U+0085 NEL, a C1 control */
		"abcdefghijkl\xc2\x9f",
	};
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(password_policy_check(bad[i]) != NULL,
		    "accepted control character in case %zu", i);
	}
	ck_assert_str_eq(password_policy_check(bad[0]),
	    "The password must not contain control characters.");

	/* NUL inside, as a JSON "\u0000" would give. */
	ck_assert_ptr_nonnull(password_policy_check_len("abcdefghijkl\0mn",
	    15));
	ck_assert_ptr_null(password_policy_check_len("abcdefghijklmn", 14));
}
END_TEST

START_TEST(test_policy_refuses_invalid_utf8)
{
	static const char	*bad[] = {
		"abcdefghijkl\xff",
		"abcdefghijkl\xc3",		/* truncated */
		"abcdefghijkl\xc0\xaf",		/* overlong "/" */
		"abcdefghijkl\xed\xa0\x80",	/* surrogate */
		"abcdefghijkl\xf4\x90\x80\x80",	/* above U+10FFFF */
	};
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(password_policy_check(bad[i]) != NULL,
		    "accepted invalid UTF-8 in case %zu", i);
	}
}
END_TEST

static Suite *
password_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("password");

	tc = tcase_create("hash");
	tcase_add_checked_fixture(tc, cheap, NULL);
	tcase_add_test(tc, test_hash_then_verify_ok);
	tcase_add_test(tc, test_wrong_password_fails);
	tcase_add_test(tc, test_same_password_gets_fresh_salt);
	tcase_add_test(tc, test_encoded_names_argon2id_and_test_cost);
	tcase_add_test(tc, test_small_buffer_and_bad_input_fail);
	tcase_add_test(tc, test_set_cost_refuses_what_argon2_refuses);
	suite_add_tcase(s, tc);

	/* Larger costs: 64 MiB and about 150 ms per production hash. */
	tc = tcase_create("cost");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, cheap, cheap);
	tcase_add_test(tc, test_production_parameters_in_encoded);
	tcase_add_test(tc, test_dummy_verify_costs_a_real_verify);
	suite_add_tcase(s, tc);

	tc = tcase_create("policy");
	tcase_add_test(tc, test_policy_accepts_good_passwords);
	tcase_add_test(tc, test_policy_too_short);
	tcase_add_test(tc, test_policy_counts_code_points_not_bytes);
	tcase_add_test(tc, test_policy_max_256_bytes);
	tcase_add_test(tc, test_policy_refuses_control_characters);
	tcase_add_test(tc, test_policy_refuses_invalid_utf8);
	suite_add_tcase(s, tc);

	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	failed;

	sr = srunner_create(password_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
