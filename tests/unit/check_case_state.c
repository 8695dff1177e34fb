#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "case_state.h"
#include "role.h"

#define ME	RB_MEDICAL_EXAMINER
#define LEAD	RB_LEAD_MEDICAL_EXAMINER
#define OFF	RB_OFFICER

/*
 * API.md's transition table written out again by hand, independently of
 * case_state.c: the roles that may move a case from `from` to `to`, or
 * 0 when the table has no such row.
 */
static unsigned int
api_roles(enum case_state from, enum case_state to)
{
	switch (from) {
	case CASE_NOTIFIED:
		if (to == CASE_IN_SCRUTINY)
			return (ME | LEAD);
		if (to == CASE_REFERRED_TO_CORONER)
			return (OFF | ME | LEAD);
		if (to == CASE_WITHDRAWN)
			return (LEAD);
		return (0);
	case CASE_IN_SCRUTINY:
		if (to == CASE_REFERRED_TO_CORONER)
			return (OFF | ME | LEAD);
		if (to == CASE_AWAITING_MCCD)
			return (ME | LEAD);
		if (to == CASE_WITHDRAWN)
			return (LEAD);
		return (0);
	case CASE_REFERRED_TO_CORONER:
		if (to == CASE_IN_SCRUTINY)
			return (OFF | ME | LEAD);
		if (to == CASE_CORONER_INVESTIGATING)
			return (OFF | ME | LEAD);
		if (to == CASE_WITHDRAWN)
			return (LEAD);
		return (0);
	case CASE_AWAITING_MCCD:
		if (to == CASE_REFERRED_TO_CORONER)
			return (OFF | ME | LEAD);
		if (to == CASE_MCCD_ISSUED)
			return (OFF | ME | LEAD);
		if (to == CASE_WITHDRAWN)
			return (LEAD);
		return (0);
	case CASE_MCCD_ISSUED:
		if (to == CASE_IN_SCRUTINY)
			return (ME | LEAD);
		if (to == CASE_CLOSED)
			return (OFF | ME | LEAD);
		if (to == CASE_WITHDRAWN)
			return (LEAD);
		return (0);
	case CASE_CORONER_INVESTIGATING:
	case CASE_CLOSED:
	case CASE_WITHDRAWN:
	case CASE_STATE_COUNT:
		return (0);
	}

	return (0);
}

/* The requirements column, by hand, for the rows above. */
static unsigned int
api_guards(enum case_state from, enum case_state to)
{
	if (to == CASE_WITHDRAWN)
		return (GUARD_REASON);
	if (from == CASE_IN_SCRUTINY && to == CASE_REFERRED_TO_CORONER)
		return (GUARD_REFERRAL_CATEGORIES | GUARD_REASON |
		    GUARD_EXAMINER_DECLARED);
	if (to == CASE_REFERRED_TO_CORONER)
		return (GUARD_REFERRAL_CATEGORIES | GUARD_REASON);
	if (from == CASE_NOTIFIED && to == CASE_IN_SCRUTINY)
		return (GUARD_INDEPENDENT);
	if (from == CASE_REFERRED_TO_CORONER && to == CASE_IN_SCRUTINY)
		return (GUARD_CORONER_NOT_INVESTIGATING);
	if (to == CASE_CORONER_INVESTIGATING)
		return (GUARD_CORONER_INVESTIGATING);
	if (to == CASE_AWAITING_MCCD)
		return (GUARD_EXAMINER | GUARD_EXAMINER_DECLARED |
		    GUARD_RECORD_REVIEW | GUARD_AP_DISCUSSION | GUARD_CAUSE_AGREED |
		    GUARD_BEREAVED | GUARD_NO_OPEN_REFERRAL);
	if (to == CASE_MCCD_ISSUED)
		return (GUARD_MCCD_DATE);
	if (from == CASE_MCCD_ISSUED && to == CASE_IN_SCRUTINY)
		return (GUARD_REASON);
	if (to == CASE_CLOSED)
		return (GUARD_CONCERNS_DECIDED | GUARD_FINAL_ACTIONS);
	return (0);
}

/*
 * The states each role may ever move a case into, read off API.md's
 * "who" column by hand.  API.md checks the role (403) before the state
 * (409), so a move outside these is 403 whatever the state.
 */
