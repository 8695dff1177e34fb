/*
 * Single sign-on through an OpenID Connect provider (issue 24): what
 * sso.c (the routes) gives the sign-in and sign-out pages.
 */
#ifndef MEDEX_SSO_H
#define MEDEX_SSO_H

#include "sso_provider.h"

/* The medex_sso cookie: this browser's session came by single sign-on. */
struct http_request;
int	sso_session_cookie(struct http_request *);
void	sso_session_cookie_clear(struct http_request *);

/* The sign-out page's link to the provider's end-session page, or NULL. */
const char	*sso_end_session_url(void);

#endif
