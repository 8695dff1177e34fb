/*
 * ES256 JSON Web Tokens for medex: issuing, verifying and publishing keys.
 *
 * Pure C, no Kore. Built on libjwt 1.10, which checks a signature and
 * nothing else: the algorithm, the header and every claim are checked
 * here (see the libjwt section of KORE.md for why each check exists).
 *
 * Unless stated otherwise, functions returning int return 1 on success
 * and 0 on failure. Strings handed back to the caller are malloc'd and
 * released with free().
 */

#ifndef MEDEX_TOKEN_H
#define MEDEX_TOKEN_H

#include <stddef.h>

/*
 * Tokens longer than this are refused before any parsing: nothing medex
 * issues comes close, and libjwt copies segments onto the stack.
 */
#define TOKEN_MAX_LEN		4096

/* Verification keys a ring can hold, the signing key's included. */
#define TOKEN_RING_MAX		8

/* Longest key id; ids are limited to [A-Za-z0-9._-]. */
#define TOKEN_KID_MAX		64

/*
 * Bounds on the time claims and on the clock skew, so that the date
 * arithmetic in token_verify() cannot overflow. 253402300799 is
 * 9999-12-31T23:59:59Z.
 */
#define TOKEN_TIME_MAX		253402300799LL
#define TOKEN_SKEW_MAX		86400

struct token_key {
	char		kid[TOKEN_KID_MAX + 1];
	char		*pem;		/* SubjectPublicKeyInfo PEM */
	size_t		pem_len;
};

/*
 * One signing key (private PEM and kid) and the keys tokens are verified
 * with. The signing key's public half is always among the verify keys, so
 * to rotate: load the new private key and keep (or add back) the public
 * key of the previous kid until its last token has expired.
 */
struct token_ring {
	char		sign_kid[TOKEN_KID_MAX + 1];
	char		*sign_pem;	/* PKCS#8 PEM, wiped on free */
	size_t		sign_pem_len;

	struct token_key	verify[TOKEN_RING_MAX];
	size_t			nverify;
};

struct token_claims {
	char		sub[65];	/* username */
	char		role[32];
	char		office[17];	/* office code */
	char		jti[65];	/* random hex, see token_random_hex() */
	long long	iat;
	long long	nbf;
	long long	exp;
	/*
	 * When the password was checked (OIDC's auth_time), kept through
	 * refreshes.  0: none; token_issue() then leaves the claim out, and
	 * token_verify() gives 0 for a token without it (one issued before
	 * the claim existed).
	 */
	long long	auth_time;
};

enum token_result {
	TOKEN_OK = 0,
	TOKEN_MALFORMED,
	TOKEN_BAD_SIGNATURE,
	TOKEN_UNKNOWN_KID,
	TOKEN_BAD_ALG,
	TOKEN_BAD_TYP,
	TOKEN_EXPIRED,
	TOKEN_NOT_YET_VALID,
	TOKEN_BAD_ISSUER,
	TOKEN_BAD_AUDIENCE,
	TOKEN_MISSING_CLAIM,
	TOKEN_TOO_LONG
};

struct token_ring	*token_ring_new(void);
void			token_ring_free(struct token_ring *);

/*
 * Make an unencrypted EC P-256 private key (PKCS#8 or SEC1 PEM) the
 * signing key under kid, and add its public half as a verify key. A
 * previous signing key stays in the ring as a verify key.
 */
int	token_ring_set_signing_key(struct token_ring *, const char *,
	    const char *, size_t);

/* Add an EC P-256 public key (SubjectPublicKeyInfo PEM) under kid. */
int	token_ring_add_public_key(struct token_ring *, const char *,
	    const char *, size_t);

/* Drop a verify key; the current signing key cannot be dropped. */
int	token_ring_remove_key(struct token_ring *, const char *);

/* The verify key of kid, or NULL. */
const struct token_key	*token_ring_find(const struct token_ring *,
			    const char *);

/* Fill out with 2 * nbytes lowercase hex characters and a NUL. */
int	token_random_hex(char *, size_t);

/*
 * The CSRF token of a session: 32 lowercase hex characters and a NUL,
 * the start of SHA-256("medex-csrf" NUL token).  Only a holder of the
 * token can compute it, and a page served with the session cookie can
 * put it in its forms without storing anything beside the session.
 */
#define TOKEN_CSRF_LEN	32
int	token_csrf_hex(const char *, char [TOKEN_CSRF_LEN + 1]);

/*
 * Sign claims with the ring's signing key; *out is the compact JWT.
 * Arguments: ring, issuer, audience, claims, out.
 */
int	token_issue(const struct token_ring *, const char *, const char *,
	    const struct token_claims *, char **);

/*
 * Verify a compact JWT against the ring and the expected issuer and
 * audience at time now (seconds since the epoch), allowing skew seconds
 * of clock difference. out is filled only on TOKEN_OK and zeroed
 * otherwise.
 */
enum token_result	token_verify(const struct token_ring *, const char *,
			    const char *, const char *, long long, long long,
			    struct token_claims *);
const char		*token_result_str(enum token_result);

/* The ring's verify keys as a compact JWK set, for /.well-known. */
int	token_jwks_json(const struct token_ring *, char **);

#endif
