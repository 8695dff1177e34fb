/*
 * Single sign-on (issue 24) through a real OpenID Connect provider:
 * glewlwyd, started by scripts/test-http.sh (scripts/idp.sh) with the
 * users sso.examiner and sso.nobody.  The provider's own sign-in is
 * driven through its API (as its login page does), then medex's start
 * and callback as a browser would follow them, cookies and all.
 *
 * Refusals glewlwyd can be made to show are tested with it: a state
 * not of this browser, unknown or replayed, a code used twice, a nonce
 * that is not the sign-in's, an acr below the office's minimum (the
 * provider sends none), a subject with no medex user, a disabled user,
 * and the provider not answering.  Those that need a provider to send
 * what no sound one sends (another key, alg changed, expired, another
 * audience or issuer, a rotated key, an email claim) are tested with
 * tests/idp/rogue.mjs behind a second instance, end to end all the same.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "testlib.h"

#define OFFICE	"SSO"
#define ME	"sso.me"		/* the medex user of IDP_USER */
#define ADMIN	"sso.admin"
#define FORM	"Content-Type: application/x-www-form-urlencoded"

static const char *
env(const char *name)
{
	const char	*v;

	v = getenv(name);
	ck_assert_msg(v != NULL && *v != '\0', "%s is not set", name);
	return (v);
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return (size * n);
}

/*
 * A browser's session at the provider: signed in as user (its API, as
 * its login page posts), then the authorization request of url with
 * g_continue (its "Continue" button).  The redirect back to medex into
 * out; 0 when the provider did not send one.
 */
static int
provider_authorize(const char *user, const char *password, const char *url,
    char *out, size_t len)
{
	CURL		*c;
	char		 api[512], body[512], full[8300], *loc;
	struct curl_slist *h;
	long		 status;

	out[0] = '\0';
	snprintf(api, sizeof(api), "%.*s/auth/",
	    (int)(strlen(env("IDP_ISSUER")) - strlen("/oidc")),
	    env("IDP_ISSUER"));
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":"
	    "\"%s\"}", user, password);
	c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	h = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_URL, api);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ck_assert_msg(status == 200, "provider sign-in of %s: %ld", user,
	    status);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	snprintf(full, sizeof(full), "%.8192s&g_continue=", url);
	curl_easy_setopt(c, CURLOPT_URL, full);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc != NULL)
		snprintf(out, len, "%s", loc);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return (out[0] != '\0');
}

/* The value of the cookie name set by the answer r, or "" (into out). */
static void
set_cookie(const struct t_resp *r, const char *name, char *out, size_t len)
{
	const char	*p, *eol, *v;
	size_t		 n;

	out[0] = '\0';
	n = strlen(name);
	for (p = r->headers; (eol = strstr(p, "\r\n")) != NULL; p = eol + 2) {
		if (strncasecmp(p, "set-cookie:", 11) != 0)
			continue;
		v = p + 11;
		while (*v == ' ')
			v++;
		if (strncmp(v, name, n) != 0 || v[n] != '=')
			continue;
		v += n + 1;
		snprintf(out, len, "%.*s", (int)strcspn(v, ";\r"), v);
	}
}

/* A query parameter of url (not decoded), or "". */
static void
param(const char *url, const char *name, char *out, size_t len)
{
	const char	*p;
	size_t		 n;

	out[0] = '\0';
	n = strlen(name);
	for (p = strchr(url, '?'); p != NULL; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, name, n) == 0 && p[n + 1] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + n + 2,
			    "&#"), p + n + 2);
			return;
		}
	}
}

/* One sign-in as far as the provider's redirect back to medex. */
struct flow {
	char	state[80];		/* medex_sso_state, as set */
	char	provider_url[8192];	/* where medex sent the browser */
	char	callback[8192];		/* the path medex was sent back to */
};

static void
flow_start(const char *next, struct flow *f)
{
	struct t_resp	 r;
	char		 path[512], *loc;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "/auth/sso/start%s%s",
	    next != NULL ? "?next=" : "", next != NULL ? next : "");
	t_get(path, NULL, &r);
	ck_assert_msg(r.status == 303, "start: %ld %s", r.status, r.body);
	loc = t_header(&r, "location");
	ck_assert_ptr_nonnull(loc);
	ck_assert_msg(strncmp(loc, env("MEDEX_SSO_ISSUER"),
	    strlen(env("MEDEX_SSO_ISSUER"))) == 0, "start sent to %s", loc);
	snprintf(f->provider_url, sizeof(f->provider_url), "%s", loc);
	free(loc);
	set_cookie(&r, "medex_sso_state", f->state, sizeof(f->state));
	ck_assert_uint_eq(strlen(f->state), 64);
	t_resp_free(&r);
}

static void
flow_provider(const char *user, const char *password, struct flow *f)
{
	char		 back[8192];
	const char	*uri;
	size_t		 n;

	ck_assert_msg(provider_authorize(user, password, f->provider_url,
	    back, sizeof(back)), "the provider sent no redirect");
	/* The redirect URI registered (the first instance's callback). */
	uri = env("MEDEX_SSO_REDIRECT_URI");
	n = strlen(uri) - strlen("/auth/sso/callback");
	ck_assert_msg(strncmp(back, uri, strlen(uri)) == 0,
	    "the provider sent the browser to %s", back);
	snprintf(f->callback, sizeof(f->callback), "%s", back + n);
}

/* The callback with cookie (NULL: this flow's own state cookie). */
static void
flow_callback(const struct flow *f, const char *cookie, struct t_resp *r)
{
	char		 h[200];
	const char	*hs[2] = { h, NULL };

	snprintf(h, sizeof(h), "Cookie: medex_sso_state=%s",
	    cookie != NULL ? cookie : f->state);
	t_request("GET", f->callback, hs, NULL, 0, r);
}

