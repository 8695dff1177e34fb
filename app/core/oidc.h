/*
 * OpenID Connect sign-in (issue 24): the ID token checks and the PKCE
 * challenge, with no Kore and no network, so that Check tests them with
 * tokens it signs itself (tests/unit/check_oidc.c).
 *
 * The signature is checked by rhonabwy (JWS, JWKS) against the
 * provider's key set with the algorithm pinned by the instance (never
 * the token's own choice: "none", or HS256 keyed with a public key, is
 * refused before any key is looked at); remote keys named by the token
 * (jku, x5u) are never fetched.  The claims are then checked as OpenID
 * Connect Core 1.0, 3.1.3.7 asks: iss, aud, azp, exp, iat, nonce, and
 * acr against the office's minimum.
 */
#ifndef MEDEX_OIDC_H
#define MEDEX_OIDC_H

#include <stddef.h>
#include <time.h>

/* Why an ID token was refused (OIDC_OK: it was not). */
enum oidc_refusal {
	OIDC_OK = 0,
	OIDC_MALFORMED,		/* not a signed JWT, or claims missing */
	OIDC_ALG,		/* not the pinned algorithm */
	OIDC_UNKNOWN_KEY,	/* no key of the set has its kid */
	OIDC_SIGNATURE,		/* the signature does not verify */
	OIDC_ISSUER,
	OIDC_AUDIENCE,
	OIDC_AZP,
	OIDC_EXPIRED,
	OIDC_IAT,		/* issued in the future, or too long ago */
	OIDC_NONCE,
	OIDC_ACR,		/* below the office's minimum */
	OIDC_REFUSAL_MAX
};

#define OIDC_SKEW		60	/* seconds of clock difference allowed */
#define OIDC_IAT_MAX_AGE	600	/* an ID token older than this is stale */
#define OIDC_ACR_LEVELS_MAX	8
#define OIDC_TEXT_MAX		256

/* What the instance and this sign-in expect of the token. */
struct oidc_expect {
	const char	*alg;		/* pinned: "RS256", "ES256", "PS256" */
	const char	*issuer;
	const char	*client_id;
	const char	*nonce;
	/*
	 * The acr values the instance knows, weakest first, and the
	 * office's minimum (NULL or "": none asked).  A token whose acr is
	 * not in the list, or is before the minimum, is refused.
	 */
	const char	*acr_levels[OIDC_ACR_LEVELS_MAX];
	size_t		 acr_nlevels;
	const char	*acr_min;
};

/* What medex keeps of a token that passed. */
struct oidc_identity {
	char	sub[OIDC_TEXT_MAX];
	char	email[OIDC_TEXT_MAX];	/* "" when none */
	int	email_verified;
	char	acr[OIDC_TEXT_MAX];	/* "" when none */
	long long auth_time;		/* 0 when none */
};

enum oidc_refusal oidc_id_token_check(const char *, const char *,
		    const struct oidc_expect *, time_t,
		    struct oidc_identity *);
enum oidc_refusal oidc_claims_check(const char *, const struct oidc_expect *,
		    time_t, struct oidc_identity *);
const char	*oidc_refusal_code(enum oidc_refusal);
const char	*oidc_refusal_words(enum oidc_refusal);
int		 oidc_acr_levels_parse(char *, struct oidc_expect *);

/* PKCE (RFC 7636): the S256 challenge of a verifier, base64url. */
#define OIDC_PKCE_CHALLENGE_LEN	43
int		 oidc_pkce_s256(const char *, char *, size_t);

#endif
