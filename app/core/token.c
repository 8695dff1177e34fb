/*
 * ES256 JSON Web Tokens: issuing, verifying, and the CSRF token derived
 * from a token.  The keys are token_ring.c's.
 *
 * libjwt 1.10 verifies a signature with whatever algorithm the token
 * names, and checks no claim at all. So token_verify() reads the header
 * itself, pins ES256, picks exactly one key by kid, and only then lets
 * libjwt check the signature; every claim is checked here afterwards.
 */

#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "b64url.h"
#include "token.h"

/* libjwt takes time claims as long: they must hold TOKEN_TIME_MAX. */
_Static_assert(sizeof(long) >= 8, "long must be 64 bits for JWT times");

/* Raw ES256 signature: r and s, 32 bytes each. */
#define ES256_SIG_LEN		64

static int	text_valid(const char *, size_t);
static json_t	*segment_json(const char *, size_t);
static enum token_result	claim_text(jwt_t *, const char *, char *,
				    size_t);
static enum token_result	claim_time(jwt_t *, json_t *, const char *,
				    long long *);

int
token_random_hex(char *out, size_t nbytes)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		buf[32];
	size_t			done, n, i;
	int			ret;

	ret = 0;

	if (out == NULL)
		goto cleanup;

	for (done = 0; done < nbytes; done += n) {
		n = nbytes - done;
		if (n > sizeof(buf))
			n = sizeof(buf);
		if (RAND_bytes(buf, (int)n) != 1)
			goto cleanup;
		for (i = 0; i < n; i++) {
			out[2 * (done + i)] = hex[buf[i] >> 4];
			out[2 * (done + i) + 1] = hex[buf[i] & 0x0f];
		}
	}
	out[2 * nbytes] = '\0';

	ret = 1;

cleanup:
	explicit_bzero(buf, sizeof(buf));
	if (ret == 0 && out != NULL)
		out[0] = '\0';

	return (ret);
}

int
token_issue(const struct token_ring *ring, const char *issuer,
    const char *audience, const struct token_claims *claims, char **out)
{
	jwt_t		*jwt;
	char		*str;
	int		ret;

	ret = 0;
	jwt = NULL;
	str = NULL;

	if (out == NULL)
		goto cleanup;
	*out = NULL;

	if (ring == NULL || ring->sign_pem == NULL || claims == NULL ||
	    issuer == NULL || *issuer == '\0' ||
	    audience == NULL || *audience == '\0')
		goto cleanup;

	/* Never issue what token_verify() would refuse. */
	if (!text_valid(claims->sub, sizeof(claims->sub)) ||
	    !text_valid(claims->role, sizeof(claims->role)) ||
	    !text_valid(claims->office, sizeof(claims->office)) ||
	    !text_valid(claims->jti, sizeof(claims->jti)))
		goto cleanup;
	if (claims->iat < 0 || claims->iat > TOKEN_TIME_MAX ||
	    claims->nbf < 0 || claims->nbf > TOKEN_TIME_MAX ||
	    claims->exp < 0 || claims->exp > TOKEN_TIME_MAX ||
	    claims->auth_time < 0 || claims->auth_time > claims->iat)
		goto cleanup;

	if (jwt_new(&jwt) != 0)
		goto cleanup;
	if (jwt_set_alg(jwt, JWT_ALG_ES256,
	    (const unsigned char *)ring->sign_pem,
	    (int)ring->sign_pem_len) != 0)
		goto cleanup;

	/* libjwt adds "typ": "JWT" and "alg" itself when encoding. */
	if (jwt_add_header(jwt, "kid", ring->sign_kid) != 0)
		goto cleanup;

	if (jwt_add_grant(jwt, "iss", issuer) != 0 ||
	    jwt_add_grant(jwt, "aud", audience) != 0 ||
	    jwt_add_grant(jwt, "sub", claims->sub) != 0 ||
	    jwt_add_grant(jwt, "role", claims->role) != 0 ||
	    jwt_add_grant(jwt, "office", claims->office) != 0 ||
	    jwt_add_grant(jwt, "jti", claims->jti) != 0 ||
	    jwt_add_grant_int(jwt, "iat", (long)claims->iat) != 0 ||
	    jwt_add_grant_int(jwt, "nbf", (long)claims->nbf) != 0 ||
	    jwt_add_grant_int(jwt, "exp", (long)claims->exp) != 0)
		goto cleanup;
	if (claims->auth_time > 0 && jwt_add_grant_int(jwt, "auth_time",
	    (long)claims->auth_time) != 0)
		goto cleanup;

	if ((str = jwt_encode_str(jwt)) == NULL)
		goto cleanup;
	if (strlen(str) > TOKEN_MAX_LEN)
		goto cleanup;

	*out = str;
	str = NULL;
	ret = 1;

cleanup:
	free(str);
	jwt_free(jwt);

	return (ret);
}

