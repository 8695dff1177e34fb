/*
 * Unit tests for app/core/token.c: every way a forged or stale token has
 * been known to get past a JWT library must end in a non-OK result.
 *
 * Keys are generated at run time; none is ever committed.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "token.h"

#define ISS		"https://medex.test"
#define AUD		"medex-api"
#define NOW		1700000000LL
#define TTL		900
#define SKEW		60
#define KID_A		"k1"
#define KID_B		"k2"

/* A header that is right in every way. */
#define HDR_OK		\
	"{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" KID_A "\"}"
#define HDR_NONE	\
	"{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" KID_A "\"}"

struct testkey {
	EVP_PKEY	*pkey;
	char		*priv;
	char		*pub;
};

static void	key_gen(struct testkey *);
static void	key_free(struct testkey *);
static char	*bio_string(BIO *);
static char	*b64url(const unsigned char *, size_t);
static unsigned char	*b64url_dec(const char *, size_t, size_t *);
static char	*sign_es256(EVP_PKEY *, const char *, const char *);
static json_t	*claims_json(long long);
static char	*sign_json(EVP_PKEY *, const char *, json_t *);
static void	claims_fill(struct token_claims *, long long);
static char	*issue(const struct token_ring *, long long);
static enum token_result	verify(const struct token_ring *, const char *);
static void	setup(void);
static void	teardown(void);
static Suite	*token_suite(void);

static struct testkey		key_a;
static struct token_ring	*ring;

static void
key_gen(struct testkey *k)
{
	BIO	*bio;

	k->pkey = EVP_EC_gen("P-256");
	ck_assert_ptr_nonnull(k->pkey);

	bio = BIO_new(BIO_s_mem());
	ck_assert_int_eq(PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0,
	    NULL, NULL), 1);
	k->priv = bio_string(bio);
	BIO_free(bio);

	bio = BIO_new(BIO_s_mem());
	ck_assert_int_eq(PEM_write_bio_PUBKEY(bio, k->pkey), 1);
	k->pub = bio_string(bio);
	BIO_free(bio);
}

static void
key_free(struct testkey *k)
{
	EVP_PKEY_free(k->pkey);
	free(k->priv);
	free(k->pub);
	memset(k, 0, sizeof(*k));
}

static char *
bio_string(BIO *bio)
{
	char	*data, *s;
	long	len;

	len = BIO_get_mem_data(bio, &data);
	ck_assert_int_gt(len, 0);
	s = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, data, (size_t)len);
	s[len] = '\0';

	return (s);
}

static char *
b64url(const unsigned char *in, size_t len)
{
	char	*out, *p;
	int	n;

	out = malloc(len * 2 + 4);
	ck_assert_ptr_nonnull(out);
	n = EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	out[n] = '\0';

	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}

	return (out);
}

static unsigned char *
b64url_dec(const char *in, size_t len, size_t *outlen)
{
	unsigned char	*out;
	char		*tmp;
	size_t		i, pad;
	int		n;

	pad = (4 - len % 4) % 4;
	tmp = malloc(len + pad + 1);
	ck_assert_ptr_nonnull(tmp);
	for (i = 0; i < len; i++) {
		tmp[i] = in[i];
		if (tmp[i] == '-')
			tmp[i] = '+';
		else if (tmp[i] == '_')
			tmp[i] = '/';
	}
	for (; i < len + pad; i++)
		tmp[i] = '=';
	tmp[i] = '\0';

	out = malloc(len + 1);
	ck_assert_ptr_nonnull(out);
	n = EVP_DecodeBlock(out, (unsigned char *)tmp, (int)(len + pad));
	ck_assert_int_ge(n, 0);
	free(tmp);

	*outlen = (size_t)n - pad;
	out[*outlen] = '\0';

	return (out);
}

/*
 * Sign any header and payload text with ES256, bypassing libjwt (which
 * insists on "typ": "JWT"), to build tokens whose only fault is the one
 * under test.
 */
