/*
 * The fields of the case forms written as NHS.UK components (text,
 * textarea, date, date and time, radios with conditional reveals,
 * checkboxes), with the values sent and the errors found, and the
 * error summary.  Serves no URL itself; case_form.c writes the forms of
 * /cases/new and /cases/{id}/{action} with it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"
#include "case_parts.h"
#include "case_words.h"
#include "form.h"
#include "form_msg.h"
#include "form_parse.h"
#include "form_render.h"
#include "html_writer.h"
#include "london_time.h"
#include "page.h"

/* The error for a field (by its JSON key), or NULL. */
static const char *
field_error(json_t *errors, const struct fspec *f)
{
	return (errors != NULL ? cp_str(errors, f->key) : NULL);
}

/* The field's error message, which aria-describedby points at. */
static void
field_error_message(struct sbuf *sb, const struct fspec *f, const char *err)
{
	char	id[96];

	snprintf(id, sizeof(id), "%s-error", f->name);
	html_start(sb, "span");
	html_attr(sb, "class", "nhsuk-error-message");
	html_attr(sb, "id", id);
	html_end(sb);
	html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\">Error: "
	    "</span>");
	html_text(sb, err);
	html_raw(sb, "</span>");
}

static void
field_label_hint_error(struct sbuf *sb, const struct fspec *f,
    const char *err, int legend)
{
	char	id[96];

	if (legend) {
		html_raw(sb, "<legend class=\"nhsuk-fieldset__legend "
		    "nhsuk-fieldset__legend--s\">");
		html_text(sb, f->label);
		html_raw(sb, "</legend>");
	} else {
		html_start(sb, "label");
		html_attr(sb, "class", "nhsuk-label");
		html_attr(sb, "for", f->name);
		html_end(sb);
		html_text(sb, f->label);
		html_raw(sb, "</label>");
	}
	if (f->hint != NULL) {
		snprintf(id, sizeof(id), "%s-hint", f->name);
		html_start(sb, "div");
		html_attr(sb, "class", "nhsuk-hint");
		html_attr(sb, "id", id);
		html_end(sb);
		html_text(sb, f->hint);
		html_raw(sb, "</div>");
	}
	if (err != NULL)
		field_error_message(sb, f, err);
}

static void
describedby(const struct fspec *f, const char *err, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f->hint != NULL)
		snprintf(buf, len, "%s-hint", f->name);
	if (err != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s-error",
		    buf[0] != '\0' ? " " : "", f->name);
}

static void
date_part(struct sbuf *sb, const char *base, const char *part,
    const char *label, const char *value, const char *width, int err)
{
	char	id[96], cls[128];

	snprintf(id, sizeof(id), "%s-%s", base, part);
	snprintf(cls, sizeof(cls), "nhsuk-input nhsuk-date-input__input "
	    "nhsuk-input--width-%s%s", width, err ? " nhsuk-input--error" : "");
	html_raw(sb, "<div class=\"nhsuk-date-input__item\"><div "
	    "class=\"nhsuk-form-group\">");
	html_start(sb, "label");
	html_attr(sb, "class", "nhsuk-label nhsuk-date-input__label");
	html_attr(sb, "for", id);
	html_end(sb);
	html_text(sb, label);
	html_raw(sb, "</label>");
	html_start(sb, "input");
	html_attr(sb, "class", cls);
	html_attr(sb, "id", id);
	html_attr(sb, "name", id);
	html_attr(sb, "type", "text");
	html_attr(sb, "inputmode", "numeric");
	if (value != NULL)
		html_attr(sb, "value", value);
	html_raw(sb, "></div></div>");
}

static void
group_open(struct sbuf *sb, int err)
{
	if (err)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
}

/* The reveal of this choice of the field, or NULL. */
static const struct reveal *
reveal_of(const struct fspec *set, const char *field, const char *code)
{
	size_t	i;

	for (i = 0; i < fields_reveals_n; i++) {
		if (fields_reveals[i].set == set &&
		    strcmp(fields_reveals[i].field, field) == 0 &&
		    (code == NULL || strcmp(fields_reveals[i].code, code) == 0))
			return (&fields_reveals[i]);
	}
	return (NULL);
}

