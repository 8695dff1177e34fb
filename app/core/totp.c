/*
 * Time-based one-time passwords (RFC 6238) for the second factor.
 *
 * liboath computes the codes; what is ours is the choice of parameters
 * (SHA-1, 6 digits, 30 s: what Google Authenticator, FreeOTP and the
 * rest assume when the URI names nothing else), the window of one step
 * either side (a phone clock a little off, or a code typed as it
 * changed), and reporting which step matched, so that the database can
 * refuse a code of that step or an earlier one the second time.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <openssl/rand.h>

#include "totp.h"

static const char	b32[] = "abcdefghijklmnopqrstuvwxyz234567";

int
totp_init(void)
{
	return (oath_init() == OATH_OK);
}

/* A new random secret, base32 (upper case, as apps expect it). */
int
totp_secret_new(char out[TOTP_SECRET_B32_LEN + 1])
{
	unsigned char	key[TOTP_SECRET_BYTES];
	char		*enc;
	size_t		 enclen;
	int		 ok;

	out[0] = '\0';
	enc = NULL;
	ok = 0;
	if (RAND_bytes(key, sizeof(key)) != 1)
		goto cleanup;
	if (oath_base32_encode((const char *)key, sizeof(key), &enc,
	    &enclen) != OATH_OK || enclen != TOTP_SECRET_B32_LEN)
		goto cleanup;
	memcpy(out, enc, TOTP_SECRET_B32_LEN);
	out[TOTP_SECRET_B32_LEN] = '\0';
	ok = 1;
cleanup:
	explicit_bzero(key, sizeof(key));
	if (enc != NULL) {
		explicit_bzero(enc, strlen(enc));
		free(enc);
	}
	return (ok);
}

/*
 * The key of a base32 secret into key (at most keymax bytes); its
 * length, or 0 when the secret is not base32.  Case and padding as apps
 * and people write them are accepted.
 */
static size_t
secret_decode(const char *secret, unsigned char *key, size_t keymax)
{
	char	 up[TOTP_SECRET_B32_MAX + 1];
	char	*dec;
	size_t	 i, n, declen;

	if (secret == NULL || (n = strlen(secret)) == 0 ||
	    n > TOTP_SECRET_B32_MAX)
		return (0);
	for (i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)secret[i]);
	up[n] = '\0';
	dec = NULL;
	declen = 0;
	if (oath_base32_decode(up, n, &dec, &declen) != OATH_OK ||
	    declen == 0 || declen > keymax)
		declen = 0;
	else
		memcpy(key, dec, declen);
	explicit_bzero(up, sizeof(up));
	if (dec != NULL) {
		explicit_bzero(dec, declen);
		free(dec);
	}
	return (declen);
}

/* The code of key at time t (the RFC's vectors take raw keys). */
int
totp_generate_raw(const unsigned char *key, size_t keylen, time_t t,
    unsigned digits, char *out)
{
	return (oath_totp_generate((const char *)key, keylen, t, TOTP_STEP,
	    0, digits, out) == OATH_OK);
}

int
totp_generate(const char *secret, time_t t, char out[TOTP_DIGITS + 1])
{
	unsigned char	key[TOTP_SECRET_B32_MAX];
	size_t		keylen;
	int		ok;

	out[0] = '\0';
	if ((keylen = secret_decode(secret, key, sizeof(key))) == 0)
		return (0);
	ok = totp_generate_raw(key, keylen, t, TOTP_DIGITS, out);
	explicit_bzero(key, sizeof(key));
	return (ok);
}

/* liboath's comparison callback: 0 when equal, in constant time. */
static int
code_cmp(void *handle, const char *candidate)
{
	const char	*typed = handle;
	unsigned char	 diff;
	size_t		 i;

	diff = 0;
	for (i = 0; i < TOTP_DIGITS; i++)
		diff |= (unsigned char)(typed[i] ^ candidate[i]);
	return (diff != 0);
}