static char *
sign_es256(EVP_PKEY *pkey, const char *header, const char *payload)
{
	EVP_MD_CTX	*ctx;
	ECDSA_SIG	*esig;
	const BIGNUM	*r, *s;
	const unsigned char	*p;
	unsigned char	der[128], raw[64];
	char		*h, *b, *sig, *input, *token;
	size_t		derlen, len;

	h = b64url((const unsigned char *)header, strlen(header));
	b = b64url((const unsigned char *)payload, strlen(payload));
	len = strlen(h) + strlen(b) + 2;
	input = malloc(len);
	ck_assert_ptr_nonnull(input);
	snprintf(input, len, "%s.%s", h, b);

	ctx = EVP_MD_CTX_new();
	ck_assert_int_eq(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
	    pkey), 1);
	derlen = sizeof(der);
	ck_assert_int_eq(EVP_DigestSign(ctx, der, &derlen,
	    (const unsigned char *)input, strlen(input)), 1);
	EVP_MD_CTX_free(ctx);

	/* JWS wants r || s, 32 bytes each, not DER. */
	p = der;
	esig = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	ck_assert_ptr_nonnull(esig);
	ECDSA_SIG_get0(esig, &r, &s);
	ck_assert_int_eq(BN_bn2binpad(r, raw, 32), 32);
	ck_assert_int_eq(BN_bn2binpad(s, raw + 32, 32), 32);
	ECDSA_SIG_free(esig);

	sig = b64url(raw, sizeof(raw));
	len = strlen(input) + strlen(sig) + 2;
	token = malloc(len);
	ck_assert_ptr_nonnull(token);
	snprintf(token, len, "%s.%s", input, sig);

	free(h);
	free(b);
	free(sig);
	free(input);

	return (token);
}

static json_t *
claims_json(long long now)
{
	json_t	*js;

	js = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
	    "iss", ISS, "aud", AUD, "sub", "alice", "role", "caseworker",
	    "office", "LDN01", "jti", "00112233445566778899aabbccddeeff",
	    "iat", (json_int_t)now, "nbf", (json_int_t)now,
	    "exp", (json_int_t)(now + TTL));
	ck_assert_ptr_nonnull(js);

	return (js);
}

static char *
sign_json(EVP_PKEY *pkey, const char *header, json_t *payload)
{
	char	*text, *token;

	text = json_dumps(payload, JSON_COMPACT);
	ck_assert_ptr_nonnull(text);
	token = sign_es256(pkey, header, text);
	free(text);

	return (token);
}

static void
claims_fill(struct token_claims *c, long long now)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->sub, "alice");
	strcpy(c->role, "caseworker");
	strcpy(c->office, "LDN01");
	ck_assert_int_eq(token_random_hex(c->jti, 16), 1);
	c->iat = now;
	c->nbf = now;
	c->exp = now + TTL;
}

static char *
issue(const struct token_ring *r, long long now)
{
	struct token_claims	c;
	char			*token;

	claims_fill(&c, now);
	token = NULL;
	ck_assert_int_eq(token_issue(r, ISS, AUD, &c, &token), 1);
	ck_assert_ptr_nonnull(token);

	return (token);
}

static enum token_result
verify(const struct token_ring *r, const char *token)
{
	struct token_claims	c;

	return (token_verify(r, token, ISS, AUD, NOW, SKEW, &c));
}

static void
setup(void)
{
	key_gen(&key_a);
	ring = token_ring_new();
	ck_assert_ptr_nonnull(ring);
	ck_assert_int_eq(token_ring_set_signing_key(ring, KID_A, key_a.priv,
	    strlen(key_a.priv)), 1);
}

static void
teardown(void)
{
	token_ring_free(ring);
	ring = NULL;
	key_free(&key_a);
}

START_TEST(test_roundtrip_ok)
{
	struct token_claims	in, out;
	char			*token;

	claims_fill(&in, NOW);
	ck_assert_int_eq(strlen(in.jti), 32);
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &in, &token), 1);

	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, SKEW, &out),
	    TOKEN_OK);
	ck_assert_str_eq(out.sub, "alice");
	ck_assert_str_eq(out.role, "caseworker");
	ck_assert_str_eq(out.office, "LDN01");
	ck_assert_str_eq(out.jti, in.jti);
	ck_assert_int_eq(out.iat, NOW);
	ck_assert_int_eq(out.nbf, NOW);
	ck_assert_int_eq(out.exp, NOW + TTL);
	ck_assert_str_eq(token_result_str(TOKEN_OK), "ok");

	free(token);
}
END_TEST

