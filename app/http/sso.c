/*
 * GET /auth/sso/start     sends the browser to the provider (code flow,
 *                         PKCE S256, state and nonce); ?next= is the
 *                         page to come back to
 * GET /auth/sso/callback  the provider's answer: the code for tokens,
 *                         the ID token checked, the medex user found,
 *                         a session as a password sign-in makes
 *
 * docs/operations.md "Single sign-on" says how an instance is set up
 * and what each refusal means.  The state travels in the redirect and in
 * a cookie of this browser (SameSite=Lax: it must come back with the
 * provider's cross-site redirect), so that nobody can finish a sign-in
 * that another browser started (login CSRF); the database keeps only
 * its hash, with the nonce and the PKCE verifier, taken once.
 *
 * The provider is asked in Kore task threads (sso_provider.c), each
 * with its own copy of what the worker knows; the worker keeps the
 * discovery document and the key set they bring back.  The start always
 * asks for the discovery document afresh: so a provider that is down is
 * said on the sign-in page at once (within SSO_HTTP_TIMEOUT_MS), not at
 * the provider's address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/sha.h>

#include "medex.h"
#include "api.h"
#include "auth.h"
#include "cookie.h"
#include "db_async.h"
#include "handlers.h"
#include "html_writer.h"
#include "oidc.h"
#include "page.h"
#include "page_frame.h"
#include "query.h"
#include "respond.h"
#include "return_to.h"
#include "sso.h"
#include "token.h"

#define STATE_COOKIE	"medex_sso_state"
#define METHOD_COOKIE	"medex_sso"	/* the session came by sso */
#define STATE_HEX	64

static const char sql_begin[] = "SELECT sso_begin($1, $2, $3, $4, $5)";
static const char sql_take[] =
    "SELECT refusal, nonce, code_verifier, return_to FROM sso_take($1, $2)";
static const char sql_refused[] = "SELECT sso_refused_log($1, $2, $3)";
static const char sql_user[] =
    "SELECT refusal, user_id, username, role, office FROM "
    "sso_user($1, $2, $3::boolean, $4, $5::text[], $6)";
static const char sql_session[] =
    "SELECT * FROM sso_session($1::bigint, $2, $3, $4, $5::bigint, $6, "
    "$7::integer, $8::bigint, $9)";

/* What this worker knows of the provider (filled by the tasks). */
static struct sso_provider	provider;
static char			*provider_jwks;

struct sso_step {
	struct kore_task	 task;		/* first: the task entry casts */
	int			 task_started;
	struct sso_provider	 prov;		/* the task's copy */
	char			*jwks;		/* the task's copy, malloc'd */
	int			 jwks_new;	/* fetched by the task */
	int			 ok;

	char			 state[STATE_HEX + 1];
	char			 state_hash[SHA256_DIGEST_LENGTH * 2 + 1];
	char			 nonce[65];
	char			 verifier[65];
	char			 next[RETURN_TO_MAX + 1];
	char			 code[1024];

	char			 why[64];	/* the log's reason */
	const char		*words;		/* the page's */
	struct oidc_identity	 id;

	char			 user_id[24];
	struct token_claims	 claims;
	char			*token;
	char			 csrf[65];
};

static void
step_free(void *arg)
{
	struct sso_step	*s = arg;

	if (s->task_started)
		kore_task_destroy(&s->task);
	free(s->jwks);
	if (s->token != NULL) {
		explicit_bzero(s->token, strlen(s->token));
		free(s->token);
	}
	explicit_bzero(s, sizeof(*s));
	kore_free(s);
}

static struct sso_step *
step_new(struct medex_req *mr)
{
	struct sso_step	*s;

	s = kore_calloc(1, sizeof(*s));
	mr->step_data = s;
	mr->step_free = step_free;
	return (s);
}

