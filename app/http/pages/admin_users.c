/*
 * The admin's pages for users (issue 18):
 *
 * GET /admin/users/{username}           the user: a summary list with
 *                                       "Change" links (lead ME: read)
 * GET, POST /admin/add-user             add a user, with a one-time
 *                                       password typed or made here
 * GET, POST /admin/users/{u}/role       change the role
 * GET, POST /admin/users/{u}/office     move to another office
 * GET, POST /admin/users/{u}/status     disable or re-enable
 * GET, POST /admin/users/{u}/password   reset the password (one-time)
 * GET, POST /admin/users/{u}/sso        single sign-on (issue 24): the
 *                                       provider's subject, the email
 *                                       that may link it, break-glass
 *
 * Every write is the API's call (api_user_create, api_user_patch, with
 * If-Match from the version the form was shown with), so the sessions
 * end and the security log records as through the API.  A one-time
 * password is shown once, in the POST's answer (never in a URL), and the
 * user must change it at their next sign-in (auth_check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/rand.h>

#include "medex.h"
#include "admin_forms.h"
#include "admin_offices.h"
#include "admin_users.h"
#include "api.h"
#include "api_admin.h"
#include "form.h"
#include "handlers.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_call.h"
#include "page_frame.h"
#include "password.h"
#include "query.h"
#include "respond.h"
#include "role.h"
#include "validate.h"

static const char sql_user_get[] =
    "SELECT * FROM api_user_get($1, $2, $3, $4, $5, $6, $7)";
static const char sql_office_list[] =
    "SELECT * FROM api_office_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";
static const char sql_office_get[] =
    "SELECT * FROM api_office_get($1, $2, $3, $4, $5, $6, $7)";
static const char sql_deny[] =
    "SELECT * FROM api_deny($1, $2, $3, $4, $5, $6)";

#define GEN_PASSWORD_LEN	19	/* xxxx-xxxx-xxxx-xxxx */

static const char *
user_role_label(json_t *u)
{
	const char	*r = admin_str(u, "role");
	enum role	 role;

	if (r != NULL && role_from_str(r, &role) == 0)
		return (role_label(role));
	return (r != NULL ? r : "");
}

static void
render_add_user(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	admin_begin(mr, pc, sb, "Add a user", NAV_USERS);
	admin_errors(pc, sb, "Add a user");
	form_open(mr, sb, "/admin/add-user");
	text_field(sb, pc, "username", "Username", "3 to 64 lower-case "
	    "letters, numbers, dots, hyphens or underscores, for example "
	    "jo.smith", fv(mr, "username"), "text", "20");
	text_field(sb, pc, "display_name", "Full name", NULL,
	    fv(mr, "display_name"), "text", NULL);
	role_radios(sb, fv(mr, "role"), admin_err(pc, "role"));
	office_select(sb, pc->list, fv(mr, "office"), admin_err(pc, "office"));
	text_field(sb, pc, "password", "One-time password (optional)",
	    "Leave this empty and medex makes one. You will see it once, on "
	    "the next page. The user must change it when they first sign in.",
	    NULL, "text", "20");
	page_button(sb, "Add user");
	html_raw(sb, "</form></div></div>");
	page_end(sb);
}

/* The single sign-on rows of the user's summary list (issue 24). */
static void
sso_rows(struct sbuf *sb, json_t *u, int admin, const char *base)
{
	const char	*sub = admin_str(u, "sso_subject");
	const char	*email = admin_str(u, "email");
	char		 href[200], mail[320];

	snprintf(href, sizeof(href), "%s/sso", base);
	summary_row(sb, "Single sign-on", sub != NULL ? sub : "Not linked",
	    admin ? href : NULL, "Change", "single sign-on");
	snprintf(mail, sizeof(mail), "%s%s", email != NULL ? email : "None",
	    email != NULL && json_is_true(json_object_get(u,
	    "sso_email_link")) ? " (links at the first single sign-on)" : "");
	summary_row(sb, "Email", mail, admin ? href : NULL, "Change",
	    "email");
	summary_row(sb, "Break-glass", json_is_true(json_object_get(u,
	    "break_glass")) ? "Yes: may use a password where the office "
	    "requires single sign-on" : "No", admin ? href : NULL, "Change",
	    "break-glass");
}

