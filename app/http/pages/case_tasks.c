/*
 * The case page's task list and moves.  The task list (NHS.UK's task
 * list pattern) links each task to the form that does it, for readers
 * who may use that form now; the others read it as plain text.  The
 * moves come from case_state.h's table for the reader's role: one
 * primary "next step" button, the moves that would be made ("What you
 * can do", with the actions of case_actions.c), the moves whose
 * requirements are unmet with what is missing, who must act and the
 * form that fixes it (case_missing.h, the API's own guards), and the
 * rare moves, withdraw and reopen, behind a warning button that leads
 * to a page that says what will happen.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "case_actions.h"
#include "case_fields.h"
#include "case_missing.h"
#include "case_parts.h"
#include "case_state.h"
#include "case_tasks.h"
#include "html_writer.h"
#include "page_call.h"

struct task {
	const char	*name;
	const char	*status;
	int		 done;
	char		 href[160];	/* empty: plain text */
};

/* The action of slug if the reader may use it now (neonatal or not). */
static const struct act *
offered(struct medex_req *mr, json_t *k, const char *slug)
{
	const struct act	*a;

	if ((a = act_of_slug(slug)) != NULL && act_offered(mr, a, k))
		return (a);
	if (slug != NULL && strcmp(slug, "cause-of-death") == 0 &&
	    (a = act_of_slug("cause-of-death-neonatal")) != NULL &&
	    act_offered(mr, a, k))
		return (a);
	return (NULL);
}

static void
task_link(struct medex_req *mr, json_t *k, const char *id, struct task *t,
    const char *slug)
{
	const struct act	*a;

	t->href[0] = '\0';
	if (id != NULL && (a = offered(mr, k, slug)) != NULL)
		snprintf(t->href, sizeof(t->href), "/cases/%s/%s", id,
		    a->slug);
}

static void
task_row(struct sbuf *sb, const struct task *t, int n)
{
	char	sid[32];

	snprintf(sid, sizeof(sid), "task-%d-status", n);
	html_raw(sb, "<li class=\"nhsuk-task-list__item");
	if (t->href[0] != '\0')
		html_raw(sb, " nhsuk-task-list__item--with-link");
	html_raw(sb, "\"><div class=\"nhsuk-task-list__name-and-hint\">");
	if (t->href[0] != '\0') {
		html_start(sb, "a");
		html_attr(sb, "class", "nhsuk-link nhsuk-task-list__link");
		html_attr(sb, "href", t->href);
		html_attr(sb, "aria-describedby", sid);
		html_end(sb);
		html_text(sb, t->name);
		html_raw(sb, "</a>");
	} else {
		html_raw(sb, "<span>");
		html_text(sb, t->name);
		html_raw(sb, "</span>");
	}
	html_raw(sb, "</div>");
	html_start(sb, "div");
	html_attr(sb, "class", "nhsuk-task-list__status");
	html_attr(sb, "id", sid);
	html_end(sb);
	if (t->done)
		html_text(sb, t->status);
	else {
		html_raw(sb, "<strong class=\"nhsuk-tag nhsuk-tag--blue\">");
		html_text(sb, t->status);
		html_raw(sb, "</strong>");
	}
	html_raw(sb, "</div></li>");
}

static int
any_match(json_t *arr, const char *key, const char *val)
{
	json_t	*x;
	size_t	 i;

	json_array_foreach(arr, i, x) {
		if (val == NULL && json_is_true(json_object_get(x, key)))
			return (1);
		if (val != NULL && cp_str(x, key) != NULL &&
		    strcmp(cp_str(x, key), val) == 0)
			return (1);
	}
	return (0);
}

/* The tasks of scrutiny proper, for the readers of the full record. */
static int
tasks_scrutiny(struct medex_req *mr, struct sbuf *sb, json_t *k,
    const char *id, int n)
{
	struct task	 t;
	json_t		*cod, *disc;
	int		 agreed;

	t.name = "Review the medical records";
	t.done = any_match(json_object_get(k, "notes"), "kind",
	    "record_review");
	t.status = t.done ? "Completed" : "Not started";
	task_link(mr, k, id, &t, "record-review");
	task_row(sb, &t, n++);

	disc = json_object_get(k, "practitioner_discussions");
	t.name = "Discuss the death with the attending practitioner";
	t.done = any_match(disc, "happened", NULL);
	t.status = t.done ? "Completed" : json_array_size(disc) > 0 ?
	    "In progress" : "Not started";
	task_link(mr, k, id, &t, "discussion");
	task_row(sb, &t, n++);

	cod = json_object_get(k, "cause_of_death");
	agreed = json_is_object(cod) && json_is_true(json_object_get(cod,
	    "agreed_with_attending_practitioner"));
	t.name = "Agree the cause of death";
	t.done = agreed;
	t.status = agreed ? "Completed" : json_is_object(cod) ?
	    "In progress" : "Not started";
	task_link(mr, k, id, &t, "cause-of-death");
	task_row(sb, &t, n++);
	return (n);
}