static void
sha256_hex(const char *in, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		md[SHA256_DIGEST_LENGTH];
	size_t			i;

	SHA256((const unsigned char *)in, strlen(in), md);
	for (i = 0; i < sizeof(md); i++) {
		out[i * 2] = hex[md[i] >> 4];
		out[i * 2 + 1] = hex[md[i] & 0x0f];
	}
	out[sizeof(md) * 2] = '\0';
}

/* The page of a refused or failed sign-in, in words. */
static int
refused_page(struct http_request *req, struct medex_req *mr, int status,
    const char *words)
{
	cookie_set_named(req, STATE_COOKIE, "", 0, "Lax", "/auth/sso/");
	sbuf_reset(&mr->body);
	page_begin(&mr->body, "Single sign-on did not work", 0, NULL,
	    NAV_NONE);
	page_h1(&mr->body, NULL, "You are not signed in");
	page_p(&mr->body, words);
	html_raw(&mr->body, "<p><a class=\"nhsuk-link\" href=\"/login\">"
	    "Back to the sign-in page</a></p>");
	page_end(&mr->body);
	return (medex_respond(req, mr, status, HTML_TYPE, mr->body.data,
	    mr->body.len));
}

/* The sign-in page again, saying that the provider did not answer. */
static int
provider_down_page(struct http_request *req, struct medex_req *mr,
    const char *next)
{
	char	msg[512];

	snprintf(msg, sizeof(msg), "Signing in with %s is not working at "
	    "the moment (the identity provider is not answering). Try again "
	    "in a few minutes, or sign in with your password if your office "
	    "allows it", sso.label);
	pages_login_body(mr, NULL, next, "sso", msg);
	return (medex_respond(req, mr, 503, HTML_TYPE, mr->body.data,
	    mr->body.len));
}

/*
 * A refusal found here (not in the database): its security_events row,
 * then its page.
 */
static int
refuse(struct http_request *req, struct medex_req *mr, const char *why,
    const char *subject, int status, const char *words);

static int
refused_logged(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;

	return (refused_page(req, mr, mr->status != 0 ? mr->status : 401,
	    s->words));
}

static void
ignore_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	(void)req;
	(void)mr;
	(void)sql;
}

static int
refuse(struct http_request *req, struct medex_req *mr, const char *why,
    const char *subject, int status, const char *words)
{
	struct sso_step	*s = mr->step_data;
	const char	*params[3];

	s->words = words;
	mr->status = status;
	params[0] = why;
	params[1] = subject;
	params[2] = mr->address;
	mr->on_complete = refused_logged;
	return (db_call(req, mr, sql_refused, 3, params, ignore_cb));
}

/* --- GET /auth/sso/start --- */

static int
discover_task(struct kore_task *t)
{
	struct sso_step	*s = (struct sso_step *)t;

	s->ok = sso_discover(&s->prov);
	return (KORE_RESULT_OK);
}

/* The redirect to the provider's authorization endpoint. */
static int
start_redirect(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;
	struct sbuf	 url;
	CURL		*c;
	char		 challenge[OIDC_PKCE_CHALLENGE_LEN + 1], *e;
	const char	*keys[] = { "response_type", "client_id",
	    "redirect_uri", "scope", "state", "nonce", "code_challenge",
	    "code_challenge_method", "acr_values" };
	const char	*vals[9];
	size_t		 i, n;
	int		 ret;

	if (!oidc_pkce_s256(s->verifier, challenge, sizeof(challenge)) ||
	    (c = curl_easy_init()) == NULL)
		return (refused_page(req, mr, 500, "The sign-in could not be "
		    "started."));
	vals[0] = "code";
	vals[1] = sso.client_id;
	vals[2] = sso.redirect_uri;
	vals[3] = sso.scope;
	vals[4] = s->state;
	vals[5] = s->nonce;
	vals[6] = challenge;
	vals[7] = "S256";
	vals[8] = sso.acr_min;
	n = sso.acr_min[0] != '\0' ? 9 : 8;
	sbuf_init(&url, 8192);
	sbuf_appends(&url, provider.authorize);
	for (i = 0; i < n; i++) {
		e = curl_easy_escape(c, vals[i], 0);
		sbuf_appendf(&url, "%s%s=%s", i == 0 ?
		    (strchr(provider.authorize, '?') ? "&" : "?") : "&",
		    keys[i], e != NULL ? e : "");
		curl_free(e);
	}
	curl_easy_cleanup(c);
	cookie_set_named(req, STATE_COOKIE, s->state, 600, "Lax",
	    "/auth/sso/");
	if (url.oom) {
		sbuf_free(&url);
		return (refused_page(req, mr, 500, "The sign-in could not be "
		    "started."));
	}
	pages_redirect(req, mr, url.data);
	ret = medex_respond(req, mr, mr->status, mr->content_type,
	    mr->body.data, mr->body.len);
	sbuf_free(&url);
	return (ret);
}

