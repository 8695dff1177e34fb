/*
 * Unit tests for app/core/oidc.c: the ID token checks of a single
 * sign-on (issue 24), each refusal with a token this test signs itself
 * (rhonabwy, keys made at start), and the PKCE challenge against
 * RFC 7636's appendix B.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>
#include <jansson.h>
#include <rhonabwy.h>

#include "oidc.h"

#define ISS	"http://127.0.0.1:4593/api/oidc"
#define CLIENT	"medex"
#define NONCE	"n-0S6_WzA2Mj"

static jwk_t	*rsa_priv, *rsa_pub, *other_priv, *ec_priv, *ec_pub;
static char	*jwks_text;		/* rsa_pub and ec_pub */
static time_t	 now;

static Suite	*oidc_suite(void);

/* Outside any test (Check's asserts need one): 0 when a step failed. */
static int
keys_make(void)
{
	jwks_t	*set;
	jwk_t	*pub;
	int	 ok;

	if (r_jwk_init(&rsa_priv) != RHN_OK || r_jwk_init(&rsa_pub) != RHN_OK ||
	    r_jwk_init(&other_priv) != RHN_OK || r_jwk_init(&pub) != RHN_OK ||
	    r_jwk_init(&ec_priv) != RHN_OK || r_jwk_init(&ec_pub) != RHN_OK ||
	    r_jwks_init(&set) != RHN_OK)
		return (0);
	ok = r_jwk_generate_key_pair(rsa_priv, rsa_pub, R_KEY_TYPE_RSA, 2048,
	    "rsa1") == RHN_OK &&
	    /* Another key under the same kid: a signature by someone else. */
	    r_jwk_generate_key_pair(other_priv, pub, R_KEY_TYPE_RSA, 2048,
	    "rsa1") == RHN_OK &&
	    r_jwk_generate_key_pair(ec_priv, ec_pub, R_KEY_TYPE_EC, 256,
	    "ec1") == RHN_OK &&
	    r_jwks_append_jwk(set, rsa_pub) == RHN_OK &&
	    r_jwks_append_jwk(set, ec_pub) == RHN_OK &&
	    (jwks_text = r_jwks_export_to_json_str(set, 0)) != NULL;
	r_jwk_free(pub);
	r_jwks_free(set);
	return (ok);
}

/* Claims as a test wants them: the good ones, then changes. */
static json_t *
claims_good(void)
{
	return (json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:b, s:s}",
	    "iss", ISS, "sub", "u-42", "aud", CLIENT,
	    "exp", (json_int_t)now + 300, "iat", (json_int_t)now,
	    "nonce", NONCE, "email", "a.examiner@example.nhs.uk",
	    "email_verified", 1, "acr", "aal2"));
}

static char *
sign(json_t *claims, jwk_t *key, jwa_alg alg, const char *kid)
{
	jwt_t	*jwt;
	char	*out;

	ck_assert_int_eq(r_jwt_init(&jwt), RHN_OK);
	ck_assert_int_eq(r_jwt_set_full_claims_json_t(jwt, claims), RHN_OK);
	ck_assert_int_eq(r_jwt_set_sign_alg(jwt, alg), RHN_OK);
	if (kid != NULL)
		ck_assert_int_eq(r_jwt_set_header_str_value(jwt, "kid", kid),
		    RHN_OK);
	out = r_jwt_serialize_signed(jwt, key, 0);
	ck_assert_ptr_nonnull(out);
	r_jwt_free(jwt);
	json_decref(claims);
	return (out);
}

static void
expect_init(struct oidc_expect *e, const char *alg)
{
	memset(e, 0, sizeof(*e));
	e->alg = alg;
	e->issuer = ISS;
	e->client_id = CLIENT;
	e->nonce = NONCE;
	e->acr_levels[0] = "aal1";
	e->acr_levels[1] = "aal2";
	e->acr_levels[2] = "aal3";
	e->acr_nlevels = 3;
}

static enum oidc_refusal
check(char *token, const struct oidc_expect *e, struct oidc_identity *id)
{
	enum oidc_refusal	r;

	r = oidc_id_token_check(token, jwks_text, e, now, id);
	r_free(token);
	return (r);
}

START_TEST(test_good_token_gives_the_identity)
{
	struct oidc_expect	e;
	struct oidc_identity	id;

	expect_init(&e, "RS256");
	ck_assert_int_eq(check(sign(claims_good(), rsa_priv, R_JWA_ALG_RS256,
	    "rsa1"), &e, &id), OIDC_OK);
	ck_assert_str_eq(id.sub, "u-42");
	ck_assert_str_eq(id.email, "a.examiner@example.nhs.uk");
	ck_assert_int_eq(id.email_verified, 1);
	ck_assert_str_eq(id.acr, "aal2");

	expect_init(&e, "ES256");
	ck_assert_int_eq(check(sign(claims_good(), ec_priv, R_JWA_ALG_ES256,
	    "ec1"), &e, &id), OIDC_OK);
}
END_TEST

