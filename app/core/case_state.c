/*
 * The case state machine: API.md's transition table as data, and the
 * pure checks that read it.  See case_state.h.
 */
#include <stddef.h>
#include <string.h>

#include "case_state.h"

struct state_name {
	const char	*code;
	const char	*label;
};

static const struct state_name	state_names[CASE_STATE_COUNT] = {
	[CASE_NOTIFIED] = { "notified", "Notified" },
	[CASE_IN_SCRUTINY] = { "in_scrutiny", "In scrutiny" },
	[CASE_REFERRED_TO_CORONER] =
	    { "referred_to_coroner", "Referred to the coroner" },
	[CASE_CORONER_INVESTIGATING] =
	    { "coroner_investigating", "Coroner investigating" },
	[CASE_AWAITING_MCCD] = { "awaiting_mccd", "Awaiting the MCCD" },
	[CASE_MCCD_ISSUED] = { "mccd_issued", "MCCD issued" },
	[CASE_CLOSED] = { "closed", "Closed" },
	[CASE_WITHDRAWN] = { "withdrawn", "Withdrawn" },
};

#define GUARDS_REFERRAL		(GUARD_REFERRAL_CATEGORIES | GUARD_REASON)
#define GUARDS_END_SCRUTINY	(GUARD_EXAMINER | GUARD_EXAMINER_DECLARED | \
				 GUARD_RECORD_REVIEW | \
				 GUARD_AP_DISCUSSION | GUARD_CAUSE_AGREED | \
				 GUARD_BEREAVED | GUARD_NO_OPEN_REFERRAL)
#define GUARDS_CLOSE		(GUARD_CONCERNS_DECIDED | GUARD_FINAL_ACTIONS)

/*
 * API.md's table, row for row.  The "(new) -> notified" row is not
 * here: creating a case is POST /cases, not a transition.  "any but
 * closed, coroner_investigating, withdrawn -> withdrawn" is spelled out
 * as one row per state, so that every row is one (from, to) pair.
 */
const struct case_transition	case_transitions[] = {
	{ CASE_NOTIFIED, CASE_IN_SCRUTINY,
	    RB_EXAMINERS, GUARD_INDEPENDENT },

	{ CASE_NOTIFIED, CASE_REFERRED_TO_CORONER,
	    RB_CASEWORKERS, GUARDS_REFERRAL },
	{ CASE_IN_SCRUTINY, CASE_REFERRED_TO_CORONER,
	    RB_CASEWORKERS, GUARDS_REFERRAL | GUARD_EXAMINER_DECLARED },
	{ CASE_AWAITING_MCCD, CASE_REFERRED_TO_CORONER,
	    RB_CASEWORKERS, GUARDS_REFERRAL },

	{ CASE_REFERRED_TO_CORONER, CASE_IN_SCRUTINY,
	    RB_CASEWORKERS, GUARD_CORONER_NOT_INVESTIGATING },
	{ CASE_REFERRED_TO_CORONER, CASE_CORONER_INVESTIGATING,
	    RB_CASEWORKERS, GUARD_CORONER_INVESTIGATING },

	{ CASE_IN_SCRUTINY, CASE_AWAITING_MCCD,
	    RB_EXAMINERS, GUARDS_END_SCRUTINY },

	{ CASE_AWAITING_MCCD, CASE_MCCD_ISSUED,
	    RB_CASEWORKERS, GUARD_MCCD_DATE },

	{ CASE_MCCD_ISSUED, CASE_IN_SCRUTINY,
	    RB_EXAMINERS, GUARD_REASON },

	{ CASE_MCCD_ISSUED, CASE_CLOSED,
	    RB_CASEWORKERS, GUARDS_CLOSE },

	{ CASE_NOTIFIED, CASE_WITHDRAWN,
	    RB_LEAD_MEDICAL_EXAMINER, GUARD_REASON },
	{ CASE_IN_SCRUTINY, CASE_WITHDRAWN,
	    RB_LEAD_MEDICAL_EXAMINER, GUARD_REASON },
	{ CASE_REFERRED_TO_CORONER, CASE_WITHDRAWN,
	    RB_LEAD_MEDICAL_EXAMINER, GUARD_REASON },
	{ CASE_AWAITING_MCCD, CASE_WITHDRAWN,
	    RB_LEAD_MEDICAL_EXAMINER, GUARD_REASON },
	{ CASE_MCCD_ISSUED, CASE_WITHDRAWN,
	    RB_LEAD_MEDICAL_EXAMINER, GUARD_REASON },
};