/* Is this field written inside another's reveal? */
int
fr_revealed(const struct fspec *set, const char *name)
{
	size_t	i;

	for (i = 0; i < fields_reveals_n; i++) {
		if (fields_reveals[i].set == set &&
		    strcmp(fields_reveals[i].inner, name) == 0)
			return (1);
	}
	return (0);
}

static const struct fspec *
fspec_find(const struct fspec *set, const char *name)
{
	for (; set->name != NULL; set++) {
		if (strcmp(set->name, name) == 0)
			return (set);
	}
	return (NULL);
}

/* The block a choice reveals, after the choice's item. */
static void
render_reveal(struct medex_req *mr, json_t *errors, struct sbuf *sb,
    const struct fspec *set, const struct reveal *rv, const char *cid,
    int checked)
{
	const struct fspec	*inner;
	size_t			 i;

	html_start(sb, "div");
	html_attr(sb, "class", checked ? "nhsuk-radios__conditional" :
	    "nhsuk-radios__conditional nhsuk-radios__conditional--hidden");
	html_attr(sb, "id", cid);
	html_end(sb);
	/* Every field this choice reveals, in the table's order. */
	for (i = 0; i < fields_reveals_n; i++) {
		if (fields_reveals[i].set != set ||
		    strcmp(fields_reveals[i].field, rv->field) != 0 ||
		    strcmp(fields_reveals[i].code, rv->code) != 0 ||
		    (inner = fspec_find(set, fields_reveals[i].inner)) == NULL)
			continue;
		fr_field(mr, errors, sb, set, inner);
	}
	html_raw(sb, "</div>");
}

/* A select of codes in words (NHS.UK select), with "Not known". */
static void
render_select(struct medex_req *mr, struct sbuf *sb, const struct fspec *f,
    const char *err)
{
	const char	*v, *label;
	char		 db[200];
	size_t		 i;

	group_open(sb, err != NULL);
	field_label_hint_error(sb, f, err, 0);
	describedby(f, err, db, sizeof(db));
	html_start(sb, "select");
	html_attr(sb, "class", err != NULL ? "nhsuk-select "
	    "nhsuk-select--error" : "nhsuk-select");
	html_attr(sb, "id", f->name);
	html_attr(sb, "name", f->name);
	if (db[0] != '\0')
		html_attr(sb, "aria-describedby", db);
	html_end(sb);
	v = pf_val(mr, f->name);
	html_raw(sb, "<option value=\"\">Not known</option>");
	for (i = 0; f->codes[i] != NULL; i++) {
		html_start(sb, "option");
		html_attr(sb, "value", f->codes[i]);
		if (v != NULL && strcmp(v, f->codes[i]) == 0)
			html_raw(sb, " selected");
		html_end(sb);
		if ((label = case_ethnicity_label(f->codes[i])) == NULL)
			label = case_code_words(f->codes[i]);
		html_text(sb, label != NULL ? label : f->codes[i]);
		html_raw(sb, "</option>");
	}
	html_raw(sb, "</select></div>");
}