START_TEST(test_auth_time_roundtrip_and_optional)
{
	struct token_claims	in, out;
	char			*token;

	claims_fill(&in, NOW);
	in.auth_time = NOW - 600;
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &in, &token), 1);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, SKEW, &out),
	    TOKEN_OK);
	ck_assert_int_eq(out.auth_time, NOW - 600);
	free(token);

	/* Without the claim (the previous release's tokens): 0. */
	claims_fill(&in, NOW);
	in.auth_time = 0;
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &in, &token), 1);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, SKEW, &out),
	    TOKEN_OK);
	ck_assert_int_eq(out.auth_time, 0);
	free(token);

	/* A password check after the token was issued is refused. */
	claims_fill(&in, NOW);
	in.auth_time = NOW + 1;
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &in, &token), 0);
	in.auth_time = -1;
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &in, &token), 0);
}
END_TEST

START_TEST(test_issued_header_has_typ_alg_kid)
{
	json_t		*hdr;
	unsigned char	*raw;
	char		*token;
	size_t		len;

	token = issue(ring, NOW);
	raw = b64url_dec(token, (size_t)(strchr(token, '.') - token), &len);
	hdr = json_loads((const char *)raw, 0, NULL);
	ck_assert_ptr_nonnull(hdr);
	ck_assert_str_eq(json_string_value(json_object_get(hdr, "typ")), "JWT");
	ck_assert_str_eq(json_string_value(json_object_get(hdr, "alg")),
	    "ES256");
	ck_assert_str_eq(json_string_value(json_object_get(hdr, "kid")), KID_A);

	json_decref(hdr);
	free(raw);
	free(token);
}
END_TEST

START_TEST(test_alg_none_rejected)
{
	json_t	*claims;
	jwt_t	*jwt;
	char	*h, *b, *text, token[2048];

	claims = claims_json(NOW);
	text = json_dumps(claims, JSON_COMPACT);
	h = b64url((const unsigned char *)HDR_NONE, strlen(HDR_NONE));
	b = b64url((const unsigned char *)text, strlen(text));
	snprintf(token, sizeof(token), "%s.%s.", h, b);

	/* The attack is real: bare libjwt with a NULL key accepts it. */
	ck_assert_int_eq(jwt_decode(&jwt, token, NULL, 0), 0);
	jwt_free(jwt);

	ck_assert_int_eq(verify(ring, token), TOKEN_BAD_ALG);

	/* Nor does a made-up signature segment help. */
	strncat(token, "c2lnbmF0dXJl", sizeof(token) - strlen(token) - 1);
	ck_assert_int_eq(verify(ring, token), TOKEN_BAD_ALG);

	free(h);
	free(b);
	free(text);
	json_decref(claims);
}
END_TEST

START_TEST(test_hs256_with_public_pem_as_secret_rejected)
{
	jwt_t	*jwt, *check;
	char	*token;

	ck_assert_int_eq(jwt_new(&jwt), 0);
	ck_assert_int_eq(jwt_set_alg(jwt, JWT_ALG_HS256,
	    (const unsigned char *)key_a.pub, (int)strlen(key_a.pub)), 0);
	ck_assert_int_eq(jwt_add_header(jwt, "kid", KID_A), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "iss", ISS), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "aud", AUD), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "sub", "mallory"), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "role", "admin"), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "office", "LDN01"), 0);
	ck_assert_int_eq(jwt_add_grant(jwt, "jti", "abcdef"), 0);
	ck_assert_int_eq(jwt_add_grant_int(jwt, "iat", (long)NOW), 0);
	ck_assert_int_eq(jwt_add_grant_int(jwt, "nbf", (long)NOW), 0);
	ck_assert_int_eq(jwt_add_grant_int(jwt, "exp", (long)NOW + TTL), 0);
	token = jwt_encode_str(jwt);
	ck_assert_ptr_nonnull(token);
	jwt_free(jwt);

	/* The attack is real: bare libjwt with our public PEM accepts it. */
	ck_assert_int_eq(jwt_decode(&check, token,
	    (const unsigned char *)key_a.pub, (int)strlen(key_a.pub)), 0);
	ck_assert_int_eq(jwt_get_alg(check), JWT_ALG_HS256);
	jwt_free(check);

	ck_assert_int_eq(verify(ring, token), TOKEN_BAD_ALG);

	free(token);
}
END_TEST

START_TEST(test_foreign_key_with_our_kid_rejected)
{
	struct testkey		foreign;
	struct token_ring	*other;
	char			*token;

	key_gen(&foreign);
	other = token_ring_new();
	ck_assert_int_eq(token_ring_set_signing_key(other, KID_A, foreign.priv,
	    strlen(foreign.priv)), 1);

	token = issue(other, NOW);
	ck_assert_int_eq(verify(other, token), TOKEN_OK);
	ck_assert_int_eq(verify(ring, token), TOKEN_BAD_SIGNATURE);

	free(token);
	token_ring_free(other);
	key_free(&foreign);
}
END_TEST

