/*
 * The records of a case as NHS.UK summary lists, for the case page
 * (case.c) and its print view: the deceased and the notification, the
 * priority and urgent release flags, the bereaved people, contacts
 * (newest first), notes by kind, practitioner discussions, the cause of
 * death as recorded, the coroner, governance (each linked to the
 * contact that raised the concern), final actions and the MCCD.
 *
 * A section is written only when the case JSON holds its record: the
 * liaison officer's case JSON has no notes, discussions or governance
 * (case_json, sql/cases_common.sql), so their page cannot show them.
 * People are shown by display name (api_page_case's "names").  Serves
 * no URL itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "case_parts.h"
#include "case_record.h"
#include "case_words.h"
#include "html_writer.h"
#include "referral_doc.h"

/* A code in words: its own words (case_words.h) or the code readable. */
static void
words(const char *code, char *buf, size_t len)
{
	const char	*w;

	if ((w = case_code_words(code)) != NULL)
		snprintf(buf, len, "%s", w);
	else
		cp_code_label(code, buf, len);
}

const char *
cr_who(json_t *names, const char *username)
{
	const char	*n;

	if (username == NULL)
		return (NULL);
	n = cp_str(names, username);
	return (n != NULL && *n != '\0' ? n : username);
}

void
cr_row(struct sbuf *sb, const char *key, const char *value,
    const char *href)
{
	html_raw(sb, "<div class=\"nhsuk-summary-list__row\"><dt "
	    "class=\"nhsuk-summary-list__key\">");
	html_text(sb, key);
	html_raw(sb, "</dt><dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, value != NULL && *value != '\0' ? value : "Not known");
	html_raw(sb, "</dd>");
	if (href != NULL) {
		html_raw(sb, "<dd class=\"nhsuk-summary-list__actions\">");
		html_start(sb, "a");
		html_attr(sb, "href", href);
		html_end(sb);
		html_raw(sb, "Change<span class=\"nhsuk-u-visually-hidden\"> ");
		html_text(sb, key);
		html_raw(sb, "</span></a></dd>");
	}
	html_raw(sb, "</div>");
}

static void
row_code(struct sbuf *sb, const char *key, const char *code)
{
	char	buf[160];

	words(code, buf, sizeof(buf));
	cr_row(sb, key, buf, NULL);
}

static void
row_time(struct sbuf *sb, const char *key, const char *at)
{
	char	buf[64];

	cp_time(at, buf, sizeof(buf));
	cr_row(sb, key, buf, NULL);
}

static void
row_bool(struct sbuf *sb, const char *key, json_t *v)
{
	cr_row(sb, key, json_is_true(v) ? "Yes" : json_is_false(v) ? "No" :
	    NULL, NULL);
}

static void
section(struct sbuf *sb, const char *id, const char *title)
{
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\"");
	html_attr(sb, "id", id);
	html_raw(sb, ">");
	html_text(sb, title);
	html_raw(sb, "</h2>");
}

/* "Recorded 1 Jul 2026 14:00 BST by Dr Asha Rao" */
static void
recorded(struct sbuf *sb, json_t *x, const char *at_key, json_t *names)
{
	char	when[64];

	cp_time(cp_str(x, at_key), when, sizeof(when));
	html_raw(sb, "<p class=\"nhsuk-body-s medex-recorded\">Recorded ");
	html_text(sb, when);
	if (cp_str(x, "actor") != NULL) {
		html_raw(sb, " by ");
		html_text(sb, cr_who(names, cp_str(x, "actor")));
	}
	html_raw(sb, "</p>");
}