const size_t	case_transitions_count = sizeof(case_transitions) /
		    sizeof(case_transitions[0]);

static int		 state_valid(enum case_state);
static unsigned int	 roles_into(enum case_state);
static unsigned int	 roles_any(void);
static void		 guard_failure_add(struct guard_failure *, size_t,
			    size_t *, unsigned int, const char *,
			    const char *);
static const char	*decision_phrase(enum coroner_decision);

int
case_state_from_str(const char *s, enum case_state *out)
{
	int		i;

	if (s == NULL)
		return (-1);

	for (i = 0; i < CASE_STATE_COUNT; i++) {
		if (strcmp(s, state_names[i].code) == 0) {
			*out = (enum case_state)i;
			return (0);
		}
	}

	return (-1);
}

const char *
case_state_str(enum case_state st)
{
	if (!state_valid(st))
		return (NULL);

	return (state_names[st].code);
}

const char *
case_state_label(enum case_state st)
{
	if (!state_valid(st))
		return (NULL);

	return (state_names[st].label);
}

int
case_state_is_final(enum case_state st)
{
	return (st == CASE_CLOSED || st == CASE_CORONER_INVESTIGATING ||
	    st == CASE_WITHDRAWN);
}

int
case_state_counts_as_overdue_eligible(enum case_state st)
{
	return (st == CASE_NOTIFIED || st == CASE_IN_SCRUTINY);
}

const struct case_transition *
case_transition_find(enum case_state from, enum case_state to)
{
	size_t		i;

	for (i = 0; i < case_transitions_count; i++) {
		if (case_transitions[i].from == from &&
		    case_transitions[i].to == to)
			return (&case_transitions[i]);
	}

	return (NULL);
}

/*
 * API.md checks the role (403) before the state (409).  So a request
 * the role could never make, from any state, is refused for the role:
 * an officer asking to withdraw a closed case is told that officers do
 * not withdraw, not that closed cases cannot be withdrawn.  A move that
 * no role can make (to notified, say) is a matter of state, as is every
 * move by a role that may change states at all but not this way from
 * here.
 */
enum transition_result
case_transition_check(enum case_state from, enum case_state to,
    enum role role)
{
	const struct case_transition	*row;
	unsigned int			 into;

	if ((row = case_transition_find(from, to)) != NULL) {
		if (role_in(row->roles, role))
			return (TRANSITION_OK);
		return (TRANSITION_FORBIDDEN);
	}

	if (!role_in(roles_any(), role))
		return (TRANSITION_FORBIDDEN);

	into = roles_into(to);
	if (into != 0 && !role_in(into, role))
		return (TRANSITION_FORBIDDEN);

	return (TRANSITION_INVALID);
}

enum transition_result
case_actor_check(const struct case_transition *row, enum role role,
    const struct case_facts *facts)
{
	if (!(row->guards & GUARD_EXAMINER))
		return (TRANSITION_OK);
	if (role == ROLE_LEAD_MEDICAL_EXAMINER || facts->actor_is_examiner)
		return (TRANSITION_OK);

	return (TRANSITION_FORBIDDEN);
}

