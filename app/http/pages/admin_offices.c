/*
 * The admin's pages for offices (issue 18), beside /admin/offices (the
 * list, pages/admin.c):
 *
 * GET, POST /admin/add-office       add an office: code, name, target
 * GET, POST /admin/offices/{code}   its name and scrutiny target days,
 *                                   and, where the instance has single
 *                                   sign-on, whether its users must use
 *                                   it and the weakest acr allowed
 *
 * The writes are the API's (api_office_create, api_office_patch with
 * If-Match from the version the form was shown with).  A new target is
 * used by the deadline of cases notified from then on; existing cases
 * keep theirs (their deadline is stored when they are created).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "admin_forms.h"
#include "admin_offices.h"
#include "api.h"
#include "form.h"
#include "html_writer.h"
#include "page.h"
#include "page_call.h"
#include "sso_provider.h"
#include "validate.h"

static const char sql_office_create[] =
    "SELECT * FROM api_office_create($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11::integer)";
static const char sql_office_patch[] =
    "SELECT * FROM api_office_patch($1, $2, $3, $4, $5, $6, $7, "
    "$8::integer, $9, $10::integer, $11::jsonb, $12::boolean, "
    "$13::integer, $14::boolean, $15, $16::jsonb)";

static void
field(struct sbuf *sb, struct pc *pc, const char *id, const char *label,
    const char *hint, const char *value, const char *width,
    const char *mode)
{
	struct page_input	in;

	memset(&in, 0, sizeof(in));
	in.id = id;
	in.label = label;
	in.hint = hint;
	in.value = value;
	in.type = "text";
	in.width = width;
	in.autocomplete = "off";
	in.error = admin_err(pc, id);
	(void)mode;
	page_field(sb, &in);
}

static void
open_form(struct medex_req *mr, struct sbuf *sb, const char *action)
{
	html_start(sb, "form");
	html_attr(sb, "id", "admin-form");
	html_attr(sb, "action", action);
	html_attr(sb, "method", "post");
	html_raw(sb, " novalidate");
	html_end(sb);
	page_csrf_field(sb, mr->page_csrf);
}

static void
close_form(struct sbuf *sb)
{
	html_raw(sb, "</form><p class=\"nhsuk-body\"><a href="
	    "\"/admin/offices\">Cancel</a></p></div></div>");
	page_end(sb);
}

/*
 * The write's row without the API's ETag and Location (the page answers
 * with its own redirect: two Location headers are refused by browsers),
 * then the page's on_api_result.
 */
static void
admin_row(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	pc_row(mr, sql);
	if (mr->on_api_result != NULL)
		mr->on_api_result(req, mr);
}

static const char	area_hint[] = "The senior coroner's area this office "
    "refers deaths to, printed on the coroner referral document";
static const char	retention_hint[] = "Identifiable details of a case "
    "closed longer ago than this may be removed with medexctl retention "
    "purge (see the NHS England Records Management Code of Practice). "
    "Leave empty to keep every case.";
static const char	target_hint[] = "Calendar days from notification "
    "to the scrutiny deadline, from 1 to 30";

void
admin_office_add_render(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	char	def[160];

	admin_begin(mr, pc, sb, "Add an office", NAV_OFFICES);
	admin_errors(pc, sb, "Add an office");
	open_form(mr, sb, "/admin/add-office");
	field(sb, pc, "code", "Office code", "2 to 16 capital letters, "
	    "numbers, hyphens or underscores, starting with a letter, for "
	    "example NHS01", fv(mr, "code"), "10", NULL);
	field(sb, pc, "name", "Office name", NULL, fv(mr, "name"), NULL,
	    NULL);
	snprintf(def, sizeof(def), "%s. Leave empty for %lld.", target_hint,
	    medex.target_days);
	field(sb, pc, "target_days", "Scrutiny target (days)", def,
	    fv(mr, "target_days"), "2", "numeric");
	page_button(sb, "Add office");
	close_form(sb);
}