/* The scrutiny task list, from the whole case. */
void
ct_tasks(struct medex_req *mr, struct sbuf *sb, json_t *k, const char *id)
{
	struct task	 t;
	json_t		*cr, *contacts, *gov;
	enum case_state	 st;
	int		 full, n, concerns, reached, exhausted;
	char		 buf[128], when[64];

	full = json_object_get(k, "notes") != NULL;
	if (case_state_from_str(cp_str(k, "state"), &st) != 0)
		st = CASE_NOTIFIED;
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Scrutiny</h2>"
	    "<ul class=\"nhsuk-task-list\" id=\"tasks\">");
	n = 1;
	if (full)
		n = tasks_scrutiny(mr, sb, k, id, n);

	contacts = json_object_get(k, "contacts");
	reached = any_match(contacts, "outcome", "reached");
	exhausted = json_array_size(json_object_get(k,
	    "contacts_exhausted")) > 0;
	t.name = "Give the bereaved the chance to ask questions";
	t.done = reached || exhausted;
	t.status = reached ? "Completed" : exhausted ? "Attempts exhausted" :
	    json_array_size(contacts) > 0 ? "In progress" : "Not started";
	task_link(mr, k, id, &t, "contact");
	task_row(sb, &t, n++);

	cr = json_object_get(k, "coroner_referral");
	t.name = "Refer to the coroner, if needed";
	t.done = 1;
	if (!json_is_object(cr)) {
		t.status = "Not referred";
		task_link(mr, k, id, &t, "coroner-referral");
	} else if (cp_str(cr, "decision") == NULL) {
		t.name = "Record the coroner's decision";
		t.status = "Awaiting the coroner's decision";
		t.done = 0;
		task_link(mr, k, id, &t, "coroner-decision");
	} else {
		cp_code_label(cp_str(cr, "decision"), buf, sizeof(buf));
		t.status = buf;
		task_link(mr, k, id, &t, "coroner-referral");
	}
	task_row(sb, &t, n++);

	gov = json_object_get(k, "governance_referrals");
	concerns = any_match(contacts, "concerns_raised", NULL);
	if (full) {
		t.name = "Decide on concerns raised";
		t.done = json_array_size(gov) > 0 || !concerns;
		t.status = json_array_size(gov) > 0 ? "Decided" : concerns ?
		    "Concern needs a decision" : "No concerns raised";
		task_link(mr, k, id, &t, concerns ? "governance" : NULL);
		task_row(sb, &t, n++);
	}

	/* Issue 19: a death of a person with a learning disability or
	 * autism is notified to LeDeR. */
	if (json_is_true(json_object_get(k, "learning_disability_or_autism"))) {
		t.name = "Notify LeDeR";
		t.done = cp_str(k, "leder_notified_at") != NULL;
		if (t.done) {
			cp_time(cp_str(k, "leder_notified_at"), when,
			    sizeof(when));
			snprintf(buf, sizeof(buf), "Notified %s", when);
			t.status = buf;
		} else
			t.status = "Not notified";
		task_link(mr, k, id, &t, t.done ? NULL : "leder");
		task_row(sb, &t, n++);
	}

	t.name = "Issue the MCCD";
	t.href[0] = '\0';
	if (cp_str(k, "mccd_issued_on") != NULL) {
		cp_time(cp_str(k, "mccd_issued_on"), when, sizeof(when));
		snprintf(buf, sizeof(buf), "Issued %s", when);
		t.status = buf;
		t.done = 1;
	} else {
		t.status = st == CASE_AWAITING_MCCD ? "Not issued" :
		    "Cannot start yet";
		t.done = 0;
		if (id != NULL && st == CASE_AWAITING_MCCD &&
		    role_may(mr, R_CASES_TRANSITION) &&
		    case_transition_check(st, CASE_MCCD_ISSUED, pc_role(mr)) ==
		    TRANSITION_OK)
			snprintf(t.href, sizeof(t.href),
			    "/cases/%s/transition?to=mccd_issued", id);
	}
	task_row(sb, &t, n++);

	t.name = "Record the final actions";
	t.done = json_is_object(json_object_get(k, "final_actions"));
	t.status = t.done ? "Completed" : st == CASE_MCCD_ISSUED ?
	    "Not started" : "Cannot start yet";
	task_link(mr, k, id, &t, "final-actions");
	task_row(sb, &t, n++);
	html_raw(sb, "</ul>");
}

