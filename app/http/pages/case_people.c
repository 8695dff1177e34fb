/*
 * People by name on the assignment forms (/cases/{id}/assignment and
 * /cases/{id}/assign-officer): the office's medical examiners, or its
 * officers, as NHS.UK radios with their display names and the number of
 * open cases each holds, the case's current one chosen.  An ME (not a
 * lead) may assign only themself, so their form offers only themself
 * and whoever has the case now.  The reason for a reallocation is asked
 * only when the case has someone to take it from.  Serves no URL
 * itself; case_form.c writes the forms with it.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"
#include "case_parts.h"
#include "case_people.h"
#include "form_parse.h"
#include "form_render.h"
#include "html_writer.h"
#include "page.h"

const char sql_page_assignees[] =
    "SELECT * FROM api_page_assignees($1, $2, $3, $4, $5, $6)";

/* Is this person offered to this reader? */
static int
offered(struct medex_req *mr, const struct fspec *f, const char *who,
    const char *current)
{
	if (strcmp(f->name, "examiner") != 0 ||
	    strcmp(mr->claims.role, "medical_examiner") != 0)
		return (1);
	return (strcmp(who, mr->claims.sub) == 0 ||
	    (current != NULL && strcmp(who, current) == 0));
}

static void
person(struct sbuf *sb, const struct fspec *f, json_t *p, size_t i,
    int checked)
{
	char		 id[96], hint[112], count[64];
	long long	 open;

	if (i == 0)
		snprintf(id, sizeof(id), "%s", f->name);
	else
		snprintf(id, sizeof(id), "%s-%zu", f->name, i);
	snprintf(hint, sizeof(hint), "%s-item-hint", id);
	open = json_integer_value(json_object_get(p, "open"));
	snprintf(count, sizeof(count), open == 1 ? "%lld open case" :
	    "%lld open cases", open);
	html_raw(sb, "<div class=\"nhsuk-radios__item\">");
	html_start(sb, "input");
	html_attr(sb, "class", "nhsuk-radios__input");
	html_attr(sb, "id", id);
	html_attr(sb, "name", f->name);
	html_attr(sb, "type", "radio");
	html_attr(sb, "value", cp_str(p, "username"));
	html_attr(sb, "aria-describedby", hint);
	if (checked)
		html_raw(sb, " checked");
	html_end(sb);
	html_start(sb, "label");
	html_attr(sb, "class", "nhsuk-label nhsuk-radios__label");
	html_attr(sb, "for", id);
	html_end(sb);
	html_text(sb, cp_str(p, "display_name") != NULL ?
	    cp_str(p, "display_name") : cp_str(p, "username"));
	html_raw(sb, "</label>");
	html_start(sb, "div");
	html_attr(sb, "class", "nhsuk-hint nhsuk-radios__hint");
	html_attr(sb, "id", hint);
	html_end(sb);
	html_text(sb, count);
	html_raw(sb, "</div></div>");
}

/* The radios of the office's MEs or officers. */
static void
people(struct medex_req *mr, json_t *errors, json_t *list, json_t *k,
    struct sbuf *sb, const struct fspec *f)
{
	json_t		*x;
	const char	*err, *v, *who, *current;
	char		 eid[96];
	size_t		 i, n;

	err = errors != NULL ? cp_str(errors, f->key) : NULL;
	v = pf_val(mr, f->name);
	current = cp_str(k, f->key);
	if (err != NULL)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
	snprintf(eid, sizeof(eid), "%s-error", f->name);
	html_start(sb, "fieldset");
	html_attr(sb, "class", "nhsuk-fieldset");
	if (err != NULL)
		html_attr(sb, "aria-describedby", eid);
	html_end(sb);
	html_raw(sb, "<legend class=\"nhsuk-fieldset__legend "
	    "nhsuk-fieldset__legend--s\">");
	html_text(sb, f->label);
	html_raw(sb, "</legend>");
	if (err != NULL) {
		html_start(sb, "span");
		html_attr(sb, "class", "nhsuk-error-message");
		html_attr(sb, "id", eid);
		html_end(sb);
		html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\">Error: "
		    "</span>");
		html_text(sb, err);
		html_raw(sb, "</span>");
	}
	html_raw(sb, "<div class=\"nhsuk-radios\">");
	n = 0;
	json_array_foreach(list, i, x) {
		who = cp_str(x, "username");
		if (who == NULL || !offered(mr, f, who, current))
			continue;
		person(sb, f, x, n++, v != NULL && strcmp(v, who) == 0);
	}
	html_raw(sb, "</div>");
	if (n == 0)
		page_p(sb, strcmp(f->name, "examiner") == 0 ? "There is no "
		    "medical examiner in this office to assign." : "There "
		    "is no officer in this office to assign.");
	html_raw(sb, "</fieldset></div>");
}

int
cpe_field(struct medex_req *mr, json_t *errors, json_t *list, json_t *k,
    struct sbuf *sb, const struct fspec *set, const struct fspec *f)
{
	const struct fspec	*g;
	int			 someone;

	if (f->type == F_PEOPLE) {
		people(mr, errors, json_object_get(list,
		    strcmp(f->name, "examiner") == 0 ? "examiners" :
		    "officers"), k, sb, f);
		return (1);
	}
	if (!fields_is_realloc_reason(set, f))
		return (0);
	/* Someone to take the case from, among the form's people. */
	someone = 0;
	for (g = set; g->name != NULL; g++) {
		if (g->type == F_PEOPLE && cp_str(k, g->key) != NULL)
			someone = 1;
	}
	if (someone || (errors != NULL && cp_str(errors, f->key) != NULL))
		fr_field(mr, errors, sb, set, f);
	return (1);
}

/* Does the action's form name people (and need api_page_assignees)? */
int
cpe_needed(const struct act *a)
{
	const struct fspec	*f;

	if (a == NULL || a->fields == NULL)
		return (0);
	for (f = a->fields; f->name != NULL; f++) {
		if (f->type == F_PEOPLE)
			return (1);
	}
	return (0);
}