START_TEST(test_expired_rejected)
{
	char	*token;

	/* Expired 61 s ago: one second past the allowed skew. */
	token = issue(ring, NOW - TTL - SKEW - 1);
	ck_assert_int_eq(verify(ring, token), TOKEN_EXPIRED);
	free(token);
}
END_TEST

START_TEST(test_nbf_in_future_rejected)
{
	char	*token;

	token = issue(ring, NOW + SKEW + 1);
	ck_assert_int_eq(verify(ring, token), TOKEN_NOT_YET_VALID);
	free(token);
}
END_TEST

START_TEST(test_skew_honoured)
{
	struct token_claims	c;
	char			*token;

	/* exp 30 s ago, nbf 30 s ahead: both inside a 60 s skew. */
	token = issue(ring, NOW - TTL - 30);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, 60, &c),
	    TOKEN_OK);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, 0, &c),
	    TOKEN_EXPIRED);
	free(token);

	token = issue(ring, NOW + 30);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, 60, &c),
	    TOKEN_OK);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, 0, &c),
	    TOKEN_NOT_YET_VALID);
	free(token);

	/* Exactly at exp + skew is still valid, one second on is not. */
	token = issue(ring, NOW - TTL - 60);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW, 60, &c),
	    TOKEN_OK);
	ck_assert_int_eq(token_verify(ring, token, ISS, AUD, NOW + 1, 60, &c),
	    TOKEN_EXPIRED);
	free(token);
}
END_TEST

START_TEST(test_wrong_issuer_rejected)
{
	struct token_claims	c;
	char			*token;

	token = issue(ring, NOW);
	ck_assert_int_eq(token_verify(ring, token, "https://evil.test", AUD,
	    NOW, SKEW, &c), TOKEN_BAD_ISSUER);
	free(token);
}
END_TEST

START_TEST(test_wrong_audience_rejected)
{
	struct token_claims	c;
	json_t			*claims;
	char			*token;

	token = issue(ring, NOW);
	ck_assert_int_eq(token_verify(ring, token, ISS, "other-api", NOW,
	    SKEW, &c), TOKEN_BAD_AUDIENCE);
	free(token);

	/* An aud array, even one naming us, is not what medex issues. */
	claims = claims_json(NOW);
	json_object_set_new(claims, "aud", json_pack("[s]", AUD));
	token = sign_json(key_a.pkey, HDR_OK, claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_BAD_AUDIENCE);
	free(token);
	json_decref(claims);
}
END_TEST

START_TEST(test_payload_edited_rejected)
{
	unsigned char	*raw;
	char		*token, *edited, *payload, *p, *forged;
	const char	*dot1, *dot2;
	size_t		len, flen;

	token = issue(ring, NOW);
	dot1 = strchr(token, '.');
	dot2 = strchr(dot1 + 1, '.');

	raw = b64url_dec(dot1 + 1, (size_t)(dot2 - dot1 - 1), &len);
	p = strstr((char *)raw, "\"caseworker\"");
	ck_assert_ptr_nonnull(p);

	/* Raise the role, keep header and signature. */
	edited = malloc(len + 16);
	ck_assert_ptr_nonnull(edited);
	snprintf(edited, len + 16, "%.*s\"admin\"%s", (int)(p - (char *)raw),
	    (char *)raw, p + strlen("\"caseworker\""));
	payload = b64url((const unsigned char *)edited, strlen(edited));

	flen = strlen(token) + strlen(payload) + 1;
	forged = malloc(flen);
	ck_assert_ptr_nonnull(forged);
	snprintf(forged, flen, "%.*s.%s%s", (int)(dot1 - token), token,
	    payload, dot2);

	ck_assert_int_eq(verify(ring, token), TOKEN_OK);
	ck_assert_int_eq(verify(ring, forged), TOKEN_BAD_SIGNATURE);

	free(forged);
	free(payload);
	free(edited);
	free(raw);
	free(token);
}
END_TEST

