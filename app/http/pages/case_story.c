/*
 * What happened to a case, in sentences: the banners at the top of the
 * case page (a save just made, the reason a case was withdrawn, closed
 * or reopened, an urgent release still waiting for its outcome) and the
 * timeline, newest first, each event said from its `changes` (what
 * case_event_add was given by the writes of sql/cases_write.sql), with
 * people by display name.  The timeline never repeats the text of a
 * note, a discussion or a governance referral: it says that one was
 * added.  Serves no URL itself; used by case.c.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "case_parts.h"
#include "case_record.h"
#include "case_state.h"
#include "case_story.h"
#include "html_writer.h"
#include "referral_doc.h"

static const char *const saved[][2] = {
	{ "new", "Case created" },
	{ "details", "Details saved" },
	{ "transition", "Case moved" },
	{ "record-review", "Review of the medical records saved" },
	{ "discussion", "Discussion saved" },
	{ "cause-of-death", "Cause of death saved" },
	{ "cause-of-death-neonatal", "Cause of death saved" },
	{ "representative", "Bereaved person saved" },
	{ "contact", "Contact saved" },
	{ "contact-exhausted", "Contact attempts saved" },
	{ "coroner-referral", "Referral to the coroner saved" },
	{ "coroner-decision", "Coroner's decision saved" },
	{ "referral-sent", "Sending of the referral saved" },
	{ "referral-ack", "Coroner's acknowledgement saved" },
	{ "governance", "Governance decision saved" },
	{ "final-actions", "Final actions saved" },
	{ "urgent-release", "Urgent release saved" },
	{ "assignment", "Medical examiner assigned" },
	{ "assign-officer", "Officer assigned" },
	{ "note", "Note saved" },
	{ "acknowledge-warning", "Warning acknowledged" },
	{ "leder", "LeDeR notification saved" },
};

const char *
cs_saved_message(const char *slug)
{
	size_t	i;

	if (slug == NULL)
		return (NULL);
	for (i = 0; i < sizeof(saved) / sizeof(saved[0]); i++) {
		if (strcmp(saved[i][0], slug) == 0)
			return (saved[i][1]);
	}
	return (NULL);
}

static void
banner(struct sbuf *sb, const char *id, int success, const char *title,
    const char *heading, const char *text)
{
	char	tid[64];

	snprintf(tid, sizeof(tid), "%s-title", id);
	html_start(sb, "div");
	html_attr(sb, "class", success ? "nhsuk-notification-banner "
	    "nhsuk-notification-banner--success" :
	    "nhsuk-notification-banner");
	html_attr(sb, "id", id);
	html_attr(sb, "role", success ? "alert" : "region");
	html_attr(sb, "aria-labelledby", tid);
	html_attr(sb, "data-module", "nhsuk-notification-banner");
	html_end(sb);
	html_raw(sb, "<div class=\"nhsuk-notification-banner__header\">"
	    "<h2 class=\"nhsuk-notification-banner__title\"");
	html_attr(sb, "id", tid);
	html_raw(sb, ">");
	html_text(sb, title);
	html_raw(sb, "</h2></div><div "
	    "class=\"nhsuk-notification-banner__content\"><p "
	    "class=\"nhsuk-notification-banner__heading\">");
	html_text(sb, heading);
	html_raw(sb, "</p>");
	if (text != NULL) {
		html_raw(sb, "<p class=\"nhsuk-body medex-text\">");
		html_text(sb, text);
		html_raw(sb, "</p>");
	}
	html_raw(sb, "</div></div>");
}

void
cs_banners(struct sbuf *sb, json_t *page, const char *msg)
{
	json_t		*k, *last, *u;
	const char	*state, *from, *to, *reason;
	char		 head[256], when[64], why[320];

	k = json_object_get(page, "case");
	if (msg != NULL)
		banner(sb, "saved-banner", 1, "Success", msg, NULL);
	state = cp_str(k, "state");
	last = json_object_get(page, "last_transition");
	from = cp_str(last, "from");
	to = cp_str(last, "to");
	reason = cp_str(last, "reason");
	head[0] = '\0';
	if (state != NULL && strcmp(state, "withdrawn") == 0)
		snprintf(head, sizeof(head), "This case was withdrawn");
	else if (state != NULL && strcmp(state, "closed") == 0)
		snprintf(head, sizeof(head), "This case was closed");
	else if (from != NULL && to != NULL && state != NULL &&
	    strcmp(from, "mccd_issued") == 0 &&
	    strcmp(to, "in_scrutiny") == 0 && strcmp(state, to) == 0)
		snprintf(head, sizeof(head), "This case was reopened");
	if (head[0] != '\0') {
		cp_time(cp_str(last, "at"), when, sizeof(when));
		snprintf(head + strlen(head), sizeof(head) - strlen(head),
		    " on %s", when);
		banner(sb, "state-banner", 0, "Important", head,
		    reason != NULL ? reason : "No reason was recorded.");
	}
	u = json_object_get(k, "urgent_release");
	if (json_is_true(json_object_get(u, "requested")) &&
	    cp_str(u, "outcome") == NULL) {
		cp_code_label(cp_str(u, "reason"), head, sizeof(head));
		snprintf(why, sizeof(why), "Reason: %s", head);
		banner(sb, "urgent-banner", 0, "Important",
		    "Urgent release of the body has been requested",
		    cp_str(u, "reason") != NULL ? why : NULL);
	}
}

static const char *
state_label(const char *s)
{
	enum case_state	st;

	if (s != NULL && case_state_from_str(s, &st) == 0)
		return (case_state_label(st));
	return (s != NULL ? s : "?");
}

/* The new value of changes.<key>.new.<field>, or NULL. */
static const char *
new_of(json_t *ch, const char *key, const char *field)
{
	json_t	*n;

	n = json_object_get(json_object_get(ch, key), "new");
	return (field == NULL ? json_string_value(n) : cp_str(n, field));
}