void
cr_details(struct sbuf *sb, json_t *k, json_t *names, const char *chg)
{
	json_t		*ap;
	const char	*eth;
	char		 buf[600];

	section(sb, "details", "The deceased and the notification");
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	cr_row(sb, "Given names", cp_str(k, "given_name"), chg);
	cr_row(sb, "Family name", cp_str(k, "family_name"), chg);
	cp_nhs(cp_str(k, "nhs_number"), buf, sizeof(buf));
	cr_row(sb, "NHS number", buf, chg);
	cp_time(cp_str(k, "date_of_birth"), buf, sizeof(buf));
	cr_row(sb, "Date of birth", buf, chg);
	cp_code_label(cp_str(k, "sex"), buf, sizeof(buf));
	cr_row(sb, "Sex", buf, chg);
	eth = case_ethnicity_label(cp_str(k, "ethnicity"));
	cr_row(sb, "Ethnicity", eth != NULL ? eth : cp_str(k, "ethnicity"),
	    chg);
	cp_time(cp_str(k, "date_of_death"), buf, sizeof(buf));
	if (cp_str(k, "time_of_death") != NULL)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %s",
		    cp_str(k, "time_of_death"));
	cr_row(sb, "Date of death", buf, chg);
	cp_code_label(cp_str(k, "place_of_death"), buf, sizeof(buf));
	if (cp_str(k, "place_detail") != NULL)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", %s",
		    cp_str(k, "place_detail"));
	cr_row(sb, "Place of death", buf, chg);
	ap = json_object_get(k, "attending_practitioner");
	snprintf(buf, sizeof(buf), "%s (GMC %s)", cp_str(ap, "name") != NULL ?
	    cp_str(ap, "name") : "", cp_str(ap, "gmc_number") != NULL ?
	    cp_str(ap, "gmc_number") : "");
	cr_row(sb, "Attending practitioner", buf, chg);
	cp_time(cp_str(k, "notified_at"), buf, sizeof(buf));
	cr_row(sb, "Notified at", buf, chg);
	cr_row(sb, "Learning disability or autism", json_is_true(
	    json_object_get(k, "learning_disability_or_autism")) ? "Yes" :
	    "No", chg);
	cr_row(sb, "Severe mental illness", json_is_true(json_object_get(k,
	    "severe_mental_illness")) ? "Yes" : "No", chg);
	if (cp_str(k, "leder_notified_at") != NULL) {
		cp_time(cp_str(k, "leder_notified_at"), buf, sizeof(buf));
		cr_row(sb, "LeDeR notified", buf, NULL);
	}
	/* Assignment has its own forms: no Change link here. */
	cr_row(sb, "Medical examiner", cp_str(k, "examiner") != NULL ?
	    cr_who(names, cp_str(k, "examiner")) : "Not assigned", NULL);
	cr_row(sb, "Medical examiner officer", cp_str(k, "officer") != NULL ?
	    cr_who(names, cp_str(k, "officer")) : "Not assigned", NULL);
	html_raw(sb, "</dl>");
}

void
cr_flags(struct sbuf *sb, json_t *k)
{
	static const char *const flags[][2] = {
		{ "child", "Child death" }, { "faith", "Faith" },
		{ "cultural", "Cultural" }, { "coroner", "Coroner" },
		{ "other", "Other" },
	};
	json_t	*p, *u;
	char	 buf[256];
	size_t	 i;

	p = json_object_get(k, "priority");
	u = json_object_get(k, "urgent_release");
	section(sb, "flags", "Priority and urgent release");
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	buf[0] = '\0';
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!json_is_true(json_object_get(p, flags[i][0])))
			continue;
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    buf[0] != '\0' ? ", " : "", flags[i][1]);
	}
	cr_row(sb, "Priority", buf[0] != '\0' ? buf : "None", NULL);
	if (cp_str(p, "detail") != NULL)
		cr_row(sb, "Priority details", cp_str(p, "detail"), NULL);
	cr_row(sb, "Urgent release requested", json_is_true(json_object_get(u,
	    "requested")) ? "Yes" : "No", NULL);
	if (json_is_true(json_object_get(u, "requested"))) {
		row_code(sb, "Reason for urgent release", cp_str(u, "reason"));
		if (cp_str(u, "outcome") != NULL)
			row_code(sb, "Urgent release outcome",
			    cp_str(u, "outcome"));
		else
			cr_row(sb, "Urgent release outcome", "Not yet recorded",
			    NULL);
	}
	html_raw(sb, "</dl>");
}