/* The newest sso_refused reason of the security log, or "". */
static char *
last_refusal(void)
{
	PGconn	*db;
	char	*v;

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT coalesce((SELECT detail->>'reason' FROM "
	    "security_events WHERE action = 'sso_refused' ORDER BY id DESC "
	    "LIMIT 1), '')");
	PQfinish(db);
	return (v);
}

static long long
refusals(void)
{
	PGconn		*db;
	char		*v;
	long long	 n;

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT count(*) FROM security_events "
	    "WHERE action = 'sso_refused'");
	PQfinish(db);
	n = atoll(v);
	free(v);
	return (n);
}

/* A refusal: the status, a page in words, a new log row with reason. */
static void
assert_refused(const struct t_resp *r, long status, const char *words,
    long long before, const char *reason)
{
	char	*why, cookie[4300];

	ck_assert_msg(r->status == status, "status %ld, not %ld: %.300s",
	    r->status, status, r->body);
	ck_assert_msg(strstr(r->body, words) != NULL, "page without '%s': "
	    "%.600s", words, r->body);
	ck_assert_ptr_nonnull(strstr(r->body, "You are not signed in"));
	set_cookie(r, "medex_session", cookie, sizeof(cookie));
	ck_assert_str_eq(cookie, "");
	ck_assert_int_eq(refusals(), before + 1);
	why = last_refusal();
	ck_assert_msg(strncmp(why, reason, strlen(reason)) == 0,
	    "reason %s, not %s", why, reason);
	free(why);
}

/* The admin's PATCH of ME (or another user) with a JSON body. */
static void
admin_patch(const char *path, const char *json)
{
	struct t_session s;
	struct t_resp	 r;
	char		 ifm[64], *etag;
	const char	*h[4];

	t_login_ok(ADMIN, &s);
	t_get(path, s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	etag = t_header(&r, "etag");
	ck_assert_ptr_nonnull(etag);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	free(etag);
	t_resp_free(&r);
	h[0] = s.bearer;
	h[1] = ifm;
	h[2] = "Content-Type: application/json";
	h[3] = NULL;
	t_request("PATCH", path, h, json, strlen(json), &r);
	ck_assert_msg(r.status == 200, "PATCH %s: %ld %s", path, r.status,
	    r.body);
	t_resp_free(&r);
}

static void
setup(void)
{
	PGconn	*db;
	char	 json[256];

	t_forget_failures();
	t_user(ME, "medical_examiner", OFFICE);
	/* What a test that failed half-way may have left set. */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "UPDATE offices SET sso_required = "
	    "false, sso_min_acr = NULL WHERE code = '" OFFICE "'", NULL, 0),
	    0);
	ck_assert_int_eq(t_db_exec(db, "UPDATE users SET disabled = false "
	    "WHERE username = '" ME "'", NULL, 0), 0);
	PQfinish(db);
	t_user("sso.other", "officer", OFFICE);
	t_user(ADMIN, "admin", OFFICE);
	snprintf(json, sizeof(json), "{\"sso_subject\":\"%s\"}",
	    env("IDP_USER_SUB"));
	admin_patch("/api/v1/users/" ME, json);
}

START_TEST(the_sign_in_page_offers_single_sign_on)
{
	struct t_resp	r;

	t_get("/login?next=%2Fcases", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"sso-start\""));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "href=\"/auth/sso/start?next=%2Fcases\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Sign in with the test provider"));
	t_resp_free(&r);
}
END_TEST

