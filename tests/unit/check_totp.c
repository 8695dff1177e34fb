/*
 * Unit tests for app/core/totp.c: the RFC 6238 appendix B vectors
 * (SHA-1), the RFC 4226 appendix D HOTP values (the TOTP of step n is
 * the HOTP of counter n), the window of one step, the URI and the
 * recovery codes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "totp.h"

/* RFC 6238's SHA-1 seed, and its base32 form. */
static const char	rfc_key[] = "12345678901234567890";
static const char	rfc_b32[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static const char *const hotp[10] = {
	"755224", "287082", "359152", "969429", "338314",
	"254676", "287922", "162583", "399871", "520489"
};

static Suite	*totp_suite(void);

START_TEST(test_rfc6238_sha1_vectors)
{
	static const struct {
		time_t		 t;
		const char	*code;
	} v[] = {
		{ 59, "94287082" },
		{ 1111111109, "07081804" },
		{ 1111111111, "14050471" },
		{ 1234567890, "89005924" },
		{ 2000000000, "69279037" },
		{ 20000000000LL, "65353130" },
	};
	char	out[9];
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_int_eq(totp_generate_raw((const unsigned char *)
		    rfc_key, strlen(rfc_key), v[i].t, 8, out), 1);
		ck_assert_str_eq(out, v[i].code);
	}
}
END_TEST

START_TEST(test_rfc4226_values_from_base32_secret)
{
	char	out[TOTP_DIGITS + 1];
	int	i;

	for (i = 0; i < 10; i++) {
		ck_assert_int_eq(totp_generate(rfc_b32, (time_t)i * 30 + 29,
		    out), 1);
		ck_assert_str_eq(out, hotp[i]);
	}
	/* Lower case, as people copy it, is the same secret. */
	ck_assert_int_eq(totp_generate("gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
	    150, out), 1);
	ck_assert_str_eq(out, hotp[5]);
}
END_TEST

START_TEST(test_verify_answers_the_matching_step)
{
	ck_assert_int_eq(totp_verify(rfc_b32, 150, hotp[5]), 5);
	ck_assert_int_eq(totp_verify(rfc_b32, 179, hotp[5]), 5);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, hotp[4]), 4);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, hotp[6]), 6);
}
END_TEST

START_TEST(test_verify_window_is_one_step)
{
	ck_assert_int_eq(totp_verify(rfc_b32, 150, hotp[3]), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, hotp[7]), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 210, hotp[5]), -1);
}
END_TEST

START_TEST(test_verify_refuses_malformed)
{
	ck_assert_int_eq(totp_verify(rfc_b32, 150, "000000"), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, "25467"), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, "2546760"), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, "25467a"), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, ""), -1);
	ck_assert_int_eq(totp_verify(rfc_b32, 150, NULL), -1);
	ck_assert_int_eq(totp_verify("not base32!", 150, hotp[5]), -1);
	ck_assert_int_eq(totp_verify("", 150, hotp[5]), -1);
}
END_TEST

START_TEST(test_secret_new_is_random_base32)
{
	char	a[TOTP_SECRET_B32_LEN + 1], b[TOTP_SECRET_B32_LEN + 1];
	char	code[TOTP_DIGITS + 1];

	ck_assert_int_eq(totp_secret_new(a), 1);
	ck_assert_int_eq(totp_secret_new(b), 1);
	ck_assert_uint_eq(strlen(a), TOTP_SECRET_B32_LEN);
	ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
	    TOTP_SECRET_B32_LEN);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(totp_generate(a, 1000, code), 1);
	ck_assert_int_eq(totp_verify(a, 1000, code), 1000 / 30);
}
END_TEST

START_TEST(test_uri)
{
	char	uri[TOTP_URI_MAX];

	ck_assert_int_eq(totp_uri("medex", "me.smith", rfc_b32, uri,
	    sizeof(uri)), 1);
	ck_assert_str_eq(uri, "otpauth://totp/medex:me.smith?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=medex&algorithm=SHA1"
	    "&digits=6&period=30");
	ck_assert_int_eq(totp_uri("NHS medex", "a@b", "AB", uri,
	    sizeof(uri)), 1);
	ck_assert_str_eq(uri, "otpauth://totp/NHS%20medex:a%40b?secret=AB"
	    "&issuer=NHS%20medex&algorithm=SHA1&digits=6&period=30");
	ck_assert_int_eq(totp_uri("medex", "me", rfc_b32, uri, 40), 0);
}
END_TEST

START_TEST(test_recovery_codes)
{
	char	a[TOTP_RECOVERY_LEN + 1], b[TOTP_RECOVERY_LEN + 1];
	char	n[TOTP_INPUT_MAX + 1];

	ck_assert_int_eq(totp_recovery_new(a), 1);
	ck_assert_int_eq(totp_recovery_new(b), 1);
	ck_assert_uint_eq(strlen(a), TOTP_RECOVERY_LEN);
	ck_assert_int_eq(a[5], '-');
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(totp_normalize(a, n), 1);
	ck_assert_uint_eq(strlen(n), 10);
	ck_assert_int_eq(totp_looks_like_code(n), 0);
}
END_TEST

START_TEST(test_normalize)
{
	char	n[TOTP_INPUT_MAX + 1];

	ck_assert_int_eq(totp_normalize(" 123 456 ", n), 1);
	ck_assert_str_eq(n, "123456");
	ck_assert_int_eq(totp_looks_like_code(n), 1);
	ck_assert_int_eq(totp_normalize("ABCDE-fghij", n), 1);
	ck_assert_str_eq(n, "abcdefghij");
	ck_assert_int_eq(totp_normalize("", n), 0);
	ck_assert_int_eq(totp_normalize(" - ", n), 0);
	ck_assert_int_eq(totp_normalize("12'34", n), 0);
	ck_assert_int_eq(totp_normalize("\xc3\xa9", n), 0);
	ck_assert_int_eq(totp_normalize(
	    "123456789012345678901234567890123", n), 0);
	ck_assert_int_eq(totp_normalize(NULL, n), 0);
}
END_TEST

static Suite *
totp_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("totp");
	tc = tcase_create("rfc");
	tcase_add_test(tc, test_rfc6238_sha1_vectors);
	tcase_add_test(tc, test_rfc4226_values_from_base32_secret);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_add_test(tc, test_verify_answers_the_matching_step);
	tcase_add_test(tc, test_verify_window_is_one_step);
	tcase_add_test(tc, test_verify_refuses_malformed);
	tcase_add_test(tc, test_secret_new_is_random_base32);
	suite_add_tcase(s, tc);

	tc = tcase_create("enrolment");
	tcase_add_test(tc, test_uri);
	tcase_add_test(tc, test_recovery_codes);
	tcase_add_test(tc, test_normalize);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	if (!totp_init())
		return (EXIT_FAILURE);
	sr = srunner_create(totp_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
