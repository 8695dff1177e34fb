/*
 * Where sign-in sends the user afterwards (return_to.c): the page they
 * asked for before /login, but only a path of this site.  Anything with
 * a scheme, a host ("//evil.example"), a backslash (browsers read "/\"
 * as "//"), control characters, spaces or bytes outside ASCII is refused
 * and the caller uses the start page.
 */
#ifndef MEDEX_RETURN_TO_H
#define MEDEX_RETURN_TO_H

#include <stddef.h>

#define RETURN_TO_MAX	512

/* 1 if s may be redirected to after sign-in, else 0. */
int	return_to_valid(const char *);
/*
 * Percent-encodes s as a query value into out ("/cases/1?x=1" becomes
 * "%2Fcases%2F1%3Fx%3D1"); 0 when s is not valid or out is too small.
 */
int	return_to_encode(const char *, char *, size_t);

#endif