START_TEST(a_user_signs_in_at_the_provider_and_lands_in_medex)
{
	struct flow	 f;
	struct t_resp	 r;
	char		 session[4300], h[4400], csrf[80], body[160], st[80];
	const char	*hs[3];
	PGconn		*db;
	char		*v;

	flow_start("%2Fcases", &f);
	/* PKCE S256, state and nonce in the authorization request. */
	param(f.provider_url, "code_challenge_method", st, sizeof(st));
	ck_assert_str_eq(st, "S256");
	param(f.provider_url, "state", st, sizeof(st));
	ck_assert_str_eq(st, f.state);
	param(f.provider_url, "nonce", st, sizeof(st));
	ck_assert_uint_eq(strlen(st), 32);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);
	ck_assert_ptr_nonnull(strstr(f.callback, "/auth/sso/callback?"));

	flow_callback(&f, NULL, &r);
	ck_assert_msg(r.status == 200, "callback: %ld %s", r.status, r.body);
	/* A page that goes on to the page asked for (same-site). */
	ck_assert_ptr_nonnull(strstr(r.body, "url=/cases\""));
	set_cookie(&r, "medex_session", session, sizeof(session));
	ck_assert_uint_gt(strlen(session), 100);
	t_resp_free(&r);

	/* The medex user, with its role and office, as a password gives. */
	snprintf(h, sizeof(h), "Cookie: medex_session=%s", session);
	hs[0] = h;
	hs[1] = NULL;
	t_request("GET", "/api/v1/me", hs, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "username"), ME);
	ck_assert_str_eq(t_json_str(&r, "role"), "medical_examiner");
	ck_assert_str_eq(t_json_str(&r, "office"), OFFICE);
	t_resp_free(&r);
	t_request("GET", "/cases", hs, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT detail->>'method' FROM security_events "
	    "WHERE action = 'login' AND actor = '" ME "' ORDER BY id DESC "
	    "LIMIT 1");
	ck_assert_str_eq(v, "sso");
	free(v);
	v = t_db_value(db, "SELECT method FROM sessions s JOIN users u ON "
	    "u.id = s.user_id WHERE u.username = '" ME "' ORDER BY "
	    "issued_at DESC LIMIT 1");
	ck_assert_str_eq(v, "sso");
	free(v);
	PQfinish(db);

	/* Sign-out: medex's session ends; the provider's page is linked. */
	t_request("GET", "/api/v1/me", hs, NULL, 0, &r);
	t_resp_free(&r);
	{
		struct t_resp	p;

		t_request("GET", "/account/password", hs, NULL, 0, &p);
		ck_assert_int_eq(p.status, 200);
		st[0] = '\0';
		{
			const char	*c = strstr(p.body,
			    "name=\"csrf_token\" value=\"");

			ck_assert_ptr_nonnull(c);
			c += strlen("name=\"csrf_token\" value=\"");
			snprintf(csrf, sizeof(csrf), "%.*s",
			    (int)strcspn(c, "\""), c);
		}
		t_resp_free(&p);
	}
	snprintf(h, sizeof(h), "Cookie: medex_session=%s; medex_sso=1",
	    session);
	hs[0] = h;
	hs[1] = FORM;
	hs[2] = NULL;
	snprintf(body, sizeof(body), "csrf_token=%s", csrf);
	t_request("POST", "/logout", hs, body, strlen(body), &r);
	ck_assert_msg(r.status == 200, "logout: %ld", r.status);
	ck_assert_ptr_nonnull(strstr(r.body, "You are signed out of medex"));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"sso-end-session\""));
	snprintf(body, sizeof(body), "href=\"%s/end_session?client_id=",
	    env("IDP_ISSUER"));
	ck_assert_msg(strstr(r.body, body) != NULL, "no end-session link: "
	    "%.800s", r.body);
	/* And the browser is taken there at once. */
	{
		char	*refresh = t_header(&r, "refresh");

		ck_assert_ptr_nonnull(refresh);
		snprintf(body, sizeof(body), "0;url=%s/end_session?client_id=",
		    env("IDP_ISSUER"));
		ck_assert_msg(strncmp(refresh, body, strlen(body)) == 0,
		    "refresh: %s", refresh);
		free(refresh);
	}
	t_resp_free(&r);
	snprintf(h, sizeof(h), "Cookie: medex_session=%s", session);
	hs[1] = NULL;
	t_request("GET", "/api/v1/me", hs, NULL, 0, &r);
	ck_assert_int_eq(r.status, 401);
	t_resp_free(&r);
}
END_TEST

START_TEST(a_state_not_of_this_browser_unknown_or_replayed_is_refused)
{
	struct flow	 f;
	struct t_resp	 r;
	long long	 n;
	char		 other[80];

	flow_start(NULL, &f);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);

	/* Another browser's (no cookie, or another one). */
	n = refusals();
	t_get(f.callback, NULL, &r);
	assert_refused(&r, 400, "not started in this browser", n,
	    "state_mismatch");
	t_resp_free(&r);
	memset(other, 'a', 64);
	other[64] = '\0';
	n = refusals();
	flow_callback(&f, other, &r);
	assert_refused(&r, 400, "not started in this browser", n,
	    "state_mismatch");
	t_resp_free(&r);

	/* This browser's: signed in once, then the same answer again. */
	flow_callback(&f, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	n = refusals();
	flow_callback(&f, NULL, &r);
	assert_refused(&r, 400, "already used", n, "state_used");
	t_resp_free(&r);

	/* A state medex never made, in both the link and the cookie. */
	n = refusals();
	snprintf(f.callback, sizeof(f.callback), "/auth/sso/callback?"
	    "code=abc&state=%s", other);
	flow_callback(&f, other, &r);
	assert_refused(&r, 400, "already used", n, "state_unknown");
	t_resp_free(&r);
}
END_TEST

START_TEST(a_code_used_twice_is_refused_by_the_provider)
{
	struct flow	 a, b;
	struct t_resp	 r;
	char		 code[512];
	long long	 n;

	flow_start(NULL, &a);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &a);
	flow_callback(&a, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	/* A second sign-in of this browser sent back with the first code. */
	flow_start(NULL, &b);
	param(a.callback, "code", code, sizeof(code));
	snprintf(b.callback, sizeof(b.callback),
	    "/auth/sso/callback?code=%s&state=%s", code, b.state);
	n = refusals();
	flow_callback(&b, NULL, &r);
	assert_refused(&r, 401, "did not confirm this sign-in", n,
	    "code_refused");
	t_resp_free(&r);
}
END_TEST

START_TEST(an_id_token_with_another_nonce_is_refused)
{
	struct flow	 f;
	struct t_resp	 r;
	PGconn		*db;
	long long	 n;
	char		 err[256];

	flow_start(NULL, &f);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);
	/*
	 * The provider's token carries the nonce it was sent; medex now
	 * expects another (as if the answer were of another sign-in).
	 */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "UPDATE sso_logins SET nonce = "
	    "'another-sign-in' WHERE used_at IS NULL AND created_at > now() - "
	    "interval '1 minute'", err, sizeof(err)), 0);
	PQfinish(db);
	n = refusals();
	flow_callback(&f, NULL, &r);
	assert_refused(&r, 401, "does not belong to this sign-in", n,
	    "id_token_nonce");
	t_resp_free(&r);
}
END_TEST

