#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "checkpoint.h"

/* A new P-256 key in a temporary PEM file; its path in path. */
static void
new_key(char *path, size_t len)
{
	EVP_PKEY	*key;
	FILE		*fp;
	int		 fd;

	snprintf(path, len, "/tmp/check_checkpoint.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	key = EVP_EC_gen("P-256");
	ck_assert_ptr_nonnull(key);
	ck_assert_int_eq(PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL,
	    NULL), 1);
	fclose(fp);
	EVP_PKEY_free(key);
}

static const char body[] = CHECKPOINT_MAGIC "at 2026-12-05T07:00:00Z\n"
    "head 1 12 3 "
    "a3f1c0d2e4b5a6978899aabbccddeeff00112233445566778899aabbccddeeff\n";

static void
signed_file(const char *key, char *out, size_t outlen)
{
	char	sig[256], err[128];

	ck_assert_int_eq(checkpoint_sign(key, body, strlen(body), sig,
	    sizeof(sig), err, sizeof(err)), 0);
	snprintf(out, outlen, "%s%s", body, sig);
}

START_TEST(a_signed_checkpoint_verifies)
{
	char	key[64], file[1024], err[128];
	size_t	n;

	new_key(key, sizeof(key));
	signed_file(key, file, sizeof(file));
	ck_assert_int_eq(checkpoint_verify(key, file, strlen(file), &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, strlen(body));
	unlink(key);
}
END_TEST

START_TEST(a_changed_byte_or_another_key_is_refused)
{
	char	key[64], other[64], file[1024], err[128];
	char	*p;
	size_t	n;

	new_key(key, sizeof(key));
	new_key(other, sizeof(other));
	signed_file(key, file, sizeof(file));
	ck_assert_int_eq(checkpoint_verify(other, file, strlen(file), &n,
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "does not match"));
	/* The head's sequence number 3 made 4. */
	p = strstr(file, "head 1 12 3 ");
	ck_assert_ptr_nonnull(p);
	p[10] = '4';
	ck_assert_int_eq(checkpoint_verify(key, file, strlen(file), &n, err,
	    sizeof(err)), -1);
	unlink(key);
	unlink(other);
}
END_TEST

START_TEST(a_file_without_magic_or_signature_is_refused)
{
	char	key[64], file[1024], err[128];
	size_t	n;

	new_key(key, sizeof(key));
	ck_assert_int_eq(checkpoint_verify(key, body, strlen(body), &n, err,
	    sizeof(err)), -1);
	signed_file(key, file, sizeof(file));
	ck_assert_int_eq(checkpoint_verify(key, file + 1, strlen(file) - 1,
	    &n, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a medex"));
	/* Cut before the signature's end: no newline at the end. */
	ck_assert_int_eq(checkpoint_verify(key, file, strlen(file) - 1, &n,
	    err, sizeof(err)), -1);
	/* A key file that is no key. */
	ck_assert_int_eq(checkpoint_sign("/nonexistent", body, strlen(body),
	    file, sizeof(file), err, sizeof(err)), -1);
	unlink(key);
}
END_TEST

START_TEST(head_lines_are_parsed_strictly)
{
	struct checkpoint_head	h;
	const char		*hash = "a3f1c0d2e4b5a6978899aabbccddeeff"
				    "00112233445566778899aabbccddeeff";
	char			 line[160];

	snprintf(line, sizeof(line), "head 2 41 7 %s", hash);
	ck_assert_int_eq(checkpoint_parse_head(line, &h), 1);
	ck_assert_int_eq(h.office_id, 2);
	ck_assert_int_eq(h.case_id, 41);
	ck_assert_int_eq(h.seq, 7);
	ck_assert_str_eq(h.hash, hash);
	ck_assert_int_eq(checkpoint_parse_head("at 2026-12-05", &h), 0);
	snprintf(line, sizeof(line), "head 2 41 7 %s x", hash);
	ck_assert_int_eq(checkpoint_parse_head(line, &h), -1);
	snprintf(line, sizeof(line), "head 2 41 7 %.63s", hash);
	ck_assert_int_eq(checkpoint_parse_head(line, &h), -1);
	snprintf(line, sizeof(line), "head 0 41 7 %s", hash);
	ck_assert_int_eq(checkpoint_parse_head(line, &h), -1);
	snprintf(line, sizeof(line), "head 2 41 7 %.63sG", hash);
	ck_assert_int_eq(checkpoint_parse_head(line, &h), -1);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("checkpoint");
	tc = tcase_create("core");
	tcase_add_test(tc, a_signed_checkpoint_verifies);
	tcase_add_test(tc, a_changed_byte_or_another_key_is_refused);
	tcase_add_test(tc, a_file_without_magic_or_signature_is_refused);
	tcase_add_test(tc, head_lines_are_parsed_strictly);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
