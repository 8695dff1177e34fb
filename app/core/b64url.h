/*
 * Strict base64url without padding (b64url.c): each byte string has
 * exactly one accepted encoding.
 */
#ifndef MEDEX_B64URL_H
#define MEDEX_B64URL_H

#include <stddef.h>

/*
 * Decodes inlen characters into *out (malloc'd, NUL after the data;
 * free() it) and *outlen: 1, or 0 on anything but the one encoding.
 */
int	b64url_decode(const char *, size_t, unsigned char **, size_t *);
/* Encodes len bytes into out (size with its NUL): 1, or 0 if short. */
int	b64url_encode(const unsigned char *, size_t, char *, size_t);

#endif