/* The primary button's words for a move. */
static const char *
next_words(const struct case_transition *t)
{
	switch (t->to) {
	case CASE_IN_SCRUTINY:
		return (t->from == CASE_NOTIFIED ? "Start scrutiny" :
		    "Return the case to scrutiny");
	case CASE_AWAITING_MCCD:
		return ("Record the outcome of scrutiny");
	case CASE_MCCD_ISSUED:
		return ("Record that the MCCD was issued");
	case CASE_CLOSED:
		return ("Close the case");
	case CASE_CORONER_INVESTIGATING:
		return ("Record that the coroner is investigating");
	default:
		break;
	}
	return (case_state_label(t->to));
}

/* The move a case in st is meant to make next, whoever makes it. */
static const struct case_transition *
main_move(enum case_state st)
{
	size_t	i;

	for (i = 0; i < case_transitions_count; i++) {
		if (case_transitions[i].from == st &&
		    case_transitions[i].to != CASE_REFERRED_TO_CORONER &&
		    !case_move_is_rare(&case_transitions[i]))
			return (&case_transitions[i]);
	}
	return (NULL);
}

static void
button(struct sbuf *sb, const char *href, const char *text,
    const char *cls, const char *idattr)
{
	html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
	html_start(sb, "a");
	html_attr(sb, "class", cls);
	html_attr(sb, "href", href);
	if (idattr != NULL)
		html_attr(sb, "id", idattr);
	html_raw(sb, " role=\"button\" draggable=\"false\">");
	html_text(sb, text);
	html_raw(sb, "</a></p>");
}

/* May this reader make this move on this case (who acts, 403)? */
static int
may_move(struct medex_req *mr, json_t *k, const struct case_transition *t)
{
	struct case_facts	f;

	if (!role_may(mr, R_CASES_TRANSITION))
		return (0);
	case_facts_from_json(k, mr->claims.sub, &f);
	return (case_actor_check(t, pc_role(mr), &f) == TRANSITION_OK);
}

/*
 * The one next step: the move meant next if it would be made, else
 * the first thing it misses that the reader may do.
 */
static void
next_step(struct medex_req *mr, struct sbuf *sb, json_t *k, const char *id,
    enum case_state st)
{
	const struct case_transition	*t;
	const struct act		*a;
	struct case_missing		 m[CASE_GUARDS_MAX];
	char				 href[160];
	size_t				 n, i;

	if ((t = main_move(st)) == NULL)
		return;
	n = case_missing(t, k, mr->claims.sub, m, CASE_GUARDS_MAX);
	if (n == 0 && role_in(t->roles, pc_role(mr)) && may_move(mr, k, t)) {
		snprintf(href, sizeof(href), "/cases/%s/transition?to=%s",
		    id, case_state_str(t->to));
		button(sb, href, next_words(t), "nhsuk-button", "next-step");
		return;
	}
	for (i = 0; i < n && i < CASE_GUARDS_MAX; i++) {
		if ((a = offered(mr, k, m[i].slug)) == NULL)
			continue;
		snprintf(href, sizeof(href), "/cases/%s/%s", id, a->slug);
		button(sb, href, a->title, "nhsuk-button", "next-step");
		return;
	}
}