void
cr_people(struct sbuf *sb, json_t *people)
{
	json_t	*x;
	size_t	 i;
	char	 buf[600];

	section(sb, "people", "Bereaved people to contact");
	if (json_array_size(people) == 0) {
		html_raw(sb, "<p class=\"nhsuk-body\">None recorded.</p>");
		return;
	}
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	json_array_foreach(people, i, x) {
		snprintf(buf, sizeof(buf), "%s%s%s%s%s%s%s",
		    cp_str(x, "relationship") != NULL ?
		    cp_str(x, "relationship") : "",
		    cp_str(x, "phone") != NULL ? ", " : "",
		    cp_str(x, "phone") != NULL ? cp_str(x, "phone") : "",
		    cp_str(x, "email") != NULL ? ", " : "",
		    cp_str(x, "email") != NULL ? cp_str(x, "email") : "",
		    json_is_true(json_object_get(x, "present_at_death")) ?
		    ", present at the death" : "",
		    json_is_true(json_object_get(x, "is_informant")) ?
		    ", the informant" : "");
		cr_row(sb, cp_str(x, "name") != NULL ? cp_str(x, "name") : "-",
		    buf, NULL);
	}
	html_raw(sb, "</dl>");
}

/* Newest first: by "at", then by id (RFC 3339 UTC sorts as text). */
static int
contact_cmp(const void *a, const void *b)
{
	json_t		*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char	*ax, *ay;
	int		 c;

	ax = cp_str(x, "at") != NULL ? cp_str(x, "at") : "";
	ay = cp_str(y, "at") != NULL ? cp_str(y, "at") : "";
	if ((c = strcmp(ay, ax)) != 0)
		return (c);
	return (atol(cp_str(y, "id") != NULL ? cp_str(y, "id") : "0") >
	    atol(cp_str(x, "id") != NULL ? cp_str(x, "id") : "0") ? 1 : -1);
}

/* Has the concern of contact x a governance decision linked to it? */
static int
concern_decided(json_t *k, json_t *x)
{
	json_t	*g;
	size_t	 i;

	json_array_foreach(json_object_get(k, "governance_referrals"), i, g) {
		if (cp_str(g, "contact_id") != NULL && cp_str(x, "id") != NULL &&
		    strcmp(cp_str(g, "contact_id"), cp_str(x, "id")) == 0)
			return (1);
	}
	return (0);
}

/* The governance form of the concern of contact x, for who may decide. */
static void
concern_link(struct sbuf *sb, json_t *k, json_t *x, const char *gov)
{
	char	href[160];

	if (gov == NULL || !json_is_true(json_object_get(x,
	    "concerns_raised")) || cp_str(x, "id") == NULL ||
	    concern_decided(k, x))
		return;
	snprintf(href, sizeof(href), "%s?contact=%s", gov, cp_str(x, "id"));
	html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
	cp_link(sb, href, "Record a governance decision on this concern", 0);
	html_raw(sb, "</p>");
}