/* GET /admin/users/{username}, with ?done= after a change. */
static void
render_user(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	static const struct { const char *k, *text; } dones[] = {
		{ "role", "Role changed. They have been signed out." },
		{ "office", "Office changed. They have been signed out." },
		{ "status", "Status changed." },
		{ "sso", "Single sign-on settings changed." },
	};
	json_t			*u = pc->summary;
	const char		*name, *un;
	char			 base[160], href[200];
	int			 admin;
	size_t			 i;

	admin = pc_role(mr) == ROLE_ADMIN;
	un = admin_str(u, "username");
	name = admin_str(u, "display_name");
	admin_begin(mr, pc, sb, name != NULL ? name : "User", NAV_USERS);
	for (i = 0; i < sizeof(dones) / sizeof(dones[0]); i++)
		if (strcmp(pc->to, dones[i].k) == 0)
			done_banner(sb, dones[i].text);
	page_h1(sb, "User", name != NULL ? name : "");
	snprintf(base, sizeof(base), "/admin/users/%s", un != NULL ? un : "");
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	summary_row(sb, "Username", un != NULL ? un : "", NULL, NULL, NULL);
	summary_row(sb, "Full name", name != NULL ? name : "", NULL, NULL,
	    NULL);
	snprintf(href, sizeof(href), "%s/role", base);
	summary_row(sb, "Role", user_role_label(u), admin ? href : NULL,
	    "Change", "role");
	snprintf(href, sizeof(href), "%s/office", base);
	summary_row(sb, "Office", admin_str(u, "office") != NULL ?
	    admin_str(u, "office") : "", admin ? href : NULL, "Change",
	    "office");
	snprintf(href, sizeof(href), "%s/status", base);
	summary_row(sb, "Status", json_is_true(json_object_get(u,
	    "disabled")) ? "Disabled: cannot sign in" : "Active",
	    admin ? href : NULL, json_is_true(json_object_get(u,
	    "disabled")) ? "Re-enable" : "Disable", "user");
	snprintf(href, sizeof(href), "%s/password", base);
	summary_row(sb, "Password", json_is_true(json_object_get(u,
	    "password_change_required")) ? "One-time: to be changed at the "
	    "next sign-in" : "Chosen by the user", admin ? href : NULL,
	    "Reset", "password");
	sso_rows(sb, u, admin, base);
	html_raw(sb, "</dl><p class=\"nhsuk-body\"><a href=\"/admin/users\">"
	    "Back to users</a></p></div></div>");
	page_end(sb);
}

static void
user_form_top(struct medex_req *mr, struct pc *pc, struct sbuf *sb,
    const char *title, const char *what)
{
	char	action[160], ver[24];
	json_t	*u = pc->summary;

	admin_begin(mr, pc, sb, title, NAV_USERS);
	admin_errors(pc, sb, title);
	page_p(sb, admin_str(u, "display_name") != NULL ?
	    admin_str(u, "display_name") : "");
	snprintf(action, sizeof(action), "/admin/users/%s/%s",
	    admin_str(u, "username") != NULL ? admin_str(u, "username") : "",
	    what);
	form_open(mr, sb, action);
	snprintf(ver, sizeof(ver), "%lld", (long long)json_integer_value(
	    json_object_get(u, "version")));
	admin_hidden(sb, "version", ver);
}

static void
form_end(struct sbuf *sb, json_t *u)
{
	char	back[160];

	snprintf(back, sizeof(back), "/admin/users/%s",
	    admin_str(u, "username") != NULL ? admin_str(u, "username") : "");
	html_raw(sb, "</form><p class=\"nhsuk-body\">");
	html_start(sb, "a");
	html_attr(sb, "href", back);
	html_end(sb);
	html_raw(sb, "Cancel</a></p></div></div>");
	page_end(sb);
}