START_TEST(test_algorithm_is_pinned)
{
	struct oidc_expect	 e;
	struct oidc_identity	 id;
	jwk_t			*hmac;
	char			*t, *dot, unsigned_token[4096];
	const char		*none_header = "eyJhbGciOiJub25lIn0";

	/* Signed well, but with ES256 where the instance pins RS256. */
	expect_init(&e, "RS256");
	ck_assert_int_eq(check(sign(claims_good(), ec_priv, R_JWA_ALG_ES256,
	    "ec1"), &e, &id), OIDC_ALG);

	/* HS256 keyed with the provider's public key (the classic attack). */
	ck_assert_int_eq(r_jwk_init(&hmac), RHN_OK);
	ck_assert_int_eq(r_jwk_import_from_symmetric_key(hmac,
	    (const unsigned char *)jwks_text, strlen(jwks_text)), RHN_OK);
	ck_assert_int_eq(check(sign(claims_good(), hmac, R_JWA_ALG_HS256,
	    "rsa1"), &e, &id), OIDC_ALG);
	r_jwk_free(hmac);

	/* alg "none": the good token's claims with no signature. */
	t = sign(claims_good(), rsa_priv, R_JWA_ALG_RS256, NULL);
	dot = strchr(t, '.');
	ck_assert_ptr_nonnull(dot);
	*strrchr(t, '.') = '\0';
	snprintf(unsigned_token, sizeof(unsigned_token), "%s%s.",
	    none_header, dot);
	r_free(t);
	ck_assert_int_ne(oidc_id_token_check(unsigned_token, jwks_text, &e,
	    now, &id), OIDC_OK);
}
END_TEST

START_TEST(test_key_not_in_the_set_or_signature_of_another_key)
{
	struct oidc_expect	e;
	struct oidc_identity	id;

	expect_init(&e, "RS256");
	ck_assert_int_eq(check(sign(claims_good(), rsa_priv, R_JWA_ALG_RS256,
	    "rotated"), &e, &id), OIDC_UNKNOWN_KEY);
	ck_assert_int_eq(check(sign(claims_good(), other_priv,
	    R_JWA_ALG_RS256, "rsa1"), &e, &id), OIDC_SIGNATURE);
	/* No key set at all (the provider's could not be fetched). */
	ck_assert_int_eq(oidc_id_token_check("a.b.c", NULL, &e, now, &id),
	    OIDC_MALFORMED);
}
END_TEST

/* One claim changed: the refusal that names it. */
static enum oidc_refusal
with_claim(const char *name, json_t *value, const char *acr_min)
{
	struct oidc_expect	 e;
	struct oidc_identity	 id;
	json_t			*c;

	expect_init(&e, "RS256");
	e.acr_min = acr_min;
	c = claims_good();
	if (value == NULL)
		json_object_del(c, name);
	else
		json_object_set_new(c, name, value);
	return (check(sign(c, rsa_priv, R_JWA_ALG_RS256, "rsa1"), &e, &id));
}

START_TEST(test_each_claim_is_checked)
{
	ck_assert_int_eq(with_claim("iss", json_string("http://evil"), NULL),
	    OIDC_ISSUER);
	ck_assert_int_eq(with_claim("aud", json_string("another"), NULL),
	    OIDC_AUDIENCE);
	ck_assert_int_eq(with_claim("aud", json_pack("[s,s]", "another",
	    CLIENT), NULL), OIDC_AZP);
	ck_assert_int_eq(with_claim("azp", json_string("another"), NULL),
	    OIDC_AZP);
	ck_assert_int_eq(with_claim("exp", json_integer(now - OIDC_SKEW - 1),
	    NULL), OIDC_EXPIRED);
	ck_assert_int_eq(with_claim("iat", json_integer(now + OIDC_SKEW + 5),
	    NULL), OIDC_IAT);
	ck_assert_int_eq(with_claim("iat", json_integer(now -
	    OIDC_IAT_MAX_AGE - 5), NULL), OIDC_IAT);
	ck_assert_int_eq(with_claim("nonce", json_string("another"), NULL),
	    OIDC_NONCE);
	ck_assert_int_eq(with_claim("nonce", NULL, NULL), OIDC_NONCE);
	ck_assert_int_eq(with_claim("sub", NULL, NULL), OIDC_MALFORMED);
	ck_assert_int_eq(with_claim("exp", json_string("soon"), NULL),
	    OIDC_MALFORMED);
	/* Within the clock skew is still good. */
	ck_assert_int_eq(with_claim("exp", json_integer(now - 5), NULL),
	    OIDC_OK);
	/* Several audiences with azp naming us is good. */
	{
		struct oidc_expect	 e;
		struct oidc_identity	 id;
		json_t			*c;

		expect_init(&e, "RS256");
		c = claims_good();
		json_object_set_new(c, "aud", json_pack("[s,s]", "another",
		    CLIENT));
		json_object_set_new(c, "azp", json_string(CLIENT));
		ck_assert_int_eq(check(sign(c, rsa_priv, R_JWA_ALG_RS256,
		    "rsa1"), &e, &id), OIDC_OK);
	}
}
END_TEST

