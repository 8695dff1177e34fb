/*
 * Attacks on tokens (issue 4, acceptance 1): every one gets 401 from the
 * real server, and nothing else.  Forged tokens are made here with the
 * server's own key (read from the test instance's state folder), a
 * foreign key, or no key at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "config.h"
#include "testlib.h"
#include "token.h"

static struct token_ring	*ring;		/* the server's key */
static char			 kid[80];
static char			*pubpem;

static void
load_server_key(void)
{
	struct config	 cfg;
	char		 path[4096], err[256], pem[8192];
	FILE		*fp;
	size_t		 n;
	BIO		*in, *out;
	EVP_PKEY	*k;
	char		*p;
	long		 len;

	snprintf(path, sizeof(path), "%s/medex.ini", getenv("MEDEX_DATA"));
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
	snprintf(kid, sizeof(kid), "%s", config_get(&cfg, "jwt_sign_kid"));
	fp = fopen(config_get(&cfg, "jwt_sign_key"), "r");
	ck_assert_ptr_nonnull(fp);
	n = fread(pem, 1, sizeof(pem) - 1, fp);
	pem[n] = '\0';
	fclose(fp);
	config_free(&cfg);
	ring = token_ring_new();
	ck_assert_int_eq(token_ring_set_signing_key(ring, kid, pem, n), 1);
	in = BIO_new_mem_buf(pem, (int)n);
	out = BIO_new(BIO_s_mem());
	k = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(k);
	PEM_write_bio_PUBKEY(out, k);
	len = BIO_get_mem_data(out, &p);
	pubpem = strndup(p, (size_t)len);
	EVP_PKEY_free(k);
	BIO_free(in);
	BIO_free(out);
}

static void
setup(void)
{
	t_user("tok.me", "medical_examiner", "TOK");
	t_user("tok.admin", "admin", "TOK");
	t_user("tok.victim", "officer", "TOK");
	t_forget_failures();
	load_server_key();
}

static void
claims_for(struct token_claims *c, const char *sub, const char *role)
{
	time_t	now = time(NULL);

	memset(c, 0, sizeof(*c));
	snprintf(c->sub, sizeof(c->sub), "%s", sub);
	snprintf(c->role, sizeof(c->role), "%s", role);
	snprintf(c->office, sizeof(c->office), "TOK");
	token_random_hex(c->jti, 16);
	c->iat = now;
	c->nbf = now;
	c->exp = now + 600;
}

/* GET /api/v1/me with this bearer token must be 401 unauthenticated. */
static void
assert_refused(const char *token)
{
	struct t_resp	 r;
	char		*h;
	size_t		 n;

	n = strlen(token) + 32;
	h = malloc(n);
	snprintf(h, n, "Authorization: Bearer %s", token);
	t_get("/api/v1/me", h, &r);
	t_assert_error(&r, 401, "unauthenticated");
	t_resp_free(&r);
	free(h);
}

static char *
b64url(const char *s)
{
	char		*out;
	size_t		 i, n, len = strlen(s);
	unsigned char	 buf[2048];
	int		 w;

	w = EVP_EncodeBlock(buf, (const unsigned char *)s, (int)len);
	out = calloc(1, (size_t)w + 1);
	for (i = 0, n = 0; i < (size_t)w; i++) {
		if (buf[i] == '=')
			break;
		out[n++] = buf[i] == '+' ? '-' : buf[i] == '/' ? '_' :
		    (char)buf[i];
	}
	return (out);
}