enum token_result
token_verify(const struct token_ring *ring, const char *token,
    const char *issuer, const char *audience, long long now,
    long long skew, struct token_claims *out)
{
	struct token_claims	c;
	const struct token_key	*key;
	const char		*dot1, *dot2, *payload_b64, *sig;
	const char		*alg, *typ, *kid, *s;
	json_t			*header, *payload;
	jwt_t			*jwt;
	unsigned char		*raw;
	size_t			len, hlen, plen, slen, rawlen;
	enum token_result	r;

	header = payload = NULL;
	jwt = NULL;
	raw = NULL;
	memset(&c, 0, sizeof(c));
	r = TOKEN_MALFORMED;

	if (out != NULL)
		memset(out, 0, sizeof(*out));

	if (ring == NULL || token == NULL || issuer == NULL ||
	    audience == NULL || out == NULL)
		goto cleanup;

	/* Before anything else: libjwt strdup()s and alloca()s segments. */
	len = strnlen(token, TOKEN_MAX_LEN + 1);
	if (len > TOKEN_MAX_LEN) {
		r = TOKEN_TOO_LONG;
		goto cleanup;
	}

	/* Exactly three non-empty segments. */
	if ((dot1 = memchr(token, '.', len)) == NULL)
		goto cleanup;
	hlen = (size_t)(dot1 - token);
	payload_b64 = dot1 + 1;
	if ((dot2 = memchr(payload_b64, '.', len - hlen - 1)) == NULL)
		goto cleanup;
	plen = (size_t)(dot2 - payload_b64);
	sig = dot2 + 1;
	slen = len - hlen - plen - 2;
	if (memchr(sig, '.', slen) != NULL)
		goto cleanup;
	if (hlen == 0 || plen == 0)
		goto cleanup;

	if ((header = segment_json(token, hlen)) == NULL)
		goto cleanup;

	/*
	 * Pin the algorithm and the type before a key is even chosen: this
	 * is what stops "alg": "none" and HS256 signed with our public PEM
	 * as the HMAC secret. libjwt compares typ case-insensitively and
	 * only when present; we want exactly "JWT".
	 */
	alg = json_string_value(json_object_get(header, "alg"));
	if (alg == NULL || strcmp(alg, "ES256") != 0) {
		r = TOKEN_BAD_ALG;
		goto cleanup;
	}
	typ = json_string_value(json_object_get(header, "typ"));
	if (typ == NULL || strcmp(typ, "JWT") != 0) {
		r = TOKEN_BAD_TYP;
		goto cleanup;
	}
	kid = json_string_value(json_object_get(header, "kid"));
	if (kid == NULL || (key = token_ring_find(ring, kid)) == NULL) {
		r = TOKEN_UNKNOWN_KID;
		goto cleanup;
	}

	/*
	 * Parse the payload ourselves too: duplicate claims are refused
	 * (which one would win is up to the parser), and claim types can
	 * be checked, which libjwt's getters hide.
	 */
	if ((payload = segment_json(payload_b64, plen)) == NULL)
		goto cleanup;

	/* An ES256 signature has one encoding of exactly 64 bytes. */
	if (!b64url_decode(sig, slen, &raw, &rawlen) ||
	    rawlen != ES256_SIG_LEN) {
		r = TOKEN_BAD_SIGNATURE;
		goto cleanup;
	}

	/* One key, never NULL: a NULL key lets "alg": "none" through. */
	if (jwt_decode(&jwt, token, (const unsigned char *)key->pem,
	    (int)key->pem_len) != 0) {
		jwt = NULL;
		r = TOKEN_BAD_SIGNATURE;
		goto cleanup;
	}
	if (jwt_get_alg(jwt) != JWT_ALG_ES256) {
		r = TOKEN_BAD_ALG;
		goto cleanup;
	}

	errno = 0;
	if ((s = jwt_get_grant(jwt, "iss")) == NULL) {
		r = (errno == ENOENT) ? TOKEN_MISSING_CLAIM : TOKEN_BAD_ISSUER;
		goto cleanup;
	}
	if (strcmp(s, issuer) != 0) {
		r = TOKEN_BAD_ISSUER;
		goto cleanup;
	}

	/* medex issues aud as one string; an array is not ours. */
	errno = 0;
	if ((s = jwt_get_grant(jwt, "aud")) == NULL) {
		r = (errno == ENOENT) ? TOKEN_MISSING_CLAIM :
		    TOKEN_BAD_AUDIENCE;
		goto cleanup;
	}
	if (strcmp(s, audience) != 0) {
		r = TOKEN_BAD_AUDIENCE;
		goto cleanup;
	}

	if ((r = claim_time(jwt, payload, "exp", &c.exp)) != TOKEN_OK ||
	    (r = claim_time(jwt, payload, "nbf", &c.nbf)) != TOKEN_OK ||
	    (r = claim_time(jwt, payload, "iat", &c.iat)) != TOKEN_OK)
		goto cleanup;
	/* Optional (tokens of the previous release lack it), never late. */
	c.auth_time = 0;
	if (json_object_get(payload, "auth_time") != NULL &&
	    ((r = claim_time(jwt, payload, "auth_time", &c.auth_time)) !=
	    TOKEN_OK || c.auth_time > c.iat)) {
		r = TOKEN_MALFORMED;
		goto cleanup;
	}

	/*
	 * Claims are bounded by TOKEN_TIME_MAX and skew by TOKEN_SKEW_MAX,
	 * and now is kept on its own side of each comparison, so none of
	 * this can overflow.
	 */
	if (skew < 0)
		skew = 0;
	if (skew > TOKEN_SKEW_MAX)
		skew = TOKEN_SKEW_MAX;
	if (now > c.exp + skew) {
		r = TOKEN_EXPIRED;
		goto cleanup;
	}
	if (now < c.nbf - skew) {
		r = TOKEN_NOT_YET_VALID;
		goto cleanup;
	}

	if ((r = claim_text(jwt, "sub", c.sub, sizeof(c.sub))) != TOKEN_OK ||
	    (r = claim_text(jwt, "role", c.role, sizeof(c.role))) != TOKEN_OK ||
	    (r = claim_text(jwt, "office", c.office,
	    sizeof(c.office))) != TOKEN_OK ||
	    (r = claim_text(jwt, "jti", c.jti, sizeof(c.jti))) != TOKEN_OK)
		goto cleanup;

	*out = c;
	r = TOKEN_OK;

cleanup:
	free(raw);
	json_decref(header);
	json_decref(payload);
	jwt_free(jwt);

	return (r);
}