static int
api_may_reach(enum role role, enum case_state to)
{
	switch (role) {
	case ROLE_OFFICER:
		return (to == CASE_IN_SCRUTINY ||
		    to == CASE_REFERRED_TO_CORONER ||
		    to == CASE_CORONER_INVESTIGATING ||
		    to == CASE_MCCD_ISSUED || to == CASE_CLOSED);
	case ROLE_MEDICAL_EXAMINER:
		return (to == CASE_IN_SCRUTINY ||
		    to == CASE_REFERRED_TO_CORONER ||
		    to == CASE_CORONER_INVESTIGATING ||
		    to == CASE_AWAITING_MCCD ||
		    to == CASE_MCCD_ISSUED || to == CASE_CLOSED);
	case ROLE_LEAD_MEDICAL_EXAMINER:
		return (to != CASE_NOTIFIED);
	default:
		return (0);
	}
}

static enum transition_result
api_expected(enum case_state from, enum case_state to, enum role role)
{
	unsigned int	roles;

	roles = api_roles(from, to);
	if (roles != 0)
		return ((roles & ROLE_BIT(role)) ? TRANSITION_OK :
		    TRANSITION_FORBIDDEN);

	switch (role) {
	case ROLE_LIAISON_OFFICER:
	case ROLE_ANALYST:
	case ROLE_NATIONAL_ANALYST:
	case ROLE_ADMIN:
		/* They change no state at all. */
		return (TRANSITION_FORBIDDEN);
	default:
		break;
	}

	/* Nobody moves a case back to notified: that is about state. */
	if (to == CASE_NOTIFIED)
		return (TRANSITION_INVALID);
	if (!api_may_reach(role, to))
		return (TRANSITION_FORBIDDEN);
	return (TRANSITION_INVALID);
}

/* Facts that meet every requirement of every row. */
static struct case_facts
all_met(enum coroner_decision decision)
{
	struct case_facts	f;

	memset(&f, 0, sizeof(f));
	f.independent_declared = 1;
	f.has_record_review = 1;
	f.ap_discussion_happened = 1;
	f.cause_agreed = 1;
	f.bereaved_reached = 1;
	f.contact_exhausted = 0;
	f.open_coroner_referral = 0;
	f.coroner_decision = decision;
	f.open_concerns_without_decision = 0;
	f.final_actions_recorded = 1;
	f.referral_categories_count = 1;
	f.reason_given = 1;
	f.mccd_issued_on_given = 1;
	f.actor_is_examiner = 1;
	f.examiner_declared = 1;
	return (f);
}

static const struct case_transition *
row(enum case_state from, enum case_state to)
{
	const struct case_transition	*r;

	r = case_transition_find(from, to);
	ck_assert_ptr_nonnull(r);
	return (r);
}

/* Asserts that exactly one requirement is unmet, and which. */
static void
only_unmet(const struct case_transition *r, const struct case_facts *f,
    unsigned int guard, const char *field, const char *message)
{
	struct guard_failure	out[CASE_GUARDS_MAX];
	size_t			n;

	n = case_guards_check(r, f, out, CASE_GUARDS_MAX);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(out[0].guard, guard);
	ck_assert_str_eq(out[0].field, field);
	ck_assert_str_eq(out[0].message, message);
}

START_TEST(state_codes_round_trip)
{
	static const char *const	codes[CASE_STATE_COUNT] = {
		"notified", "in_scrutiny", "referred_to_coroner",
		"coroner_investigating", "awaiting_mccd", "mccd_issued",
		"closed", "withdrawn"
	};
	enum case_state			st;
	int				i;

	for (i = 0; i < CASE_STATE_COUNT; i++) {
		ck_assert_int_eq(case_state_from_str(codes[i], &st), 0);
		ck_assert_int_eq(st, i);
		ck_assert_str_eq(case_state_str(st), codes[i]);
		ck_assert_ptr_nonnull(case_state_label(st));
		ck_assert_uint_lt(strlen(codes[i]), CASE_STATE_STR_MAX);
	}
	ck_assert_int_eq(case_state_from_str("Notified", &st), -1);
	ck_assert_int_eq(case_state_from_str("open", &st), -1);
	ck_assert_int_eq(case_state_from_str("", &st), -1);
	ck_assert_int_eq(case_state_from_str(NULL, &st), -1);
	ck_assert_ptr_null(case_state_str(CASE_STATE_COUNT));
	ck_assert_ptr_null(case_state_str((enum case_state)-1));
}
END_TEST

