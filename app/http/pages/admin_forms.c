/*
 * The parts of the admin's forms that pages/admin_users.c and
 * pages/admin_offices.c share: which form a route is, the layout, the
 * NHS.UK form parts (radios of roles, a select of offices, a summary
 * list's row, banners and callouts).  Serves no URL itself.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "admin_forms.h"
#include "form.h"
#include "html_writer.h"
#include "page.h"
#include "page_call.h"
#include "page_frame.h"
#include "role.h"

enum admin_form
admin_form_of(const char *path)
{
	static const struct {
		const char	*suffix;
		enum admin_form	 f;
	} tail[] = {
		{ "/role", AF_ROLE }, { "/office", AF_USER_OFFICE },
		{ "/status", AF_STATUS }, { "/password", AF_PASSWORD },
		{ "/sso", AF_USER_SSO },
	};
	size_t	i, n, k;

	if (strcmp(path, "/admin/add-user") == 0)
		return (AF_ADD_USER);
	if (strcmp(path, "/admin/add-office") == 0)
		return (AF_ADD_OFFICE);
	if (strncmp(path, "/admin/offices/", 15) == 0)
		return (AF_OFFICE);
	if (strncmp(path, "/admin/users/", 13) != 0)
		return (AF_NONE);
	n = strlen(path);
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		k = strlen(tail[i].suffix);
		if (n > k && strcmp(path + n - k, tail[i].suffix) == 0)
			return (tail[i].f);
	}
	return (AF_NONE);
}

const char *
admin_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

void
admin_begin(struct medex_req *mr, struct pc *pc, struct sbuf *sb,
    const char *title, enum page_nav nav)
{
	struct page_user	u;

	if (pages_user(mr, pc->display_name[0] != '\0' ? pc->display_name :
	    NULL, &u))
		page_begin(sb, title, pc->errors != NULL, &u, nav);
	else
		page_begin(sb, title, pc->errors != NULL, NULL, nav);
	html_raw(sb, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
}

const char *
admin_err(struct pc *pc, const char *field)
{
	return (json_string_value(json_object_get(pc->errors, field)));
}

void
admin_errors(struct pc *pc, struct sbuf *sb, const char *h1)
{
	struct page_error	 e[8];
	const char		*k;
	json_t			*v;
	size_t			 n;

	n = 0;
	json_object_foreach(pc->errors, k, v) {
		if (n == sizeof(e) / sizeof(e[0]))
			break;
		e[n].field = k;
		e[n++].message = json_string_value(v);
	}
	if (n > 0)
		page_error_summary(sb, e, n);
	page_h1(sb, NULL, h1);
}

void
admin_hidden(struct sbuf *sb, const char *name, const char *value)
{
	html_start(sb, "input");
	html_attr(sb, "type", "hidden");
	html_attr(sb, "name", name);
	html_attr(sb, "value", value != NULL ? value : "");
	html_end(sb);
}

/* The error message of a group, if any. */
void
error_line(struct sbuf *sb, const char *id, const char *msg)
{
	char	eid[80];

	if (msg == NULL)
		return;
	snprintf(eid, sizeof(eid), "%s-error", id);
	html_start(sb, "span");
	html_attr(sb, "class", "nhsuk-error-message");
	html_attr(sb, "id", eid);
	html_end(sb);
	html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
	html_text(sb, msg);
	html_raw(sb, "</span>");
}

/* Radios of every role; the first input's id is "role" (error links). */
void
role_radios(struct sbuf *sb, const char *current, const char *err)
{
	char	id[32];
	int	r;

	if (err != NULL)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
	html_raw(sb, "<fieldset class=\"nhsuk-fieldset\"><legend "
	    "class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">"
	    "Role</legend>");
	error_line(sb, "role", err);
	html_raw(sb, "<div class=\"nhsuk-radios\">");
	for (r = 0; r < ROLE_COUNT; r++) {
		if (r == 0)
			snprintf(id, sizeof(id), "role");
		else
			snprintf(id, sizeof(id), "role-%d", r + 1);
		html_raw(sb, "<div class=\"nhsuk-radios__item\">");
		html_start(sb, "input");
		html_attr(sb, "class", "nhsuk-radios__input");
		html_attr(sb, "id", id);
		html_attr(sb, "name", "role");
		html_attr(sb, "type", "radio");
		html_attr(sb, "value", role_str((enum role)r));
		if (current != NULL && strcmp(current,
		    role_str((enum role)r)) == 0)
			html_raw(sb, " checked");
		html_end(sb);
		html_start(sb, "label");
		html_attr(sb, "class", "nhsuk-label nhsuk-radios__label");
		html_attr(sb, "for", id);
		html_end(sb);
		html_text(sb, role_label((enum role)r));
		html_raw(sb, "</label></div>");
	}
	html_raw(sb, "</div></fieldset></div>");
}

