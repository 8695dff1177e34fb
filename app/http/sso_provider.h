/*
 * The single sign-on's provider (sso_provider.c): the instance's
 * settings, what the discovery document says, and the calls to the
 * provider, made in Kore task threads.
 */
#ifndef MEDEX_SSO_PROVIDER_H
#define MEDEX_SSO_PROVIDER_H

#include <time.h>

#include "config.h"
#include "oidc.h"

#define SSO_HTTP_TIMEOUT_MS	4000	/* the sign-in page says so in 5 s */
#define SSO_URL_MAX		512

/* The instance's settings (medex.ini sso_*); on: single sign-on is set. */
struct sso_config {
	int	on;
	char	issuer[SSO_URL_MAX];
	char	discovery[SSO_URL_MAX];
	char	client_id[256];
	char	client_secret[256];
	int	private_key_jwt;
	char	client_key_path[512];
	char	client_key_alg[16];
	char	client_key_kid[128];	/* its kid at the provider, or "" */
	char	redirect_uri[SSO_URL_MAX];
	char	post_logout_uri[SSO_URL_MAX];
	char	alg[16];
	char	scope[128];
	char	label[128];
	char	acr_levels_text[512];
	char	acr_min[100];
	char	client_jwks[4096];	/* its public half, or "" */
};

/* What the discovery document says (a worker's copy, or a task's). */
struct sso_provider {
	char	authorize[SSO_URL_MAX];
	char	token[SSO_URL_MAX];
	char	jwks_uri[SSO_URL_MAX];
	char	end_session[SSO_URL_MAX];	/* "" when it has none */
	time_t	fetched;			/* 0: not yet */
};

extern struct sso_config	sso;

void	sso_configure(const struct config *);
void	sso_expect(struct oidc_expect *, char *, size_t, const char *);
/* In task threads only: */
int	sso_discover(struct sso_provider *);
int	sso_fetch_jwks(const struct sso_provider *, char **);
int	sso_token_request(const struct sso_provider *, const char *,
	    const char *, char **, char *, size_t);

#endif