/* A value of the form sent (errors shown), else the user's. */
static const char *
sent_or(struct medex_req *mr, struct pc *pc, const char *name,
    const char *stored)
{
	if (pc->errors != NULL)
		return (fv(mr, name));
	return (stored);
}

static int
ticked_or(struct medex_req *mr, struct pc *pc, const char *name, json_t *u)
{
	const char	*v;

	if (pc->errors != NULL)
		return ((v = fv(mr, name)) != NULL && strcmp(v, "true") == 0);
	return (json_is_true(json_object_get(u, name)));
}

static void
render_sso_form(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	json_t	*u = pc->summary;

	user_form_top(mr, pc, sb, "Change single sign-on", "sso");
	text_field(sb, pc, "sso_subject", "Subject at the identity provider",
	    "The sub claim the organisation's identity provider sends for "
	    "this person (for NHS CIS2, their 12-digit user ID, the UUID). "
	    "Leave empty to unlink.",
	    sent_or(mr, pc, "sso_subject", admin_str(u, "sso_subject")),
	    "text", NULL);
	text_field(sb, pc, "email", "Email (optional)", "Their work email "
	    "address, as the identity provider holds it",
	    sent_or(mr, pc, "email", admin_str(u, "email")), "email", NULL);
	checkbox_field(sb, "sso_email_link", "Link by this email at their "
	    "first single sign-on", "Only where the provider verifies "
	    "emails: the first sign-in whose verified email is this one "
	    "stores its subject here.", ticked_or(mr, pc, "sso_email_link",
	    u));
	checkbox_field(sb, "break_glass", "Break-glass: may sign in with a "
	    "password where the office requires single sign-on", "For an "
	    "admin who must get in when the provider is down. Keep it to "
	    "one or two people.", ticked_or(mr, pc, "break_glass", u));
	warning(sb, "A new subject signs them out", "Changing or removing "
	    "the subject ends every session of this user at once.");
	page_button(sb, "Save single sign-on");
}

static void
render_user_form(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	json_t		*u = pc->summary;
	int		 off;

	switch (admin_form_of(mr->route->pattern)) {
	case AF_ROLE:
		user_form_top(mr, pc, sb, "Change the role", "role");
		role_radios(sb, fv(mr, "role") != NULL ? fv(mr, "role") :
		    admin_str(u, "role"), admin_err(pc, "role"));
		warning(sb, "They will be signed out", "A new role ends "
		    "every session of this user at once.");
		page_button(sb, "Save role");
		break;
	case AF_USER_OFFICE:
		user_form_top(mr, pc, sb, "Change the office", "office");
		office_select(sb, pc->list, fv(mr, "office") != NULL ?
		    fv(mr, "office") : admin_str(u, "office"),
		    admin_err(pc, "office"));
		warning(sb, "They will be signed out", "A new office ends "
		    "every session of this user at once. They will see only "
		    "the new office's cases.");
		page_button(sb, "Save office");
		break;
	case AF_STATUS:
		off = json_is_true(json_object_get(u, "disabled"));
		user_form_top(mr, pc, sb, off ? "Re-enable this user" :
		    "Disable this user", "status");
		admin_hidden(sb, "disabled", off ? "false" : "true");
		if (off) {
			page_p(sb, "They will be able to sign in again with "
			    "their password.");
			page_button(sb, "Re-enable user");
		} else {
			warning(sb, "They will be signed out", "A disabled "
			    "user is signed out at once and cannot sign in "
			    "until an admin re-enables them. Their cases and "
			    "records are kept.");
			html_raw(sb, "<button class=\"nhsuk-button "
			    "nhsuk-button--warning\" data-module=\"nhsuk-button\" "
			    "type=\"submit\">Disable user</button>");
		}
		break;
	case AF_USER_SSO:
		render_sso_form(mr, pc, sb);
		break;
	default:
		user_form_top(mr, pc, sb, "Reset the password", "password");
		warning(sb, "They will be signed out", "Their password stops "
		    "working at once and every session ends. The new "
		    "password works once: they must choose their own when "
		    "they next sign in.");
		text_field(sb, pc, "password", "One-time password (optional)",
		    "Leave this empty and medex makes one. You will see it "
		    "once, on the next page.", NULL, "text", "20");
		html_raw(sb, "<button class=\"nhsuk-button "
		    "nhsuk-button--warning\" data-module=\"nhsuk-button\" "
		    "type=\"submit\">Reset password</button>");
		break;
	}
	form_end(sb, u);
}