START_TEST(no_user_a_disabled_user_and_too_weak_an_acr_are_refused)
{
	struct flow	 f;
	struct t_resp	 r;
	long long	 n;

	/* The provider's other user: no medex user is linked to it. */
	flow_start(NULL, &f);
	flow_provider(env("IDP_NOBODY_USER"), env("IDP_NOBODY_PASSWORD"), &f);
	n = refusals();
	flow_callback(&f, NULL, &r);
	assert_refused(&r, 403, "no medex account is linked", n, "no_user");
	t_resp_free(&r);

	/* The office asks for aal2; the provider sends no acr at all. */
	admin_patch("/api/v1/offices/" OFFICE, "{\"sso_min_acr\":\"aal2\"}");
	flow_start(NULL, &f);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);
	n = refusals();
	flow_callback(&f, NULL, &r);
	assert_refused(&r, 403, "stronger way of signing in", n,
	    "acr_too_low");
	t_resp_free(&r);
	admin_patch("/api/v1/offices/" OFFICE, "{\"sso_min_acr\":null}");

	/* Disabled in medex: the provider's sign-in changes nothing. */
	admin_patch("/api/v1/users/" ME, "{\"disabled\":true}");
	flow_start(NULL, &f);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);
	n = refusals();
	flow_callback(&f, NULL, &r);
	assert_refused(&r, 403, "account is disabled", n, "user_disabled");
	t_resp_free(&r);
	admin_patch("/api/v1/users/" ME, "{\"disabled\":false}");
}
END_TEST

START_TEST(an_office_that_requires_sso_refuses_passwords_but_break_glass)
{
	struct t_session s;
	struct t_resp	 r;
	const char	*h[2] = { FORM, NULL };
	char		 body[200];

	admin_patch("/api/v1/users/" ADMIN, "{\"break_glass\":true}");
	admin_patch("/api/v1/offices/" OFFICE, "{\"sso_required\":true}");
	/* The API: the right password, 403 sso_required. */
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"sso.other\","
	    "\"password\":\"" T_PASSWORD "\"}", &r);
	t_assert_error(&r, 403, "sso_required");
	t_resp_free(&r);
	/* The page says so, in words. */
	snprintf(body, sizeof(body), "username=sso.other&password=%s",
	    "correct+horse+battery");
	t_request("POST", "/login", h, body, strlen(body), &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_ptr_nonnull(strstr(r.body, "Your office signs in with "
	    "single sign-on"));
	t_resp_free(&r);
	/* Not a failure for the throttle. */
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	/* The break-glass admin still signs in with a password. */
	t_login_ok(ADMIN, &s);
	/* And single sign-on is the way in for the office's users. */
	{
		struct flow	f;

		flow_start(NULL, &f);
		flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);
		flow_callback(&f, NULL, &r);
		ck_assert_int_eq(r.status, 200);
		t_resp_free(&r);
	}
	admin_patch("/api/v1/offices/" OFFICE, "{\"sso_required\":false}");
	t_login_ok("sso.other", &s);
}
END_TEST

START_TEST(the_provider_down_is_said_on_the_sign_in_page_within_5_s)
{
	struct t_resp	r;
	pid_t		pid;
	time_t		t0;

	pid = (pid_t)atol(env("IDP_PID"));
	/* Stopped, not killed: it takes connections and never answers. */
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	t0 = time(NULL);
	t_get("/auth/sso/start", NULL, &r);
	(void)kill(pid, SIGCONT);
	ck_assert_msg(time(NULL) - t0 <= 5, "took %lld s",
	    (long long)(time(NULL) - t0));
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(strstr(r.body, "is not working at the moment"));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"password\""));
	t_resp_free(&r);
	/* Password users are unaffected meanwhile. */
	{
		struct t_session	s;

		ck_assert_int_eq(kill(pid, SIGSTOP), 0);
		t_login_ok("sso.other", &s);
		(void)kill(pid, SIGCONT);
	}
}
END_TEST

/* The page's hidden field name's value (into out). */
static void
hidden_value(const struct t_resp *r, const char *name, char *out, size_t len)
{
	const char	*p;
	char		 pat[96];

	snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
	p = strstr(r->body, pat);
	ck_assert_msg(p != NULL, "no hidden %s", name);
	p += strlen(pat);
	snprintf(out, len, "%.*s", (int)strcspn(p, "\""), p);
}

/* The admin's POST of a page form: its csrf and version, then body. */
static void
admin_page_post(const struct t_session *s, const char *path,
    const char *fields, struct t_resp *r)
{
	struct t_resp	 g;
	char		 csrf[80], ver[24], body[1024];
	const char	*h[3] = { FORM, s->cookie, NULL };

	t_request("GET", path, h + 1, NULL, 0, &g);
	ck_assert_msg(g.status == 200, "%s: %ld", path, g.status);
	hidden_value(&g, "csrf_token", csrf, sizeof(csrf));
	hidden_value(&g, "version", ver, sizeof(ver));
	t_resp_free(&g);
	snprintf(body, sizeof(body), "csrf_token=%s&version=%s&%s", csrf, ver,
	    fields);
	t_request("POST", path, h, body, strlen(body), r);
}

static void
page_has(const struct t_session *s, const char *path, const char *want)
{
	struct t_resp	 r;
	const char	*h[2] = { s->cookie, NULL };

	t_request("GET", path, h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, want) != NULL, "%s without '%s'", path,
	    want);
	t_resp_free(&r);
}