const char *
token_result_str(enum token_result r)
{
	switch (r) {
	case TOKEN_OK:
		return ("ok");
	case TOKEN_MALFORMED:
		return ("malformed token");
	case TOKEN_BAD_SIGNATURE:
		return ("bad signature");
	case TOKEN_UNKNOWN_KID:
		return ("unknown key id");
	case TOKEN_BAD_ALG:
		return ("algorithm not allowed");
	case TOKEN_BAD_TYP:
		return ("token type not JWT");
	case TOKEN_EXPIRED:
		return ("token expired");
	case TOKEN_NOT_YET_VALID:
		return ("token not yet valid");
	case TOKEN_BAD_ISSUER:
		return ("wrong issuer");
	case TOKEN_BAD_AUDIENCE:
		return ("wrong audience");
	case TOKEN_MISSING_CLAIM:
		return ("missing claim");
	case TOKEN_TOO_LONG:
		return ("token too long");
	}

	return ("unknown result");
}

static int
text_valid(const char *s, size_t size)
{
	size_t		len;

	len = strnlen(s, size);

	return (len > 0 && len < size);
}

static json_t *
segment_json(const char *seg, size_t len)
{
	unsigned char	*raw;
	size_t		rawlen;
	json_t		*js;

	if (!b64url_decode(seg, len, &raw, &rawlen))
		return (NULL);

	js = json_loadb((const char *)raw, rawlen, JSON_REJECT_DUPLICATES,
	    NULL);
	free(raw);

	if (js != NULL && !json_is_object(js)) {
		json_decref(js);
		js = NULL;
	}

	return (js);
}

static enum token_result
claim_text(jwt_t *jwt, const char *name, char *dst, size_t size)
{
	const char	*s;
	size_t		len;

	errno = 0;
	if ((s = jwt_get_grant(jwt, name)) == NULL)
		return (errno == ENOENT ? TOKEN_MISSING_CLAIM :
		    TOKEN_MALFORMED);

	if ((len = strlen(s)) == 0)
		return (TOKEN_MISSING_CLAIM);
	if (len >= size)
		return (TOKEN_MALFORMED);

	memcpy(dst, s, len + 1);

	return (TOKEN_OK);
}

static enum token_result
claim_time(jwt_t *jwt, json_t *payload, const char *name, long long *out)
{
	json_t		*js;
	long		v;

	/* -1 is also a valid value: only errno tells a missing claim. */
	errno = 0;
	v = jwt_get_grant_int(jwt, name);
	if (v == -1 && errno == ENOENT)
		return (TOKEN_MISSING_CLAIM);

	/*
	 * libjwt reads a claim of any other type as 0 without an error,
	 * so "nbf": "2099-01-01" would pass as 1970. Insist on an integer.
	 */
	js = json_object_get(payload, name);
	if (!json_is_integer(js) || json_integer_value(js) != v)
		return (TOKEN_MALFORMED);
	if (v < 0 || v > TOKEN_TIME_MAX)
		return (TOKEN_MALFORMED);

	*out = v;

	return (TOKEN_OK);
}

int
token_csrf_hex(const char *token, char out[TOKEN_CSRF_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	static const char	 label[] = "medex-csrf";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen;
	EVP_MD_CTX		*ctx;
	size_t			 i;
	int			 ok;

	out[0] = '\0';
	if (token == NULL || *token == '\0')
		return (0);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return (0);
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, label, sizeof(label)) == 1 &&
	    EVP_DigestUpdate(ctx, token, strlen(token)) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 &&
	    mdlen >= TOKEN_CSRF_LEN / 2;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return (0);
	for (i = 0; i < TOKEN_CSRF_LEN / 2; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0x0f];
	}
	out[TOKEN_CSRF_LEN] = '\0';
	explicit_bzero(md, sizeof(md));
	return (1);
}