static void
admin_render(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	switch (admin_form_of(mr->route->pattern)) {
	case AF_ADD_USER:
		render_add_user(mr, pc, sb);
		break;
	case AF_ADD_OFFICE:
		admin_office_add_render(mr, pc, sb);
		break;
	case AF_OFFICE:
		admin_office_render(mr, pc, sb);
		break;
	default:
		render_user_form(mr, pc, sb);
		break;
	}
}

/* The form's reads, then admin_render. */
static int
admin_show(struct http_request *req, struct medex_req *mr, struct pc *pc)
{
	const char	*list[2] = { "200", NULL }, *p[1];
	enum admin_form	 f = admin_form_of(mr->route->pattern);

	(void)req;
	pc->render = admin_render;
	pc->ncalls = 0;
	pc_add_me(pc);
	p[0] = pc->id;
	if (f == AF_OFFICE)
		pc_add(pc, sql_office_get, 1, p, &pc->summary, 0);
	else if (f != AF_ADD_USER && f != AF_ADD_OFFICE)
		pc_add(pc, sql_user_get, 1, p, &pc->summary, 0);
	if (f == AF_ADD_USER || f == AF_USER_OFFICE)
		pc_add(pc, sql_office_list, 2, list, &pc->list, 0);
	return (pc_run(req, mr));
}

/* A role the route does not allow, on a route naming a user: 403. */
static int
admin_deny(struct http_request *req, struct medex_req *mr)
{
	mr->on_api_result = pages_refused;
	return (api_call(req, mr, sql_deny, 0, NULL));
}

int
pages_admin_form(struct http_request *req, struct medex_req *mr)
{
	if (pc_role(mr) != ROLE_ADMIN ||
	    admin_form_of(mr->route->pattern) == AF_NONE)
		return (admin_deny(req, mr));
	return (admin_show(req, mr, pc_new(mr)));
}

int
pages_admin_user(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;
	const char	*p[1];

	pc = pc_new(mr);
	pc->render = render_user;
	if (query_get(req->query_string, "done", pc->to, sizeof(pc->to)) !=
	    QUERY_FOUND)
		pc->to[0] = '\0';
	pc_add_me(pc);
	p[0] = pc->id;
	pc_add(pc, sql_user_get, 1, p, &pc->summary, 0);
	return (pc_run(req, mr));
}

int
admin_again(struct http_request *req, struct medex_req *mr, json_t *errors,
    int status)
{
	struct pc	*pc;

	/* The write's state (a finished hash task) is done with. */
	if (mr->step_free != NULL && mr->step_data != NULL)
		mr->step_free(mr->step_data);
	mr->step_data = NULL;
	mr->step_free = NULL;
	pc = pc_new(mr);
	pc->errors = errors;
	pc->status = status;
	return (admin_show(req, mr, pc));
}