START_TEST(test_noncanonical_signature_encoding_rejected)
{
	static const char	tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	jwt_t			*jwt;
	char			*token;
	size_t			len;
	int			v;

	/*
	 * The last of 86 characters carries 2 bits of the signature and 4
	 * spare ones. Setting a spare bit gives another string for the same
	 * bytes: libjwt's decoder takes it, ours does not.
	 */
	token = issue(ring, NOW);
	len = strlen(token);
	v = (int)(strchr(tab, token[len - 1]) - tab);
	token[len - 1] = tab[v | 1];

	ck_assert_int_eq(jwt_decode(&jwt, token,
	    (const unsigned char *)key_a.pub, (int)strlen(key_a.pub)), 0);
	jwt_free(jwt);
	ck_assert_int_eq(verify(ring, token), TOKEN_BAD_SIGNATURE);

	free(token);
}
END_TEST

START_TEST(test_unknown_kid_rejected)
{
	json_t	*claims;
	char	*token;

	claims = claims_json(NOW);

	token = sign_json(key_a.pkey,
	    "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k9\"}", claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_UNKNOWN_KID);
	free(token);

	/* No kid at all: we never fall back to trying every key. */
	token = sign_json(key_a.pkey, "{\"alg\":\"ES256\",\"typ\":\"JWT\"}",
	    claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_UNKNOWN_KID);
	free(token);

	json_decref(claims);
}
END_TEST

START_TEST(test_garbage_rejected)
{
	static const char	*bad[] = {
		"",
		".",
		"..",
		"...",
		"abc",
		"abc.def",
		"abc.def.ghi.jkl",
		"!!!.###.$$$",
		"eyJhbGciOiJFUzI1NiJ9",
		"e30.e30.e30",
		"bnVsbA.bnVsbA.AA",
		"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.!!.AA",
		"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0=.e30.AA",
		"Bearer eyJhbGciOiJFUzI1NiJ9.e30.AA",
	};
	struct token_claims	c;
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(verify(ring, bad[i]) != TOKEN_OK,
		    "accepted garbage \"%s\"", bad[i]);
	}

	ck_assert_int_eq(token_verify(ring, NULL, ISS, AUD, NOW, SKEW, &c),
	    TOKEN_MALFORMED);
	ck_assert_int_eq(token_verify(NULL, "a.b.c", ISS, AUD, NOW, SKEW, &c),
	    TOKEN_MALFORMED);
}
END_TEST

START_TEST(test_100kb_token_rejected)
{
	char	*big;
	size_t	len;

	len = 100 * 1024;
	big = malloc(len + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'A', len);
	big[10] = '.';
	big[len - 100] = '.';
	big[len] = '\0';
	ck_assert_int_eq(verify(ring, big), TOKEN_TOO_LONG);

	/* The limit is exact. */
	big[TOKEN_MAX_LEN + 1] = '\0';
	ck_assert_int_eq(verify(ring, big), TOKEN_TOO_LONG);
	big[TOKEN_MAX_LEN] = '\0';
	big[TOKEN_MAX_LEN - 100] = '.';
	ck_assert_int_ne(verify(ring, big), TOKEN_TOO_LONG);
	ck_assert_int_ne(verify(ring, big), TOKEN_OK);

	free(big);
}
END_TEST

START_TEST(test_typ_not_jwt_rejected)
{
	static const char	*headers[] = {
		"{\"alg\":\"ES256\",\"typ\":\"JOSE\",\"kid\":\"" KID_A "\"}",
		"{\"alg\":\"ES256\",\"typ\":\"jwt\",\"kid\":\"" KID_A "\"}",
		"{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" KID_A "\"}",
		"{\"alg\":\"ES256\",\"typ\":1,\"kid\":\"" KID_A "\"}",
		"{\"alg\":\"ES256\",\"kid\":\"" KID_A "\"}",
	};
	json_t		*claims;
	char		*token;
	size_t		i;

	claims = claims_json(NOW);

	/* The same construction with typ JWT passes: only typ differs. */
	token = sign_json(key_a.pkey, HDR_OK, claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_OK);
	free(token);

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		token = sign_json(key_a.pkey, headers[i], claims);
		ck_assert_msg(verify(ring, token) == TOKEN_BAD_TYP,
		    "header %s not refused", headers[i]);
		free(token);
	}

	json_decref(claims);
}
END_TEST