static int
start_discovered(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;
	const char	*params[5];

	if (kore_task_state(&s->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	if (!s->ok)
		return (provider_down_page(req, mr, s->next));
	/* A new endpoint or key set location: the keys are asked again. */
	if (strcmp(s->prov.jwks_uri, provider.jwks_uri) != 0) {
		free(provider_jwks);
		provider_jwks = NULL;
	}
	provider = s->prov;
	if (!token_random_hex(s->state, STATE_HEX / 2) ||
	    !token_random_hex(s->nonce, 16) ||
	    !token_random_hex(s->verifier, 32))
		return (refused_page(req, mr, 500, "The sign-in could not be "
		    "started."));
	sha256_hex(s->state, s->state_hash);
	params[0] = s->state_hash;
	params[1] = s->nonce;
	params[2] = s->verifier;
	params[3] = s->next[0] != '\0' ? s->next : NULL;
	params[4] = mr->address;
	mr->on_complete = start_redirect;
	return (db_call(req, mr, sql_begin, 5, params, ignore_cb));
}

int
pages_sso_start(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s;

	if (!sso.on)
		return (pages_error(req, mr, 404, NULL));
	s = step_new(mr);
	if (query_get(req->query_string, "next", s->next, sizeof(s->next)) !=
	    QUERY_FOUND || !return_to_valid(s->next))
		s->next[0] = '\0';
	s->prov = provider;
	kore_task_create(&s->task, discover_task);
	kore_task_bind_request(&s->task, req);
	s->task_started = 1;
	mr->step_task = &s->task;
	mr->resume = start_discovered;
	kore_task_run(&s->task);
	return (KORE_RESULT_RETRY);
}

/* --- GET /auth/sso/callback --- */

/*
 * In a task thread: the code for the ID token, the key set if this
 * worker has none (or again, once, for a kid it does not know), and the
 * checks of app/core/oidc.c.
 */
static int
callback_task(struct kore_task *t)
{
	struct sso_step		*s = (struct sso_step *)t;
	struct oidc_expect	 e;
	enum oidc_refusal	 r;
	char			 levels[512], *id_token;

	s->ok = 0;
	if (s->prov.fetched == 0 && !sso_discover(&s->prov)) {
		kore_strlcpy(s->why, "provider_unreachable", sizeof(s->why));
		return (KORE_RESULT_OK);
	}
	if (!sso_token_request(&s->prov, s->code, s->verifier, &id_token,
	    s->why, sizeof(s->why)))
		return (KORE_RESULT_OK);
	if (s->jwks == NULL) {
		s->jwks_new = sso_fetch_jwks(&s->prov, &s->jwks);
	}
	sso_expect(&e, levels, sizeof(levels), s->nonce);
	r = oidc_id_token_check(id_token, s->jwks, &e, time(NULL), &s->id);
	if (r == OIDC_UNKNOWN_KEY && !s->jwks_new) {
		free(s->jwks);
		s->jwks = NULL;
		s->jwks_new = sso_fetch_jwks(&s->prov, &s->jwks);
		r = oidc_id_token_check(id_token, s->jwks, &e, time(NULL),
		    &s->id);
	}
	explicit_bzero(id_token, strlen(id_token));
	free(id_token);
	if (r != OIDC_OK) {
		kore_strlcpy(s->why, oidc_refusal_code(r), sizeof(s->why));
		s->words = oidc_refusal_words(r);
		return (KORE_RESULT_OK);
	}
	s->ok = 1;
	return (KORE_RESULT_OK);
}

static void
session_done(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;
	const char	*where;

	if (mr->status != 200) {
		refused_page(req, mr, 401, "Your account is not (or no longer) "
		    "active in medex.");
		return;
	}
	cookie_set(req, s->token, s->claims.exp - s->claims.iat);
	cookie_set_named(req, METHOD_COOKIE, "1", s->claims.exp -
	    s->claims.iat, "Strict", "/");
	cookie_set_named(req, STATE_COOKIE, "", 0, "Lax", "/auth/sso/");
	/*
	 * A page rather than a redirect: the browser came here from the
	 * provider (cross-site), and a redirect would carry that on, so
	 * the first page would not get the SameSite=Strict session cookie.
	 * The page's own refresh is a same-site navigation.
	 */
	where = s->next[0] != '\0' ? s->next : "/";
	sbuf_reset(&mr->body);
	html_raw(&mr->body, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
	    "content=\"0;url=");
	html_text(&mr->body, where);
	html_raw(&mr->body, "\"><title>Signed in - medex</title></head>"
	    "<body><p>You are signed in. <a href=\"");
	html_text(&mr->body, where);
	html_raw(&mr->body, "\">Continue</a></p></body></html>\n");
	mr->status = 200;
	mr->content_type = HTML_TYPE;
}

/* The token of the user sso_user found, then the session. */
static int
user_found(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;
	const char	*params[9];
	char		 expires[24], lifetime[16], auth_time[24];
	time_t		 now;

	if (s->user_id[0] == '\0')
		return (refused_page(req, mr, 403, s->words));
	now = time(NULL);
	s->claims.iat = now;
	s->claims.nbf = now;
	s->claims.auth_time = s->id.auth_time > 0 &&
	    s->id.auth_time <= (long long)now ? s->id.auth_time : now;
	s->claims.exp = now + auth_token_lifetime(now, s->claims.auth_time);
	token_random_hex(s->claims.jti, 16);
	if (!token_issue(medex_ring, medex.issuer, "medex", &s->claims,
	    &s->token) || !token_csrf_hex(s->token, s->csrf))
		return (refused_page(req, mr, 500, "The session could not be "
		    "made."));
	snprintf(expires, sizeof(expires), "%lld", (long long)s->claims.exp);
	snprintf(lifetime, sizeof(lifetime), "%lld",
	    (long long)(s->claims.exp - now));
	snprintf(auth_time, sizeof(auth_time), "%lld",
	    (long long)s->claims.auth_time);
	params[0] = s->user_id;
	params[1] = mr->address;
	params[2] = s->claims.jti;
	params[3] = s->csrf;
	params[4] = expires;
	params[5] = s->token;
	params[6] = lifetime;
	params[7] = auth_time;
	params[8] = s->id.acr[0] != '\0' ? s->id.acr : NULL;
	mr->on_api_result = session_done;
	return (db_call(req, mr, sql_session, 9, params, api_result_cb));
}

static void
user_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct sso_step	*s = mr->step_data;
	const char	*refusal;

	(void)req;
	if (kore_pgsql_ntuples(sql) != 1)
		return;
	refusal = kore_pgsql_getvalue(sql, 0, 0);
	if (refusal != NULL && *refusal != '\0') {
		s->words = strcmp(refusal, "no_user") == 0 ?
		    "You signed in with your organisation account, but no "
		    "medex account is linked to it. Ask your office's medex "
		    "admin to add you." :
		    strcmp(refusal, "user_disabled") == 0 ?
		    "Your medex account is disabled. Ask your office's medex "
		    "admin if you need it again." :
		    oidc_refusal_words(OIDC_ACR);
		return;
	}
	kore_strlcpy(s->user_id, kore_pgsql_getvalue(sql, 0, 1),
	    sizeof(s->user_id));
	kore_strlcpy(s->claims.sub, kore_pgsql_getvalue(sql, 0, 2),
	    sizeof(s->claims.sub));
	kore_strlcpy(s->claims.role, kore_pgsql_getvalue(sql, 0, 3),
	    sizeof(s->claims.role));
	kore_strlcpy(s->claims.office, kore_pgsql_getvalue(sql, 0, 4),
	    sizeof(s->claims.office));
}

/* The instance's acr levels as a PostgreSQL array literal. */
static void
acr_array(char *out, size_t len)
{
	struct oidc_expect	e;
	char			levels[512];
	size_t			i, n;

	sso_expect(&e, levels, sizeof(levels), NULL);
	n = (size_t)snprintf(out, len, "{");
	for (i = 0; i < e.acr_nlevels && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s\"%s\"",
		    i > 0 ? "," : "", e.acr_levels[i]);
	if (n < len)
		snprintf(out + n, len - n, "}");
}

static int
callback_checked(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;
	const char	*params[6];
	static char	 levels[600];

	if (kore_task_state(&s->task) != KORE_TASK_STATE_FINISHED)
		return (KORE_RESULT_RETRY);
	if (s->prov.fetched != 0)
		provider = s->prov;
	if (s->jwks_new && s->jwks != NULL) {
		free(provider_jwks);
		provider_jwks = s->jwks;
		s->jwks = NULL;
	}
	if (!s->ok)
		return (refuse(req, mr, s->why, NULL,
		    strcmp(s->why, "provider_unreachable") == 0 ? 503 : 401,
		    s->words != NULL ? s->words :
		    strcmp(s->why, "provider_unreachable") == 0 ?
		    "The identity provider did not answer. Try again in a few "
		    "minutes." : "Your organisation's identity provider did "
		    "not confirm this sign-in (the code was refused or already "
		    "used). Start again from the sign-in page."));
	acr_array(levels, sizeof(levels));
	params[0] = s->id.sub;
	params[1] = s->id.email[0] != '\0' ? s->id.email : NULL;
	params[2] = s->id.email_verified ? "true" : "false";
	params[3] = s->id.acr[0] != '\0' ? s->id.acr : NULL;
	params[4] = levels;
	params[5] = mr->address;
	mr->on_complete = user_found;
	return (db_call(req, mr, sql_user, 6, params, user_cb));
}

static void
take_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct sso_step	*s = mr->step_data;
	const char	*v;

	(void)req;
	if (kore_pgsql_ntuples(sql) != 1)
		return;
	v = kore_pgsql_getvalue(sql, 0, 0);
	if (v != NULL && *v != '\0') {
		kore_strlcpy(s->why, v, sizeof(s->why));
		return;
	}
	kore_strlcpy(s->nonce, kore_pgsql_getvalue(sql, 0, 1),
	    sizeof(s->nonce));
	kore_strlcpy(s->verifier, kore_pgsql_getvalue(sql, 0, 2),
	    sizeof(s->verifier));
	v = kore_pgsql_getvalue(sql, 0, 3);
	kore_strlcpy(s->next, return_to_valid(v) ? v : "", sizeof(s->next));
	s->ok = 1;
}