/* The database's refusal of a write, in words on the form again. */
static int
admin_failed(struct http_request *req, struct medex_req *mr)
{
	static const struct { const char *field, *text; } words[] = {
		{ "username", "This username is taken: choose another" },
		{ "office", "Choose an office from the list" },
		{ "code", "An office with this code exists already: choose "
		    "another code" },
		{ "name", "Enter the office name, up to 200 characters" },
		{ "target_days", "Enter the target in days, from 1 to 30" },
	};
	json_t		*j, *errors, *fields;
	const char	*k;
	json_t		*v;
	size_t		 i;
	int		 status = mr->status;

	errors = json_object();
	j = jr_load(mr->body.data, mr->body.len);
	fields = json_object_get(json_object_get(j, "error"), "fields");
	json_object_foreach(fields, k, v) {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strcmp(k, words[i].field) == 0)
				json_object_set_new(errors, k,
				    json_string(words[i].text));
	}
	if (status == 409 && admin_form_of(mr->route->pattern) == AF_USER_SSO)
		json_object_set_new(errors, "sso_subject", json_string(
		    "Another user already has this subject or email: check "
		    "which person it belongs to"));
	if (status == 412)
		json_object_set_new(errors, "admin-form", json_string(
		    "Someone changed this since you opened the page. Check "
		    "it and try again"));
	if (json_object_size(errors) == 0)
		json_object_set_new(errors, "admin-form", json_string(
		    "This could not be saved. Check the form and try again"));
	json_decref(j);
	return (admin_again(req, mr, errors, status));
}