START_TEST(test_missing_claims_rejected)
{
	static const char	*names[] = {
		"iss", "aud", "sub", "role", "office", "jti",
		"iat", "nbf", "exp",
	};
	json_t		*claims;
	char		*token;
	size_t		i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		claims = claims_json(NOW);
		ck_assert_int_eq(json_object_del(claims, names[i]), 0);
		token = sign_json(key_a.pkey, HDR_OK, claims);
		ck_assert_msg(verify(ring, token) == TOKEN_MISSING_CLAIM,
		    "token without %s not refused", names[i]);
		free(token);
		json_decref(claims);
	}

	/* Present but empty counts as missing. */
	for (i = 2; i < 6; i++) {
		claims = claims_json(NOW);
		json_object_set_new(claims, names[i], json_string(""));
		token = sign_json(key_a.pkey, HDR_OK, claims);
		ck_assert_msg(verify(ring, token) == TOKEN_MISSING_CLAIM,
		    "token with empty %s not refused", names[i]);
		free(token);
		json_decref(claims);
	}
}
END_TEST

START_TEST(test_claims_of_wrong_type_or_size_rejected)
{
	json_t		*claims;
	char		*token;
	const char	*hdr;

	hdr = HDR_OK;

	/* libjwt would read this nbf as 0, i.e. valid since 1970. */
	claims = claims_json(NOW);
	json_object_set_new(claims, "nbf", json_string("4102444800"));
	token = sign_json(key_a.pkey, hdr, claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_MALFORMED);
	free(token);
	json_decref(claims);

	claims = claims_json(NOW);
	json_object_set_new(claims, "exp", json_real((double)NOW + TTL));
	token = sign_json(key_a.pkey, hdr, claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_MALFORMED);
	free(token);
	json_decref(claims);

	claims = claims_json(NOW);
	json_object_set_new(claims, "role", json_integer(1));
	token = sign_json(key_a.pkey, hdr, claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_MALFORMED);
	free(token);
	json_decref(claims);

	/* 17 characters do not fit the 16-character office code. */
	claims = claims_json(NOW);
	json_object_set_new(claims, "office", json_string("ABCDEFGHIJKLMNOPQ"));
	token = sign_json(key_a.pkey, hdr, claims);
	ck_assert_int_eq(verify(ring, token), TOKEN_MALFORMED);
	free(token);
	json_decref(claims);
}
END_TEST

START_TEST(test_duplicate_claims_rejected)
{
	char	*token;

	/* Which "role" wins would be up to the parser: refuse both. */
	token = sign_es256(key_a.pkey, HDR_OK,
	    "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"alice\","
	    "\"role\":\"caseworker\",\"role\":\"admin\",\"office\":\"LDN01\","
	    "\"jti\":\"abcd\",\"iat\":1700000000,\"nbf\":1700000000,"
	    "\"exp\":1700000900}");
	ck_assert_int_eq(verify(ring, token), TOKEN_MALFORMED);
	free(token);
}
END_TEST

START_TEST(test_rotation_old_kid_verifies_until_dropped)
{
	struct testkey		key_b;
	struct token_ring	*next;
	char			*old_token, *new_token;

	key_gen(&key_b);
	old_token = issue(ring, NOW);

	/* In place: sign with B from now on, A's public half stays. */
	ck_assert_int_eq(token_ring_set_signing_key(ring, KID_B, key_b.priv,
	    strlen(key_b.priv)), 1);
	new_token = issue(ring, NOW);
	ck_assert_int_eq(verify(ring, new_token), TOKEN_OK);
	ck_assert_int_eq(verify(ring, old_token), TOKEN_OK);
	ck_assert_ptr_nonnull(strstr(ring->sign_kid, KID_B));

	/* The key we sign with cannot be dropped; the old one can. */
	ck_assert_int_eq(token_ring_remove_key(ring, KID_B), 0);
	ck_assert_int_eq(token_ring_remove_key(ring, KID_A), 1);
	ck_assert_int_eq(verify(ring, old_token), TOKEN_UNKNOWN_KID);
	ck_assert_int_eq(verify(ring, new_token), TOKEN_OK);

	/* After a restart: new private key, old public key from config. */
	next = token_ring_new();
	ck_assert_int_eq(token_ring_set_signing_key(next, KID_B, key_b.priv,
	    strlen(key_b.priv)), 1);
	ck_assert_int_eq(verify(next, old_token), TOKEN_UNKNOWN_KID);
	ck_assert_int_eq(token_ring_add_public_key(next, KID_A, key_a.pub,
	    strlen(key_a.pub)), 1);
	ck_assert_int_eq(verify(next, old_token), TOKEN_OK);
	ck_assert_int_eq(verify(next, new_token), TOKEN_OK);
	token_ring_free(next);

	free(old_token);
	free(new_token);
	key_free(&key_b);
}
END_TEST

