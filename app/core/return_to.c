/*
 * The return-to path of the sign-in page (return_to.h).  A whitelist of
 * characters rather than a list of bad ones: a path starts with one "/",
 * and then holds only printable ASCII other than "\\".  With no "//" at
 * the start and no scheme (a scheme needs its first character to be a
 * letter, and ours is "/"), the browser cannot read it as another host.
 */
#include <string.h>

#include "return_to.h"

int
return_to_valid(const char *s)
{
	size_t	i, n;

	if (s == NULL)
		return (0);
	n = strlen(s);
	if (n < 1 || n > RETURN_TO_MAX || s[0] != '/')
		return (0);
	if (n > 1 && (s[1] == '/' || s[1] == '\\'))
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '\\')
			return (0);
	}
	/* Back to the sign-in page itself would be a loop. */
	if (strncmp(s, "/login", 6) == 0 && (s[6] == '\0' || s[6] == '?' ||
	    s[6] == '/'))
		return (0);
	return (1);
}

int
return_to_encode(const char *s, char *out, size_t len)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i, o;
	unsigned char		c;

	if (!return_to_valid(s) || len == 0)
		return (0);
	o = 0;
	for (i = 0; s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			if (o + 1 >= len)
				return (0);
			out[o++] = (char)c;
		} else {
			if (o + 3 >= len)
				return (0);
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		}
	}
	out[o] = '\0';
	return (1);
}
