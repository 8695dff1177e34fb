#include <string.h>

#include "query.h"
#include "sbuf.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decodes s[0..len) into out; QUERY_BAD on bad escapes, text or size. */
static int
query_decode(const char *s, size_t len, char *out, size_t outlen)
{
	size_t		i, o, step;
	int		hi, lo;
	int32_t		cp;

	o = 0;
	for (i = 0; i < len; i++) {
		if (o + 1 >= outlen)
			return (QUERY_BAD);
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= len || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return (QUERY_BAD);
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	for (i = 0; i < o; i += step) {
		step = sbuf_utf8_next(out + i, o - i, &cp);
		if (cp == SBUF_UTF8_BAD || cp < 0x20 || cp == 0x7f)
			return (QUERY_BAD);
	}
	return (QUERY_FOUND);
}

int
query_get(const char *qs, const char *name, char *out, size_t outlen)
{
	const char	*p, *amp, *eq;
	size_t		 nlen, klen;

	if (qs == NULL || outlen == 0)
		return (QUERY_ABSENT);
	nlen = strlen(name);
	for (p = qs; *p != '\0'; p = amp + 1) {
		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		klen = eq != NULL ? (size_t)(eq - p) : (size_t)(amp - p);
		if (klen == nlen && strncmp(p, name, nlen) == 0) {
			if (eq == NULL)
				return (query_decode("", 0, out, outlen));
			return (query_decode(eq + 1, (size_t)(amp - eq - 1),
			    out, outlen));
		}
		if (*amp == '\0')
			break;
	}
	return (QUERY_ABSENT);
}