START_TEST(the_admin_sets_a_users_single_sign_on_on_its_page)
{
	struct t_session s, officer;
	struct t_resp	 r;
	char		 fields[512];
	const char	*h[2];
	PGconn		*db;
	char		*v;

	t_login_ok(ADMIN, &s);
	admin_patch("/api/v1/users/sso.other", "{\"sso_subject\":null,"
	    "\"email\":null,\"sso_email_link\":false,\"break_glass\":false}");
	page_has(&s, "/admin/users/sso.other", "Not linked");
	page_has(&s, "/admin/users/sso.other",
	    "href=\"/admin/users/sso.other/sso\"");

	/* Refused in words, nothing changed. */
	admin_page_post(&s, "/admin/users/sso.other/sso",
	    "sso_subject=&email=nope", &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Enter an email address in the "
	    "correct format"));
	t_resp_free(&r);
	admin_page_post(&s, "/admin/users/sso.other/sso",
	    "sso_subject=&email=&sso_email_link=true", &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Enter the email address to "
	    "link by"));
	t_resp_free(&r);
	snprintf(fields, sizeof(fields), "sso_subject=%s&email=",
	    env("IDP_USER_SUB"));
	admin_page_post(&s, "/admin/users/sso.other/sso", fields, &r);
	ck_assert_int_eq(r.status, 409);
	ck_assert_ptr_nonnull(strstr(r.body, "Another user already has this "
	    "subject or email"));
	t_resp_free(&r);

	/* Set: shown back on the user's page and stored. */
	admin_page_post(&s, "/admin/users/sso.other/sso", "sso_subject="
	    "subject-of-other&email=Other%40example.nhs.uk&sso_email_link=true"
	    "&break_glass=true", &r);
	ck_assert_msg(r.status == 303, "%ld %.300s", r.status, r.body);
	t_resp_free(&r);
	page_has(&s, "/admin/users/sso.other?done=sso",
	    "Single sign-on settings changed.");
	page_has(&s, "/admin/users/sso.other", "subject-of-other");
	page_has(&s, "/admin/users/sso.other", "Other@example.nhs.uk (links "
	    "at the first single sign-on)");
	page_has(&s, "/admin/users/sso.other", "Yes: may use a password");
	page_has(&s, "/admin/users/sso.other/sso", "value=\"subject-of-other\"");
	db = t_db("db_owner");
	v = t_db_value(db, "SELECT concat_ws(' ', sso_subject, email, "
	    "sso_email_link, break_glass) FROM users WHERE username = "
	    "'sso.other'");
	ck_assert_str_eq(v, "subject-of-other Other@example.nhs.uk t t");
	free(v);

	/* Cleared: empty fields and unticked boxes. */
	admin_page_post(&s, "/admin/users/sso.other/sso",
	    "sso_subject=&email=", &r);
	ck_assert_int_eq(r.status, 303);
	t_resp_free(&r);
	v = t_db_value(db, "SELECT concat_ws(' ', coalesce(sso_subject, '-'), "
	    "coalesce(email, '-'), sso_email_link, break_glass) FROM users "
	    "WHERE username = 'sso.other'");
	ck_assert_str_eq(v, "- - f f");
	free(v);
	PQfinish(db);
	page_has(&s, "/admin/users/sso.other", "Not linked");

	/* Another role has no such form. */
	t_login_ok("sso.other", &officer);
	h[0] = officer.cookie;
	h[1] = NULL;
	t_request("GET", "/admin/users/sso.other/sso", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
}
END_TEST

START_TEST(the_admin_sets_an_offices_single_sign_on_on_its_page)
{
	struct t_session s;
	struct t_resp	 r;
	PGconn		*db;
	char		*v;

	t_login_ok(ADMIN, &s);
	page_has(&s, "/admin/offices/" OFFICE, "Its users must sign in with "
	    "single sign-on");
	page_has(&s, "/admin/offices/" OFFICE, "<option value=\"aal3\">");
	admin_page_post(&s, "/admin/offices/" OFFICE, "name=SSO+office&"
	    "target_days=3&sso_fields=1&sso_required=true&sso_min_acr=aal9",
	    &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Choose a level from the list"));
	t_resp_free(&r);
	admin_page_post(&s, "/admin/offices/" OFFICE, "name=SSO+office&"
	    "target_days=3&sso_fields=1&sso_required=true&sso_min_acr=aal2",
	    &r);
	ck_assert_msg(r.status == 303, "%ld %.300s", r.status, r.body);
	t_resp_free(&r);
	db = t_db("db_owner");
	v = t_db_value(db, "SELECT concat_ws(' ', sso_required, sso_min_acr) "
	    "FROM offices WHERE code = '" OFFICE "'");
	ck_assert_str_eq(v, "t aal2");
	free(v);
	page_has(&s, "/admin/offices/" OFFICE, "<option value=\"aal2\" "
	    "selected>");
	page_has(&s, "/admin/offices/" OFFICE, "name=\"sso_required\" "
	    "type=\"checkbox\" value=\"true\" aria-describedby="
	    "\"sso_required-hint\" checked");
	/* The office's users are now refused a password. */
	ck_assert_int_eq(t_login("sso.other", T_PASSWORD, &s), 403);
	t_login_ok(ADMIN, &s);
	admin_page_post(&s, "/admin/offices/" OFFICE, "name=SSO+office&"
	    "target_days=3&sso_fields=1&sso_min_acr=", &r);
	ck_assert_int_eq(r.status, 303);
	t_resp_free(&r);
	v = t_db_value(db, "SELECT concat_ws(' ', sso_required, "
	    "coalesce(sso_min_acr, '-')) FROM offices WHERE code = '" OFFICE
	    "'");
	ck_assert_str_eq(v, "f -");
	free(v);
	PQfinish(db);
}
END_TEST

/*
 * private_key_jwt (what CIS2 asks for): a second instance on the same
 * database whose client authenticates with a client assertion signed by
 * its own key (the public half registered at the provider), under the
 * same registered redirect URI; the browser is sent on to it.
 */
static char	url1[256], url2[256];

/* A second instance configured by the environment; MEDEX_TEST_URL to it. */
static void
second_instance_start(void)
{
	snprintf(url1, sizeof(url1), "%s", t_url());
	t_second_start("same-keys", url2, sizeof(url2));
	setenv("MEDEX_TEST_URL", url2, 1);
}

static void
second_instance_stop(void)
{
	t_second_stop();
	setenv("MEDEX_TEST_URL", url1, 1);
}

static void
second_start(void)
{
	setup();
	setenv("MEDEX_SSO_CLIENT_AUTH", "private_key_jwt", 1);
	setenv("MEDEX_SSO_CLIENT_KEY", env("IDP_CLIENT_KEY"), 1);
	setenv("MEDEX_SSO_CLIENT_KEY_KID", env("IDP_CLIENT_KID"), 1);
	second_instance_start();
}

static void
second_stop(void)
{
	second_instance_stop();
	unsetenv("MEDEX_SSO_CLIENT_AUTH");
	unsetenv("MEDEX_SSO_CLIENT_KEY");
	unsetenv("MEDEX_SSO_CLIENT_KEY_KID");
}

START_TEST(a_client_authenticated_by_private_key_jwt_signs_in)
{
	struct flow	 f;
	struct t_resp	 r;
	char		 session[4300], h[4400];
	const char	*hs[2] = { h, NULL };
	char		*ini, path[512];

	snprintf(path, sizeof(path), "%s/second/medex.ini", env("MEDEX_DATA"));
	ini = t_file(path);
	ck_assert_ptr_nonnull(strstr(ini, "sso_client_auth = private_key_jwt"));
	free(ini);
	flow_start(NULL, &f);
	flow_provider(env("IDP_USER"), env("IDP_PASSWORD"), &f);
	flow_callback(&f, NULL, &r);
	ck_assert_msg(r.status == 200, "callback: %ld %.400s", r.status,
	    r.body);
	set_cookie(&r, "medex_session", session, sizeof(session));
	t_resp_free(&r);
	snprintf(h, sizeof(h), "Cookie: medex_session=%s", session);
	t_request("GET", "/api/v1/me", hs, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "username"), ME);
	t_resp_free(&r);
}
END_TEST

