/*
 * The bereaved on the contact and governance forms.  The contact form
 * offers the people recorded on the case as radios, "Someone else" last
 * with the name and relationship inputs under it (shown without
 * JavaScript, revealed by the choice with it); a person chosen is sent
 * as the API's representative_id with their recorded name and
 * relationship.  The governance form shows the concern it decides
 * (inset text) and links the decision to the contact that raised it:
 * the contact named by ?contact= on the case page's link, else the
 * first concern with no decision yet.  Serves no URL itself.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "case_bereaved.h"
#include "case_fields.h"
#include "case_parts.h"
#include "form_parse.h"
#include "form_render.h"
#include "html_writer.h"

static int
is_act(const struct act *a, const char *slug)
{
	return (a != NULL && strcmp(a->slug, slug) == 0);
}

static void
hidden(struct sbuf *sb, const char *name, const char *value)
{
	html_raw(sb, "<input type=\"hidden\"");
	html_attr(sb, "name", name);
	html_attr(sb, "value", value != NULL ? value : "");
	html_raw(sb, ">");
}

static void
radio(struct sbuf *sb, const char *id, const char *value, const char *label,
    int checked, const char *controls)
{
	html_raw(sb, "<div class=\"nhsuk-radios__item\">");
	html_start(sb, "input");
	html_attr(sb, "class", "nhsuk-radios__input");
	html_attr(sb, "id", id);
	html_attr(sb, "name", "representative");
	html_attr(sb, "type", "radio");
	html_attr(sb, "value", value);
	if (checked)
		html_raw(sb, " checked");
	if (controls != NULL)
		html_attr(sb, "data-aria-controls", controls);
	html_end(sb);
	html_start(sb, "label");
	html_attr(sb, "class", "nhsuk-label nhsuk-radios__label");
	html_attr(sb, "for", id);
	html_end(sb);
	html_text(sb, label);
	html_raw(sb, "</label></div>");
}

/* The people recorded on the case, then "Someone else" and its inputs. */
static void
people(struct medex_req *mr, json_t *errors, struct sbuf *sb,
    const struct fspec *set, json_t *reps)
{
	const struct fspec	*f;
	json_t			*r;
	const char		*v, *rid, *typed;
	char			 id[64], key[96], label[600];
	size_t			 i;
	int			 other;

	v = pf_val(mr, "representative");
	typed = pf_val(mr, "person_name");
	other = (v != NULL && strcmp(v, "other") == 0) || (v == NULL &&
	    ((typed != NULL && *typed != '\0') || (errors != NULL &&
	    (cp_str(errors, "person_name") != NULL ||
	    cp_str(errors, "relationship") != NULL))));
	html_raw(sb, "<div class=\"nhsuk-form-group\"><fieldset "
	    "class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend "
	    "nhsuk-fieldset__legend--s\">Who was contacted</legend>"
	    "<div class=\"nhsuk-radios\" data-module=\"nhsuk-radios\">");
	json_array_foreach(reps, i, r) {
		if ((rid = cp_str(r, "id")) == NULL)
			continue;
		snprintf(id, sizeof(id), i == 0 ? "representative" :
		    "representative-%zu", i);
		snprintf(label, sizeof(label), "%s (%s)", cp_str(r, "name") ?
		    cp_str(r, "name") : "", cp_str(r, "relationship") ?
		    cp_str(r, "relationship") : "");
		radio(sb, id, rid, label, v != NULL && strcmp(v, rid) == 0,
		    NULL);
		snprintf(key, sizeof(key), "rep-%s-name", rid);
		hidden(sb, key, cp_str(r, "name"));
		snprintf(key, sizeof(key), "rep-%s-relationship", rid);
		hidden(sb, key, cp_str(r, "relationship"));
	}
	html_raw(sb, "<div class=\"nhsuk-radios__divider\">or</div>");
	snprintf(id, sizeof(id), "representative-%zu", json_array_size(reps));
	radio(sb, id, "other", "Someone else", other,
	    "conditional-representative-other");
	html_start(sb, "div");
	html_attr(sb, "class", other ? "nhsuk-radios__conditional" :
	    "nhsuk-radios__conditional nhsuk-radios__conditional--hidden");
	html_attr(sb, "id", "conditional-representative-other");
	html_end(sb);
	for (f = set; f->name != NULL; f++) {
		if (strcmp(f->name, "person_name") == 0 ||
		    strcmp(f->name, "relationship") == 0)
			fr_field(mr, errors, sb, set, f);
	}
	html_raw(sb, "</div></div></fieldset></div>");
}