START_TEST(role_codes_round_trip)
{
	static const char *const	codes[ROLE_COUNT] = {
		"medical_examiner", "lead_medical_examiner", "officer",
		"liaison_officer", "analyst", "national_analyst", "admin"
	};
	enum role			r;
	int				i;

	for (i = 0; i < ROLE_COUNT; i++) {
		ck_assert_int_eq(role_from_str(codes[i], &r), 0);
		ck_assert_int_eq(r, i);
		ck_assert_str_eq(role_str(r), codes[i]);
		ck_assert_ptr_nonnull(role_label(r));
		ck_assert_uint_lt(strlen(codes[i]), ROLE_STR_MAX);
		ck_assert_int_eq(role_in(RB_ALL, r), 1);
	}
	ck_assert_int_eq(role_from_str("ME", &r), -1);
	ck_assert_int_eq(role_from_str("Admin", &r), -1);
	ck_assert_int_eq(role_from_str(NULL, &r), -1);
	ck_assert_ptr_null(role_str(ROLE_COUNT));
	ck_assert_int_eq(role_in(RB_EXAMINERS, ROLE_OFFICER), 0);
	ck_assert_int_eq(role_in(RB_CASEWORKERS, ROLE_OFFICER), 1);
	ck_assert_int_eq(role_in(RB_CASE_READERS, ROLE_LIAISON_OFFICER), 1);
	ck_assert_int_eq(role_in(RB_CASE_READERS, ROLE_ANALYST), 0);
	ck_assert_int_eq(role_in(RB_ALL, ROLE_COUNT), 0);
}
END_TEST

START_TEST(final_states_are_closed_coroner_investigating_withdrawn)
{
	int	i;

	for (i = 0; i < CASE_STATE_COUNT; i++) {
		ck_assert_int_eq(case_state_is_final(i),
		    i == CASE_CLOSED || i == CASE_CORONER_INVESTIGATING ||
		    i == CASE_WITHDRAWN);
	}
}
END_TEST

START_TEST(no_transition_leaves_a_final_state)
{
	size_t	i;

	for (i = 0; i < case_transitions_count; i++)
		ck_assert_int_eq(case_state_is_final(case_transitions[i].from),
		    0);
}
END_TEST

START_TEST(overdue_only_before_end_of_scrutiny)
{
	int	i;

	for (i = 0; i < CASE_STATE_COUNT; i++) {
		ck_assert_int_eq(case_state_counts_as_overdue_eligible(i),
		    i == CASE_NOTIFIED || i == CASE_IN_SCRUTINY);
	}
}
END_TEST

START_TEST(every_pair_and_role_matches_api_table)
{
	const struct case_transition	*r;
	int				 from, to, role, rows;

	rows = 0;
	for (from = 0; from < CASE_STATE_COUNT; from++) {
		for (to = 0; to < CASE_STATE_COUNT; to++) {
			r = case_transition_find(from, to);
			if (api_roles(from, to) == 0) {
				ck_assert_msg(r == NULL, "%s -> %s in table",
				    case_state_str(from), case_state_str(to));
			} else {
				ck_assert_msg(r != NULL, "%s -> %s missing",
				    case_state_str(from), case_state_str(to));
				ck_assert_uint_eq(r->roles, api_roles(from, to));
				rows++;
			}
			for (role = 0; role < ROLE_COUNT; role++) {
				ck_assert_msg(case_transition_check(from, to,
				    role) == api_expected(from, to, role),
				    "%s -> %s by %s: got %d, want %d",
				    case_state_str(from), case_state_str(to),
				    role_str(role),
				    case_transition_check(from, to, role),
				    api_expected(from, to, role));
			}
		}
	}
	ck_assert_int_eq(rows, 15);
	ck_assert_uint_eq(case_transitions_count, 15);
}
END_TEST