/* The public key the provider was given is the one medex publishes. */
START_TEST(the_client_key_is_published_for_the_provider)
{
	struct t_resp	 r;
	json_t		*reg, *mine, *theirs;
	char		 path[512];

	t_get("/api/v1/auth/sso/jwks", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(r.json);
	mine = json_array_get(json_object_get(r.json, "keys"), 0);
	ck_assert_int_eq(json_array_size(json_object_get(r.json, "keys")), 1);
	snprintf(path, sizeof(path), "%s/client_jwks.json", env("IDP_DIR"));
	reg = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(reg);
	theirs = json_array_get(json_object_get(reg, "keys"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(mine, "kty")),
	    "RSA");
	ck_assert_str_eq(json_string_value(json_object_get(mine, "n")),
	    json_string_value(json_object_get(theirs, "n")));
	ck_assert_str_eq(json_string_value(json_object_get(mine, "e")),
	    json_string_value(json_object_get(theirs, "e")));
	ck_assert_str_eq(json_string_value(json_object_get(mine, "kid")),
	    env("IDP_CLIENT_KID"));
	ck_assert_str_eq(json_string_value(json_object_get(mine, "alg")),
	    "RS256");
	/* Never the private half. */
	ck_assert_ptr_null(json_object_get(mine, "d"));
	ck_assert_ptr_null(strstr(r.body, "\"d\""));
	json_decref(reg);
	t_resp_free(&r);
	/* The first instance's client uses a secret: nothing to publish. */
	setenv("MEDEX_TEST_URL", url1, 1);
	t_get("/api/v1/auth/sso/jwks", NULL, &r);
	setenv("MEDEX_TEST_URL", url2, 1);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"keys\":[]}");
	t_resp_free(&r);
}
END_TEST

/*
 * A provider that sends what no sound one sends (tests/idp/rogue.mjs),
 * behind a second instance with one worker (so that its cache of the
 * key set is the one the tests count).  The instance's client is the
 * rogue's; the browser is sent on to the second instance as above.
 */
static char	rogue_dir[512], rogue_url[128];
static char	saved_issuer[256], saved_client[128], saved_secret[512];

