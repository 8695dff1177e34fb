/*
 * Who is calling (auth.c): the keys the tokens are checked with, the
 * token from the header or the cookie checked in C, and the refusal
 * (401, written to the security log).
 */
#ifndef MEDEX_AUTH_H
#define MEDEX_AUTH_H

#include "medex.h"

/* The keys: the signing key, and older ones that still verify. */
extern struct token_ring	*medex_ring;
void	 auth_load_keys(const struct config *);
char	*auth_read_pem(const char *, size_t *);
int	 auth_add_verify_key(const char *, const char *, size_t);

/* trusted_proxies of medex.ini: whose X-Real-IP is believed. */
void	 auth_load_trusted_proxies(const struct config *);
/* The client: the peer, or a trusted proxy's X-Real-IP. */
void	 auth_client_address(struct http_request *, char *, size_t);
/* Seconds a new token lives: token_lifetime, within session_max. */
long long auth_token_lifetime(long long, long long);
/* Fills mr->claims from a valid token: 1, or 0 with mr->auth_reason. */
int	 auth_verify(struct http_request *, struct medex_req *);
/* 401 (a page goes to /login), after the security log. */
int	 auth_refuse(struct http_request *, struct medex_req *);
void	 auth_refused_body(struct http_request *, struct medex_req *);

#endif