START_TEST(role_is_checked_before_state)
{
	/* Only a lead ME withdraws, whatever the state. */
	ck_assert_int_eq(case_transition_check(CASE_CLOSED, CASE_WITHDRAWN,
	    ROLE_OFFICER), TRANSITION_FORBIDDEN);
	ck_assert_int_eq(case_transition_check(CASE_CLOSED, CASE_WITHDRAWN,
	    ROLE_LEAD_MEDICAL_EXAMINER), TRANSITION_INVALID);
	ck_assert_int_eq(case_transition_check(CASE_NOTIFIED, CASE_WITHDRAWN,
	    ROLE_MEDICAL_EXAMINER), TRANSITION_FORBIDDEN);
	/* Officers never end scrutiny; an ME may, but not from here. */
	ck_assert_int_eq(case_transition_check(CASE_NOTIFIED,
	    CASE_AWAITING_MCCD, ROLE_OFFICER), TRANSITION_FORBIDDEN);
	ck_assert_int_eq(case_transition_check(CASE_NOTIFIED,
	    CASE_AWAITING_MCCD, ROLE_MEDICAL_EXAMINER), TRANSITION_INVALID);
	/* Officers may reopen from the coroner, not after the MCCD. */
	ck_assert_int_eq(case_transition_check(CASE_MCCD_ISSUED,
	    CASE_IN_SCRUTINY, ROLE_OFFICER), TRANSITION_FORBIDDEN);
	ck_assert_int_eq(case_transition_check(CASE_CLOSED,
	    CASE_IN_SCRUTINY, ROLE_OFFICER), TRANSITION_INVALID);
	/* Nobody goes back to notified: 409 for those who change states. */
	ck_assert_int_eq(case_transition_check(CASE_IN_SCRUTINY,
	    CASE_NOTIFIED, ROLE_LEAD_MEDICAL_EXAMINER), TRANSITION_INVALID);
	ck_assert_int_eq(case_transition_check(CASE_IN_SCRUTINY,
	    CASE_NOTIFIED, ROLE_LIAISON_OFFICER), TRANSITION_FORBIDDEN);
	ck_assert_int_eq(case_transition_check(CASE_NOTIFIED,
	    CASE_IN_SCRUTINY, ROLE_ADMIN), TRANSITION_FORBIDDEN);
}
END_TEST

START_TEST(table_rows_carry_api_requirements)
{
	size_t	i;

	for (i = 0; i < case_transitions_count; i++) {
		ck_assert_msg(case_transitions[i].guards ==
		    api_guards(case_transitions[i].from, case_transitions[i].to),
		    "%s -> %s guards 0x%x",
		    case_state_str(case_transitions[i].from),
		    case_state_str(case_transitions[i].to),
		    case_transitions[i].guards);
	}
}
END_TEST

START_TEST(transitions_for_lists_only_allowed_next_states)
{
	const struct case_transition	*r;
	size_t				 pos;
	int				 from, to, role;
	unsigned int			 seen;

	for (from = 0; from < CASE_STATE_COUNT; from++) {
		for (role = 0; role < ROLE_COUNT; role++) {
			pos = 0;
			seen = 0;
			while ((r = case_transitions_for(from, role, &pos)) !=
			    NULL) {
				ck_assert_int_eq(r->from, from);
				ck_assert_uint_eq(seen & (1u << r->to), 0);
				seen |= 1u << r->to;
			}
			for (to = 0; to < CASE_STATE_COUNT; to++) {
				ck_assert_int_eq((seen >> to) & 1,
				    api_expected(from, to, role) ==
				    TRANSITION_OK);
			}
		}
	}

	/* What a page shows an officer on a case in scrutiny. */
	pos = 0;
	r = case_transitions_for(CASE_IN_SCRUTINY, ROLE_OFFICER, &pos);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->to, CASE_REFERRED_TO_CORONER);
	ck_assert_ptr_null(case_transitions_for(CASE_IN_SCRUTINY,
	    ROLE_OFFICER, &pos));
	ck_assert_ptr_null(case_transitions_for(CASE_IN_SCRUTINY,
	    ROLE_OFFICER, &pos));
}
END_TEST

START_TEST(all_requirements_met_gives_no_failures)
{
	struct guard_failure	out[CASE_GUARDS_MAX];
	struct case_facts	f;
	size_t			i;

	for (i = 0; i < case_transitions_count; i++) {
		if (case_transitions[i].guards &
		    GUARD_CORONER_INVESTIGATING)
			f = all_met(CORONER_DECISION_INVESTIGATING);
		else
			f = all_met(CORONER_DECISION_NOT_INVESTIGATING);
		ck_assert_uint_eq(case_guards_check(&case_transitions[i], &f,
		    out, CASE_GUARDS_MAX), 0);
		ck_assert_int_eq(case_actor_check(&case_transitions[i],
		    ROLE_MEDICAL_EXAMINER, &f), TRANSITION_OK);
	}
}
END_TEST