/* The instance's acr levels (weakest first) into levels; their count. */
static size_t
acr_levels(char *buf, size_t len, const char *levels[OIDC_ACR_LEVELS_MAX])
{
	struct oidc_expect	e;
	size_t			i;

	kore_strlcpy(buf, sso.acr_levels_text, len);
	memset(&e, 0, sizeof(e));
	if (!oidc_acr_levels_parse(buf, &e))
		return (0);
	for (i = 0; i < e.acr_nlevels; i++)
		levels[i] = e.acr_levels[i];
	return (e.acr_nlevels);
}

/* Issue 24: single sign-on for the office's users (sso on only). */
static void
sso_fields(struct medex_req *mr, struct pc *pc, struct sbuf *sb, json_t *o)
{
	const char	*levels[OIDC_ACR_LEVELS_MAX], *cur, *err;
	char		 buf[sizeof(sso.acr_levels_text)];
	size_t		 i, n;
	int		 required;

	if (!sso.on)
		return;
	admin_hidden(sb, "sso_fields", "1");
	if (pc->errors != NULL) {
		required = fv(mr, "sso_required") != NULL;
		cur = fv(mr, "sso_min_acr");
	} else {
		required = json_is_true(json_object_get(o, "sso_required"));
		cur = admin_str(o, "sso_min_acr");
	}
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Single sign-on</h2>");
	checkbox_field(sb, "sso_required", "Its users must sign in with "
	    "single sign-on", "Their passwords are refused, except a "
	    "break-glass admin's (set on the user's page).", required);
	n = acr_levels(buf, sizeof(buf), levels);
	if (n == 0) {
		text_field(sb, pc, "sso_min_acr", "Weakest assurance allowed "
		    "(acr, optional)", "Leave empty to accept any sign-in at "
		    "the provider.", cur, "text", "20");
		return;
	}
	err = admin_err(pc, "sso_min_acr");
	if (err != NULL)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
	html_raw(sb, "<label class=\"nhsuk-label\" for=\"sso_min_acr\">"
	    "Weakest assurance allowed (acr)</label><div class=\"nhsuk-hint\" "
	    "id=\"sso_min_acr-hint\">A sign-in the provider rates below this "
	    "is refused with a page that says so.</div>");
	error_line(sb, "sso_min_acr", err);
	html_raw(sb, "<select class=\"nhsuk-select\" id=\"sso_min_acr\" "
	    "name=\"sso_min_acr\" aria-describedby=\"sso_min_acr-hint\">"
	    "<option value=\"\">Any</option>");
	for (i = 0; i < n; i++) {
		html_start(sb, "option");
		html_attr(sb, "value", levels[i]);
		if (cur != NULL && strcmp(cur, levels[i]) == 0)
			html_raw(sb, " selected");
		html_end(sb);
		html_text(sb, levels[i]);
		html_raw(sb, "</option>");
	}
	html_raw(sb, "</select></div>");
}