static int
callback_taken(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s = mr->step_data;

	if (!s->ok)
		return (refused_page(req, mr, 400, "This sign-in has expired "
		    "or was already used. Start again from the sign-in page."));
	s->ok = 0;
	s->prov = provider;
	if (provider_jwks != NULL && (s->jwks = strdup(provider_jwks)) ==
	    NULL)
		return (refused_page(req, mr, 500, "The sign-in could not be "
		    "finished."));
	kore_task_create(&s->task, callback_task);
	kore_task_bind_request(&s->task, req);
	s->task_started = 1;
	mr->step_task = &s->task;
	mr->resume = callback_checked;
	kore_task_run(&s->task);
	return (KORE_RESULT_RETRY);
}

int
pages_sso_callback(struct http_request *req, struct medex_req *mr)
{
	struct sso_step	*s;
	char		 cookie[STATE_HEX + 1], err[64];
	const char	*params[2];

	if (!sso.on)
		return (pages_error(req, mr, 404, NULL));
	s = step_new(mr);
	if (query_get(req->query_string, "state", s->state,
	    sizeof(s->state)) != QUERY_FOUND ||
	    strlen(s->state) != STATE_HEX ||
	    !cookie_get_named(req, STATE_COOKIE, cookie, sizeof(cookie)) ||
	    strcmp(cookie, s->state) != 0)
		return (refuse(req, mr, "state_mismatch", NULL, 400,
		    "This sign-in was not started in this browser, or has "
		    "expired. Start again from the sign-in page."));
	/* The provider's own refusal (the user cancelled, say). */
	if (query_get(req->query_string, "error", err, sizeof(err)) ==
	    QUERY_FOUND) {
		snprintf(s->why, sizeof(s->why), "provider_error:%.40s", err);
		return (refuse(req, mr, s->why, NULL, 401, "Your "
		    "organisation's identity provider did not sign you in. "
		    "Start again from the sign-in page."));
	}
	if (query_get(req->query_string, "code", s->code, sizeof(s->code)) !=
	    QUERY_FOUND || s->code[0] == '\0')
		return (refuse(req, mr, "no_code", NULL, 400, "The identity "
		    "provider's answer could not be read. Start again from "
		    "the sign-in page."));
	sha256_hex(s->state, s->state_hash);
	params[0] = s->state_hash;
	params[1] = mr->address;
	mr->on_complete = callback_taken;
	return (db_call(req, mr, sql_take, 2, params, take_cb));
}