static void
rogue_start(void)
{
	char	 cmd[3000], path[600], *port;
	int	 i;

	snprintf(rogue_dir, sizeof(rogue_dir), "%s/rogue", env("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && "
	    "(node '%s/tests/idp/rogue.mjs' '%s' >'%s.log' 2>&1 &)",
	    rogue_dir, rogue_dir, env("MEDEX_TEST_ROOT"), rogue_dir,
	    rogue_dir);
	ck_assert_int_eq(t_run(cmd), 0);
	snprintf(path, sizeof(path), "%s/port", rogue_dir);
	port = NULL;
	for (i = 0; i < 100; i++) {
		port = t_file(path);
		if (*port != '\0')
			break;
		free(port);
		port = NULL;
		usleep(100 * 1000);
	}
	ck_assert_msg(port != NULL, "the rogue provider did not start");
	snprintf(rogue_url, sizeof(rogue_url), "http://127.0.0.1:%s", port);
	free(port);

	snprintf(saved_issuer, sizeof(saved_issuer), "%s",
	    env("MEDEX_SSO_ISSUER"));
	snprintf(saved_client, sizeof(saved_client), "%s",
	    env("MEDEX_SSO_CLIENT_ID"));
	snprintf(saved_secret, sizeof(saved_secret), "%s",
	    env("MEDEX_SSO_CLIENT_SECRET_FILE"));
	snprintf(path, sizeof(path), "%s/client_secret", rogue_dir);
	setenv("MEDEX_SSO_ISSUER", rogue_url, 1);
	setenv("MEDEX_SSO_CLIENT_ID", "rogue-client", 1);
	setenv("MEDEX_SSO_CLIENT_SECRET_FILE", path, 1);
	setenv("MEDEX_WORKERS", "1", 1);
	second_instance_start();
}

static void
rogue_stop(void)
{
	char	cmd[1200];

	second_instance_stop();
	setenv("MEDEX_SSO_ISSUER", saved_issuer, 1);
	setenv("MEDEX_SSO_CLIENT_ID", saved_client, 1);
	setenv("MEDEX_SSO_CLIENT_SECRET_FILE", saved_secret, 1);
	unsetenv("MEDEX_WORKERS");
	snprintf(cmd, sizeof(cmd), "kill \"$(cat '%s/pid')\" 2>/dev/null",
	    rogue_dir);
	(void)t_run(cmd);
}

/*
 * The rogue's authorization of f, the ID token as extra says (mode=,
 * sub=, email=, email_verified=); f->callback is where it sent back.
 */
static void
rogue_provider(const char *extra, struct flow *f)
{
	CURL		*c;
	char		 url[8700], *loc;
	const char	*uri;
	long		 status;

	snprintf(url, sizeof(url), "%s&%s", f->provider_url, extra);
	c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ck_assert_msg(status == 302, "rogue authorize: %ld", status);
	ck_assert_int_eq(curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc),
	    CURLE_OK);
	ck_assert_ptr_nonnull(loc);
	uri = env("MEDEX_SSO_REDIRECT_URI");
	ck_assert_msg(strncmp(loc, uri, strlen(uri)) == 0, "sent to %s", loc);
	snprintf(f->callback, sizeof(f->callback), "%s",
	    loc + strlen(uri) - strlen("/auth/sso/callback"));
	curl_easy_cleanup(c);
}

/* How often the rogue's key set has been fetched. */
static long
rogue_jwks_fetches(void)
{
	CURL		*c;
	FILE		*fp;
	char		 url[256], *buf, *p;
	size_t		 len;
	long		 n;

	snprintf(url, sizeof(url), "%s/stats", rogue_url);
	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, fp);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_cleanup(c);
	fclose(fp);
	p = strstr(buf, "\"jwks_fetches\":");
	ck_assert_ptr_nonnull(p);
	n = atol(p + strlen("\"jwks_fetches\":"));
	free(buf);
	return (n);
}

/* A sign-in at the rogue as extra says; the callback's answer in r. */
static void
rogue_sign_in(const char *extra, struct t_resp *r)
{
	struct flow	f;

	flow_start(NULL, &f);
	rogue_provider(extra, &f);
	flow_callback(&f, NULL, r);
}