/* A move not yet possible: what is missing, who acts, the form. */
static void
blocked_move(struct medex_req *mr, struct sbuf *sb, json_t *k,
    const char *id, const struct case_transition *t,
    const struct case_missing *m, size_t n)
{
	const struct act	*a;
	char			 buf[160], href[160];
	size_t			 i;

	html_raw(sb, "<li><h3 class=\"nhsuk-heading-s\">");
	snprintf(buf, sizeof(buf), "%s: not yet possible",
	    case_state_label(t->to));
	html_text(sb, buf);
	html_raw(sb, "</h3><ul class=\"nhsuk-list nhsuk-list--bullet\">");
	for (i = 0; i < n && i < CASE_GUARDS_MAX; i++) {
		html_raw(sb, "<li>");
		html_text(sb, m[i].what);
		html_raw(sb, ". ");
		html_text(sb, m[i].who);
		html_raw(sb, ".");
		if ((a = offered(mr, k, m[i].slug)) != NULL) {
			snprintf(href, sizeof(href), "/cases/%s/%s", id,
			    a->slug);
			snprintf(buf, sizeof(buf), "%s form", a->title);
			html_raw(sb, " ");
			cp_link(sb, href, buf, 0);
		}
		html_raw(sb, "</li>");
	}
	html_raw(sb, "</ul></li>");
}

/* Withdraw and reopen: their own section, behind a warning button. */
static void
rare_moves(struct medex_req *mr, struct sbuf *sb, json_t *k, const char *id,
    const struct case_transition **rare, size_t nrare)
{
	char	href[160];
	size_t	i;

	if (nrare == 0)
		return;
	html_raw(sb, "<section class=\"medex-no-print\" id=\"rare-moves\">"
	    "<h2 class=\"nhsuk-heading-m\">Withdraw or reopen the case</h2>"
	    "<p class=\"nhsuk-body\">These are rare. The next page says what "
	    "will happen and asks for the reason before anything changes."
	    "</p>");
	for (i = 0; i < nrare; i++) {
		if (!may_move(mr, k, rare[i]))
			continue;
		snprintf(href, sizeof(href), "/cases/%s/transition?to=%s", id,
		    case_state_str(rare[i]->to));
		button(sb, href, rare[i]->to == CASE_WITHDRAWN ?
		    "Withdraw the case" : "Reopen the case",
		    "nhsuk-button nhsuk-button--warning", NULL);
	}
	html_raw(sb, "</section>");
}

void
ct_moves(struct medex_req *mr, struct sbuf *sb, json_t *k, const char *id)
{
	const struct case_transition	*t, *rare[4], *blocked[8];
	struct case_missing		 m[CASE_GUARDS_MAX];
	enum case_state			 st;
	char				 buf[256], href[256];
	size_t				 i, pos, nrare, nblocked, n;
	int				 any;

	if (case_state_from_str(cp_str(k, "state"), &st) != 0)
		return;
	next_step(mr, sb, k, id, st);
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">What you can do</h2>"
	    "<ul class=\"nhsuk-list\" id=\"actions\">");
	any = 0;
	nrare = nblocked = 0;
	pos = 0;
	while ((t = case_transitions_for(st, pc_role(mr), &pos)) != NULL) {
		if (!may_move(mr, k, t))
			continue;
		if (case_move_is_rare(t)) {
			if (nrare < sizeof(rare) / sizeof(rare[0]))
				rare[nrare++] = t;
			continue;
		}
		if (case_missing(t, k, mr->claims.sub, NULL, 0) > 0) {
			if (nblocked < sizeof(blocked) / sizeof(blocked[0]))
				blocked[nblocked++] = t;
			continue;
		}
		snprintf(href, sizeof(href), "/cases/%s/transition?to=%s", id,
		    case_state_str(t->to));
		snprintf(buf, sizeof(buf), "Move to: %s",
		    case_state_label(t->to));
		html_raw(sb, "<li>");
		cp_link(sb, href, buf, 0);
		html_raw(sb, "</li>");
		any = 1;
	}
	for (i = 0; i < case_acts_n; i++) {
		if (!act_offered(mr, &case_acts[i], k))
			continue;
		snprintf(href, sizeof(href), "/cases/%s/%s", id,
		    case_acts[i].slug);
		html_raw(sb, "<li>");
		cp_link(sb, href, case_acts[i].title, 0);
		html_raw(sb, "</li>");
		any = 1;
	}
	if (!any)
		html_raw(sb, "<li>There is nothing for you to do on this case "
		    "now.</li>");
	html_raw(sb, "</ul>");

	if (nblocked > 0) {
		html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Not yet possible"
		    "</h2><ul class=\"nhsuk-list\" id=\"blocked\">");
		for (i = 0; i < nblocked; i++) {
			n = case_missing(blocked[i], k, mr->claims.sub, m,
			    CASE_GUARDS_MAX);
			blocked_move(mr, sb, k, id, blocked[i], m, n);
		}
		html_raw(sb, "</ul>");
	}
	rare_moves(mr, sb, k, id, rare, nrare);
}