static void
contacts(struct sbuf *sb, json_t *k, json_t *names, const char *gov)
{
	json_t	*list, *x, **v;
	size_t	 i, n;
	char	 buf[600], id[64];

	list = json_object_get(k, "contacts");
	section(sb, "contacts", "Contacts with the bereaved");
	if ((n = json_array_size(list)) == 0) {
		html_raw(sb, "<p class=\"nhsuk-body\">None recorded.</p>");
	} else {
		v = calloc(n, sizeof(*v));
		if (v == NULL)
			return;
		json_array_foreach(list, i, x)
			v[i] = x;
		qsort(v, n, sizeof(*v), contact_cmp);
		for (i = 0; i < n; i++) {
			x = v[i];
			cp_time(cp_str(x, "at"), buf, sizeof(buf));
			snprintf(id, sizeof(id), "contact-%s",
			    cp_str(x, "id") != NULL ? cp_str(x, "id") : "");
			html_raw(sb, "<div class=\"medex-record\"");
			html_attr(sb, "id", id);
			html_raw(sb, "><h3 class=\"nhsuk-heading-s\">");
			html_text(sb, cp_str(x, "person_name"));
			html_raw(sb, ", ");
			html_text(sb, buf);
			html_raw(sb, "</h3><dl class=\"nhsuk-summary-list\">");
			cr_row(sb, "When", buf, NULL);
			cr_row(sb, "Who", cp_str(x, "person_name"), NULL);
			cr_row(sb, "Relationship", cp_str(x, "relationship"),
			    NULL);
			row_code(sb, "Method", cp_str(x, "method"));
			row_code(sb, "Outcome", cp_str(x, "outcome"));
			cr_row(sb, "Questions", cp_str(x, "questions") != NULL ?
			    cp_str(x, "questions") : "None recorded", NULL);
			cr_row(sb, "Concerns", json_is_true(json_object_get(x,
			    "concerns_raised")) ? cp_str(x, "concerns") :
			    "None raised", NULL);
			html_raw(sb, "</dl>");
			concern_link(sb, k, x, gov);
			recorded(sb, x, "recorded_at", names);
			html_raw(sb, "</div>");
		}
		free(v);
	}
	list = json_object_get(k, "contacts_exhausted");
	json_array_foreach(list, i, x) {
		html_raw(sb, "<div class=\"medex-record\"><h3 "
		    "class=\"nhsuk-heading-s\">Contact attempts exhausted</h3>"
		    "<dl class=\"nhsuk-summary-list\">");
		row_code(sb, "Reason", cp_str(x, "reason"));
		if (cp_str(x, "detail") != NULL)
			cr_row(sb, "Details", cp_str(x, "detail"), NULL);
		html_raw(sb, "</dl>");
		recorded(sb, x, "recorded_at", names);
		html_raw(sb, "</div>");
	}
}

/* Is note id amended by a later note of the list? */
static const char *
amended_by(json_t *notes, const char *id)
{
	json_t	*x;
	size_t	 i;

	json_array_foreach(notes, i, x) {
		if (cp_str(x, "amends") != NULL && id != NULL &&
		    strcmp(cp_str(x, "amends"), id) == 0)
			return (cp_str(x, "id"));
	}
	return (NULL);
}

static void
notes(struct sbuf *sb, json_t *list, json_t *names)
{
	static const char *const kinds[][2] = {
		{ "officer_summary", "Officer's summary" },
		{ "admission", "Admission" },
		{ "medical_history", "Medical history" },
		{ "record_review", "Review of the medical records" },
		{ "other", "Other notes" },
	};
	json_t		*x;
	size_t		 i, k;
	int		 any;
	const char	*by;
	char		 id[64], href[80];

	section(sb, "notes", "Notes");
	if (json_array_size(list) == 0) {
		html_raw(sb, "<p class=\"nhsuk-body\">None recorded.</p>");
		return;
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		any = 0;
		json_array_foreach(list, i, x) {
			if (cp_str(x, "kind") == NULL ||
			    strcmp(cp_str(x, "kind"), kinds[k][0]) != 0)
				continue;
			if (!any)
				html_raw(sb, "<h3 class=\"nhsuk-heading-s\">");
			if (!any)
				html_text(sb, kinds[k][1]);
			if (!any)
				html_raw(sb, "</h3>");
			any = 1;
			snprintf(id, sizeof(id), "note-%s", cp_str(x, "id"));
			html_raw(sb, "<div class=\"medex-record\"");
			html_attr(sb, "id", id);
			html_raw(sb, ">");
			if (cp_str(x, "amends") != NULL) {
				snprintf(href, sizeof(href), "#note-%s",
				    cp_str(x, "amends"));
				html_raw(sb, "<p class=\"nhsuk-body-s\">"
				    "<strong class=\"nhsuk-tag "
				    "nhsuk-tag--blue\">Amended</strong> "
				    "This replaces an ");
				cp_link(sb, href, "earlier version", 0);
				html_raw(sb, ".</p>");
			}
			if ((by = amended_by(list, cp_str(x, "id"))) != NULL) {
				snprintf(href, sizeof(href), "#note-%s", by);
				html_raw(sb, "<p class=\"nhsuk-body-s\">"
				    "<strong class=\"nhsuk-tag "
				    "nhsuk-tag--grey\">Superseded</strong> "
				    "See the ");
				cp_link(sb, href, "amended version", 0);
				html_raw(sb, ".</p>");
			}
			html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
			cr_row(sb, "Note", cp_str(x, "text"), NULL);
			if (cp_str(x, "circumstances") != NULL)
				row_code(sb, "Circumstances",
				    cp_str(x, "circumstances"));
			if (cp_str(x, "proposed_outcome") != NULL)
				row_code(sb, "Proposed outcome",
				    cp_str(x, "proposed_outcome"));
			html_raw(sb, "</dl>");
			recorded(sb, x, "at", names);
			html_raw(sb, "</div>");
		}
	}
}