/* The medex user a callback's answer signed in (into out). */
static void
signed_in_as(const struct t_resp *cb, char *out, size_t len)
{
	struct t_resp	 r;
	char		 session[4300], h[4400];
	const char	*hs[2] = { h, NULL };

	ck_assert_msg(cb->status == 200, "callback: %ld %.400s", cb->status,
	    cb->body);
	set_cookie(cb, "medex_session", session, sizeof(session));
	ck_assert_uint_gt(strlen(session), 100);
	snprintf(h, sizeof(h), "Cookie: medex_session=%s", session);
	t_request("GET", "/api/v1/me", hs, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(out, len, "%s", t_json_str(&r, "username"));
	t_resp_free(&r);
}

START_TEST(id_tokens_no_sound_provider_sends_are_refused)
{
	static const struct {
		const char	*mode, *words, *reason;
	} bad[] = {
		{ "other_key", "does not carry a valid signature",
		    "id_token_signature" },
		{ "unknown_kid", "signed with a key it does not publish",
		    "id_token_unknown_key" },
		{ "alg_hs256", "in a way medex does not accept",
		    "id_token_alg" },
		/* Unsigned: rhonabwy does not read it as a signed JWT. */
		{ "alg_none", "could not be read", "id_token_malformed" },
		{ "expired", "has expired", "id_token_expired" },
		{ "wrong_aud", "meant for another service",
		    "id_token_audience" },
		{ "wrong_iss", "from another identity provider",
		    "id_token_issuer" },
	};
	struct t_resp	 r;
	char		 extra[512], who[64];
	long long	 n;
	size_t		 i;

	/* The same user with a sound token signs in. */
	snprintf(extra, sizeof(extra), "mode=ok&sub=%s", env("IDP_USER_SUB"));
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	ck_assert_str_eq(who, ME);
	t_resp_free(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(extra, sizeof(extra), "mode=%s&sub=%s", bad[i].mode,
		    env("IDP_USER_SUB"));
		n = refusals();
		rogue_sign_in(extra, &r);
		assert_refused(&r, 401, bad[i].words, n, bad[i].reason);
		t_resp_free(&r);
	}
}
END_TEST

START_TEST(the_key_set_is_kept_and_fetched_again_for_an_unknown_kid)
{
	struct t_resp	 r;
	char		 extra[512], who[64];
	long		 n;
	long long	 before;

	snprintf(extra, sizeof(extra), "mode=ok&sub=%s", env("IDP_USER_SUB"));
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	t_resp_free(&r);
	/* Kept: a second sign-in does not fetch it. */
	n = rogue_jwks_fetches();
	ck_assert_int_ge(n, 1);
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	t_resp_free(&r);
	ck_assert_int_eq(rogue_jwks_fetches(), n);
	/* The provider rotated its key: fetched again, once, and signed in. */
	snprintf(extra, sizeof(extra), "mode=rotate&sub=%s",
	    env("IDP_USER_SUB"));
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	ck_assert_str_eq(who, ME);
	t_resp_free(&r);
	ck_assert_int_eq(rogue_jwks_fetches(), n + 1);
	/* The new set is kept in turn. */
	snprintf(extra, sizeof(extra), "mode=ok&sub=%s", env("IDP_USER_SUB"));
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	t_resp_free(&r);
	ck_assert_int_eq(rogue_jwks_fetches(), n + 1);
	/* A kid the provider does not publish: fetched once more, refused. */
	snprintf(extra, sizeof(extra), "mode=unknown_kid&sub=%s",
	    env("IDP_USER_SUB"));
	before = refusals();
	rogue_sign_in(extra, &r);
	assert_refused(&r, 401, "signed with a key it does not publish",
	    before, "id_token_unknown_key");
	t_resp_free(&r);
	ck_assert_int_eq(rogue_jwks_fetches(), n + 2);
}
END_TEST

START_TEST(a_verified_email_links_a_user_whose_admin_allowed_it)
{
	struct t_resp	 r;
	char		 extra[512], who[64], sub[64], sql[256];
	long long	 n;
	PGconn		*db;
	char		*v;

	t_user("sso.linkme", "officer", OFFICE);
	admin_patch("/api/v1/users/sso.linkme", "{\"email\":"
	    "\"Link.Me@example.nhs.uk\",\"sso_email_link\":true}");
	t_user("sso.nolink", "officer", OFFICE);
	admin_patch("/api/v1/users/sso.nolink", "{\"email\":"
	    "\"no.link@example.nhs.uk\",\"sso_email_link\":false}");
	snprintf(sub, sizeof(sub), "rogue-%ld-%ld", (long)getpid(),
	    (long)time(NULL));

	/* Not verified by the provider: not linked. */
	snprintf(extra, sizeof(extra), "sub=%s&email=link.me%%40example.nhs.uk"
	    "&email_verified=false", sub);
	n = refusals();
	rogue_sign_in(extra, &r);
	assert_refused(&r, 403, "no medex account is linked", n, "no_user");
	t_resp_free(&r);
	/* Verified, but the admin did not allow linking by email. */
	snprintf(extra, sizeof(extra), "sub=%s-x&email=no.link%%40example.nhs.uk"
	    "&email_verified=true", sub);
	n = refusals();
	rogue_sign_in(extra, &r);
	assert_refused(&r, 403, "no medex account is linked", n, "no_user");
	t_resp_free(&r);

	/* Verified and allowed: linked on this first sign-in (any case). */
	snprintf(extra, sizeof(extra), "sub=%s&email=link.me%%40example.nhs.uk"
	    "&email_verified=true", sub);
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	ck_assert_str_eq(who, "sso.linkme");
	t_resp_free(&r);
	db = t_db("db_owner");
	v = t_db_value(db, "SELECT sso_subject FROM users WHERE username = "
	    "'sso.linkme'");
	ck_assert_str_eq(v, sub);
	free(v);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM security_events "
	    "WHERE action = 'sso_linked' AND detail->>'subject' = '%s' AND "
	    "detail->>'by' = 'email'", sub);
	v = t_db_value(db, sql);
	ck_assert_str_eq(v, "1");
	free(v);
	PQfinish(db);

	/* From then on the subject, not the email, is the link. */
	snprintf(extra, sizeof(extra), "sub=%s", sub);
	rogue_sign_in(extra, &r);
	signed_in_as(&r, who, sizeof(who));
	ck_assert_str_eq(who, "sso.linkme");
	t_resp_free(&r);
	snprintf(extra, sizeof(extra), "sub=%s-other&email=link.me%%40example"
	    ".nhs.uk&email_verified=true", sub);
	n = refusals();
	rogue_sign_in(extra, &r);
	assert_refused(&r, 403, "no medex account is linked", n, "no_user");
	t_resp_free(&r);
}
END_TEST

static Suite *
sso_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("sso");
	tc = tcase_create("sso");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, the_sign_in_page_offers_single_sign_on);
	tcase_add_test(tc, a_user_signs_in_at_the_provider_and_lands_in_medex);
	tcase_add_test(tc,
	    a_state_not_of_this_browser_unknown_or_replayed_is_refused);
	tcase_add_test(tc, a_code_used_twice_is_refused_by_the_provider);
	tcase_add_test(tc, an_id_token_with_another_nonce_is_refused);
	tcase_add_test(tc,
	    no_user_a_disabled_user_and_too_weak_an_acr_are_refused);
	tcase_add_test(tc,
	    an_office_that_requires_sso_refuses_passwords_but_break_glass);
	tcase_add_test(tc,
	    the_provider_down_is_said_on_the_sign_in_page_within_5_s);
	tcase_add_test(tc, the_admin_sets_a_users_single_sign_on_on_its_page);
	tcase_add_test(tc,
	    the_admin_sets_an_offices_single_sign_on_on_its_page);
	suite_add_tcase(s, tc);

	tc = tcase_create("private_key_jwt");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, second_start, second_stop);
	tcase_add_test(tc, a_client_authenticated_by_private_key_jwt_signs_in);
	tcase_add_test(tc, the_client_key_is_published_for_the_provider);
	suite_add_tcase(s, tc);

	tc = tcase_create("rogue provider");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, rogue_start, rogue_stop);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, id_tokens_no_sound_provider_sends_are_refused);
	tcase_add_test(tc,
	    the_key_set_is_kept_and_fetched_again_for_an_unknown_kid);
	tcase_add_test(tc, a_verified_email_links_a_user_whose_admin_allowed_it);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (t_main(sso_suite()));
}