/*
 * Is code the secret's code at now, or one step either side?  Answers
 * the time step (seconds since the epoch / 30) that matched, or -1.
 */
long long
totp_verify(const char *secret, time_t now, const char *code)
{
	unsigned char	key[TOTP_SECRET_B32_MAX];
	char		typed[TOTP_DIGITS + 1];
	uint64_t	step;
	size_t		keylen;
	int		pos, rc;

	if (!totp_looks_like_code(code))
		return (-1);
	if ((keylen = secret_decode(secret, key, sizeof(key))) == 0)
		return (-1);
	memcpy(typed, code, sizeof(typed));
	step = 0;
	rc = oath_totp_validate3_callback((const char *)key, keylen, now,
	    TOTP_STEP, 0, TOTP_DIGITS, 1, &pos, &step, code_cmp, typed);
	explicit_bzero(key, sizeof(key));
	if (rc < 0 || step > (uint64_t)INT64_MAX)
		return (-1);
	return ((long long)step);
}

/* Percent-encodes s (RFC 3986 unreserved kept); 0 if out is too short. */
static int
uri_part(const char *s, char *out, size_t len)
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		c;
	size_t			o;

	for (o = 0; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			if (o + 1 >= len)
				return (0);
			out[o++] = (char)c;
			continue;
		}
		if (o + 3 >= len)
			return (0);
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 0x0f];
	}
	out[o] = '\0';
	return (1);
}

/*
 * The otpauth:// URI of Google Authenticator's Key Uri Format, which
 * every app reads (from a QR code, or pasted): the label "issuer:
 * account", and the parameters spelled out.
 */
int
totp_uri(const char *issuer, const char *account, const char *secret,
    char *out, size_t len)
{
	char	iss[128], acc[128];
	int	n;

	if (!uri_part(issuer, iss, sizeof(iss)) ||
	    !uri_part(account, acc, sizeof(acc)))
		return (0);
	n = snprintf(out, len, "otpauth://totp/%s:%s?secret=%s&issuer=%s"
	    "&algorithm=SHA1&digits=%d&period=%d", iss, acc, secret, iss,
	    TOTP_DIGITS, TOTP_STEP);
	return (n > 0 && (size_t)n < len);
}

/*
 * A recovery code: ten characters of the base32 alphabet (50 random
 * bits, one byte each: 256 is a multiple of 32, so no bias), written in
 * two groups of five.
 */
int
totp_recovery_new(char out[TOTP_RECOVERY_LEN + 1])
{
	unsigned char	r[10];
	size_t		i, o;

	out[0] = '\0';
	if (RAND_bytes(r, sizeof(r)) != 1)
		return (0);
	for (i = 0, o = 0; i < sizeof(r); i++) {
		if (i == 5)
			out[o++] = '-';
		out[o++] = b32[r[i] & 31];
	}
	out[o] = '\0';
	explicit_bzero(r, sizeof(r));
	return (1);
}

/*
 * What a user typed as a code, normalised: spaces and hyphens dropped
 * (apps show "123 456", recovery codes are written "abcde-fghij"),
 * letters in lower case.  0 for anything else, or nothing.
 */
int
totp_normalize(const char *in, char out[TOTP_INPUT_MAX + 1])
{
	unsigned char	c;
	size_t		o;

	out[0] = '\0';
	if (in == NULL)
		return (0);
	for (o = 0; *in != '\0'; in++) {
		c = (unsigned char)*in;
		if (c == ' ' || c == '-')
			continue;
		if (!isascii(c) || !isalnum(c) || o >= TOTP_INPUT_MAX) {
			out[0] = '\0';
			return (0);
		}
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
	return (o > 0);
}

/* Six digits: a code from the app (anything else may be a recovery code). */
int
totp_looks_like_code(const char *s)
{
	size_t	i;

	if (s == NULL)
		return (0);
	for (i = 0; i < TOTP_DIGITS; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (s[TOTP_DIGITS] == '\0');
}