static void
discussions(struct sbuf *sb, json_t *list, json_t *names)
{
	json_t	*x, *p;
	size_t	 i;
	char	 buf[600];

	section(sb, "discussions", "Discussions with the attending "
	    "practitioner");
	if (json_array_size(list) == 0) {
		html_raw(sb, "<p class=\"nhsuk-body\">None recorded.</p>");
		return;
	}
	json_array_foreach(list, i, x) {
		p = json_object_get(x, "practitioner");
		html_raw(sb, "<div class=\"medex-record\"><dl "
		    "class=\"nhsuk-summary-list\">");
		snprintf(buf, sizeof(buf), "%s (GMC %s)",
		    cp_str(p, "name") != NULL ? cp_str(p, "name") : "",
		    cp_str(p, "gmc_number") != NULL ?
		    cp_str(p, "gmc_number") : "");
		cr_row(sb, "Practitioner", buf, NULL);
		row_time(sb, "When", cp_str(x, "at"));
		row_bool(sb, "Took place", json_object_get(x, "happened"));
		if (cp_str(x, "reason_not") != NULL)
			cr_row(sb, "Why not", cp_str(x, "reason_not"), NULL);
		if (cp_str(x, "proposed_cause") != NULL)
			cr_row(sb, "Cause of death proposed",
			    cp_str(x, "proposed_cause"), NULL);
		row_code(sb, "Outcome", cp_str(x, "outcome"));
		html_raw(sb, "</dl>");
		recorded(sb, x, "recorded_at", names);
		html_raw(sb, "</div>");
	}
}

static void
cause(struct sbuf *sb, json_t *cod)
{
	static const char *const standard[][2] = {
		{ "part1a", "Part I (a) Disease or condition leading directly "
		    "to death" },
		{ "part1b", "Part I (b) due to" },
		{ "part1c", "Part I (c) due to" },
		{ "part1d", "Part I (d) due to" },
		{ "part2", "Part II Other significant conditions" },
	};
	static const char *const neonatal[][2] = {
		{ "infant_main", "Main disease or condition in the infant" },
		{ "infant_other", "Other diseases or conditions in the infant" },
		{ "maternal_main", "Main maternal disease or condition "
		    "affecting the infant" },
		{ "maternal_other", "Other maternal diseases or conditions "
		    "affecting the infant" },
		{ "other_relevant", "Other relevant causes" },
	};
	const char	*const (*rows)[2];
	size_t		 i;
	int		 neo;

	section(sb, "cause-of-death", "Cause of death");
	if (!json_is_object(cod)) {
		html_raw(sb, "<p class=\"nhsuk-body\">Not yet recorded.</p>");
		return;
	}
	neo = cp_str(cod, "form") != NULL &&
	    strcmp(cp_str(cod, "form"), "neonatal") == 0;
	rows = neo ? neonatal : standard;
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	cr_row(sb, "Form", neo ? "Neonatal (death in the first 28 days of "
	    "life)" : "Standard", NULL);
	for (i = 0; i < 5; i++) {
		if (cp_str(cod, rows[i][0]) != NULL)
			cr_row(sb, rows[i][1], cp_str(cod, rows[i][0]), NULL);
	}
	cr_row(sb, "Agreed with the attending practitioner",
	    json_is_true(json_object_get(cod,
	    "agreed_with_attending_practitioner")) ? "Yes" : "No", NULL);
	html_raw(sb, "</dl>");
}

