/*
 * GET, POST /account/password: any signed-in user changes their own
 * password, through the API's steps (password_change_start,
 * api_password.c).  Done, it goes back to the form with "Your password
 * has been changed" (and every other session of the user has ended).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api_password.h"
#include "form.h"
#include "handlers.h"
#include "html_writer.h"
#include "page.h"
#include "page_frame.h"
#include "password.h"
#include "query.h"
#include "respond.h"
#include "signed_in.h"

/* The form; user is NULL after a POST (no api_me: the username shows). */
static void
password_form(struct medex_req *mr, struct sbuf *sb, const char *name,
    int changed, int must, const struct page_error *errs, size_t nerrs)
{
	struct page_user	 u;
	struct page_input	 in;
	const char		*cerr, *nerr;
	size_t			 i;

	cerr = nerr = NULL;
	for (i = 0; i < nerrs; i++) {
		if (strcmp(errs[i].field, "current_password") == 0)
			cerr = errs[i].message;
		if (strcmp(errs[i].field, "new_password") == 0)
			nerr = errs[i].message;
	}
	page_begin(sb, "Change your password", nerrs > 0,
	    pages_user(mr, name, &u) ? &u : NULL, NAV_ACCOUNT);
	html_raw(sb, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
	page_error_summary(sb, errs, nerrs);
	page_h1(sb, "Your account", "Change your password");
	if (changed)
		html_raw(sb, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<span class=\"nhsuk-u-visually-hidden\">Information: "
		    "</span><p>Your password has been changed. You have been "
		    "signed out everywhere else.</p><p><a href=\"/\">"
		    "Continue to medex</a></p></div>");
	/* Why every other page sends the user here (auth_check). */
	if (must)
		html_raw(sb, "<div class=\"nhsuk-warning-callout\">"
		    "<h2 class=\"nhsuk-warning-callout__label\">"
		    "<span role=\"text\"><span class=\"nhsuk-u-visually-hidden\">"
		    "Important: </span>Choose a new password</span></h2>"
		    "<p>An admin set your password, and it works only once. "
		    "Choose a new password before you go on: until then you "
		    "cannot use medex.</p><p>Your current password is the one "
		    "the admin gave you.</p></div>");
	page_p(sb, "Changing your password signs you out on every other "
	    "device and browser.");
	html_raw(sb, "<form action=\"/account/password\" method=\"post\" "
	    "novalidate>");
	page_csrf_field(sb, mr->page_csrf);
	memset(&in, 0, sizeof(in));
	in.id = "current_password";
	in.label = "Current password";
	in.type = "password";
	in.autocomplete = "current-password";
	in.error = cerr;
	in.width = "20";
	page_field(sb, &in);
	memset(&in, 0, sizeof(in));
	in.id = "new_password";
	in.label = "New password";
	in.hint = "At least 12 characters";
	in.type = "password";
	in.autocomplete = "new-password";
	in.error = nerr;
	in.width = "20";
	page_field(sb, &in);
	page_button(sb, "Change password");
	html_raw(sb, "</form><h2>Two-step sign-in</h2>"
	    "<p>A security code from an app on your phone as well as your "
	    "password when you sign in.</p><p><a href=\"/account/two-step\">"
	    "Set up or turn off two-step sign-in</a></p></div></div>");
	page_end(sb);
}

static void
render_form(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	char	done[8];

	(void)j;
	password_form(mr, sb, page_display_name(mr),
	    query_get(req->query_string, "changed", done, sizeof(done)) ==
	    QUERY_FOUND && strcmp(done, "1") == 0,
	    page_must_change_password(mr), NULL, 0);
}

int
pages_password_form(struct http_request *req, struct medex_req *mr)
{
	return (page_signed_in(req, mr, NULL, 0, NULL, render_form));
}

/* After api_password_change: 204 is done; 422 shows the form again. */
static void
password_done(struct http_request *req, struct medex_req *mr)
{
	static const struct page_error	wrong[] = { { "current_password",
		"Your current password is not right" } };

	if (mr->status == 204) {
		pages_redirect(req, mr, "/account/password?changed=1");
		return;
	}
	if (mr->status == 422) {
		sbuf_reset(&mr->body);
		password_form(mr, &mr->body, NULL, 0, 0, wrong, 1);
		mr->content_type = HTML_TYPE;
		return;
	}
	pages_refused(req, mr);
}

int
pages_password(struct http_request *req, struct medex_req *mr)
{
	struct page_error	 errs[2];
	const char		*cur, *next;
	size_t			 n;

	cur = form_get(mr->form, "current_password");
	next = form_get(mr->form, "new_password");
	n = 0;
	if (cur == NULL || *cur == '\0') {
		errs[n].field = "current_password";
		errs[n++].message = "Enter your current password";
	}
	if (next == NULL || *next == '\0') {
		errs[n].field = "new_password";
		errs[n++].message = "Enter a new password";
	} else if (password_policy_check(next) != NULL) {
		errs[n].field = "new_password";
		errs[n++].message = "Enter a new password of at least 12 "
		    "characters (at most 256 bytes)";
	} else if (cur != NULL && strcmp(cur, next) == 0) {
		errs[n].field = "new_password";
		errs[n++].message = "Enter a new password that is different "
		    "from your current password";
	}
	if (n > 0) {
		sbuf_reset(&mr->body);
		password_form(mr, &mr->body, NULL, 0, 0, errs, n);
		return (medex_respond(req, mr, 422, HTML_TYPE, mr->body.data,
		    mr->body.len));
	}
	return (password_change_start(req, mr, cur, next, password_done));
}