/* The page that shows a one-time password, once. */
static void
shown_once(struct medex_req *mr, const char *title, const char *who,
    const char *password)
{
	struct page_user	 u;
	struct sbuf		*sb = &mr->body;
	char			 back[160];

	sbuf_reset(sb);
	page_begin(sb, title, 0, pages_user(mr, NULL, &u) ? &u : NULL,
	    NAV_USERS);
	html_raw(sb, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
	page_h1(sb, NULL, title);
	html_raw(sb, "<div class=\"nhsuk-inset-text\"><span class="
	    "\"nhsuk-u-visually-hidden\">Information: </span><p>Username: "
	    "<strong>");
	html_text(sb, who);
	html_raw(sb, "</strong></p><p>One-time password: <strong "
	    "class=\"medex-secret\" id=\"one-time-password\">");
	html_text(sb, password);
	html_raw(sb, "</strong></p></div>");
	warning(sb, "Shown once", "Give this password to the user in "
	    "person or by phone, not by email. It is not shown again: if it "
	    "is lost, reset it. It works once: the user must choose their "
	    "own password when they sign in.");
	snprintf(back, sizeof(back), "/admin/users/%s", who);
	html_raw(sb, "<p class=\"nhsuk-body\">");
	html_start(sb, "a");
	html_attr(sb, "href", back);
	html_end(sb);
	html_raw(sb, "Go to the user</a></p></div></div>");
	page_end(sb);
	mr->status = 200;
	mr->content_type = HTML_TYPE;
}

void
admin_written(struct http_request *req, struct medex_req *mr)
{
	enum admin_form	 f = admin_form_of(mr->route->pattern);
	const char	*pw;
	char		 to[200];
	json_t		*j;

	if (mr->status >= 200 && mr->status < 300) {
		pw = form_get(mr->form, "password_shown");
		if (pw == NULL)
			pw = form_get(mr->form, "password");
		j = jr_load(mr->body.data, mr->body.len);
		if (f == AF_ADD_USER || f == AF_PASSWORD) {
			shown_once(mr, f == AF_ADD_USER ? "User added" :
			    "Password reset", admin_str(j, "username") != NULL ?
			    admin_str(j, "username") : "", pw != NULL ? pw : "");
		} else if (f == AF_ADD_OFFICE || f == AF_OFFICE) {
			snprintf(to, sizeof(to), "/admin/offices?done=%s",
			    admin_str(j, "code") != NULL ? admin_str(j, "code") :
			    "");
			pages_redirect(req, mr, to);
		} else {
			snprintf(to, sizeof(to), "/admin/users/%s?done=%s",
			    admin_str(j, "username") != NULL ?
			    admin_str(j, "username") : "", f == AF_ROLE ? "role" :
			    f == AF_USER_OFFICE ? "office" : f == AF_USER_SSO ?
			    "sso" : "status");
			pages_redirect(req, mr, to);
		}
		json_decref(j);
		return;
	}
	if (mr->status == 409 || mr->status == 412 || mr->status == 422) {
		mr->on_complete = admin_failed;
		return;
	}
	pages_refused(req, mr);
}

/* 16 letters and digits that cannot be misread, in fours. */
static int
generate_password(char out[GEN_PASSWORD_LEN + 1])
{
	static const char	alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	unsigned char		raw[16];
	size_t			i, k;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return (0);
	for (i = 0, k = 0; i < sizeof(raw); i++) {
		if (i > 0 && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[raw[i] % (sizeof(alphabet) - 1)];
	}
	out[k] = '\0';
	explicit_bzero(raw, sizeof(raw));
	return (1);
}

/* The typed one-time password, or one made here (in the form). */
static const char *
one_time_password(struct medex_req *mr, json_t *errors)
{
	const char	*pw = fv(mr, "password");
	char		 gen[GEN_PASSWORD_LEN + 1];

	if (pw != NULL) {
		if (password_policy_check(pw) != NULL)
			json_object_set_new(errors, "password", json_string(
			    "Enter a password of at least 12 characters, or "
			    "leave it empty"));
		return (pw);
	}
	if (!generate_password(gen))
		return (NULL);
	form_add(mr->form, "password_shown", gen);
	explicit_bzero(gen, sizeof(gen));
	return (form_get(mr->form, "password_shown"));
}

static int
post_add_user(struct http_request *req, struct medex_req *mr)
{
	json_t		*errors = json_object();
	const char	*un, *dn, *role, *office, *pw;
	char		*ndn = NULL, lower[65];
	enum role	 r;
	int		 ret;

	un = fv(mr, "username");
	dn = fv(mr, "display_name");
	role = fv(mr, "role");
	office = fv(mr, "office");
	if (un == NULL)
		json_object_set_new(errors, "username", json_string(
		    "Enter a username"));
	else if (!validate_username(un))
		json_object_set_new(errors, "username", json_string("Enter a "
		    "username of 3 to 64 letters, numbers, dots, hyphens or "
		    "underscores"));
	if (dn == NULL || validate_text(dn, 200, 0, &ndn) != TEXT_OK)
		json_object_set_new(errors, "display_name", json_string(
		    "Enter the user's full name, up to 200 characters"));
	if (role == NULL || role_from_str(role, &r) != 0)
		json_object_set_new(errors, "role", json_string(
		    "Choose a role"));
	if (office == NULL || !validate_office_code(office))
		json_object_set_new(errors, "office", json_string(
		    "Choose an office"));
	pw = one_time_password(mr, errors);
	if (json_object_size(errors) > 0 || pw == NULL) {
		free(ndn);
		return (admin_again(req, mr, errors, 422));
	}
	json_decref(errors);
	kore_strlcpy(lower, un, sizeof(lower));
	username_lower(lower);
	ret = admin_user_create(req, mr, NULL, NULL, lower, ndn, role, office,
	    pw, admin_written);
	free(ndn);
	return (ret);
}

/* The form's version for If-Match: digits, else the form again. */
static const char *
form_version(struct medex_req *mr, json_t *errors)
{
	const char	*v = fv(mr, "version");
	size_t		 i;

	for (i = 0; v != NULL && v[i] != '\0'; i++)
		if (v[i] < '0' || v[i] > '9' || i > 9)
			v = NULL;
	if (v == NULL)
		json_object_set_new(errors, "admin-form", json_string(
		    "This form is out of date: reload the page and try again"));
	return (v);
}

/* The single sign-on form as api_user_patch's p_sso (malloc'd). */
static char *
sso_json(struct medex_req *mr, json_t *errors)
{
	const char	*sub, *email, *v;
	char		*norm = NULL, *text;
	json_t		*o;

	o = json_object();
	sub = fv(mr, "sso_subject");
	email = fv(mr, "email");
	if (sub != NULL && validate_text(sub, 255, 0, &norm) != TEXT_OK)
		json_object_set_new(errors, "sso_subject", json_string(
		    "Enter the subject, up to 255 characters, or leave it "
		    "empty"));
	else
		json_object_set_new(o, "sso_subject", sub == NULL ?
		    json_null() : json_string(norm != NULL ? norm : sub));
	if (email != NULL && !validate_email(email))
		json_object_set_new(errors, "email", json_string("Enter an "
		    "email address in the correct format, like "
		    "name@example.nhs.uk, or leave it empty"));
	else
		json_object_set_new(o, "email", email == NULL ? json_null() :
		    json_string(email));
	v = fv(mr, "sso_email_link");
	if (v != NULL && email == NULL)
		json_object_set_new(errors, "email", json_string("Enter the "
		    "email address to link by, or untick linking by email"));
	json_object_set_new(o, "sso_email_link", json_boolean(v != NULL &&
	    strcmp(v, "true") == 0));
	v = fv(mr, "break_glass");
	json_object_set_new(o, "break_glass", json_boolean(v != NULL &&
	    strcmp(v, "true") == 0));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(norm);
	return (text);
}

static int
post_user_sso(struct http_request *req, struct medex_req *mr)
{
	json_t		*errors = json_object();
	const char	*ver;
	char		 un[65], *sso;
	int		 ret;

	kore_strlcpy(un, mr->cap.value[0], sizeof(un));
	username_lower(un);
	ver = form_version(mr, errors);
	sso = sso_json(mr, errors);
	if (json_object_size(errors) > 0 || sso == NULL) {
		free(sso);
		return (admin_again(req, mr, errors, 422));
	}
	json_decref(errors);
	ret = admin_user_patch(req, mr, un, ver, NULL, NULL, NULL, sso, NULL,
	    admin_written);
	free(sso);
	return (ret);
}

static int
post_user_change(struct http_request *req, struct medex_req *mr,
    enum admin_form f)
{
	json_t		*errors = json_object();
	const char	*ver, *role, *office, *dis, *pw;
	char		 un[65];
	enum role	 r;

	role = office = dis = pw = NULL;
	kore_strlcpy(un, mr->cap.value[0], sizeof(un));
	username_lower(un);
	ver = form_version(mr, errors);
	if (f == AF_ROLE && ((role = fv(mr, "role")) == NULL ||
	    role_from_str(role, &r) != 0))
		json_object_set_new(errors, "role", json_string(
		    "Choose a role"));
	if (f == AF_USER_OFFICE && ((office = fv(mr, "office")) == NULL ||
	    !validate_office_code(office)))
		json_object_set_new(errors, "office", json_string(
		    "Choose an office"));
	if (f == AF_STATUS && ((dis = fv(mr, "disabled")) == NULL ||
	    (strcmp(dis, "true") != 0 && strcmp(dis, "false") != 0)))
		json_object_set_new(errors, "admin-form", json_string(
		    "This form is out of date: reload the page and try again"));
	if (f == AF_PASSWORD && (pw = one_time_password(mr, errors)) == NULL)
		json_object_set_new(errors, "password", json_string(
		    "A password could not be made: try again"));
	if (json_object_size(errors) > 0)
		return (admin_again(req, mr, errors, 422));
	json_decref(errors);
	return (admin_user_patch(req, mr, un, ver, role, office, dis, NULL, pw,
	    admin_written));
}

int
pages_admin_action(struct http_request *req, struct medex_req *mr)
{
	enum admin_form	f = admin_form_of(mr->route->pattern);

	if (pc_role(mr) != ROLE_ADMIN || f == AF_NONE)
		return (admin_deny(req, mr));
	switch (f) {
	case AF_ADD_USER:
		return (post_add_user(req, mr));
	case AF_ADD_OFFICE:
		return (admin_office_add_post(req, mr, admin_again,
		    admin_written));
	case AF_OFFICE:
		return (admin_office_post(req, mr, admin_again,
		    admin_written));
	case AF_USER_SSO:
		return (post_user_sso(req, mr));
	default:
		return (post_user_change(req, mr, f));
	}
}