/* One field of a form (of the set), in its NHS.UK component. */
void
fr_field(struct medex_req *mr, json_t *errors, struct sbuf *sb,
    const struct fspec *set, const struct fspec *f)
{
	const struct reveal	*rv;
	char			 cid[128];
	struct page_input	 in;
	const char		*err, *v;
	char			 id[96], db[200], label[96], now_d[3][16];
	char			 now_t[16], cls[64];
	size_t			 i, k, n;
	time_t			 now;
	struct tm		 tm;
	int			 checked;

	err = field_error(errors, f);
	switch (f->type) {
	case F_HIDDEN:
		html_raw(sb, "<input type=\"hidden\"");
		html_attr(sb, "name", f->name);
		html_attr(sb, "value", f->codes[0]);
		html_raw(sb, ">");
		return;
	case F_TEXT:
		memset(&in, 0, sizeof(in));
		in.id = f->name;
		in.label = f->label;
		in.hint = f->hint;
		in.value = pf_val(mr, f->name);
		in.error = err;
		in.width = f->width;
		page_field(sb, &in);
		return;
	case F_AREA:
		group_open(sb, err != NULL);
		field_label_hint_error(sb, f, err, 0);
		describedby(f, err, db, sizeof(db));
		html_start(sb, "textarea");
		html_attr(sb, "class", err != NULL ? "nhsuk-textarea "
		    "nhsuk-textarea--error" : "nhsuk-textarea");
		html_attr(sb, "id", f->name);
		html_attr(sb, "name", f->name);
		html_attr(sb, "rows", "4");
		if (db[0] != '\0')
			html_attr(sb, "aria-describedby", db);
		html_end(sb);
		html_text(sb, pf_val(mr, f->name));
		html_raw(sb, "</textarea></div>");
		return;
	case F_DATE:
	case F_AT:
		now = time(NULL);
		(void)london_from_utc(now, &tm);
		snprintf(now_d[0], sizeof(now_d[0]), "%d", tm.tm_mday);
		snprintf(now_d[1], sizeof(now_d[1]), "%d", tm.tm_mon + 1);
		snprintf(now_d[2], sizeof(now_d[2]), "%d", tm.tm_year + 1900);
		snprintf(now_t, sizeof(now_t), "%02d:%02d", tm.tm_hour,
		    tm.tm_min);
		group_open(sb, err != NULL);
		describedby(f, err, db, sizeof(db));
		html_start(sb, "fieldset");
		html_attr(sb, "class", "nhsuk-fieldset");
		if (db[0] != '\0')
			html_attr(sb, "aria-describedby", db);
		html_attr(sb, "role", "group");
		html_end(sb);
		field_label_hint_error(sb, f, err, 1);
		snprintf(id, sizeof(id), "%s", f->name);
		html_start(sb, "div");
		html_attr(sb, "class", "nhsuk-date-input");
		html_attr(sb, "id", id);
		html_end(sb);
		for (i = 0; i < 3; i++) {
			static const char *const parts[][3] = {
			    { "day", "Day", "2" }, { "month", "Month", "2" },
			    { "year", "Year", "4" } };

			snprintf(label, sizeof(label), "%s-%s", f->name,
			    parts[i][0]);
			v = mr->form != NULL ? pf_val(mr, label) :
			    (f->type == F_AT ? now_d[i] : NULL);
			date_part(sb, f->name, parts[i][0], parts[i][1], v,
			    parts[i][2], err != NULL);
		}
		if (f->type == F_AT) {
			snprintf(label, sizeof(label), "%s-time", f->name);
			v = mr->form != NULL ? pf_val(mr, label) : now_t;
			snprintf(cls, sizeof(cls), "5");
			html_raw(sb, "<div class=\"nhsuk-date-input__item\">"
			    "<div class=\"nhsuk-form-group\">");
			html_start(sb, "label");
			html_attr(sb, "class",
			    "nhsuk-label nhsuk-date-input__label");
			html_attr(sb, "for", label);
			html_end(sb);
			html_raw(sb, "Time (24-hour, UK time)</label>");
			html_start(sb, "input");
			html_attr(sb, "class", err != NULL ? "nhsuk-input "
			    "nhsuk-input--width-5 nhsuk-input--error" :
			    "nhsuk-input nhsuk-input--width-5");
			html_attr(sb, "id", label);
			html_attr(sb, "name", label);
			html_attr(sb, "type", "text");
			if (v != NULL)
				html_attr(sb, "value", v);
			html_raw(sb, "></div></div>");
		}
		html_raw(sb, "</div></fieldset></div>");
		return;
	case F_PEOPLE:
		/* Its choices are the office's people: case_people.c. */
		return;
	case F_SELECT:
		render_select(mr, sb, f, err);
		return;
	case F_RADIOS:
	case F_YESNO:
	case F_CHECKS:
	case F_FLAGS:
	case F_CHECK:
		group_open(sb, err != NULL);
		describedby(f, err, db, sizeof(db));
		html_start(sb, "fieldset");
		html_attr(sb, "class", "nhsuk-fieldset");
		if (db[0] != '\0')
			html_attr(sb, "aria-describedby", db);
		html_end(sb);
		if (f->type == F_CHECK) {
			html_raw(sb, "<legend class=\"nhsuk-fieldset__legend "
			    "nhsuk-fieldset__legend--s\">Confirm</legend>");
			if (err != NULL)
				field_error_message(sb, f, err);
		} else
			field_label_hint_error(sb, f, err, 1);
		if ((f->type == F_RADIOS || f->type == F_YESNO) &&
		    reveal_of(set, f->name, NULL) != NULL)
			html_raw(sb, "<div class=\"nhsuk-radios\" "
			    "data-module=\"nhsuk-radios\">");
		else if (f->type == F_RADIOS || f->type == F_YESNO)
			html_raw(sb, "<div class=\"nhsuk-radios\">");
		else
			html_raw(sb, "<div class=\"nhsuk-checkboxes\">");
		n = 0;
		if (f->type == F_CHECK)
			n = 1;
		else
			while (f->codes[n] != NULL)
				n++;
		for (i = 0; i < n; i++) {
			const char *code = f->type == F_CHECK ? "yes" :
			    f->codes[i];

			/* The first input takes the field's id (for links). */
			if (i == 0)
				snprintf(id, sizeof(id), "%s", f->name);
			else
				snprintf(id, sizeof(id), "%s-%zu", f->name, i);
			checked = 0;
			if (f->type == F_CHECKS || f->type == F_FLAGS) {
				for (k = 0; mr->form != NULL &&
				    k < form_count(mr->form, f->name); k++) {
					if (strcmp(form_get_nth(mr->form,
					    f->name, k), code) == 0)
						checked = 1;
				}
			} else if ((v = pf_val(mr, f->name)) != NULL &&
			    strcmp(v, code) == 0)
				checked = 1;
			if (f->type == F_CHECK)
				snprintf(label, sizeof(label), "%s", "");
			else
				cp_code_label(code, label, sizeof(label));
			if (f->type == F_RADIOS || f->type == F_YESNO)
				html_raw(sb,
				    "<div class=\"nhsuk-radios__item\">");
			else
				html_raw(sb,
				    "<div class=\"nhsuk-checkboxes__item\">");
			html_start(sb, "input");
			html_attr(sb, "class", f->type == F_RADIOS ||
			    f->type == F_YESNO ? "nhsuk-radios__input" :
			    "nhsuk-checkboxes__input");
			html_attr(sb, "id", id);
			html_attr(sb, "name", f->name);
			html_attr(sb, "type", f->type == F_RADIOS ||
			    f->type == F_YESNO ? "radio" : "checkbox");
			html_attr(sb, "value", code);
			if (checked)
				html_raw(sb, " checked");
			rv = f->type == F_RADIOS || f->type == F_YESNO ?
			    reveal_of(set, f->name, code) : NULL;
			snprintf(cid, sizeof(cid), "conditional-%s", id);
			if (rv != NULL)
				html_attr(sb, "data-aria-controls", cid);
			html_end(sb);
			html_start(sb, "label");
			html_attr(sb, "class", f->type == F_RADIOS ||
			    f->type == F_YESNO ?
			    "nhsuk-label nhsuk-radios__label" :
			    "nhsuk-label nhsuk-checkboxes__label");
			html_attr(sb, "for", id);
			html_end(sb);
			html_text(sb, f->type == F_CHECK ? f->label : label);
			html_raw(sb, "</label></div>");
			if (rv != NULL)
				render_reveal(mr, errors, sb, set, rv, cid,
				    checked);
		}
		html_raw(sb, "</div></fieldset></div>");
		return;
	}
}