void
admin_office_render(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	json_t		*o = pc->summary;
	const char	*code = admin_str(o, "code");
	char		 action[64], ver[24], days[16], years[16];

	admin_begin(mr, pc, sb, "Change the office", NAV_OFFICES);
	admin_errors(pc, sb, "Change the office");
	page_p(sb, code != NULL ? code : "");
	snprintf(action, sizeof(action), "/admin/offices/%s",
	    code != NULL ? code : "");
	open_form(mr, sb, action);
	snprintf(ver, sizeof(ver), "%lld", (long long)json_integer_value(
	    json_object_get(o, "version")));
	admin_hidden(sb, "version", ver);
	snprintf(days, sizeof(days), "%lld", (long long)json_integer_value(
	    json_object_get(o, "target_days")));
	field(sb, pc, "name", "Office name", NULL, fv(mr, "name") != NULL ?
	    fv(mr, "name") : admin_str(o, "name"), NULL, NULL);
	field(sb, pc, "target_days", "Scrutiny target (days)", target_hint,
	    fv(mr, "target_days") != NULL ? fv(mr, "target_days") : days,
	    "2", "numeric");
	years[0] = '\0';
	if (json_is_integer(json_object_get(o, "retention_years")))
		snprintf(years, sizeof(years), "%lld", (long long)
		    json_integer_value(json_object_get(o, "retention_years")));
	field(sb, pc, "retention_years", "Retention (years after closure)",
	    retention_hint, fv(mr, "retention_years") != NULL ?
	    fv(mr, "retention_years") : years, "3", "numeric");
	field(sb, pc, "coroner_area", "Coroner area (optional)", area_hint,
	    fv(mr, "coroner_area") != NULL ? fv(mr, "coroner_area") :
	    admin_str(o, "coroner_area"), NULL, NULL);
	html_raw(sb, "<div class=\"nhsuk-inset-text\"><span class="
	    "\"nhsuk-u-visually-hidden\">Information: </span><p>A new target "
	    "is used for cases notified from now on. Cases already open keep "
	    "their deadline.</p></div>");
	sso_fields(mr, pc, sb, o);
	page_button(sb, "Save office");
	close_form(sb);
}

/* 1-100 into out; empty is NULL (keep every case), or an error. */
static const char *
retention_years(struct medex_req *mr, json_t *errors, char out[16])
{
	const char	*v = fv(mr, "retention_years");
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0')
		return (NULL);
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < 1 || n > 100) {
		json_object_set_new(errors, "retention_years", json_string(
		    "Enter the years after closure, from 1 to 100, or leave "
		    "it empty"));
		return (NULL);
	}
	snprintf(out, 16, "%ld", n);
	return (out);
}

/* 1-30 into out, or an error; empty is def (NULL: unchanged). */
static const char *
target_days(struct medex_req *mr, json_t *errors, char out[16],
    const char *def)
{
	const char	*v = fv(mr, "target_days");
	char		*end;
	long		 n;

	if (v == NULL)
		return (def);
	n = strtol(v, &end, 10);
	if (*end != '\0' || end == v || n < 1 || n > 30) {
		json_object_set_new(errors, "target_days", json_string(
		    "Enter the target in days, from 1 to 30"));
		return (NULL);
	}
	snprintf(out, 16, "%ld", n);
	return (out);
}

static const char *
office_name(struct medex_req *mr, json_t *errors, char **norm, int required)
{
	const char	*v = fv(mr, "name");

	if (v == NULL && !required)
		return (NULL);
	if (v == NULL || validate_text(v, 200, 0, norm) != TEXT_OK) {
		json_object_set_new(errors, "name", json_string(
		    "Enter the office name, up to 200 characters"));
		return (NULL);
	}
	return (*norm);
}

/* Issue 23: the coroner area, or NULL (empty clears it). */
static const char *
coroner_area(struct medex_req *mr, json_t *errors, char **norm)
{
	const char	*v = fv(mr, "coroner_area");

	if (v == NULL || v[strspn(v, " ")] == '\0')
		return (NULL);
	if (validate_text(v, 200, 0, norm) != TEXT_OK) {
		json_object_set_new(errors, "coroner_area", json_string(
		    "Enter the coroner area, up to 200 characters"));
		return (NULL);
	}
	return (*norm);
}

int
admin_office_add_post(struct http_request *req, struct medex_req *mr,
    admin_again_fn again, api_after_cb written)
{
	json_t		*errors = json_object();
	const char	*code, *name, *days, *p[5];
	char		*norm = NULL, dbuf[16], def[16];
	int		 ret;

	code = fv(mr, "code");
	if (code == NULL)
		json_object_set_new(errors, "code", json_string(
		    "Enter the office code"));
	else if (!validate_office_code(code) || strcmp(code, "ALL") == 0)
		json_object_set_new(errors, "code", json_string("Enter an "
		    "office code of 2 to 16 capital letters, numbers, hyphens "
		    "or underscores, starting with a letter"));
	name = office_name(mr, errors, &norm, 1);
	snprintf(def, sizeof(def), "%lld", medex.target_days);
	days = target_days(mr, errors, dbuf, def);
	if (json_object_size(errors) > 0) {
		free(norm);
		return (again(req, mr, errors, 422));
	}
	json_decref(errors);
	p[0] = NULL;
	p[1] = NULL;
	p[2] = code;
	p[3] = name;
	p[4] = days;
	mr->on_api_result = written;
	ret = api_call_cb(req, mr, sql_office_create, 5, p, admin_row);
	free(norm);
	return (ret);
}