size_t
case_guards_check(const struct case_transition *row,
    const struct case_facts *f, struct guard_failure *out, size_t max)
{
	unsigned int	g;
	size_t		n;

	g = row->guards;
	n = 0;

	if ((g & GUARD_INDEPENDENT) && !f->independent_declared) {
		guard_failure_add(out, max, &n, GUARD_INDEPENDENT,
		    "independent", "must be declared true");
	}
	if ((g & GUARD_REFERRAL_CATEGORIES) &&
	    f->referral_categories_count < 1) {
		guard_failure_add(out, max, &n, GUARD_REFERRAL_CATEGORIES,
		    "coroner_referral.categories",
		    "at least one referral category must be recorded");
	}
	if ((g & GUARD_REASON) && !f->reason_given) {
		guard_failure_add(out, max, &n, GUARD_REASON,
		    "reason", "must be given");
	}
	if ((g & GUARD_CORONER_NOT_INVESTIGATING) &&
	    f->coroner_decision != CORONER_DECISION_NOT_INVESTIGATING) {
		guard_failure_add(out, max, &n,
		    GUARD_CORONER_NOT_INVESTIGATING, "coroner_decision",
		    decision_phrase(f->coroner_decision));
	}
	if ((g & GUARD_CORONER_INVESTIGATING) &&
	    f->coroner_decision != CORONER_DECISION_INVESTIGATING) {
		guard_failure_add(out, max, &n, GUARD_CORONER_INVESTIGATING,
		    "coroner_decision", decision_phrase(f->coroner_decision));
	}
	if ((g & GUARD_RECORD_REVIEW) && !f->has_record_review) {
		guard_failure_add(out, max, &n, GUARD_RECORD_REVIEW,
		    "record_review", "no record_review note");
	}
	if ((g & GUARD_AP_DISCUSSION) && !f->ap_discussion_happened) {
		guard_failure_add(out, max, &n, GUARD_AP_DISCUSSION,
		    "practitioner_discussions",
		    "no discussion with the attending practitioner happened");
	}
	if ((g & GUARD_CAUSE_AGREED) && !f->cause_agreed) {
		guard_failure_add(out, max, &n, GUARD_CAUSE_AGREED,
		    "cause_of_death",
		    "not agreed with the attending practitioner");
	}
	if ((g & GUARD_BEREAVED) && !f->bereaved_reached &&
	    !f->contact_exhausted) {
		guard_failure_add(out, max, &n, GUARD_BEREAVED, "bereaved",
		    "no contact reached and attempts not documented as "
		    "exhausted");
	}
	if ((g & GUARD_NO_OPEN_REFERRAL) && f->open_coroner_referral) {
		guard_failure_add(out, max, &n, GUARD_NO_OPEN_REFERRAL,
		    "coroner_referral", "open, with no coroner's decision");
	}
	if ((g & GUARD_MCCD_DATE) && !f->mccd_issued_on_given) {
		guard_failure_add(out, max, &n, GUARD_MCCD_DATE,
		    "mccd_issued_on", "must be given");
	}
	if ((g & GUARD_CONCERNS_DECIDED) &&
	    f->open_concerns_without_decision > 0) {
		guard_failure_add(out, max, &n, GUARD_CONCERNS_DECIDED,
		    "governance_referrals",
		    "a concern raised has no governance decision");
	}
	if ((g & GUARD_FINAL_ACTIONS) && !f->final_actions_recorded) {
		guard_failure_add(out, max, &n, GUARD_FINAL_ACTIONS,
		    "final_actions", "not recorded");
	}
	if ((g & GUARD_EXAMINER_DECLARED) && !f->examiner_declared) {
		guard_failure_add(out, max, &n, GUARD_EXAMINER_DECLARED,
		    "independent", "the case's examiner has not declared "
		    "independence for this case");
	}

	return (n);
}

const struct case_transition *
case_transitions_for(enum case_state from, enum role role, size_t *pos)
{
	const struct case_transition	*row;

	while (*pos < case_transitions_count) {
		row = &case_transitions[*pos];
		(*pos)++;
		if (row->from == from && role_in(row->roles, role))
			return (row);
	}

	return (NULL);
}

static int
state_valid(enum case_state st)
{
	return ((int)st >= 0 && st < CASE_STATE_COUNT);
}

/* Every role that some row lets move a case into `to`. */
static unsigned int
roles_into(enum case_state to)
{
	unsigned int	mask;
	size_t		i;

	mask = 0;
	for (i = 0; i < case_transitions_count; i++) {
		if (case_transitions[i].to == to)
			mask |= case_transitions[i].roles;
	}

	return (mask);
}

/* Every role that may make some transition. */
static unsigned int
roles_any(void)
{
	unsigned int	mask;
	size_t		i;

	mask = 0;
	for (i = 0; i < case_transitions_count; i++)
		mask |= case_transitions[i].roles;

	return (mask);
}

/* Counts every failure, and stores it while there is room. */
static void
guard_failure_add(struct guard_failure *out, size_t max, size_t *n,
    unsigned int guard, const char *field, const char *message)
{
	if (*n < max && out != NULL) {
		out[*n].guard = guard;
		out[*n].field = field;
		out[*n].message = message;
	}
	(*n)++;
}

static const char *
decision_phrase(enum coroner_decision d)
{
	switch (d) {
	case CORONER_DECISION_INVESTIGATING:
		return ("recorded as investigating");
	case CORONER_DECISION_NOT_INVESTIGATING:
		return ("recorded as not_investigating");
	case CORONER_DECISION_NONE:
		break;
	}

	return ("not recorded");
}
