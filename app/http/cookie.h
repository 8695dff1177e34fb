/*
 * The session cookie (cookie.c): the browser's copy of the token.
 */
#ifndef MEDEX_COOKIE_H
#define MEDEX_COOKIE_H

#include "medex.h"

/* The cookie's value into out: 1, or 0 when absent or too long. */
int	cookie_get(struct http_request *, char *, size_t);
/* Set-Cookie with this token for maxage seconds ("", 0: removes it). */
void	cookie_set(struct http_request *, const char *, long long);
/* Another of medex's cookies (the single sign-on's): name, value,
 * max-age, SameSite, Path. */
int	cookie_get_named(struct http_request *, const char *, char *,
	    size_t);
void	cookie_set_named(struct http_request *, const char *, const char *,
	    long long, const char *, const char *);

#endif
