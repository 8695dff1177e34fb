/*
 * GET /             the start page: each role's first page, or "Your
 *                   account" for those without one
 * GET, POST /login  the sign-in form and signing in; ?next= (a hidden
 *                   field of the form) is the page to go back to
 * POST /logout      the session ends
 */
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_auth.h"
#include "cookie.h"
#include "form.h"
#include "handlers.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_frame.h"
#include "query.h"
#include "return_to.h"
#include "respond.h"
#include "signed_in.h"
#include "sso.h"

static const char sql_logout[] =
    "SELECT * FROM api_logout($1, $2, $3, $4, $5, $6)";

/* GET /: each role's first page. */
static void
render_home(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	(void)req;
	(void)j;
	page_open(mr, sb, "Your account", NAV_NONE);
	page_h1(sb, mr->claims.office, "Your account");
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">"
	    "<div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">Name</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, page_display_name(mr));
	html_raw(sb, "</dd></div><div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">Username</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, mr->claims.sub);
	html_raw(sb, "</dd></div><div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">Office</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, mr->claims.office);
	html_raw(sb, "</dd></div></dl>");
	page_p(sb, "Monthly figures for your office are published as "
	    "exports; they hold no identifiable case data.");
	page_end(sb);
}

int
pages_home(struct http_request *req, struct medex_req *mr)
{
	enum role	role;

	if (role_from_str(mr->claims.role, &role) != 0)
		return (pages_error(req, mr, 403, NULL));
	if (role_in(RB_CASE_READERS, role)) {
		pages_redirect(req, mr, "/cases");
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	if (role == ROLE_ADMIN) {
		pages_redirect(req, mr, "/admin/users");
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	return (page_signed_in(req, mr, NULL, 0, NULL, render_home));
}

/*
 * Single sign-on, when the instance has it (issue 24): a link (a GET,
 * so no script and no form is needed) to /auth/sso/start, which sends
 * the browser on to the provider.
 */
static void
sso_offer(struct medex_req *mr, const char *next)
{
	char	href[RETURN_TO_MAX * 3 + 64];

	if (!sso.on)
		return;
	kore_strlcpy(href, "/auth/sso/start", sizeof(href));
	if (return_to_valid(next)) {
		kore_strlcpy(href, "/auth/sso/start?next=", sizeof(href));
		if (!return_to_encode(next, href + strlen(href),
		    sizeof(href) - strlen(href)))
			kore_strlcpy(href, "/auth/sso/start", sizeof(href));
	}
	html_raw(&mr->body, "<h2 class=\"nhsuk-heading-m\" id=\"sso\">"
	    "Or sign in with ");
	html_text(&mr->body, sso.label);
	html_raw(&mr->body, "</h2><p>");
	html_start(&mr->body, "a");
	html_attr(&mr->body, "class", "nhsuk-button nhsuk-button--secondary");
	html_attr(&mr->body, "href", href);
	html_attr(&mr->body, "id", "sso-start");
	html_end(&mr->body);
	html_raw(&mr->body, "Sign in with ");
	html_text(&mr->body, sso.label);
	html_raw(&mr->body, "</a></p>");
}

/*
 * The sign-in form, with what was typed (never the password), and the
 * page to return to afterwards as a hidden field (only a valid one).
 */
static void
login_page_body(struct medex_req *mr, const char *username,
    const char *next, const struct page_error *errs, size_t nerrs)
{
	struct page_input	in;
	const char		*uerr, *perr, *oerr;
	size_t			 i;

	uerr = perr = oerr = NULL;
	for (i = 0; i < nerrs; i++) {
		if (strcmp(errs[i].field, "username") == 0)
			uerr = errs[i].message;
		if (strcmp(errs[i].field, "password") == 0)
			perr = errs[i].message;
		if (strcmp(errs[i].field, "otp") == 0)
			oerr = errs[i].message;
	}
	sbuf_reset(&mr->body);
	page_begin(&mr->body, "Sign in", nerrs > 0, NULL, NAV_NONE);
	html_raw(&mr->body, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
	page_error_summary(&mr->body, errs, nerrs);
	page_h1(&mr->body, NULL, "Sign in to medex");
	html_raw(&mr->body, "<form action=\"/login\" method=\"post\" "
	    "novalidate>");
	if (return_to_valid(next)) {
		html_raw(&mr->body, "<input type=\"hidden\" name=\"next\"");
		html_attr(&mr->body, "value", next);
		html_raw(&mr->body, ">");
	}
	memset(&in, 0, sizeof(in));
	in.id = "username";
	in.label = "Username";
	in.value = username;
	in.autocomplete = "username";
	in.error = uerr;
	in.width = "20";
	page_field(&mr->body, &in);
	memset(&in, 0, sizeof(in));
	in.id = "password";
	in.label = "Password";
	in.type = "password";
	in.autocomplete = "current-password";
	in.error = perr;
	in.width = "20";
	page_field(&mr->body, &in);
	/*
	 * Always there (no script needed to show it after otp_required):
	 * left empty by those without two-step sign-in.
	 */
	memset(&in, 0, sizeof(in));
	in.id = "otp";
	in.label = "Security code (if you use two-step sign-in)";
	in.hint = "The 6-digit code from your authenticator app, or a "
	    "recovery code";
	in.autocomplete = "one-time-code";
	in.error = oerr;
	in.width = "10";
	page_field(&mr->body, &in);
	page_button(&mr->body, "Sign in");
	html_raw(&mr->body, "</form>");
	sso_offer(mr, next);
	html_raw(&mr->body, "</div></div>");
	page_end(&mr->body);
	mr->content_type = HTML_TYPE;
}

void
pages_login_body(struct medex_req *mr, const char *username,
    const char *next, const char *field, const char *message)
{
	struct page_error	e;

	e.field = field;
	e.message = message;
	login_page_body(mr, username, next, &e, field != NULL ? 1 : 0);
}

int
pages_login_form(struct http_request *req, struct medex_req *mr)
{
	char	next[RETURN_TO_MAX + 1];

	if (query_get(req->query_string, "next", next, sizeof(next)) !=
	    QUERY_FOUND)
		next[0] = '\0';
	login_page_body(mr, NULL, next, NULL, 0);
	return (medex_respond(req, mr, 200, HTML_TYPE, mr->body.data,
	    mr->body.len));
}

/*
 * Where a sign-in goes first: the password change (a one-time password
 * set by an admin), the two-step set-up (a role that must use it), or
 * NULL: the page asked for.
 */
static const char *
login_must_go(struct medex_req *mr)
{
	json_t		*j, *u;
	const char	*where;

	if ((j = jr_load(mr->body.data, mr->body.len)) == NULL)
		return (NULL);
	u = json_object_get(j, "user");
	where = json_is_true(json_object_get(u, "password_change_required")) ?
	    "/account/password" : json_is_true(json_object_get(u,
	    "otp_enrolment_required")) ? "/account/two-step" : NULL;
	json_decref(j);
	return (where);
}

/* The error code of a refused sign-in, into code ("" when none). */
static void
login_error_code(struct medex_req *mr, char *code, size_t len)
{
	json_t		*j;
	const char	*c;

	code[0] = '\0';
	if ((j = jr_load(mr->body.data, mr->body.len)) == NULL)
		return;
	c = json_string_value(json_object_get(json_object_get(j, "error"),
	    "code"));
	if (c != NULL)
		kore_strlcpy(code, c, len);
	json_decref(j);
}

/*
 * After login_finish (or the throttle check): 200 is signed in, with
 * the cookie set, and goes to the start page; 401 and 429 show the form
 * again.  Only prepares the answer: the login steps send it.
 */
static void
login_done(struct http_request *req, struct medex_req *mr)
{
	static const struct page_error	bad[] = { { "username",
		"The username or password is not right" } };
	static const struct page_error	slow[] = { { "username",
		"Too many sign-in attempts: wait, then try again" } };
	static const struct page_error	busy[] = { { "username",
		"Too many sign-ins are being checked: try again in a few "
		"seconds" } };
	static const struct page_error	otp[] = { { "otp",
		"Enter the security code from your authenticator app (and "
		"your password again)" } };
	static const struct page_error	otp_bad[] = { { "otp",
		"The security code is not right, or has been used: enter "
		"the next one (and your password again)" } };
	static const struct page_error	sso_only[] = { { "username",
		"Your office signs in with single sign-on: use the button "
		"below instead of your password" } };

	const char			*next, *where;
	char				 code[32];

	next = form_get(mr->form, "next");
	if (mr->status == 200) {
		where = login_must_go(mr);
		pages_redirect(req, mr, where != NULL ? where :
		    return_to_valid(next) ? next : "/");
		return;
	}
	login_error_code(mr, code, sizeof(code));
	login_page_body(mr, form_get(mr->form, "username"), next,
	    mr->status == 429 ? slow : mr->status == 503 ? busy :
	    strcmp(code, "otp_required") == 0 ? otp :
	    strcmp(code, "otp_invalid") == 0 ? otp_bad :
	    strcmp(code, "sso_required") == 0 ? sso_only : bad, 1);
}

int
pages_login(struct http_request *req, struct medex_req *mr)
{
	struct page_error	 errs[2];
	size_t			 n;
	const char		*u, *p;

	u = form_get(mr->form, "username");
	p = form_get(mr->form, "password");
	n = 0;
	if (u == NULL || *u == '\0') {
		errs[n].field = "username";
		errs[n++].message = "Enter your username";
	}
	if (p == NULL || *p == '\0') {
		errs[n].field = "password";
		errs[n++].message = "Enter your password";
	}
	if (n > 0) {
		login_page_body(mr, u, form_get(mr->form, "next"), errs, n);
		return (medex_respond(req, mr, 422, HTML_TYPE, mr->body.data,
		    mr->body.len));
	}
	return (auth_login_start(req, mr, u, p, form_get(mr->form, "otp"),
	    login_done));
}

/* POST /logout: the session ends (CSRF checked by api_logout). */
static void
logout_done(struct http_request *req, struct medex_req *mr)
{
	const char	*end;
	char		 refresh[2048];

	if (mr->status != 204) {
		pages_refused(req, mr);
		return;
	}
	cookie_set(req, "", 0);
	end = sso_session_cookie(req) ? sso_end_session_url() : NULL;
	if (end == NULL) {
		pages_redirect(req, mr, "/login");
		return;
	}
	/*
	 * Signed in by single sign-on: medex's session has ended, and the
	 * browser goes on to the provider's end-session page, so that the
	 * next person at this computer is not signed in by it.  A Refresh
	 * rather than a redirect: CSP form-action 'self' would stop a
	 * redirect of this POST to another site.  The link is for a
	 * browser that does not follow it.
	 */
	sso_session_cookie_clear(req);
	if ((size_t)snprintf(refresh, sizeof(refresh), "0;url=%s", end) <
	    sizeof(refresh))
		http_response_header(req, "refresh", refresh);
	sbuf_reset(&mr->body);
	page_begin(&mr->body, "Signed out", 0, NULL, NAV_NONE);
	page_h1(&mr->body, NULL, "You are signed out of medex");
	page_p(&mr->body, "Now signing you out of your organisation account "
	    "too.");
	html_raw(&mr->body, "<p>");
	html_start(&mr->body, "a");
	html_attr(&mr->body, "class", "nhsuk-button");
	html_attr(&mr->body, "id", "sso-end-session");
	html_attr(&mr->body, "href", end);
	html_end(&mr->body);
	html_raw(&mr->body, "Sign out of ");
	html_text(&mr->body, sso.label);
	html_raw(&mr->body, " too</a></p><p><a class=\"nhsuk-link\" "
	    "href=\"/login\">Sign in to medex again</a></p>");
	page_end(&mr->body);
	mr->status = 200;
	mr->content_type = HTML_TYPE;
}

int
pages_logout(struct http_request *req, struct medex_req *mr)
{
	mr->on_api_result = logout_done;
	return (api_call(req, mr, sql_logout, 0, NULL));
}
