/*
 * Who is calling: the token from `Authorization: Bearer` or the
 * medex_session cookie, checked in C (signature, algorithm, claims; see
 * app/core/token.c), then against its session in the same SQL call as
 * the work itself (auth_check in sql/auth.sql).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "medex.h"
#include "api.h"
#include "auth.h"
#include "cookie.h"
#include "db_async.h"
#include "json_writer.h"
#include "page_frame.h"
#include "token_cache.h"

struct token_ring	*medex_ring;

/* This worker's verified tokens (token_cache.h); NULL when turned off. */
static struct token_cache	*verified;

static const char sql_token_refused[] =
    "SELECT 401, NULL, NULL, NULL FROM token_refused_log(NULL, NULL, "
    "$1, $2)";

/*
 * The proxies whose X-Real-IP is believed (trusted_proxies in medex.ini,
 * from MEDEX_TRUSTED_PROXIES): numeric addresses only.
 */
#define TRUSTED_PROXIES_MAX	16
struct proxy_addr {
	int		family;
	unsigned char	addr[16];
};
static struct proxy_addr	trusted[TRUSTED_PROXIES_MAX];
static size_t			ntrusted;

static int
addr_parse(const char *s, struct proxy_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = AF_INET;
		return (1);
	}
	if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = AF_INET6;
		return (1);
	}
	return (0);
}

void
auth_load_trusted_proxies(const struct config *cfg)
{
	const char	*list;
	char		*copy, *item, *next, *end;

	ntrusted = 0;
	if ((list = config_get(cfg, "trusted_proxies")) == NULL ||
	    *list == '\0')
		return;
	copy = kore_strdup(list);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*item == '\0')
			continue;
		if (ntrusted == TRUSTED_PROXIES_MAX)
			fatal("medex: more than %d trusted_proxies",
			    TRUSTED_PROXIES_MAX);
		if (!addr_parse(item, &trusted[ntrusted]))
			fatal("medex: trusted_proxies: '%s' is not an IP "
			    "address", item);
		ntrusted++;
	}
	kore_free(copy);
}

/*
 * A new token's lifetime in seconds: the configured lifetime, cut so
 * that it ends no later than session_max seconds after the password
 * check (auth_time); at least 1.
 */
long long
auth_token_lifetime(long long now, long long auth_time)
{
	long long	left;

	left = auth_time + medex.session_max - now;
	if (left > medex.token_lifetime)
		left = medex.token_lifetime;
	return (left < 1 ? 1 : left);
}

/* Loads the signing key and the older keys that still verify. */
void
auth_load_keys(const struct config *cfg)
{
	const char	*path, *kid, *list;
	char		*copy, *item, *next, *colon, *pem;
	size_t		 len;

	if ((medex_ring = token_ring_new()) == NULL)
		fatal("medex: cannot allocate the key ring");
	/* Older keys first: the signing key is set last and wins. */
	if ((list = config_get(cfg, "jwt_verify_keys")) != NULL &&
	    *list != '\0') {
		copy = kore_strdup(list);
		for (item = copy; item != NULL; item = next) {
			if ((next = strchr(item, ',')) != NULL)
				*next++ = '\0';
			if ((colon = strchr(item, ':')) == NULL)
				fatal("medex: jwt_verify_keys wants kid:path");
			*colon = '\0';
			if ((pem = auth_read_pem(colon + 1, &len)) == NULL)
				fatal("medex: cannot read a verify key");
			if (!auth_add_verify_key(item, pem, len))
				fatal("medex: verify key %s refused", item);
			explicit_bzero(pem, len);
			kore_free(pem);
		}
		kore_free(copy);
	}
	if ((path = config_get(cfg, "jwt_sign_key")) == NULL ||
	    (kid = config_get(cfg, "jwt_sign_kid")) == NULL)
		fatal("medex: medex.ini has no jwt_sign_key/jwt_sign_kid");
	if ((pem = auth_read_pem(path, &len)) == NULL)
		fatal("medex: cannot read the signing key");
	if (!token_ring_set_signing_key(medex_ring, kid, pem, len))
		fatal("medex: the signing key was refused");
	explicit_bzero(pem, len);
	kore_free(pem);
}

char *
auth_read_pem(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	buf = kore_calloc(1, 16384);
	n = fread(buf, 1, 16383, fp);
	fclose(fp);
	if (n == 0) {
		kore_free(buf);
		return (NULL);
	}
	*len = n;
	return (buf);
}

/*
 * The token's claims and the session's CSRF token (for the forms of a
 * page): from this worker's cache when the same token verified before
 * and is still within its times, else verified and then kept.
 */
static enum token_result
auth_token_check(const char *token, struct medex_req *mr)
{
	enum token_result	r;
	long long		now;

	now = (long long)time(NULL);
	if (medex.token_cache && verified == NULL)
		verified = token_cache_new();
	if (token_cache_get(verified, token, now, AUTH_SKEW_SECONDS,
	    &mr->claims, mr->page_csrf))
		return (TOKEN_OK);
	r = token_verify(medex_ring, token, medex.issuer, "medex", now,
	    AUTH_SKEW_SECONDS, &mr->claims);
	if (r != TOKEN_OK)
		return (r);
	(void)token_csrf_hex(token, mr->page_csrf);
	token_cache_put(verified, token, &mr->claims, mr->page_csrf);
	return (TOKEN_OK);
}