START_TEST(test_jwks_lists_both_kids)
{
	struct testkey	key_b;
	json_t		*jwks, *keys, *k;
	BIGNUM		*x;
	unsigned char	bin[32];
	char		*text, *want;
	const char	*kid;
	size_t		i;
	int		seen_a, seen_b;

	key_gen(&key_b);
	ck_assert_int_eq(token_ring_set_signing_key(ring, KID_B, key_b.priv,
	    strlen(key_b.priv)), 1);
	ck_assert_int_eq(token_jwks_json(ring, &text), 1);

	/* Compact: no spaces anywhere. */
	ck_assert_ptr_null(strchr(text, ' '));

	jwks = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(jwks);
	keys = json_object_get(jwks, "keys");
	ck_assert(json_is_array(keys));
	ck_assert_int_eq(json_array_size(keys), 2);

	seen_a = seen_b = 0;
	json_array_foreach(keys, i, k) {
		ck_assert_int_eq(json_object_size(k), 7);
		ck_assert_str_eq(json_string_value(json_object_get(k, "kty")),
		    "EC");
		ck_assert_str_eq(json_string_value(json_object_get(k, "crv")),
		    "P-256");
		ck_assert_str_eq(json_string_value(json_object_get(k, "use")),
		    "sig");
		ck_assert_str_eq(json_string_value(json_object_get(k, "alg")),
		    "ES256");
		ck_assert_int_eq(strlen(json_string_value(
		    json_object_get(k, "x"))), 43);
		ck_assert_int_eq(strlen(json_string_value(
		    json_object_get(k, "y"))), 43);

		kid = json_string_value(json_object_get(k, "kid"));
		ck_assert_ptr_nonnull(kid);
		if (strcmp(kid, KID_A) == 0) {
			seen_a++;
			/* And x really is key A's x coordinate. */
			x = NULL;
			ck_assert_int_eq(EVP_PKEY_get_bn_param(key_a.pkey,
			    OSSL_PKEY_PARAM_EC_PUB_X, &x), 1);
			ck_assert_int_eq(BN_bn2binpad(x, bin, 32), 32);
			want = b64url(bin, sizeof(bin));
			ck_assert_str_eq(json_string_value(
			    json_object_get(k, "x")), want);
			free(want);
			BN_free(x);
		} else if (strcmp(kid, KID_B) == 0) {
			seen_b++;
		}
	}
	ck_assert_int_eq(seen_a, 1);
	ck_assert_int_eq(seen_b, 1);

	json_decref(jwks);
	free(text);
	key_free(&key_b);
}
END_TEST

START_TEST(test_ring_refuses_bad_keys)
{
	struct token_ring	*r;
	struct testkey		k;
	struct token_claims	c;
	EVP_PKEY		*p384;
	BIO			*bio;
	char			*pem, kid[16], pass[] = "passphrase";
	int			i;

	r = token_ring_new();
	ck_assert_ptr_nonnull(r);

	ck_assert_int_eq(token_ring_set_signing_key(r, KID_A, "garbage", 7), 0);
	ck_assert_int_eq(token_ring_set_signing_key(r, KID_A, key_a.pub,
	    strlen(key_a.pub)), 0);
	ck_assert_int_eq(token_ring_add_public_key(r, KID_A, key_a.priv,
	    strlen(key_a.priv)), 0);
	ck_assert_int_eq(token_ring_set_signing_key(r, "", key_a.priv,
	    strlen(key_a.priv)), 0);
	ck_assert_int_eq(token_ring_set_signing_key(r, "k\"1", key_a.priv,
	    strlen(key_a.priv)), 0);
	ck_assert_int_eq(r->nverify, 0);

	/* Only P-256. */
	p384 = EVP_EC_gen("P-384");
	bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(bio, p384, NULL, NULL, 0, NULL, NULL);
	pem = bio_string(bio);
	ck_assert_int_eq(token_ring_set_signing_key(r, KID_A, pem,
	    strlen(pem)), 0);
	free(pem);
	BIO_free(bio);

	/* An encrypted key is refused, not prompted for. */
	bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(bio, key_a.pkey, EVP_aes_256_cbc(), NULL, 0,
	    NULL, pass);
	pem = bio_string(bio);
	ck_assert_int_eq(token_ring_set_signing_key(r, KID_A, pem,
	    strlen(pem)), 0);
	free(pem);
	BIO_free(bio);
	EVP_PKEY_free(p384);

	/* Nothing to sign with yet. */
	claims_fill(&c, NOW);
	ck_assert_int_eq(token_issue(r, ISS, AUD, &c, &pem), 0);
	ck_assert_ptr_null(pem);

	/* One kid cannot name two keys; the same key twice is fine. */
	key_gen(&k);
	ck_assert_int_eq(token_ring_add_public_key(r, KID_A, key_a.pub,
	    strlen(key_a.pub)), 1);
	ck_assert_int_eq(token_ring_add_public_key(r, KID_A, key_a.pub,
	    strlen(key_a.pub)), 1);
	ck_assert_int_eq(token_ring_add_public_key(r, KID_A, k.pub,
	    strlen(k.pub)), 0);
	ck_assert_int_eq(token_ring_set_signing_key(r, KID_A, k.priv,
	    strlen(k.priv)), 0);
	ck_assert_ptr_null(r->sign_pem);

	/* At most TOKEN_RING_MAX verify keys. */
	for (i = 1; i < TOKEN_RING_MAX; i++) {
		snprintf(kid, sizeof(kid), "x%d", i);
		ck_assert_int_eq(token_ring_add_public_key(r, kid, k.pub,
		    strlen(k.pub)), 1);
	}
	ck_assert_int_eq(token_ring_add_public_key(r, "x99", k.pub,
	    strlen(k.pub)), 0);
	ck_assert_int_eq(token_ring_set_signing_key(r, "x99", k.priv,
	    strlen(k.priv)), 0);

	key_free(&k);
	token_ring_free(r);
}
END_TEST

