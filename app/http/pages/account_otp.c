/*
 * Two-step sign-in on one's own account, through the API's steps
 * (api_otp.c):
 *
 *   GET  /account/two-step          on or off, and the button or form
 *   POST /account/two-step          set up: the secret, its otpauth://
 *                                   URI and the recovery codes, shown
 *                                   this once, and the form to confirm
 *   POST /account/two-step/confirm  a code from the app turns it on
 *   POST /account/two-step/disable  a code or recovery code turns it off
 *
 * The secret is shown as text to type or paste into an authenticator
 * app (no QR code: that would need libqrencode, not a dependency yet).
 */
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api_otp.h"
#include "form.h"
#include "handlers.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_frame.h"
#include "query.h"
#include "respond.h"
#include "signed_in.h"

/* The page's start after a POST (no api_me: the username shows). */
static void
otp_open(struct medex_req *mr, struct sbuf *sb, const char *title,
    int errors)
{
	struct page_user	u;

	page_begin(sb, title, errors, pages_user(mr, NULL, &u) ? &u : NULL,
	    NAV_ACCOUNT);
	html_raw(sb, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
}

static void
otp_close(struct sbuf *sb)
{
	html_raw(sb, "</div></div>");
	page_end(sb);
}

/* A form with one code field, posting to action. */
static void
code_form(struct medex_req *mr, struct sbuf *sb, const char *action,
    const char *label, const char *hint, const char *error,
    const char *button)
{
	struct page_input	in;

	html_raw(sb, "<form method=\"post\" novalidate");
	html_attr(sb, "action", action);
	html_raw(sb, ">");
	page_csrf_field(sb, mr->page_csrf);
	memset(&in, 0, sizeof(in));
	in.id = "code";
	in.label = label;
	in.hint = hint;
	in.autocomplete = "one-time-code";
	in.error = error;
	in.width = "10";
	page_field(sb, &in);
	page_button(sb, button);
	html_raw(sb, "</form>");
}

static void
render_otp(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	char	done[8];
	int	on, must;

	on = json_is_true(json_object_get(j, "otp_enabled"));
	must = json_is_true(json_object_get(j, "otp_enrolment_required"));
	if (query_get(req->query_string, "done", done, sizeof(done)) !=
	    QUERY_FOUND)
		done[0] = '\0';
	page_open(mr, sb, "Two-step sign-in", NAV_ACCOUNT);
	html_raw(sb, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
	page_h1(sb, "Your account", "Two-step sign-in");
	if (strcmp(done, "on") == 0 && on)
		page_inset(sb, "Two-step sign-in is on. You will need a code "
		    "from your authenticator app each time you sign in.");
	if (strcmp(done, "off") == 0 && !on)
		page_inset(sb, "Two-step sign-in is off.");
	/* Why every other page sends the user here (auth_check). */
	if (must)
		html_raw(sb, "<div class=\"nhsuk-warning-callout\">"
		    "<h2 class=\"nhsuk-warning-callout__label\">"
		    "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">"
		    "Important: </span>Set up two-step sign-in</span></h2>"
		    "<p>Your role must use two-step sign-in. Set it up before "
		    "you go on: until then you cannot use medex.</p></div>");
	page_p(sb, "With two-step sign-in, signing in takes your password "
	    "and a 6-digit security code from an authenticator app on your "
	    "phone (for example Microsoft Authenticator, Google "
	    "Authenticator or FreeOTP).");
	if (!on) {
		page_p(sb, "Two-step sign-in is off.");
		html_raw(sb, "<form action=\"/account/two-step\" "
		    "method=\"post\" novalidate>");
		page_csrf_field(sb, mr->page_csrf);
		page_button(sb, "Set up two-step sign-in");
		html_raw(sb, "</form></div></div>");
		page_end(sb);
		return;
	}
	page_p(sb, "Two-step sign-in is on.");
	html_raw(sb, "<h2>Turn off two-step sign-in</h2>");
	code_form(mr, sb, "/account/two-step/disable", "Security code",
	    "The code your authenticator app shows now, or one of your "
	    "recovery codes", NULL, "Turn off two-step sign-in");
	html_raw(sb, "<p><a href=\"/account/password\">Back to your account"
	    "</a></p></div></div>");
	page_end(sb);
}

int
pages_otp(struct http_request *req, struct medex_req *mr)
{
	return (page_signed_in(req, mr, NULL, 0, NULL, render_otp));
}

/* The set-up page: what api_otp_start answered, shown this once. */
static void
enrol_page(struct medex_req *mr, json_t *j)
{
	struct sbuf	*sb = &mr->body;
	json_t		*codes;
	const char	*secret, *uri;
	size_t		 i;

	secret = json_string_value(json_object_get(j, "secret"));
	uri = json_string_value(json_object_get(j, "otpauth_uri"));
	codes = json_object_get(j, "recovery_codes");
	sbuf_reset(sb);
	otp_open(mr, sb, "Set up two-step sign-in", 0);
	page_h1(sb, "Your account", "Set up two-step sign-in");
	html_raw(sb, "<h2>1. Add medex to your authenticator app</h2>"
	    "<p>In the app, choose to add an account by entering a key, "
	    "and enter this key (a time-based key):</p>"
	    "<p class=\"nhsuk-body-l medex-break\"><code id=\"otp-secret\">");
	html_text(sb, secret != NULL ? secret : "");
	html_raw(sb, "</code></p><p>Or, if your app takes a link, this one:"
	    "</p><p class=\"medex-break\"><code id=\"otp-uri\">");
	html_text(sb, uri != NULL ? uri : "");
	html_raw(sb, "</code></p><h2>2. Keep your recovery codes</h2>"
	    "<p>Each of these codes works once in place of a security code, "
	    "if you lose your phone. Write them down or print them and keep "
	    "them safe: they are not shown again.</p>"
	    "<ul class=\"nhsuk-list\" id=\"otp-recovery-codes\">");
	for (i = 0; i < json_array_size(codes); i++) {
		html_raw(sb, "<li><code>");
		html_text(sb, json_string_value(json_array_get(codes, i)));
		html_raw(sb, "</code></li>");
	}
	html_raw(sb, "</ul><h2>3. Turn it on</h2>");
	code_form(mr, sb, "/account/two-step/confirm", "Security code",
	    "The 6-digit code your authenticator app shows now", NULL,
	    "Turn on two-step sign-in");
	otp_close(sb);
	mr->content_type = HTML_TYPE;
}

static void
enrol_done(struct http_request *req, struct medex_req *mr)
{
	json_t	*j;

	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	if ((j = jr_load(mr->body.data, mr->body.len)) == NULL) {
		page_error_body(mr, 500, NULL);
		return;
	}
	enrol_page(mr, j);
	json_decref(j);
}

int
pages_otp_start(struct http_request *req, struct medex_req *mr)
{
	return (otp_enrol_start(req, mr, enrol_done));
}

/* A wrong code: the form again, with the error (422). */
static void
code_again(struct medex_req *mr, int disable, const char *error)
{
	struct page_error	e;
	struct sbuf		*sb = &mr->body;

	e.field = "code";
	e.message = error;
	sbuf_reset(sb);
	otp_open(mr, sb, disable ? "Turn off two-step sign-in" :
	    "Set up two-step sign-in", 1);
	page_error_summary(sb, &e, 1);
	page_h1(sb, "Your account", disable ? "Turn off two-step sign-in" :
	    "Set up two-step sign-in");
	if (disable)
		code_form(mr, sb, "/account/two-step/disable",
		    "Security code", "The code your authenticator app shows "
		    "now, or one of your recovery codes", error,
		    "Turn off two-step sign-in");
	else
		code_form(mr, sb, "/account/two-step/confirm",
		    "Security code", "The 6-digit code your authenticator "
		    "app shows now, for the key shown before", error,
		    "Turn on two-step sign-in");
	html_raw(sb, "<p><a href=\"/account/two-step\">Start again</a></p>");
	otp_close(sb);
	mr->content_type = HTML_TYPE;
}

static void
confirm_done(struct http_request *req, struct medex_req *mr)
{
	if (mr->status == 204) {
		pages_redirect(req, mr, "/account/two-step?done=on");
		return;
	}
	if (mr->status == 422) {
		code_again(mr, 0, "Enter the code your authenticator app "
		    "shows now");
		return;
	}
	pages_refused(req, mr);
}

static void
disable_done(struct http_request *req, struct medex_req *mr)
{
	if (mr->status == 204) {
		pages_redirect(req, mr, "/account/two-step?done=off");
		return;
	}
	if (mr->status == 422) {
		code_again(mr, 1, "Enter the code your authenticator app "
		    "shows now, or an unused recovery code");
		return;
	}
	pages_refused(req, mr);
}

/* An empty code is the form again, without asking the database. */
static int
code_post(struct http_request *req, struct medex_req *mr, int disable)
{
	const char	*code;

	code = form_get(mr->form, "code");
	if (code == NULL || *code == '\0') {
		code_again(mr, disable, "Enter the security code");
		return (medex_respond(req, mr, 422, HTML_TYPE, mr->body.data,
		    mr->body.len));
	}
	return (otp_code_start(req, mr, disable, code, disable ?
	    disable_done : confirm_done));
}

int
pages_otp_confirm(struct http_request *req, struct medex_req *mr)
{
	return (code_post(req, mr, 0));
}

int
pages_otp_disable(struct http_request *req, struct medex_req *mr)
{
	return (code_post(req, mr, 1));
}