START_TEST(test_acr_against_the_office_minimum)
{
	ck_assert_int_eq(with_claim("acr", json_string("aal2"), "aal2"),
	    OIDC_OK);
	ck_assert_int_eq(with_claim("acr", json_string("aal3"), "aal2"),
	    OIDC_OK);
	ck_assert_int_eq(with_claim("acr", json_string("aal1"), "aal2"),
	    OIDC_ACR);
	ck_assert_int_eq(with_claim("acr", json_string("made-up"), "aal1"),
	    OIDC_ACR);
	ck_assert_int_eq(with_claim("acr", NULL, "aal1"), OIDC_ACR);
	/* No minimum: any acr, or none, will do. */
	ck_assert_int_eq(with_claim("acr", NULL, NULL), OIDC_OK);
	ck_assert_int_eq(with_claim("acr", NULL, ""), OIDC_OK);
}
END_TEST

START_TEST(test_acr_levels_parse)
{
	struct oidc_expect	e;
	char			s[] = " AAL1_USERPASS , AAL2_OR_ABOVE,,AAL3_ANY ";
	char			many[] = "a,b,c,d,e,f,g,h,i";

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(oidc_acr_levels_parse(s, &e), 1);
	ck_assert_uint_eq(e.acr_nlevels, 3);
	ck_assert_str_eq(e.acr_levels[0], "AAL1_USERPASS");
	ck_assert_str_eq(e.acr_levels[1], "AAL2_OR_ABOVE");
	ck_assert_str_eq(e.acr_levels[2], "AAL3_ANY");
	ck_assert_int_eq(oidc_acr_levels_parse(many, &e), 0);
}
END_TEST

START_TEST(test_refusal_words)
{
	int	r;

	for (r = 0; r < OIDC_REFUSAL_MAX; r++) {
		ck_assert_ptr_nonnull(oidc_refusal_code(r));
		ck_assert_ptr_nonnull(oidc_refusal_words(r));
		ck_assert_int_gt(strlen(oidc_refusal_words(r)), 5);
	}
	ck_assert_str_eq(oidc_refusal_code(OIDC_ACR), "acr_too_low");
	ck_assert_str_eq(oidc_refusal_code(OIDC_REFUSAL_MAX), "unknown");
}
END_TEST

START_TEST(test_pkce_rfc7636_appendix_b)
{
	char	out[OIDC_PKCE_CHALLENGE_LEN + 1];

	ck_assert_int_eq(oidc_pkce_s256(
	    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", out, sizeof(out)),
	    1);
	ck_assert_str_eq(out, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	ck_assert_int_eq(oidc_pkce_s256("x", out, 10), 0);
}
END_TEST

static Suite *
oidc_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("oidc");
	tc = tcase_create("id_token");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good_token_gives_the_identity);
	tcase_add_test(tc, test_algorithm_is_pinned);
	tcase_add_test(tc, test_key_not_in_the_set_or_signature_of_another_key);
	tcase_add_test(tc, test_each_claim_is_checked);
	tcase_add_test(tc, test_acr_against_the_office_minimum);
	suite_add_tcase(s, tc);

	tc = tcase_create("parts");
	tcase_add_test(tc, test_acr_levels_parse);
	tcase_add_test(tc, test_refusal_words);
	tcase_add_test(tc, test_pkce_rfc7636_appendix_b);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	now = time(NULL);
	if (!keys_make())
		return (EXIT_FAILURE);
	sr = srunner_create(oidc_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	r_jwk_free(rsa_priv);
	r_jwk_free(rsa_pub);
	r_jwk_free(other_priv);
	r_jwk_free(ec_priv);
	r_jwk_free(ec_pub);
	r_free(jwks_text);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