START_TEST(server_key_token_with_a_session_works)
{
	struct t_session	s;
	struct t_resp		r;

	/* The baseline: a real token is accepted, so refusals mean something. */
	t_login_ok("tok.me", &s);
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

START_TEST(validly_signed_token_without_a_session_is_refused)
{
	struct token_claims	 c;
	char			*tok;

	claims_for(&c, "tok.me", "medical_examiner");
	ck_assert_int_eq(token_issue(ring, "medex", "medex", &c, &tok), 1);
	assert_refused(tok);
	free(tok);
}
END_TEST

START_TEST(alg_none_is_refused)
{
	char	hdr[256], pl[512], tok[2048], *h, *p;
	time_t	now = time(NULL);

	snprintf(hdr, sizeof(hdr), "{\"alg\":\"none\",\"typ\":\"JWT\","
	    "\"kid\":\"%s\"}", kid);
	snprintf(pl, sizeof(pl), "{\"iss\":\"medex\",\"aud\":\"medex\","
	    "\"sub\":\"tok.admin\",\"role\":\"admin\",\"office\":\"TOK\","
	    "\"iat\":%lld,\"nbf\":%lld,\"exp\":%lld,\"jti\":\"abc\"}",
	    (long long)now, (long long)now, (long long)now + 600);
	h = b64url(hdr);
	p = b64url(pl);
	snprintf(tok, sizeof(tok), "%s.%s.", h, p);
	assert_refused(tok);
	free(h);
	free(p);
}
END_TEST

START_TEST(hs256_with_the_public_key_as_secret_is_refused)
{
	jwt_t	*j;
	char	*tok;
	time_t	 now = time(NULL);

	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_header(j, "kid", kid);
	jwt_add_grant(j, "iss", "medex");
	jwt_add_grant(j, "aud", "medex");
	jwt_add_grant(j, "sub", "tok.admin");
	jwt_add_grant(j, "role", "admin");
	jwt_add_grant(j, "office", "TOK");
	jwt_add_grant(j, "jti", "abcdef");
	jwt_add_grant_int(j, "iat", now);
	jwt_add_grant_int(j, "nbf", now);
	jwt_add_grant_int(j, "exp", now + 600);
	ck_assert_int_eq(jwt_set_alg(j, JWT_ALG_HS256,
	    (unsigned char *)pubpem, (int)strlen(pubpem)), 0);
	tok = jwt_encode_str(j);
	ck_assert_ptr_nonnull(tok);
	assert_refused(tok);
	free(tok);
	jwt_free(j);
}
END_TEST

START_TEST(foreign_key_with_medex_kid_is_refused)
{
	struct token_ring	*foreign;
	struct token_claims	 c;
	EVP_PKEY		*k;
	BIO			*out;
	char			*pem, *tok;
	long			 len;

	k = EVP_EC_gen("P-256");
	out = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(out, k, NULL, NULL, 0, NULL, NULL);
	len = BIO_get_mem_data(out, &pem);
	foreign = token_ring_new();
	ck_assert_int_eq(token_ring_set_signing_key(foreign, kid, pem,
	    (size_t)len), 1);
	claims_for(&c, "tok.admin", "admin");
	ck_assert_int_eq(token_issue(foreign, "medex", "medex", &c, &tok), 1);
	assert_refused(tok);
	free(tok);
	token_ring_free(foreign);
	BIO_free(out);
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(expired_not_yet_valid_wrong_iss_and_aud_are_refused)
{
	struct token_claims	 c;
	char			*tok;

	claims_for(&c, "tok.me", "medical_examiner");
	c.iat = c.nbf = time(NULL) - 4000;
	c.exp = time(NULL) - 120;
	ck_assert_int_eq(token_issue(ring, "medex", "medex", &c, &tok), 1);
	assert_refused(tok);
	free(tok);

	claims_for(&c, "tok.me", "medical_examiner");
	c.nbf = time(NULL) + 600;
	c.exp = time(NULL) + 1200;
	ck_assert_int_eq(token_issue(ring, "medex", "medex", &c, &tok), 1);
	assert_refused(tok);
	free(tok);

	claims_for(&c, "tok.me", "medical_examiner");
	ck_assert_int_eq(token_issue(ring, "evil", "medex", &c, &tok), 1);
	assert_refused(tok);
	free(tok);

	claims_for(&c, "tok.me", "medical_examiner");
	ck_assert_int_eq(token_issue(ring, "medex", "other", &c, &tok), 1);
	assert_refused(tok);
	free(tok);
}
END_TEST

START_TEST(payload_edited_to_raise_the_role_is_refused)
{
	struct t_session	 s;
	char			*dot1, *dot2, *p, tok[8192];
	char			 pl[1024];
	time_t			 now = time(NULL);

	t_login_ok("tok.me", &s);
	dot1 = strchr(s.token, '.');
	dot2 = strchr(dot1 + 1, '.');
	snprintf(pl, sizeof(pl), "{\"aud\":\"medex\",\"exp\":%lld,\"iat\":%lld,"
	    "\"iss\":\"medex\",\"jti\":\"x\",\"nbf\":%lld,\"office\":\"TOK\","
	    "\"role\":\"admin\",\"sub\":\"tok.me\"}", (long long)now + 600,
	    (long long)now, (long long)now);
	p = b64url(pl);
	snprintf(tok, sizeof(tok), "%.*s.%s%s", (int)(dot1 - s.token),
	    s.token, p, dot2);
	assert_refused(tok);
	free(p);
}
END_TEST

START_TEST(garbage_and_huge_tokens_are_refused)
{
	struct t_resp	 r;
	char		*h;
	size_t		 n = 100 * 1024;

	assert_refused("garbage");
	assert_refused("a.b.c");
	assert_refused("eyJhbGciOiJFUzI1NiJ9.e30.");
	h = malloc(n + 64);
	snprintf(h, n + 64, "Authorization: Bearer ");
	memset(h + strlen(h), 'A', n);
	h[n + 20] = '\0';
	t_get("/api/v1/me", h, &r);
	ck_assert_msg(r.status == 401 || r.status == 431 || r.status == 400 ||
	    r.status == 0, "100 KB token: %ld", r.status);
	t_resp_free(&r);
	free(h);
	/* And the server still serves. */
	t_get("/healthz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

static void
admin_patch(const char *username, const char *body)
{
	struct t_session	 a;
	struct t_resp		 r;
	char			 path[128], ifm[64];
	const char		*h[4];
	json_t			*v;

	t_login_ok("tok.admin", &a);
	snprintf(path, sizeof(path), "/api/v1/users/%s", username);
	t_get(path, a.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	v = json_object_get(r.json, "version");
	snprintf(ifm, sizeof(ifm), "If-Match: \"%lld\"",
	    (long long)json_integer_value(v));
	t_resp_free(&r);
	h[0] = a.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = ifm;
	h[3] = NULL;
	t_request("PATCH", path, h, body, strlen(body), &r);
	ck_assert_msg(r.status == 200, "patch: %ld %s", r.status, r.body);
	t_resp_free(&r);
}

START_TEST(role_change_and_disabling_end_the_tokens)
{
	struct t_session	s1, s2;
	struct t_resp		r;

	t_login_ok("tok.victim", &s1);
	admin_patch("tok.victim", "{\"role\":\"liaison_officer\"}");
	assert_refused(s1.token);
	t_login_ok("tok.victim", &s2);
	t_get("/api/v1/me", s2.bearer, &r);
	ck_assert_str_eq(t_json_str(&r, "role"), "liaison_officer");
	t_resp_free(&r);
	admin_patch("tok.victim", "{\"disabled\":true}");
	assert_refused(s2.token);
	ck_assert_int_eq(t_login("tok.victim", T_PASSWORD, &s1), 401);
	admin_patch("tok.victim", "{\"disabled\":false,"
	    "\"role\":\"officer\"}");
	t_login_ok("tok.victim", &s1);
	admin_patch("tok.victim", "{\"password\":\"" T_PASSWORD " 2\"}");
	assert_refused(s1.token);
	ck_assert_int_eq(t_login("tok.victim", T_PASSWORD " 2", &s1), 200);
	t_forget_failures();
}
END_TEST

START_TEST(logged_out_token_is_refused)
{
	struct t_session	 s;
	struct t_resp		 r;
	const char		*h[2];

	int			 i;

	t_login_ok("tok.me", &s);
	/* Used first, so that the workers hold it as verified (the token
	 * cache, MEDEX_TOKEN_CACHE): the session is still checked. */
	for (i = 0; i < 6; i++) {
		t_get("/api/v1/me", s.bearer, &r);
		ck_assert_int_eq(r.status, 200);
		t_resp_free(&r);
	}
	h[0] = s.bearer;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 204);
	t_resp_free(&r);
	for (i = 0; i < 6; i++)
		assert_refused(s.token);
}
END_TEST

START_TEST(refusals_are_in_the_security_audit)
{
	PGconn	*db;
	char	*v;

	db = t_db("db_owner");
	/* One row per address and minute; the count in token_refusals. */
	v = t_db_value(db, "SELECT count(*) >= 1 FROM security_events "
	    "WHERE action = 'token_refused'");
	ck_assert_str_eq(v, "t");
	free(v);
	v = t_db_value(db, "SELECT sum(count) >= 8 FROM token_refusals");
	ck_assert_str_eq(v, "t");
	free(v);
	v = t_db_value(db, "SELECT count(*) >= 1 FROM security_events "
	    "WHERE action = 'user_changed' AND target = 'tok.victim'");
	ck_assert_str_eq(v, "t");
	free(v);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("tokens");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, server_key_token_with_a_session_works);
	tcase_add_test(tc, validly_signed_token_without_a_session_is_refused);
	tcase_add_test(tc, alg_none_is_refused);
	tcase_add_test(tc, hs256_with_the_public_key_as_secret_is_refused);
	tcase_add_test(tc, foreign_key_with_medex_kid_is_refused);
	tcase_add_test(tc, expired_not_yet_valid_wrong_iss_and_aud_are_refused);
	tcase_add_test(tc, payload_edited_to_raise_the_role_is_refused);
	tcase_add_test(tc, garbage_and_huge_tokens_are_refused);
	tcase_add_test(tc, role_change_and_disabling_end_the_tokens);
	tcase_add_test(tc, logged_out_token_is_refused);
	tcase_add_test(tc, refusals_are_in_the_security_audit);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
