/*
 * The second factor: time-based one-time passwords (RFC 6238, HMAC-SHA-1,
 * 6 digits, 30-second steps, the parameters every authenticator app
 * assumes), base32 secrets, the otpauth:// URI authenticator apps read,
 * and recovery codes.  Codes are computed by liboath (OATH Toolkit).
 *
 * Pure C, no Kore.  Functions returning int return 1 on success and 0
 * on failure unless stated otherwise.
 */
#ifndef MEDEX_TOTP_H
#define MEDEX_TOTP_H

#include <stddef.h>
#include <time.h>

#define TOTP_STEP		30
#define TOTP_DIGITS		6
/* 160 bits: the HMAC-SHA-1 key length RFC 4226 recommends. */
#define TOTP_SECRET_BYTES	20
/* Its base32 form: 20 bytes are 32 characters, no padding. */
#define TOTP_SECRET_B32_LEN	32
/* A secret longer than this (base32) is refused before decoding. */
#define TOTP_SECRET_B32_MAX	128

/* Recovery codes: "xxxxx-xxxxx" from the base32 alphabet, 50 bits. */
#define TOTP_RECOVERY_COUNT	10
#define TOTP_RECOVERY_LEN	11

/* What a user typed, normalised: at most this many characters. */
#define TOTP_INPUT_MAX		32

#define TOTP_URI_MAX		512

int	totp_init(void);
int	totp_secret_new(char [TOTP_SECRET_B32_LEN + 1]);
int	totp_generate_raw(const unsigned char *, size_t, time_t, unsigned,
	    char *);
int	totp_generate(const char *, time_t, char [TOTP_DIGITS + 1]);
long long totp_verify(const char *, time_t, const char *);
int	totp_uri(const char *, const char *, const char *, char *, size_t);
int	totp_recovery_new(char [TOTP_RECOVERY_LEN + 1]);
int	totp_normalize(const char *, char [TOTP_INPUT_MAX + 1]);
int	totp_looks_like_code(const char *);

#endif