/* The contact whose concern the governance form decides, or NULL. */
static json_t *
concern_of(struct medex_req *mr, json_t *k)
{
	json_t		*c, *g;
	const char	*want, *cid;
	size_t		 i, j;
	int		 decided;

	want = pf_val(mr, "contact_id");
	json_array_foreach(json_object_get(k, "contacts"), i, c) {
		if (!json_is_true(json_object_get(c, "concerns_raised")) ||
		    (cid = cp_str(c, "id")) == NULL)
			continue;
		if (want != NULL) {
			if (strcmp(want, cid) == 0)
				return (c);
			continue;
		}
		decided = 0;
		json_array_foreach(json_object_get(k,
		    "governance_referrals"), j, g) {
			if (cp_str(g, "contact_id") != NULL &&
			    strcmp(cp_str(g, "contact_id"), cid) == 0)
				decided = 1;
		}
		if (!decided)
			return (c);
	}
	return (NULL);
}

static void
concern(struct medex_req *mr, struct sbuf *sb, json_t *k)
{
	json_t	*c;
	char	 when[64], head[700];

	if ((c = concern_of(mr, k)) == NULL)
		return;
	cp_time(cp_str(c, "at"), when, sizeof(when));
	snprintf(head, sizeof(head), "The concern raised by %s (%s), %s",
	    cp_str(c, "person_name") ? cp_str(c, "person_name") : "",
	    cp_str(c, "relationship") ? cp_str(c, "relationship") : "", when);
	html_raw(sb, "<div class=\"nhsuk-inset-text\" id=\"concern\"><span "
	    "class=\"nhsuk-u-visually-hidden\">Information: </span><p>");
	html_text(sb, head);
	html_raw(sb, "</p><p>");
	html_text(sb, cp_str(c, "concerns") != NULL ? cp_str(c, "concerns") :
	    "No words were recorded for the concern.");
	html_raw(sb, "</p></div>");
	hidden(sb, "contact_id", cp_str(c, "id"));
}

int
cbe_field(struct medex_req *mr, json_t *errors, json_t *k, struct sbuf *sb,
    const struct act *a, const struct fspec *set, const struct fspec *f)
{
	json_t	*reps;

	if (k == NULL)
		return (0);
	if (is_act(a, "governance")) {
		if (strcmp(f->name, "kind") == 0)
			concern(mr, sb, k);
		return (0);
	}
	if (!is_act(a, "contact"))
		return (0);
	reps = json_object_get(k, "representatives");
	if (json_array_size(reps) == 0)
		return (0);
	if (strcmp(f->name, "person_name") == 0) {
		people(mr, errors, sb, set, reps);
		return (1);
	}
	return (strcmp(f->name, "relationship") == 0);
}

void
cbe_to_json(struct medex_req *mr, const struct act *a, json_t *j)
{
	const char	*v, *name, *rel;
	char		 key[96];

	if (is_act(a, "governance")) {
		if ((v = pf_val(mr, "contact_id")) != NULL && pf_digits(v) &&
		    strlen(v) < 20)
			json_object_set_new(j, "contact_id", json_string(v));
		return;
	}
	if (!is_act(a, "contact") ||
	    (v = pf_val(mr, "representative")) == NULL || !pf_digits(v) ||
	    strlen(v) >= 20)
		return;
	snprintf(key, sizeof(key), "rep-%s-name", v);
	name = pf_val(mr, key);
	snprintf(key, sizeof(key), "rep-%s-relationship", v);
	rel = pf_val(mr, key);
	if (name == NULL || rel == NULL)
		return;
	json_object_set_new(j, "representative_id", json_string(v));
	json_object_set_new(j, "person_name", json_string(name));
	json_object_set_new(j, "relationship", json_string(rel));
}