START_TEST(test_issue_refuses_bad_claims)
{
	struct token_claims	c;
	char			*token;

	claims_fill(&c, NOW);
	c.sub[0] = '\0';
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &c, &token), 0);
	ck_assert_ptr_null(token);

	claims_fill(&c, NOW);
	memset(c.office, 'A', sizeof(c.office));
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &c, &token), 0);

	claims_fill(&c, NOW);
	c.exp = -1;
	ck_assert_int_eq(token_issue(ring, ISS, AUD, &c, &token), 0);

	claims_fill(&c, NOW);
	ck_assert_int_eq(token_issue(ring, "", AUD, &c, &token), 0);
}
END_TEST

START_TEST(test_random_hex)
{
	char	a[65], b[65];
	size_t	i;

	ck_assert_int_eq(token_random_hex(a, 32), 1);
	ck_assert_int_eq(token_random_hex(b, 32), 1);
	ck_assert_int_eq(strlen(a), 64);
	ck_assert_str_ne(a, b);
	for (i = 0; i < 64; i++)
		ck_assert_ptr_nonnull(strchr("0123456789abcdef", a[i]));
}
END_TEST

static Suite *
token_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("token");

	tc = tcase_create("issue");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip_ok);
	tcase_add_test(tc, test_auth_time_roundtrip_and_optional);
	tcase_add_test(tc, test_issued_header_has_typ_alg_kid);
	tcase_add_test(tc, test_issue_refuses_bad_claims);
	tcase_add_test(tc, test_random_hex);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_alg_none_rejected);
	tcase_add_test(tc, test_hs256_with_public_pem_as_secret_rejected);
	tcase_add_test(tc, test_foreign_key_with_our_kid_rejected);
	tcase_add_test(tc, test_wrong_issuer_rejected);
	tcase_add_test(tc, test_wrong_audience_rejected);
	tcase_add_test(tc, test_payload_edited_rejected);
	tcase_add_test(tc, test_noncanonical_signature_encoding_rejected);
	tcase_add_test(tc, test_unknown_kid_rejected);
	tcase_add_test(tc, test_garbage_rejected);
	tcase_add_test(tc, test_100kb_token_rejected);
	tcase_add_test(tc, test_typ_not_jwt_rejected);
	tcase_add_test(tc, test_missing_claims_rejected);
	tcase_add_test(tc, test_claims_of_wrong_type_or_size_rejected);
	tcase_add_test(tc, test_duplicate_claims_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_expired_rejected);
	tcase_add_test(tc, test_nbf_in_future_rejected);
	tcase_add_test(tc, test_skew_honoured);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rotation_old_kid_verifies_until_dropped);
	tcase_add_test(tc, test_jwks_lists_both_kids);
	tcase_add_test(tc, test_ring_refuses_bad_keys);
	suite_add_tcase(s, tc);

	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	failed;

	sr = srunner_create(token_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