/*
 * The error summary for errors, fields in the form's order first, each
 * linking to its field; then the errors on what the form does not show
 * ({message, href} from fr_words), linking to the page that fixes them.
 */
size_t
fr_errors(json_t *errors, const struct fspec *const *sets, size_t nsets,
    struct sbuf *sb)
{
	struct page_error	 errs[32];
	static char		 msgs[32][512], ids[32][160];
	const struct fspec	*f;
	const char		*key, *m;
	json_t			*v;
	size_t			 n, i;
	int			 found;

	if (errors == NULL)
		return (0);
	n = 0;
	for (i = 0; i < nsets; i++) {
		for (f = sets[i]; f != NULL && f->name != NULL; f++) {
			if (f->type == F_HIDDEN)
				continue;
			if ((m = field_error(errors, f)) == NULL || n >= 32)
				continue;
			snprintf(msgs[n], sizeof(msgs[n]), "%s", m);
			/* A date's link goes to its first input. */
			snprintf(ids[n], sizeof(ids[n]), "%s%s", f->name,
			    f->type == F_DATE || f->type == F_AT ? "-day" : "");
			errs[n].field = ids[n];
			errs[n].message = msgs[n];
			n++;
		}
	}
	json_object_foreach(errors, key, v) {
		found = 0;
		for (i = 0; i < nsets; i++) {
			for (f = sets[i]; f != NULL && f->name != NULL; f++) {
				if (f->type != F_HIDDEN &&
				    strcmp(f->key, key) == 0)
					found = 1;
			}
		}
		if (found || n >= 32 || !json_is_object(v))
			continue;
		snprintf(msgs[n], sizeof(msgs[n]), "%s", cp_str(v, "message"));
		errs[n].field = NULL;
		if (cp_str(v, "href") != NULL) {
			snprintf(ids[n], sizeof(ids[n]), "%s", cp_str(v,
			    "href"));
			errs[n].field = ids[n];
		}
		errs[n].message = msgs[n];
		n++;
	}
	page_error_summary(sb, errs, n);
	return (n);
}

