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
	const char	*h, *p, *end;
	size_t		 n;

	if (!http_request_header(req, "cookie", &h))
		return (0);
	for (p = h; *p != '\0'; p = end) {
		while (*p == ' ' || *p == ';')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		if (strncmp(p, COOKIE_NAME "=", sizeof(COOKIE_NAME)) != 0)
			continue;
		p += sizeof(COOKIE_NAME);
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
	char		 buf[TOKEN_MAX_LEN + 256];
	const char	*proto;
	int		 secure;

	secure = http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcasecmp(proto, "https") == 0;
	snprintf(buf, sizeof(buf), "%s=%s; HttpOnly; SameSite=Strict; "
	    "Path=/; Max-Age=%lld%s", COOKIE_NAME, token, maxage,
	    secure ? "; Secure" : "");
	http_response_header(req, "set-cookie", buf);
	explicit_bzero(buf, sizeof(buf));
}
