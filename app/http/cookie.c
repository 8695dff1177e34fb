/*
 * The session cookie, medex_session: read by exact name (Kore's lookup
 * matches by prefix) and written by hand (Kore's helper cannot set
 * SameSite), both here so that the name and attributes live in one
 * place.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "medex.h"
#include "cookie.h"

#define COOKIE_NAME	"medex_session"

/* The medex_session cookie's value, matched by exact name. */
int
cookie_get(struct http_request *req, char *out, size_t len)
{
	return (cookie_get_named(req, COOKIE_NAME, out, len));
}

/* A cookie's value, matched by exact name. */
int
cookie_get_named(struct http_request *req, const char *name, char *out,
    size_t len)
{
	const char	*h, *p, *end;
	size_t		 n, nlen;

	if (!http_request_header(req, "cookie", &h))
		return (0);
	for (p = h; *p != '\0'; p = end) {
		while (*p == ' ' || *p == ';')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		nlen = strlen(name);
		if (strncmp(p, name, nlen) != 0 || p[nlen] != '=')
			continue;
		p += nlen + 1;
		n = (size_t)(end - p);
		if (n == 0 || n >= len)
			return (0);
		memcpy(out, p, n);
		out[n] = '\0';
		return (1);
	}
	return (0);
}

/* Set-Cookie written by hand: Kore's helper cannot set SameSite. */
void
cookie_set(struct http_request *req, const char *token, long long maxage)
{
	cookie_set_named(req, COOKIE_NAME, token, maxage, "Strict", "/");
}

/*
 * Any of medex's cookies: HttpOnly, Secure behind TLS.  samesite
 * "Lax" is for the single sign-on's state, which must come back with
 * the provider's (cross-site) redirect.
 */
void
cookie_set_named(struct http_request *req, const char *name,
    const char *value, long long maxage, const char *samesite,
    const char *path)
{
	char		 buf[TOKEN_MAX_LEN + 256];
	const char	*proto;
	int		 secure;

	secure = http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcasecmp(proto, "https") == 0;
	snprintf(buf, sizeof(buf), "%s=%s; HttpOnly; SameSite=%s; "
	    "Path=%s; Max-Age=%lld%s", name, value, samesite, path, maxage,
	    secure ? "; Secure" : "");
	http_response_header(req, "set-cookie", buf);
	explicit_bzero(buf, sizeof(buf));
}
