/*
 * What a move still needs, in words: see case_missing.h.
 */
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "case_missing.h"
#include "case_state.h"

struct guard_words {
	unsigned int	 guard;
	const char	*what;
	const char	*who;
	const char	*slug;
};

/* In the order of the GUARD_* bits, as case_guards_check() reports. */
static const struct guard_words	guard_words[] = {
	{ GUARD_REFERRAL_CATEGORIES, "No referral to the coroner is recorded",
	    "The medical examiner or officer must record the referral",
	    "coroner-referral" },
	{ GUARD_CORONER_NOT_INVESTIGATING, "The coroner has not decided "
	    "against an investigation", "The medical examiner or officer "
	    "must record the coroner's decision", "coroner-decision" },
	{ GUARD_CORONER_INVESTIGATING, "The coroner has not decided to "
	    "investigate", "The medical examiner or officer must record the "
	    "coroner's decision", "coroner-decision" },
	{ GUARD_RECORD_REVIEW, "The medical records have not been reviewed",
	    "The medical examiner must record the review of the medical "
	    "records", "record-review" },
	{ GUARD_AP_DISCUSSION, "No discussion with the attending "
	    "practitioner has taken place", "The medical examiner must record "
	    "the discussion with the attending practitioner", "discussion" },
	{ GUARD_CAUSE_AGREED, "The cause of death is not agreed with the "
	    "attending practitioner", "The medical examiner must record the "
	    "cause of death", "cause-of-death" },
	{ GUARD_BEREAVED, "The bereaved have not been given the chance to "
	    "ask questions", "The medical examiner, officer or liaison "
	    "officer must record a contact with the bereaved",
	    "contact" },
	{ GUARD_NO_OPEN_REFERRAL, "The coroner has not decided on the "
	    "referral", "The medical examiner or officer must record the "
	    "coroner's decision", "coroner-decision" },
	{ GUARD_CONCERNS_DECIDED, "A concern raised by the bereaved has no "
	    "governance decision", "The medical examiner must record a "
	    "governance decision", "governance" },
	{ GUARD_FINAL_ACTIONS, "The final actions are not recorded",
	    "The medical examiner or officer must record the final actions",
	    "final-actions" },
};

static int	 any_true(json_t *, const char *);
static int	 any_equal(json_t *, const char *, const char *);
static const char *str_of(json_t *, const char *);
static int	 open_concerns(json_t *);

void
case_facts_from_json(json_t *k, const char *actor, struct case_facts *f)
{
	json_t		*cr, *cod;
	const char	*d, *ex;

	memset(f, 0, sizeof(*f));
	/* The move's form asks for these; they are not missing. */
	f->independent_declared = 1;
	f->reason_given = 1;
	f->mccd_issued_on_given = 1;

	f->has_record_review = any_equal(json_object_get(k, "notes"), "kind",
	    "record_review");
	f->ap_discussion_happened = any_true(json_object_get(k,
	    "practitioner_discussions"), "happened");
	cod = json_object_get(k, "cause_of_death");
	f->cause_agreed = json_is_object(cod) && json_is_true(
	    json_object_get(cod, "agreed_with_attending_practitioner"));
	f->bereaved_reached = any_equal(json_object_get(k, "contacts"),
	    "outcome", "reached");
	f->contact_exhausted = json_array_size(json_object_get(k,
	    "contacts_exhausted")) > 0;

	cr = json_object_get(k, "coroner_referral");
	if (json_is_object(cr)) {
		d = str_of(cr, "decision");
		if (d == NULL) {
			f->open_coroner_referral = 1;
			f->referral_categories_count = (int)json_array_size(
			    json_object_get(cr, "categories"));
		} else if (strcmp(d, "investigating") == 0)
			f->coroner_decision = CORONER_DECISION_INVESTIGATING;
		else if (strcmp(d, "not_investigating") == 0)
			f->coroner_decision =
			    CORONER_DECISION_NOT_INVESTIGATING;
	}
	f->open_concerns_without_decision = open_concerns(k);
	f->final_actions_recorded = json_is_object(json_object_get(k,
	    "final_actions"));
	ex = str_of(k, "examiner");
	f->actor_is_examiner = ex != NULL && actor != NULL &&
	    strcmp(ex, actor) == 0;
}

size_t
case_missing(const struct case_transition *row, json_t *k,
    const char *actor, struct case_missing *out, size_t max)
{
	struct case_facts	f;
	struct guard_failure	gf[CASE_GUARDS_MAX];
	size_t			n, i, j, m;

	case_facts_from_json(k, actor, &f);
	n = case_guards_check(row, &f, gf, CASE_GUARDS_MAX);
	m = 0;
	for (i = 0; i < n && i < CASE_GUARDS_MAX; i++) {
		for (j = 0; j < sizeof(guard_words) / sizeof(guard_words[0]);
		    j++) {
			if (guard_words[j].guard != gf[i].guard)
				continue;
			if (m < max && out != NULL) {
				out[m].guard = gf[i].guard;
				out[m].what = guard_words[j].what;
				out[m].who = guard_words[j].who;
				out[m].slug = guard_words[j].slug;
			}
			m++;
			break;
		}
	}
	return (m);
}

int
case_move_is_rare(const struct case_transition *row)
{
	return (row->to == CASE_WITHDRAWN || (row->from == CASE_MCCD_ISSUED &&
	    row->to == CASE_IN_SCRUTINY));
}

static const char *
str_of(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static int
any_true(json_t *arr, const char *key)
{
	json_t	*x;
	size_t	 i;

	json_array_foreach(arr, i, x) {
		if (json_is_true(json_object_get(x, key)))
			return (1);
	}
	return (0);
}

static int
any_equal(json_t *arr, const char *key, const char *val)
{
	json_t		*x;
	const char	*s;
	size_t		 i;

	json_array_foreach(arr, i, x) {
		if ((s = str_of(x, key)) != NULL && strcmp(s, val) == 0)
			return (1);
	}
	return (0);
}

/*
 * As sql/cases_write.sql counts them: concerns raised with no decision
 * linked to their contact, less the decisions linked to no contact.
 */
static int
open_concerns(json_t *k)
{
	json_t		*contacts, *gov, *c, *g;
	const char	*id, *cid;
	size_t		 i, j;
	int		 open, unlinked, decided;

	contacts = json_object_get(k, "contacts");
	gov = json_object_get(k, "governance_referrals");
	open = 0;
	json_array_foreach(contacts, i, c) {
		if (!json_is_true(json_object_get(c, "concerns_raised")))
			continue;
		id = str_of(c, "id");
		decided = 0;
		json_array_foreach(gov, j, g) {
			cid = str_of(g, "contact_id");
			if (id != NULL && cid != NULL && strcmp(id, cid) == 0)
				decided = 1;
		}
		open += !decided;
	}
	unlinked = 0;
	json_array_foreach(gov, j, g) {
		if (str_of(g, "contact_id") == NULL)
			unlinked++;
	}
	return (open > unlinked ? open - unlinked : 0);
}