/* Issue 23: how the referral went and the coroner's acknowledgement. */
static void
coroner_sent(struct sbuf *sb, json_t *cr, json_t *names)
{
	const char	*m, *who;
	char		 buf[300], when[64];

	if (cp_str(cr, "sent_at") == NULL) {
		cr_row(sb, "Sent to the coroner", "Not yet sent", NULL);
		return;
	}
	cp_time(cp_str(cr, "sent_at"), when, sizeof(when));
	m = referral_method_words(cp_str(cr, "sent_method"));
	who = cr_who(names, cp_str(cr, "sent_by"));
	snprintf(buf, sizeof(buf), "%s by %s (%s)", when, m != NULL ? m : "",
	    who != NULL ? who : "unknown");
	cr_row(sb, "Sent to the coroner", buf, NULL);
	if (cp_str(cr, "acknowledged_at") == NULL) {
		cr_row(sb, "Acknowledged by the coroner", "Not yet", NULL);
		return;
	}
	cp_time(cp_str(cr, "acknowledged_at"), when, sizeof(when));
	who = cr_who(names, cp_str(cr, "acknowledged_by"));
	snprintf(buf, sizeof(buf), "%s (recorded by %s)", when,
	    who != NULL ? who : "unknown");
	cr_row(sb, "Acknowledged by the coroner", buf, NULL);
	if (cp_str(cr, "acknowledgement_reference") != NULL)
		cr_row(sb, "Reference given with the acknowledgement",
		    cp_str(cr, "acknowledgement_reference"), NULL);
}

static void
coroner(struct sbuf *sb, json_t *cr, json_t *names, const char *id)
{
	char	href[96];

	json_t	*c;
	size_t	 i;
	char	 buf[1024], w[160];

	section(sb, "coroner", "Coroner");
	if (!json_is_object(cr)) {
		html_raw(sb, "<p class=\"nhsuk-body\">Not referred.</p>");
		return;
	}
	buf[0] = '\0';
	json_array_foreach(json_object_get(cr, "categories"), i, c) {
		words(json_string_value(c), w, sizeof(w));
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    i > 0 ? "\n" : "", w);
	}
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	cr_row(sb, "Reasons for the referral", buf, NULL);
	cr_row(sb, "Why", cp_str(cr, "reason"), NULL);
	if (cp_str(cr, "referred_at") != NULL)
		row_time(sb, "Referred", cp_str(cr, "referred_at"));
	coroner_sent(sb, cr, names);
	if (cp_str(cr, "decision") != NULL) {
		row_code(sb, "Coroner's decision", cp_str(cr, "decision"));
		row_time(sb, "Decided", cp_str(cr, "decided_at"));
		cr_row(sb, "Coroner's reference",
		    cp_str(cr, "coroner_reference"), NULL);
	} else
		cr_row(sb, "Coroner's decision", "Not yet recorded", NULL);
	html_raw(sb, "</dl>");
	if (id == NULL)
		return;
	snprintf(href, sizeof(href), "/cases/%s/referral-document", id);
	html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
	html_start(sb, "a");
	html_attr(sb, "href", href);
	html_attr(sb, "id", "referral-document-link");
	html_end(sb);
	html_raw(sb, "The referral document to send to the coroner</a></p>");
}