START_TEST(guard_independent_refuses_without_declaration)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.independent_declared = 0;
	only_unmet(row(CASE_NOTIFIED, CASE_IN_SCRUTINY), &f,
	    GUARD_INDEPENDENT, "independent", "must be declared true");
}
END_TEST

/*
 * Issue 19: whoever is the examiner when scrutiny ends must have
 * declared independence for this case; a declaration made on the way
 * into scrutiny (independent_declared) by someone else does not do.
 */
START_TEST(guard_examiner_declared_refuses_leaving_scrutiny)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.examiner_declared = 0;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD), &f,
	    GUARD_EXAMINER_DECLARED, "independent", "the case's examiner "
	    "has not declared independence for this case");
	only_unmet(row(CASE_IN_SCRUTINY, CASE_REFERRED_TO_CORONER), &f,
	    GUARD_EXAMINER_DECLARED, "independent", "the case's examiner "
	    "has not declared independence for this case");
	/* A withdrawal is not the end of scrutiny; nor is a referral
	 * straight from notified. */
	ck_assert_uint_eq(case_guards_check(row(CASE_IN_SCRUTINY,
	    CASE_WITHDRAWN), &f, NULL, 0), 0);
	ck_assert_uint_eq(case_guards_check(row(CASE_NOTIFIED,
	    CASE_REFERRED_TO_CORONER), &f, NULL, 0), 0);
}
END_TEST

START_TEST(guard_referral_categories_refuses_none_recorded)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.referral_categories_count = 0;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_REFERRED_TO_CORONER), &f,
	    GUARD_REFERRAL_CATEGORIES, "coroner_referral.categories",
	    "at least one referral category must be recorded");
	only_unmet(row(CASE_NOTIFIED, CASE_REFERRED_TO_CORONER), &f,
	    GUARD_REFERRAL_CATEGORIES, "coroner_referral.categories",
	    "at least one referral category must be recorded");
	only_unmet(row(CASE_AWAITING_MCCD, CASE_REFERRED_TO_CORONER), &f,
	    GUARD_REFERRAL_CATEGORIES, "coroner_referral.categories",
	    "at least one referral category must be recorded");
}
END_TEST

START_TEST(guard_reason_refuses_without_reason)
{
	struct case_facts	f;
	int			from;

	f = all_met(CORONER_DECISION_NONE);
	f.reason_given = 0;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_REFERRED_TO_CORONER), &f,
	    GUARD_REASON, "reason", "must be given");
	only_unmet(row(CASE_MCCD_ISSUED, CASE_IN_SCRUTINY), &f,
	    GUARD_REASON, "reason", "must be given");
	for (from = 0; from < CASE_STATE_COUNT; from++) {
		if (case_state_is_final(from))
			continue;
		only_unmet(row(from, CASE_WITHDRAWN), &f, GUARD_REASON,
		    "reason", "must be given");
	}
}
END_TEST

START_TEST(guard_coroner_not_investigating_refuses_other_decisions)
{
	const struct case_transition	*r;
	struct case_facts		 f;

	r = row(CASE_REFERRED_TO_CORONER, CASE_IN_SCRUTINY);
	f = all_met(CORONER_DECISION_NONE);
	only_unmet(r, &f, GUARD_CORONER_NOT_INVESTIGATING,
	    "coroner_decision", "not recorded");
	f = all_met(CORONER_DECISION_INVESTIGATING);
	only_unmet(r, &f, GUARD_CORONER_NOT_INVESTIGATING,
	    "coroner_decision", "recorded as investigating");
}
END_TEST

START_TEST(guard_coroner_investigating_refuses_other_decisions)
{
	const struct case_transition	*r;
	struct case_facts		 f;

	r = row(CASE_REFERRED_TO_CORONER, CASE_CORONER_INVESTIGATING);
	f = all_met(CORONER_DECISION_NONE);
	only_unmet(r, &f, GUARD_CORONER_INVESTIGATING,
	    "coroner_decision", "not recorded");
	f = all_met(CORONER_DECISION_NOT_INVESTIGATING);
	only_unmet(r, &f, GUARD_CORONER_INVESTIGATING,
	    "coroner_decision", "recorded as not_investigating");
}
END_TEST