/*
 * Whether the retention purge removed changes.<key> of event e (its
 * "purged" list): the sentence then says so rather than read a null.
 */
static int
purged(json_t *e, const char *key)
{
	json_t	*p = json_object_get(e, "purged");
	size_t	 i;

	for (i = 0; i < json_array_size(p); i++) {
		if (json_is_string(json_array_get(p, i)) &&
		    strcmp(json_string_value(json_array_get(p, i)), key) == 0)
			return (1);
	}
	return (0);
}

/* The records whose whole entry a purge removes, in words. */
static const struct {
	const char	*action;
	const char	*key;
	const char	*words;
} purged_words[] = {
	{ "note_added", "note", "Note added" },
	{ "representative_added", "representative", "Bereaved person added" },
	{ "contact_added", "contact", "Contact with the bereaved recorded" },
	{ "contact_exhausted", "exhausted", "Contact attempts exhausted" },
	{ "governance_referral_added", "governance",
	    "Governance decision recorded" },
};

/* One event in words, without its actor. */
static void
sentence(json_t *e, json_t *names, char *buf, size_t len)
{
	json_t		*ch = json_object_get(e, "changes"), *x;
	const char	*a = cp_str(e, "action"), *who, *v;
	char		 w[160], w2[160];
	size_t		 i;

	if (a == NULL)
		a = "";
	for (i = 0; i < sizeof(purged_words) / sizeof(purged_words[0]); i++) {
		if (strcmp(a, purged_words[i].action) == 0 &&
		    purged(e, purged_words[i].key)) {
			snprintf(buf, len, "%s (details removed after the "
			    "retention period)", purged_words[i].words);
			return;
		}
	}
	if (strcmp(a, "created") == 0)
		snprintf(buf, len, "Case created");
	else if (strcmp(a, "imported") == 0) {
		v = cp_str(ch, "file_sha256");
		snprintf(buf, len, "Case imported from a spreadsheet, row %lld "
		    "(file SHA-256 %.12s…), as %s",
		    json_integer_value(json_object_get(ch, "row")),
		    v != NULL ? v : "", state_label(new_of(ch, "state", NULL)));
	}
	else if (strcmp(a, "updated") == 0)
		snprintf(buf, len, "Details of the deceased changed");
	else if (strcmp(a, "transition") == 0) {
		x = json_object_get(ch, "state");
		snprintf(buf, len, "Moved from %s to %s",
		    state_label(cp_str(x, "old")),
		    state_label(cp_str(x, "new")));
	} else if (strcmp(a, "assigned") == 0) {
		buf[0] = '\0';
		if (json_object_get(ch, "examiner") != NULL) {
			who = new_of(ch, "examiner", NULL);
			snprintf(buf, len, who != NULL ? "Assigned to %s as "
			    "medical examiner" : "Medical examiner unassigned",
			    who != NULL ? cr_who(names, who) : "");
		}
		if (json_object_get(ch, "officer") != NULL) {
			who = new_of(ch, "officer", NULL);
			snprintf(buf + strlen(buf), len - strlen(buf),
			    who != NULL ? "%sAssigned to %s as officer" :
			    "%sOfficer unassigned", buf[0] != '\0' ? "; " : "",
			    who != NULL ? cr_who(names, who) : "");
		}
		if (buf[0] == '\0')
			snprintf(buf, len, "Assignment unchanged");
	} else if (strcmp(a, "note_added") == 0) {
		cp_code_label(new_of(ch, "note", "kind"), w, sizeof(w));
		snprintf(buf, len, "Note added (%s)", w);
	} else if (strcmp(a, "practitioner_discussion_added") == 0)
		snprintf(buf, len, "Discussion with the attending "
		    "practitioner recorded");
	else if (strcmp(a, "cause_of_death_recorded") == 0)
		snprintf(buf, len, "Cause of death recorded");
	else if (strcmp(a, "representative_added") == 0) {
		v = new_of(ch, "representative", "relationship");
		snprintf(w2, sizeof(w2), v != NULL ? " (%s)" : "%s",
		    v != NULL ? v : "");
		v = new_of(ch, "representative", "name");
		snprintf(buf, len, "Bereaved person added: %s%s",
		    v != NULL ? v : "", w2);
	} else if (strcmp(a, "contact_added") == 0) {
		/* "Contact with Mary Smith (daughter): reached" */
		cp_code_label(new_of(ch, "contact", "outcome"), w, sizeof(w));
		if (w[0] >= 'A' && w[0] <= 'Z')
			w[0] = (char)(w[0] - 'A' + 'a');
		v = new_of(ch, "contact", "relationship");
		snprintf(w2, sizeof(w2), v != NULL ? " (%s)" : "%s",
		    v != NULL ? v : "");
		v = new_of(ch, "contact", "person_name");
		snprintf(buf, len, "Contact with %s%s: %s", v != NULL ? v : "",
		    w2, w);
	} else if (strcmp(a, "contact_exhausted") == 0) {
		cp_code_label(new_of(ch, "exhausted", "reason"), w, sizeof(w));
		snprintf(buf, len, "Contact attempts exhausted (%s)", w);
	} else if (strcmp(a, "coroner_referral_recorded") == 0)
		snprintf(buf, len, "Referral to the coroner recorded");
	else if (strcmp(a, "coroner_referral_sent") == 0) {
		v = referral_method_words(new_of(ch, "method", NULL));
		snprintf(buf, len, "Referral sent to the coroner (%s)",
		    v != NULL ? v : "");
	} else if (strcmp(a, "coroner_referral_acknowledged") == 0) {
		v = new_of(ch, "reference", NULL);
		snprintf(buf, len, v != NULL ? "Referral acknowledged by the "
		    "coroner (reference %s)" : "Referral acknowledged by the "
		    "coroner%s", v != NULL ? v : "");
	} else if (strcmp(a, "coroner_decision_recorded") == 0) {
		cp_code_label(new_of(ch, "decision", NULL), w, sizeof(w));
		snprintf(buf, len, "Coroner's decision recorded: %s", w);
	} else if (strcmp(a, "governance_referral_added") == 0) {
		cp_code_label(new_of(ch, "governance", "kind"), w, sizeof(w));
		snprintf(buf, len, "Governance decision recorded (%s)", w);
	} else if (strcmp(a, "final_actions_recorded") == 0)
		snprintf(buf, len, "Final actions recorded");
	else if (strcmp(a, "urgent_release_recorded") == 0)
		snprintf(buf, len, "Urgent release recorded");
	else if (strcmp(a, "retention_purged") == 0)
		snprintf(buf, len, "Identifiable details removed: the "
		    "office's retention period had passed");
	else if (strcmp(a, "warning_acknowledged") == 0) {
		v = new_of(ch, "warning", "message");
		snprintf(buf, len, "Warning acknowledged: %s",
		    v != NULL ? v : "");
	}
	else {
		cp_code_label(a, w, sizeof(w));
		snprintf(buf, len, "%s", w);
	}
}

