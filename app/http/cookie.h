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

#endif