/* A select of the offices of list ({"items": [...]}). */
void
office_select(struct sbuf *sb, json_t *list, const char *current,
    const char *err)
{
	json_t		*o;
	const char	*code;
	size_t		 i;

	if (err != NULL)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
	html_raw(sb, "<label class=\"nhsuk-label\" for=\"office\">Office"
	    "</label>");
	error_line(sb, "office", err);
	html_raw(sb, "<select class=\"nhsuk-select\" id=\"office\" "
	    "name=\"office\"><option value=\"\">Choose an office</option>");
	json_array_foreach(json_object_get(list, "items"), i, o) {
		if ((code = admin_str(o, "code")) == NULL)
			continue;
		html_start(sb, "option");
		html_attr(sb, "value", code);
		if (current != NULL && strcmp(current, code) == 0)
			html_raw(sb, " selected");
		html_end(sb);
		html_text(sb, code);
		html_raw(sb, " – ");
		html_text(sb, admin_str(o, "name"));
		html_raw(sb, "</option>");
	}
	html_raw(sb, "</select></div>");
}

void
text_field(struct sbuf *sb, struct pc *pc, const char *id, const char *label,
    const char *hint, const char *value, const char *type, const char *width)
{
	struct page_input	in;

	memset(&in, 0, sizeof(in));
	in.id = id;
	in.label = label;
	in.hint = hint;
	in.value = value;
	in.type = type;
	in.width = width;
	in.autocomplete = "off";
	in.error = admin_err(pc, id);
	page_field(sb, &in);
}

void
checkbox_field(struct sbuf *sb, const char *id, const char *label,
    const char *hint, int checked)
{
	char	hint_id[64];

	snprintf(hint_id, sizeof(hint_id), "%s-hint", id);
	html_raw(sb, "<div class=\"nhsuk-form-group\"><div class="
	    "\"nhsuk-checkboxes\"><div class=\"nhsuk-checkboxes__item\">");
	html_start(sb, "input");
	html_attr(sb, "class", "nhsuk-checkboxes__input");
	html_attr(sb, "id", id);
	html_attr(sb, "name", id);
	html_attr(sb, "type", "checkbox");
	html_attr(sb, "value", "true");
	if (hint != NULL)
		html_attr(sb, "aria-describedby", hint_id);
	if (checked)
		html_raw(sb, " checked");
	html_end(sb);
	html_start(sb, "label");
	html_attr(sb, "class", "nhsuk-label nhsuk-checkboxes__label");
	html_attr(sb, "for", id);
	html_end(sb);
	html_text(sb, label);
	html_raw(sb, "</label>");
	if (hint != NULL) {
		html_start(sb, "div");
		html_attr(sb, "class", "nhsuk-hint nhsuk-checkboxes__hint");
		html_attr(sb, "id", hint_id);
		html_end(sb);
		html_text(sb, hint);
		html_raw(sb, "</div>");
	}
	html_raw(sb, "</div></div></div>");
}

void
form_open(struct medex_req *mr, struct sbuf *sb, const char *action)
{
	html_start(sb, "form");
	html_attr(sb, "id", "admin-form");
	html_attr(sb, "action", action);
	html_attr(sb, "method", "post");
	html_raw(sb, " novalidate");
	html_end(sb);
	page_csrf_field(sb, mr->page_csrf);
}

/* A form POST's value, or NULL when empty. */
const char *
fv(struct medex_req *mr, const char *name)
{
	const char	*v = form_get(mr->form, name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

/* The summary list's row, with a "Change" link when href is set. */
void
summary_row(struct sbuf *sb, const char *key, const char *value,
    const char *href, const char *action, const char *hidden)
{
	html_raw(sb, "<div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">");
	html_text(sb, key);
	html_raw(sb, "</dt><dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, value);
	html_raw(sb, "</dd>");
	if (href != NULL) {
		html_raw(sb, "<dd class=\"nhsuk-summary-list__actions\">");
		html_start(sb, "a");
		html_attr(sb, "href", href);
		html_end(sb);
		html_text(sb, action);
		html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\"> ");
		html_text(sb, hidden);
		html_raw(sb, "</span></a></dd>");
	}
	html_raw(sb, "</div>");
}

void
done_banner(struct sbuf *sb, const char *text)
{
	html_raw(sb, "<div class=\"nhsuk-notification-banner "
	    "nhsuk-notification-banner--success\" role=\"alert\" "
	    "aria-labelledby=\"done-title\" data-module="
	    "\"nhsuk-notification-banner\"><div class="
	    "\"nhsuk-notification-banner__header\"><h2 class="
	    "\"nhsuk-notification-banner__title\" id=\"done-title\">Success"
	    "</h2></div><div class=\"nhsuk-notification-banner__content\">"
	    "<p class=\"nhsuk-notification-banner__heading\">");
	html_text(sb, text);
	html_raw(sb, "</p></div></div>");
}

void
warning(struct sbuf *sb, const char *label, const char *text)
{
	html_raw(sb, "<div class=\"nhsuk-warning-callout\"><h2 class="
	    "\"nhsuk-warning-callout__label\"><span role=\"text\"><span "
	    "class=\"nhsuk-u-visually-hidden\">Important: </span>");
	html_text(sb, label);
	html_raw(sb, "</span></h2><p>");
	html_text(sb, text);
	html_raw(sb, "</p></div>");
}
