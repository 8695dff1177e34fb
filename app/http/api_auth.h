/*
 * The login steps of api_auth.c, which the sign-in page runs too and
 * only answers differently (pages/account.c).
 */
#ifndef MEDEX_API_AUTH_H
#define MEDEX_API_AUTH_H

#include "medex.h"

/*
 * Checks username, password and the second factor's code (NULL or ""
 * when none); done (or the API's answer) after.
 */
int	auth_login_start(struct http_request *, struct medex_req *,
	    const char *, const char *, const char *, api_after_cb);

#endif
