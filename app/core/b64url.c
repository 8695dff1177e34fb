/*
 * Strict base64url without padding (RFC 7515 section 2), for the
 * segments of a JSON Web Token and the coordinates of a JWK.
 */

#include <stdint.h>
#include <stdlib.h>

#include "b64url.h"

static int	b64url_value(unsigned char);

static int
b64url_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return (ch - 'A');
	if (ch >= 'a' && ch <= 'z')
		return (ch - 'a' + 26);
	if (ch >= '0' && ch <= '9')
		return (ch - '0' + 52);
	if (ch == '-')
		return (62);
	if (ch == '_')
		return (63);

	return (-1);
}

/*
 * Strict base64url without padding (RFC 7515 section 2): any other
 * character, a dangling sixth bit group or non-zero spare bits is an
 * error, so each byte string has exactly one accepted encoding. *out
 * gets a NUL after the data for callers that want a C string.
 */
int
b64url_decode(const char *in, size_t inlen, unsigned char **out,
    size_t *outlen)
{
	unsigned char	*buf;
	uint32_t	acc;
	size_t		i, o;
	int		v, bits, ret;

	ret = 0;
	buf = NULL;
	*out = NULL;
	*outlen = 0;

	if (inlen % 4 == 1)
		goto cleanup;

	if ((buf = malloc(inlen / 4 * 3 + 3)) == NULL)
		goto cleanup;

	acc = 0;
	bits = 0;
	o = 0;
	for (i = 0; i < inlen; i++) {
		if ((v = b64url_value((unsigned char)in[i])) == -1)
			goto cleanup;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	if (acc != 0)
		goto cleanup;

	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	buf = NULL;
	ret = 1;

cleanup:
	free(buf);

	return (ret);
}

int
b64url_encode(const unsigned char *in, size_t len, char *out, size_t size)
{
	static const char	tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint32_t		acc;
	size_t			i, o;
	int			bits;

	if (size < (len * 4 + 2) / 3 + 1)
		return (0);

	acc = 0;
	bits = 0;
	o = 0;
	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = tab[(acc >> bits) & 0x3f];
		}
		acc &= (1U << bits) - 1;
	}
	if (bits > 0)
		out[o++] = tab[(acc << (6 - bits)) & 0x3f];
	out[o] = '\0';

	return (1);
}