START_TEST(guard_record_review_refuses_without_note)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.has_record_review = 0;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD), &f,
	    GUARD_RECORD_REVIEW, "record_review", "no record_review note");
}
END_TEST

START_TEST(guard_ap_discussion_refuses_when_none_happened)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.ap_discussion_happened = 0;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD), &f,
	    GUARD_AP_DISCUSSION, "practitioner_discussions",
	    "no discussion with the attending practitioner happened");
}
END_TEST

START_TEST(guard_cause_agreed_refuses_unagreed_cause)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.cause_agreed = 0;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD), &f,
	    GUARD_CAUSE_AGREED, "cause_of_death",
	    "not agreed with the attending practitioner");
}
END_TEST

START_TEST(guard_bereaved_refuses_without_reach_or_exhaustion)
{
	struct guard_failure		 out[CASE_GUARDS_MAX];
	const struct case_transition	*r;
	struct case_facts		 f;

	r = row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD);
	f = all_met(CORONER_DECISION_NONE);
	f.bereaved_reached = 0;
	f.contact_exhausted = 0;
	only_unmet(r, &f, GUARD_BEREAVED, "bereaved",
	    "no contact reached and attempts not documented as exhausted");

	/* Either one is enough. */
	f.contact_exhausted = 1;
	ck_assert_uint_eq(case_guards_check(r, &f, out, CASE_GUARDS_MAX), 0);
	f.contact_exhausted = 0;
	f.bereaved_reached = 1;
	ck_assert_uint_eq(case_guards_check(r, &f, out, CASE_GUARDS_MAX), 0);
}
END_TEST

START_TEST(guard_no_open_referral_refuses_open_referral)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.open_coroner_referral = 1;
	only_unmet(row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD), &f,
	    GUARD_NO_OPEN_REFERRAL, "coroner_referral",
	    "open, with no coroner's decision");
}
END_TEST

START_TEST(guard_mccd_date_refuses_without_date)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.mccd_issued_on_given = 0;
	only_unmet(row(CASE_AWAITING_MCCD, CASE_MCCD_ISSUED), &f,
	    GUARD_MCCD_DATE, "mccd_issued_on", "must be given");
}
END_TEST

START_TEST(guard_concerns_decided_refuses_undecided_concern)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.open_concerns_without_decision = 2;
	only_unmet(row(CASE_MCCD_ISSUED, CASE_CLOSED), &f,
	    GUARD_CONCERNS_DECIDED, "governance_referrals",
	    "a concern raised has no governance decision");
}
END_TEST

START_TEST(guard_final_actions_refuses_unrecorded_actions)
{
	struct case_facts	f;

	f = all_met(CORONER_DECISION_NONE);
	f.final_actions_recorded = 0;
	only_unmet(row(CASE_MCCD_ISSUED, CASE_CLOSED), &f,
	    GUARD_FINAL_ACTIONS, "final_actions", "not recorded");
}
END_TEST

START_TEST(guard_examiner_refuses_another_me_but_not_a_lead)
{
	struct guard_failure		 out[CASE_GUARDS_MAX];
	const struct case_transition	*r;
	struct case_facts		 f;

	r = row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD);
	ck_assert_uint_ne(r->guards & GUARD_EXAMINER, 0);
	f = all_met(CORONER_DECISION_NONE);
	f.actor_is_examiner = 0;
	ck_assert_int_eq(case_actor_check(r, ROLE_MEDICAL_EXAMINER, &f),
	    TRANSITION_FORBIDDEN);
	ck_assert_int_eq(case_actor_check(r, ROLE_LEAD_MEDICAL_EXAMINER, &f),
	    TRANSITION_OK);
	/* It is a 403, so it never appears among the 422's fields. */
	ck_assert_uint_eq(case_guards_check(r, &f, out, CASE_GUARDS_MAX), 0);

	/* Rows without the guard let any ME act. */
	ck_assert_int_eq(case_actor_check(row(CASE_NOTIFIED,
	    CASE_IN_SCRUTINY), ROLE_MEDICAL_EXAMINER, &f), TRANSITION_OK);

	f.actor_is_examiner = 1;
	ck_assert_int_eq(case_actor_check(r, ROLE_MEDICAL_EXAMINER, &f),
	    TRANSITION_OK);
}
END_TEST

