/*
 * OpenID Connect ID token checks and PKCE (see oidc.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>
#include <rhonabwy.h>

#include "b64url.h"
#include "oidc.h"

static const struct {
	const char	*code;		/* the security log's reason */
	const char	*words;		/* the page's */
} refusals[OIDC_REFUSAL_MAX] = {
	[OIDC_OK] = { "ok", "Signed in." },
	[OIDC_MALFORMED] = { "id_token_malformed",
	    "The identity provider's answer could not be read." },
	[OIDC_ALG] = { "id_token_alg",
	    "The identity provider signed its answer in a way medex does "
	    "not accept." },
	[OIDC_UNKNOWN_KEY] = { "id_token_unknown_key",
	    "The identity provider's answer was signed with a key it does "
	    "not publish." },
	[OIDC_SIGNATURE] = { "id_token_signature",
	    "The identity provider's answer does not carry a valid "
	    "signature." },
	[OIDC_ISSUER] = { "id_token_issuer",
	    "The answer came from another identity provider than the one "
	    "medex uses." },
	[OIDC_AUDIENCE] = { "id_token_audience",
	    "The identity provider's answer was meant for another "
	    "service." },
	[OIDC_AZP] = { "id_token_azp",
	    "The identity provider's answer was issued to another "
	    "service." },
	[OIDC_EXPIRED] = { "id_token_expired",
	    "The identity provider's answer has expired." },
	[OIDC_IAT] = { "id_token_iat",
	    "The identity provider's answer is dated in the future or too "
	    "long ago." },
	[OIDC_NONCE] = { "id_token_nonce",
	    "The identity provider's answer does not belong to this "
	    "sign-in." },
	[OIDC_ACR] = { "acr_too_low",
	    "Your office needs a stronger way of signing in (such as your "
	    "smartcard or security key) than the one you used." },
};

const char *
oidc_refusal_code(enum oidc_refusal r)
{
	if (r < 0 || r >= OIDC_REFUSAL_MAX)
		return ("unknown");
	return (refusals[r].code);
}

const char *
oidc_refusal_words(enum oidc_refusal r)
{
	if (r < 0 || r >= OIDC_REFUSAL_MAX)
		return ("The sign-in was refused.");
	return (refusals[r].words);
}

/*
 * "a, b ,c" (weakest first) into e->acr_levels, pointing into s (which
 * is cut up).  Returns 0 when there are too many.
 */
int
oidc_acr_levels_parse(char *s, struct oidc_expect *e)
{
	char	*tok, *save, *end;

	e->acr_nlevels = 0;
	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*tok == '\0')
			continue;
		if (e->acr_nlevels == OIDC_ACR_LEVELS_MAX)
			return (0);
		e->acr_levels[e->acr_nlevels++] = tok;
	}
	return (1);
}

/* The position of acr in the instance's list, or -1. */
static int
acr_rank(const struct oidc_expect *e, const char *acr)
{
	size_t	i;

	for (i = 0; i < e->acr_nlevels; i++)
		if (strcmp(e->acr_levels[i], acr) == 0)
			return ((int)i);
	return (-1);
}

static int
aud_has(json_t *aud, const char *client_id)
{
	json_t	*v;
	size_t	 i;

	if (json_is_string(aud))
		return (strcmp(json_string_value(aud), client_id) == 0);
	if (!json_is_array(aud))
		return (0);
	json_array_foreach(aud, i, v) {
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), client_id) == 0)
			return (1);
	}
	return (0);
}

static void
copy_str(json_t *v, char *dst, size_t len)
{
	const char	*s;

	dst[0] = '\0';
	if ((s = json_string_value(v)) != NULL && strlen(s) < len)
		memcpy(dst, s, strlen(s) + 1);
}

/*
 * The claims of a token whose signature was checked (claims: its JSON
 * text).  Fills id when OIDC_OK.
 */
