/*
 * Key rotation and a second instance (issue 4, acceptance 6; issue 8's
 * two instances on one database): a second medex signs with a new key
 * and still accepts tokens of the old one; the first, which knows only
 * the old key, refuses the new kid; a logout on one instance ends the
 * token on the other at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "testlib.h"

static char	url1[256], url2[256];

static void
setup(void)
{
	t_forget_failures();
	t_user("rot.me", "medical_examiner", "ROT");
	snprintf(url1, sizeof(url1), "%s", t_url());
	t_second_start("", url2, sizeof(url2));
}

static void
teardown(void)
{
	t_second_stop();
	setenv("MEDEX_TEST_URL", url1, 1);
}

static void
on(const char *url)
{
	setenv("MEDEX_TEST_URL", url, 1);
}

static long
me(const char *bearer)
{
	struct t_resp	r;
	long		s;

	t_get("/api/v1/me", bearer, &r);
	s = r.status;
	t_resp_free(&r);
	return (s);
}

static char *
kid_of(const char *token)
{
	const char	*dot;
	char		 b64[512], *p;
	unsigned char	 raw[512];
	int		 n;
	json_t		*j;
	char		*kid;

	dot = strchr(token, '.');
	snprintf(b64, sizeof(b64), "%.*s", (int)(dot - token), token);
	for (p = b64; *p; p++)
		*p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
	while (strlen(b64) % 4)
		strcat(b64, "=");
	n = EVP_DecodeBlock(raw, (unsigned char *)b64, (int)strlen(b64));
	ck_assert_int_gt(n, 0);
	j = json_loadb((char *)raw, strcspn((char *)raw, "\0"), 0, NULL);
	if (j == NULL)
		j = json_loads((char *)raw, JSON_DISABLE_EOF_CHECK, NULL);
	ck_assert_ptr_nonnull(j);
	kid = strdup(json_string_value(json_object_get(j, "kid")));
	json_decref(j);
	return (kid);
}

START_TEST(old_key_verifies_new_kid_unknown_to_old_instance)
{
	struct t_session	 s1, s2;
	struct t_resp		 r;
	char			*k1, *k2;

	on(url1);
	t_login_ok("rot.me", &s1);
	on(url2);
	ck_assert_int_eq(me(s1.bearer), 200);
	t_login_ok("rot.me", &s2);
	k1 = kid_of(s1.token);
	k2 = kid_of(s2.token);
	ck_assert_str_ne(k1, k2);
	ck_assert_ptr_nonnull(strstr(k2, "rotated"));
	t_get("/.well-known/jwks.json", NULL, &r);
	ck_assert_ptr_nonnull(strstr(r.body, k1));
	ck_assert_ptr_nonnull(strstr(r.body, k2));
	t_resp_free(&r);
	on(url1);
	ck_assert_int_eq(me(s2.bearer), 401);
	ck_assert_int_eq(me(s1.bearer), 200);
	free(k1);
	free(k2);
}
END_TEST

START_TEST(logout_on_one_instance_ends_the_token_on_the_other)
{
	struct t_session	 s;
	struct t_resp		 r;
	const char		*h[2];

	on(url1);
	t_login_ok("rot.me", &s);
	on(url2);
	ck_assert_int_eq(me(s.bearer), 200);
	h[0] = s.bearer;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 204);
	t_resp_free(&r);
	on(url1);
	ck_assert_int_eq(me(s.bearer), 401);
}
END_TEST

START_TEST(idempotency_key_holds_across_instances)
{
	struct t_session	 a;
	struct t_resp		 r1, r2;
	const char		*body = "{\"code\":\"ROTX\",\"name\":\"Rot\"}";
	const char		*h[4];

	t_user("rot.admin", "admin", "ROT");
	on(url1);
	t_login_ok("rot.admin", &a);
	h[0] = a.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = "Idempotency-Key: across-1";
	h[3] = NULL;
	t_request("POST", "/api/v1/offices", h, body, strlen(body), &r1);
	on(url2);
	t_request("POST", "/api/v1/offices", h, body, strlen(body), &r2);
	ck_assert_int_eq(r1.status, 201);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_str_eq(r1.body, r2.body);
	t_resp_free(&r1);
	t_resp_free(&r2);
	on(url1);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("rotation");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, old_key_verifies_new_kid_unknown_to_old_instance);
	tcase_add_test(tc, logout_on_one_instance_ends_the_token_on_the_other);
	tcase_add_test(tc, idempotency_key_holds_across_instances);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