START_TEST(guards_report_every_unmet_requirement_within_max)
{
	struct guard_failure		 out[CASE_GUARDS_MAX];
	const struct case_transition	*r;
	struct case_facts		 f;

	memset(&f, 0, sizeof(f));
	memset(out, 0, sizeof(out));
	r = row(CASE_IN_SCRUTINY, CASE_AWAITING_MCCD);
	f.examiner_declared = 1;

	/* Nothing done yet: four unmet, in the order of the GUARD_ bits. */
	ck_assert_uint_eq(case_guards_check(r, &f, out, CASE_GUARDS_MAX), 4);
	ck_assert_str_eq(out[0].field, "record_review");
	ck_assert_str_eq(out[1].field, "practitioner_discussions");
	ck_assert_str_eq(out[2].field, "cause_of_death");
	ck_assert_str_eq(out[3].field, "bereaved");

	/* A short array gets the first ones; the count is still all. */
	memset(out, 0, sizeof(out));
	ck_assert_uint_eq(case_guards_check(r, &f, out, 2), 4);
	ck_assert_str_eq(out[1].field, "practitioner_discussions");
	ck_assert_ptr_null(out[2].field);
	ck_assert_uint_eq(case_guards_check(r, &f, NULL, 0), 4);

	f.open_coroner_referral = 1;
	f.open_concerns_without_decision = 1;
	ck_assert_uint_eq(case_guards_check(r, &f, out, CASE_GUARDS_MAX), 5);
	/* The examiner's declaration, last (the highest bit). */
	f.examiner_declared = 0;
	ck_assert_uint_eq(case_guards_check(r, &f, out, CASE_GUARDS_MAX), 6);
	ck_assert_str_eq(out[5].field, "independent");
	ck_assert_uint_eq(case_guards_check(row(CASE_MCCD_ISSUED,
	    CASE_CLOSED), &f, out, CASE_GUARDS_MAX), 2);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	s = suite_create("case_state");
	tc = tcase_create("core");
	tcase_add_test(tc, state_codes_round_trip);
	tcase_add_test(tc, role_codes_round_trip);
	tcase_add_test(tc, final_states_are_closed_coroner_investigating_withdrawn);
	tcase_add_test(tc, no_transition_leaves_a_final_state);
	tcase_add_test(tc, overdue_only_before_end_of_scrutiny);
	tcase_add_test(tc, every_pair_and_role_matches_api_table);
	tcase_add_test(tc, role_is_checked_before_state);
	tcase_add_test(tc, table_rows_carry_api_requirements);
	tcase_add_test(tc, transitions_for_lists_only_allowed_next_states);
	tcase_add_test(tc, all_requirements_met_gives_no_failures);
	tcase_add_test(tc, guard_independent_refuses_without_declaration);
	tcase_add_test(tc, guard_examiner_declared_refuses_leaving_scrutiny);
	tcase_add_test(tc, guard_referral_categories_refuses_none_recorded);
	tcase_add_test(tc, guard_reason_refuses_without_reason);
	tcase_add_test(tc,
	    guard_coroner_not_investigating_refuses_other_decisions);
	tcase_add_test(tc, guard_coroner_investigating_refuses_other_decisions);
	tcase_add_test(tc, guard_record_review_refuses_without_note);
	tcase_add_test(tc, guard_ap_discussion_refuses_when_none_happened);
	tcase_add_test(tc, guard_cause_agreed_refuses_unagreed_cause);
	tcase_add_test(tc, guard_bereaved_refuses_without_reach_or_exhaustion);
	tcase_add_test(tc, guard_no_open_referral_refuses_open_referral);
	tcase_add_test(tc, guard_mccd_date_refuses_without_date);
	tcase_add_test(tc, guard_concerns_decided_refuses_undecided_concern);
	tcase_add_test(tc, guard_final_actions_refuses_unrecorded_actions);
	tcase_add_test(tc, guard_examiner_refuses_another_me_but_not_a_lead);
	tcase_add_test(tc, guards_report_every_unmet_requirement_within_max);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