void
cs_timeline(struct sbuf *sb, json_t *events, json_t *names)
{
	json_t		*items, *e;
	const char	*reason;
	char		 buf[1024], when[64];
	size_t		 i, n;

	if (events == NULL)
		return;
	items = json_object_get(events, "items");
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\" id=\"timeline-title\">"
	    "Timeline</h2><p class=\"nhsuk-body\">What was done, newest "
	    "first (who read the case is in the audit trail).</p>");
	if (json_is_true(json_object_get(events, "earlier")))
		html_raw(sb, "<p class=\"nhsuk-body\">Only the latest "
		    "changes are shown; the earlier ones are in the audit "
		    "trail.</p>");
	html_raw(sb, "<ol class=\"nhsuk-list medex-timeline\" "
	    "id=\"timeline\">");
	n = json_array_size(items);
	for (i = n; i > 0; i--) {
		e = json_array_get(items, i - 1);
		sentence(e, names, buf, sizeof(buf));
		cp_time(cp_str(e, "at"), when, sizeof(when));
		html_raw(sb, "<li><span class=\"medex-timeline__what\">");
		html_text(sb, buf);
		html_raw(sb, " by ");
		html_text(sb, cr_who(names, cp_str(e, "actor")));
		reason = new_of(json_object_get(e, "changes"), "reason", NULL);
		if (reason != NULL) {
			html_raw(sb, " (reason: ");
			html_text(sb, reason);
			html_raw(sb, ")");
		}
		html_raw(sb, "</span><br><span class=\"nhsuk-body-s "
		    "medex-timeline__when\">");
		html_text(sb, when);
		html_raw(sb, "</span></li>");
	}
	html_raw(sb, "</ol>");
}