/*
 * The provider's end-session page for the sign-out page, when it has
 * one and this browser's session came by single sign-on: RP-initiated
 * logout with client_id (no ID token is kept to send as a hint).
 */
const char *
sso_end_session_url(void)
{
	static char	url[SSO_URL_MAX * 3];
	CURL		*c;
	char		*id, *back;

	if (!sso.on || provider.end_session[0] == '\0')
		return (NULL);
	if ((c = curl_easy_init()) == NULL)
		return (NULL);
	id = curl_easy_escape(c, sso.client_id, 0);
	back = curl_easy_escape(c, sso.post_logout_uri, 0);
	snprintf(url, sizeof(url), "%s%sclient_id=%s%s%s",
	    provider.end_session, strchr(provider.end_session, '?') ? "&" :
	    "?", id != NULL ? id : "", back != NULL && *back != '\0' ?
	    "&post_logout_redirect_uri=" : "", back != NULL ? back : "");
	curl_free(id);
	curl_free(back);
	curl_easy_cleanup(c);
	return (url);
}

/* Whether this browser's session came by single sign-on (a hint only). */
int
sso_session_cookie(struct http_request *req)
{
	char	v[4];

	return (cookie_get_named(req, METHOD_COOKIE, v, sizeof(v)) &&
	    strcmp(v, "1") == 0);
}

void
sso_session_cookie_clear(struct http_request *req)
{
	cookie_set_named(req, METHOD_COOKIE, "", 0, "Strict", "/");
}

/*
 * GET /api/v1/auth/sso/jwks: the public key of medex's client at the
 * provider (private_key_jwt), for the provider to fetch as the client's
 * jwks_uri.  An empty set when the client has no key (no single
 * sign-on, or a client secret).
 */
int
api_sso_client_jwks(struct http_request *req, struct medex_req *mr)
{
	static const char	none[] = "{\"keys\":[]}";

	if (!sso.on || sso.client_jwks[0] == '\0')
		return (medex_respond(req, mr, 200, "application/json",
		    none, strlen(none)));
	return (medex_respond(req, mr, 200, "application/json",
	    sso.client_jwks, strlen(sso.client_jwks)));
}