/*
 * The errors in words (form_msg.c's table): "Enter the date of death".
 * The checks name a field by its JSON key and say what is wrong with
 * it.  An error on a field of the form stays a string (shown at the
 * field); one on what the form does not show (the hidden form of a
 * cause of death, a move's unmet guard) becomes {message, href}: the
 * form that fixes it (form_msg_fix) and who must act, or the case.
 */
void
fr_words(json_t **errors, const struct fspec *const *sets, size_t nsets,
    const char *slug, const char *case_id)
{
	const struct fspec	*f, *field;
	const char		*key, *fix, *who;
	json_t			*v, *out, *o;
	char			 buf[512], msg[400], href[160];
	size_t			 i;

	if (*errors == NULL)
		return;
	out = json_object();
	json_object_foreach(*errors, key, v) {
		if (!json_is_string(v))
			continue;
		field = NULL;
		for (i = 0; i < nsets && field == NULL; i++) {
			for (f = sets[i]; f != NULL && f->name != NULL; f++) {
				if (f->type != F_HIDDEN &&
				    strcmp(f->key, key) == 0) {
					field = f;
					break;
				}
			}
		}
		form_msg(slug, key, json_string_value(v), field != NULL ?
		    field->label : NULL, field != NULL && (field->type ==
		    F_RADIOS || field->type == F_YESNO || field->type ==
		    F_CHECKS || field->type == F_CHECK), msg, sizeof(msg));
		if (field != NULL) {
			json_object_set_new(out, key, json_string(msg));
			continue;
		}
		o = json_object();
		fix = form_msg_fix(key, json_string_value(v), &who);
		href[0] = '\0';
		/* A group of fields ("a" of "a.b"): its first field. */
		snprintf(buf, sizeof(buf), "%s.", key);
		for (i = 0; i < nsets && href[0] == '\0'; i++) {
			for (f = sets[i]; f != NULL && f->name != NULL; f++) {
				if (f->type != F_HIDDEN && strncmp(f->key, buf,
				    strlen(buf)) == 0) {
					snprintf(href, sizeof(href), "%s",
					    f->name);
					break;
				}
			}
		}
		if (href[0] != '\0')
			snprintf(buf, sizeof(buf), "%s", msg);
		else if (fix != NULL && case_id != NULL) {
			snprintf(href, sizeof(href), "/cases/%s/%s", case_id,
			    fix);
			snprintf(buf, sizeof(buf), "%s (to be done by %s)", msg,
			    who);
		} else {
			if (case_id != NULL)
				snprintf(href, sizeof(href), "/cases/%s",
				    case_id);
			snprintf(buf, sizeof(buf), "%s", msg);
		}
		json_object_set_new(o, "message", json_string(buf));
		if (href[0] != '\0')
			json_object_set_new(o, "href", json_string(href));
		json_object_set_new(out, key, o);
	}
	json_decref(*errors);
	*errors = out;
}