int
auth_add_verify_key(const char *kid, const char *pem, size_t len)
{
	EVP_PKEY	*k;
	BIO		*in, *out;
	char		*pub;
	long		 publen;
	int		 ok;

	/* The file holds a private key; the ring wants its public half. */
	ok = 0;
	in = BIO_new_mem_buf(pem, (int)len);
	out = BIO_new(BIO_s_mem());
	k = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
	if (k != NULL && PEM_write_bio_PUBKEY(out, k) == 1) {
		publen = BIO_get_mem_data(out, &pub);
		ok = token_ring_add_public_key(medex_ring, kid, pub,
		    (size_t)publen);
	}
	EVP_PKEY_free(k);
	BIO_free(in);
	BIO_free(out);
	return (ok);
}

/*
 * The client's address: the TCP peer, or, when that peer is one of the
 * trusted proxies (nginx), the X-Real-IP it set from its own peer
 * ($remote_addr).  Anyone else's X-Real-IP is ignored, and so is one
 * that is not a plain IP address.  Used for the login throttle and the
 * security log.
 */
void
auth_client_address(struct http_request *req, char *out, size_t len)
{
	struct connection	*c = req->owner;
	struct proxy_addr	 peer, real;
	const char		*h;
	size_t			 i;

	memset(&peer, 0, sizeof(peer));
	peer.family = c->family;
	if (c->family == AF_INET6) {
		memcpy(peer.addr, &c->addr.ipv6.sin6_addr, 16);
		inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, out, len);
	} else {
		memcpy(peer.addr, &c->addr.ipv4.sin_addr, 4);
		inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, out, len);
	}
	for (i = 0; i < ntrusted; i++) {
		if (trusted[i].family == peer.family &&
		    memcmp(trusted[i].addr, peer.addr, 16) == 0)
			break;
	}
	if (i == ntrusted || !http_request_header(req, "x-real-ip", &h) ||
	    strlen(h) >= INET6_ADDRSTRLEN || !addr_parse(h, &real))
		return;
	/* Written back from the parsed form: one spelling per address. */
	inet_ntop(real.family, real.addr, out, len);
}

/*
 * Fills mr->claims from a valid token.  Returns 1, or 0 with a short
 * reason (for the security log) in mr->auth_reason.
 */
int
auth_verify(struct http_request *req, struct medex_req *mr)
{
	const char		*h, *x;
	static char		 token[TOKEN_MAX_LEN + 2];
	enum token_result	 r;
	int			 unsafe;

	mr->from_cookie = 0;
	if (http_request_header(req, "authorization", &h)) {
		if (strncasecmp(h, "Bearer ", 7) != 0) {
			mr->auth_reason = "not a bearer token";
			return (0);
		}
		if (strlen(h + 7) > TOKEN_MAX_LEN) {
			mr->auth_reason = token_result_str(TOKEN_TOO_LONG);
			return (0);
		}
		kore_strlcpy(token, h + 7, sizeof(token));
	} else if (cookie_get(req, token, sizeof(token))) {
		mr->from_cookie = 1;
	} else {
		mr->auth_reason = "no token";
		return (0);
	}
	r = auth_token_check(token, mr);
	explicit_bzero(token, sizeof(token));
	if (r != TOKEN_OK) {
		mr->auth_reason = token_result_str(r);
		return (0);
	}
	/* Cookies need the CSRF token on unsafe methods; bearers do not. */
	unsafe = req->method == HTTP_METHOD_POST ||
	    req->method == HTTP_METHOD_PUT ||
	    req->method == HTTP_METHOD_PATCH ||
	    req->method == HTTP_METHOD_DELETE;
	mr->csrf = NULL;
	if (mr->from_cookie && unsafe) {
		if (http_request_header(req, "x-csrf-token", &x))
			kore_strlcpy(mr->csrf_buf, x, sizeof(mr->csrf_buf));
		else if (mr->form_csrf[0] != '\0')
			kore_strlcpy(mr->csrf_buf, mr->form_csrf,
			    sizeof(mr->csrf_buf));
		else
			mr->csrf_buf[0] = '\0';
		mr->csrf = mr->csrf_buf;
	}
	return (1);
}

/* 401, after writing the refusal to the security audit. */
int
auth_refuse(struct http_request *req, struct medex_req *mr)
{
	const char	*params[2];

	params[0] = mr->address;
	params[1] = mr->auth_reason;
	mr->on_api_result = mr->is_page ? pages_refused : auth_refused_body;
	return (db_call(req, mr, sql_token_refused, 2, params,
	    api_result_cb));
}

void
auth_refused_body(struct http_request *req, struct medex_req *mr)
{
	(void)req;
	sbuf_reset(&mr->body);
	mr->status = 401;
	mr->content_type = "application/json; charset=utf-8";
	json_error_body(&mr->body, "unauthenticated",
	    "Sign in first: the token is missing, invalid or expired.",
	    NULL, 0);
}