/* The contact a governance decision answers, as "Mary Smith, 1 Jan". */
static void
governance(struct sbuf *sb, json_t *k, json_t *names)
{
	json_t		*list, *x, *t;
	size_t		 i, j;
	const char	*cid;
	char		 href[80], when[64], text[400];

	list = json_object_get(k, "governance_referrals");
	section(sb, "governance", "Clinical governance");
	if (json_array_size(list) == 0) {
		html_raw(sb, "<p class=\"nhsuk-body\">None recorded.</p>");
		return;
	}
	json_array_foreach(list, i, x) {
		html_raw(sb, "<div class=\"medex-record\"><dl "
		    "class=\"nhsuk-summary-list\">");
		row_code(sb, "Referral", cp_str(x, "kind"));
		cr_row(sb, "Reason", cp_str(x, "reason"), NULL);
		if ((cid = cp_str(x, "contact_id")) != NULL) {
			snprintf(text, sizeof(text), "Contact %s", cid);
			json_array_foreach(json_object_get(k, "contacts"), j,
			    t) {
				if (cp_str(t, "id") == NULL ||
				    strcmp(cp_str(t, "id"), cid) != 0)
					continue;
				cp_time(cp_str(t, "at"), when, sizeof(when));
				snprintf(text, sizeof(text), "%s, %s",
				    cp_str(t, "person_name") != NULL ?
				    cp_str(t, "person_name") : "", when);
			}
			snprintf(href, sizeof(href), "#contact-%s", cid);
			html_raw(sb, "<div class=\"nhsuk-summary-list__row\">"
			    "<dt class=\"nhsuk-summary-list__key\">Concern "
			    "raised in</dt><dd "
			    "class=\"nhsuk-summary-list__value\">");
			cp_link(sb, href, text, 0);
			html_raw(sb, "</dd></div>");
		}
		html_raw(sb, "</dl>");
		recorded(sb, x, "recorded_at", names);
		html_raw(sb, "</div>");
	}
}

static void
final_actions(struct sbuf *sb, json_t *k)
{
	json_t		*f;
	const char	*imp, *disp;
	char		 when[64];

	f = json_object_get(k, "final_actions");
	section(sb, "final-actions", "Final actions");
	if (json_is_object(f)) {
		imp = cp_str(f, "implants");
		disp = cp_str(f, "disposal");
		if (imp != NULL && disp != NULL &&
		    strcmp(imp, "present_not_removed") == 0 &&
		    strcmp(disp, "cremation") == 0)
			html_raw(sb, "<div class=\"nhsuk-warning-callout\" "
			    "id=\"implants-warning\"><h3 "
			    "class=\"nhsuk-warning-callout__label\"><span "
			    "role=\"text\"><span "
			    "class=\"nhsuk-u-visually-hidden\">Important: "
			    "</span>Implants not removed before cremation"
			    "</span></h3><p>The disposal is cremation and "
			    "the implants have not been removed. Tell the "
			    "funeral director and the crematorium before "
			    "the cremation.</p></div>");
		html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
		row_code(sb, "Disposal", disp);
		cr_row(sb, "Funeral director", cp_str(f, "funeral_director"),
		    NULL);
		row_code(sb, "Implants", imp);
		if (cp_str(f, "implant_detail") != NULL)
			cr_row(sb, "Implant details", cp_str(f,
			    "implant_detail"), NULL);
		row_code(sb, "GP notified", cp_str(f, "gp_notified"));
	} else
		html_raw(sb, "<dl class=\"nhsuk-summary-list\">");
	if (cp_str(k, "mccd_issued_on") != NULL) {
		cp_time(cp_str(k, "mccd_issued_on"), when, sizeof(when));
		cr_row(sb, "MCCD issued on", when, NULL);
	} else
		cr_row(sb, "MCCD issued on", "Not issued", NULL);
	html_raw(sb, "</dl>");
}

void
cr_records(struct sbuf *sb, json_t *k, json_t *names, const char *gov)
{
	json_t	*v;

	contacts(sb, k, names, gov);
	if ((v = json_object_get(k, "notes")) != NULL)
		notes(sb, v, names);
	if ((v = json_object_get(k, "practitioner_discussions")) != NULL)
		discussions(sb, v, names);
	cause(sb, json_object_get(k, "cause_of_death"));
	/* The document is for the roles that read the whole case (the
	 * liaison officer's case has no notes, and no right to it). */
	coroner(sb, json_object_get(k, "coroner_referral"), names,
	    json_object_get(k, "notes") != NULL ? cp_str(k, "id") : NULL);
	if (json_object_get(k, "governance_referrals") != NULL)
		governance(sb, k, names);
	final_actions(sb, k);
}