enum oidc_refusal
oidc_claims_check(const char *claims, const struct oidc_expect *e,
    time_t now, struct oidc_identity *id)
{
	json_t			*j, *aud, *azp, *v;
	const char		*s;
	enum oidc_refusal	 r;
	long long		 exp, iat;
	int			 rank, min;

	memset(id, 0, sizeof(*id));
	if ((j = json_loads(claims, 0, NULL)) == NULL || !json_is_object(j)) {
		json_decref(j);
		return (OIDC_MALFORMED);
	}
	r = OIDC_MALFORMED;
	s = json_string_value(json_object_get(j, "sub"));
	if (s == NULL || *s == '\0' || strlen(s) >= sizeof(id->sub))
		goto cleanup;
	if (!json_is_integer(json_object_get(j, "exp")) ||
	    !json_is_integer(json_object_get(j, "iat")))
		goto cleanup;
	exp = json_integer_value(json_object_get(j, "exp"));
	iat = json_integer_value(json_object_get(j, "iat"));

	s = json_string_value(json_object_get(j, "iss"));
	r = OIDC_ISSUER;
	if (s == NULL || strcmp(s, e->issuer) != 0)
		goto cleanup;
	aud = json_object_get(j, "aud");
	r = OIDC_AUDIENCE;
	if (!aud_has(aud, e->client_id))
		goto cleanup;
	/* Several audiences: azp must name us; one: azp, if any, too. */
	azp = json_object_get(j, "azp");
	r = OIDC_AZP;
	if (json_is_array(aud) && json_array_size(aud) > 1 && azp == NULL)
		goto cleanup;
	if (azp != NULL && (!json_is_string(azp) ||
	    strcmp(json_string_value(azp), e->client_id) != 0))
		goto cleanup;
	r = OIDC_EXPIRED;
	if (exp + OIDC_SKEW <= (long long)now)
		goto cleanup;
	r = OIDC_IAT;
	if (iat > (long long)now + OIDC_SKEW ||
	    iat < (long long)now - OIDC_IAT_MAX_AGE)
		goto cleanup;
	s = json_string_value(json_object_get(j, "nonce"));
	r = OIDC_NONCE;
	if (e->nonce == NULL || s == NULL || strcmp(s, e->nonce) != 0)
		goto cleanup;

	copy_str(json_object_get(j, "acr"), id->acr, sizeof(id->acr));
	r = OIDC_ACR;
	if (e->acr_min != NULL && *e->acr_min != '\0') {
		min = acr_rank(e, e->acr_min);
		rank = acr_rank(e, id->acr);
		if (min < 0 || rank < min)
			goto cleanup;
	}

	copy_str(json_object_get(j, "sub"), id->sub, sizeof(id->sub));
	copy_str(json_object_get(j, "email"), id->email, sizeof(id->email));
	v = json_object_get(j, "email_verified");
	/* Some providers send "true" as a string. */
	id->email_verified = json_is_true(v) || (json_is_string(v) &&
	    strcmp(json_string_value(v), "true") == 0);
	if (json_is_integer(json_object_get(j, "auth_time")))
		id->auth_time = json_integer_value(json_object_get(j,
		    "auth_time"));
	r = OIDC_OK;

cleanup:
	json_decref(j);
	return (r);
}

/*
 * The whole check of an ID token (compact JWS) against the provider's
 * key set (JWKS JSON text).  OIDC_UNKNOWN_KEY tells the caller to fetch
 * the key set again (a rotated key) and try once more.
 */
enum oidc_refusal
oidc_id_token_check(const char *token, const char *jwks_json,
    const struct oidc_expect *e, time_t now, struct oidc_identity *id)
{
	jwt_t			*jwt;
	jwks_t			*jwks;
	jwk_t			*key;
	json_t			*claims;
	char			*text;
	const char		*alg, *kid;
	enum oidc_refusal	 r;

	memset(id, 0, sizeof(*id));
	jwt = NULL;
	jwks = NULL;
	key = NULL;
	text = NULL;
	r = OIDC_MALFORMED;
	if (r_jwt_init(&jwt) != RHN_OK || r_jwks_init(&jwks) != RHN_OK)
		goto cleanup;
	/* rhonabwy refuses unsigned ("none") tokens here. */
	if (r_jwt_parse(jwt, token, R_FLAG_IGNORE_REMOTE) != RHN_OK)
		goto cleanup;
	alg = r_jwt_get_header_str_value(jwt, "alg");
	r = OIDC_ALG;
	if (alg == NULL || e->alg == NULL || strcmp(alg, e->alg) != 0 ||
	    r_jwt_get_sign_alg(jwt) != r_str_to_jwa_alg(e->alg))
		goto cleanup;
	r = OIDC_UNKNOWN_KEY;
	if (jwks_json == NULL || r_jwks_import_from_json_str(jwks,
	    jwks_json) != RHN_OK)
		goto cleanup;
	kid = r_jwt_get_header_str_value(jwt, "kid");
	if (kid != NULL)
		key = r_jwks_get_by_kid(jwks, kid);
	else if (r_jwks_size(jwks) == 1)
		key = r_jwks_get_at(jwks, 0);
	if (key == NULL)
		goto cleanup;
	r = OIDC_SIGNATURE;
	if (r_jwt_verify_signature(jwt, key, R_FLAG_IGNORE_REMOTE) != RHN_OK)
		goto cleanup;
	r = OIDC_MALFORMED;
	if ((claims = r_jwt_get_full_claims_json_t(jwt)) == NULL)
		goto cleanup;
	text = json_dumps(claims, JSON_COMPACT);
	json_decref(claims);
	if (text == NULL)
		goto cleanup;
	r = oidc_claims_check(text, e, now, id);

cleanup:
	free(text);
	r_jwk_free(key);
	r_jwks_free(jwks);
	r_jwt_free(jwt);
	return (r);
}

int
oidc_pkce_s256(const char *verifier, char *out, size_t len)
{
	unsigned char	md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)verifier, strlen(verifier), md);
	return (b64url_encode(md, sizeof(md), out, len));
}