/*
 * The single sign-on fields as api_office_patch's p_sso (malloc'd), or
 * NULL when the form had none (the instance has no single sign-on).
 */
static char *
sso_office_json(struct medex_req *mr, json_t *errors)
{
	const char	*levels[OIDC_ACR_LEVELS_MAX], *acr;
	char		 buf[sizeof(sso.acr_levels_text)], *norm = NULL, *text;
	size_t		 i, n;
	json_t		*o;
	int		 ok;

	if (!sso.on || fv(mr, "sso_fields") == NULL)
		return (NULL);
	acr = fv(mr, "sso_min_acr");
	n = acr_levels(buf, sizeof(buf), levels);
	ok = acr == NULL;
	for (i = 0; !ok && i < n; i++)
		ok = strcmp(acr, levels[i]) == 0;
	if (!ok && n == 0 && validate_text(acr, 100, 0, &norm) == TEXT_OK)
		ok = 1;
	if (!ok) {
		json_object_set_new(errors, "sso_min_acr", json_string(n > 0 ?
		    "Choose a level from the list" : "Enter the acr, up to 100 "
		    "characters, or leave it empty"));
		free(norm);
		return (NULL);
	}
	o = json_object();
	json_object_set_new(o, "sso_required", json_boolean(
	    fv(mr, "sso_required") != NULL));
	json_object_set_new(o, "sso_min_acr", acr == NULL ? json_null() :
	    json_string(norm != NULL ? norm : acr));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(norm);
	return (text);
}

int
admin_office_post(struct http_request *req, struct medex_req *mr,
    admin_again_fn again, api_after_cb written)
{
	json_t		*errors = json_object();
	const char	*ver, *name, *days, *years, *area, *p[10];
	char		*norm = NULL, *anorm = NULL, *sso_text, dbuf[16],
			 ybuf[16];
	size_t		 i;
	int		 ret;

	if ((ver = fv(mr, "version")) != NULL)
		for (i = 0; ver[i] != '\0'; i++)
			if (ver[i] < '0' || ver[i] > '9' || i > 9)
				ver = NULL;
	if (ver == NULL)
		json_object_set_new(errors, "admin-form", json_string(
		    "This form is out of date: reload the page and try again"));
	name = office_name(mr, errors, &norm, 1);
	days = target_days(mr, errors, dbuf, NULL);
	years = retention_years(mr, errors, ybuf);
	area = coroner_area(mr, errors, &anorm);
	sso_text = sso_office_json(mr, errors);
	if (fv(mr, "target_days") == NULL)
		json_object_set_new(errors, "target_days", json_string(
		    "Enter the target in days, from 1 to 30"));
	if (json_object_size(errors) > 0) {
		free(norm);
		free(anorm);
		free(sso_text);
		return (again(req, mr, errors, 422));
	}
	json_decref(errors);
	p[0] = mr->cap.value[0];
	p[1] = ver;
	p[2] = name;
	p[3] = days;
	p[4] = NULL;
	p[5] = "true";
	p[6] = years;
	p[7] = "true";
	p[8] = area;
	p[9] = sso_text;
	mr->on_api_result = written;
	ret = api_call_cb(req, mr, sql_office_patch, 10, p, admin_row);
	free(norm);
	free(anorm);
	free(sso_text);
	return (ret);
}
