/*
 * The case state machine of API.md, as one table.
 *
 * Every transition medex allows is a row of case_transitions[]: from,
 * to, the roles that may make it and the requirements (guards) it has.
 * Handlers, pages and the reference endpoint all read this table, so
 * that what the API does, what a page offers and what the reference
 * lists cannot drift apart.
 *
 * A transition request is answered in API.md's order of checks:
 *
 *   case_transition_check()	403 for the role, 409 for the state
 *   case_actor_check()		403 when only the case's examiner may
 *   case_guards_check()	422 naming each unmet requirement
 *
 * with the request's own checks (If-Match, body) between the first and
 * the rest as API.md orders them.  All of it is pure: the database
 * supplies struct case_facts and nothing here touches it.
 */
#ifndef MEDEX_CASE_STATE_H
#define MEDEX_CASE_STATE_H

#include <stddef.h>

#include "role.h"

enum case_state {
	CASE_NOTIFIED = 0,
	CASE_IN_SCRUTINY,
	CASE_REFERRED_TO_CORONER,
	CASE_CORONER_INVESTIGATING,
	CASE_AWAITING_MCCD,
	CASE_MCCD_ISSUED,
	CASE_CLOSED,
	CASE_WITHDRAWN,
	CASE_STATE_COUNT
};

/* Room for the longest code, "coroner_investigating", and its NUL. */
#define CASE_STATE_STR_MAX	22

/*
 * The requirements of API.md's "requires" column, one bit each.
 * GUARD_EXAMINER is the odd one: it is about who acts, so it is a 403
 * (case_actor_check()), not a 422, and case_guards_check() skips it.
 */
#define GUARD_INDEPENDENT		0x0001u
#define GUARD_REFERRAL_CATEGORIES	0x0002u
#define GUARD_REASON			0x0004u
#define GUARD_CORONER_NOT_INVESTIGATING	0x0008u
#define GUARD_CORONER_INVESTIGATING	0x0010u
#define GUARD_RECORD_REVIEW		0x0020u
#define GUARD_AP_DISCUSSION		0x0040u
#define GUARD_CAUSE_AGREED		0x0080u
#define GUARD_BEREAVED			0x0100u
#define GUARD_NO_OPEN_REFERRAL		0x0200u
#define GUARD_MCCD_DATE			0x0400u
#define GUARD_CONCERNS_DECIDED		0x0800u
#define GUARD_FINAL_ACTIONS		0x1000u
#define GUARD_EXAMINER			0x2000u
/*
 * Scrutiny ends only when the case's examiner, whoever it is now, has
 * declared independence for this case: a reallocation clears the
 * previous examiner's declaration (issue 19).
 */
#define GUARD_EXAMINER_DECLARED		0x4000u

/* The most failures case_guards_check() can report for one row. */
#define CASE_GUARDS_MAX			14

struct case_transition {
	enum case_state	from;
	enum case_state	to;
	unsigned int	roles;		/* RB_* mask */
	unsigned int	guards;		/* GUARD_* mask */
};

/* The table, in API.md's order; for the reference endpoint. */
extern const struct case_transition	case_transitions[];
extern const size_t			case_transitions_count;

enum transition_result {
	TRANSITION_OK = 0,
	TRANSITION_INVALID,	/* 409 invalid_transition */
	TRANSITION_FORBIDDEN	/* 403 forbidden */
};

enum coroner_decision {
	CORONER_DECISION_NONE = 0,
	CORONER_DECISION_INVESTIGATING,
	CORONER_DECISION_NOT_INVESTIGATING
};

/*
 * What the database knows about a case, for the guards.  Counts and
 * booleans (0 or not) only.  "Records made before a reopening still
 * count" (API.md): the caller counts every record of the case, not
 * only those since its last change of state.
 */
struct case_facts {
	int			independent_declared;	/* body: true */
	int			has_record_review;	/* a record_review note */
	int			ap_discussion_happened;	/* happened: true */
	int			cause_agreed;		/* agreed with the AP */
	int			bereaved_reached;	/* a contact `reached` */
	int			contact_exhausted;	/* contacts/exhausted */
	int			open_coroner_referral;	/* referral, no decision */
	enum coroner_decision	coroner_decision;	/* of the last referral */
	int			open_concerns_without_decision;	/* a count */
	int			final_actions_recorded;
	int			referral_categories_count;
	int			reason_given;		/* non-empty reason */
	int			mccd_issued_on_given;	/* a valid date given */
	int			actor_is_examiner;	/* the case's examiner */
	int			examiner_declared;	/* the examiner's own */
};

struct guard_failure {
	unsigned int	 guard;		/* the GUARD_* bit */
	const char	*field;		/* the name for API.md's `fields` */
	const char	*message;	/* its phrase */
};

/* 0 and the state in *out, or -1 for a string that names no state. */
int		 case_state_from_str(const char *, enum case_state *);

/* The code ("in_scrutiny"), or NULL for a value out of range. */
const char	*case_state_str(enum case_state);

/* A label for people ("In scrutiny"), or NULL. */
const char	*case_state_label(enum case_state);

/* closed, coroner_investigating and withdrawn: nothing leaves them. */
int		 case_state_is_final(enum case_state);

/*
 * 1 for the states in which a case past its deadline is overdue:
 * notified and in_scrutiny, i.e. "not yet past scrutiny" in API.md.
 */
int		 case_state_counts_as_overdue_eligible(enum case_state);

/* The row for (from, to), or NULL when the table has none. */
const struct case_transition	*case_transition_find(enum case_state,
				    enum case_state);

/*
 * May this role move a case from `from` to `to`?
 *
 * TRANSITION_FORBIDDEN when the row exists but not for this role, and
 * also when the role may never move any case to `to` though another
 * role may (an officer asking to withdraw a closed case): API.md checks
 * the role (403) before the state (409).  TRANSITION_INVALID when there
 * is no row and the role is not ruled out that way.
 */
enum transition_result	 case_transition_check(enum case_state,
			    enum case_state, enum role);

/*
 * The who-acts check of a row: where the row has GUARD_EXAMINER, only
 * the case's examiner (facts->actor_is_examiner) or a lead ME may make
 * it.  TRANSITION_OK or TRANSITION_FORBIDDEN.
 */
enum transition_result	 case_actor_check(const struct case_transition *,
			    enum role, const struct case_facts *);

/*
 * The row's unmet requirements, for a 422.  Returns how many there are
 * and stores the first max of them in out (CASE_GUARDS_MAX is always
 * enough), in the order of the GUARD_* bits.  0 means all are met.
 */
size_t		 case_guards_check(const struct case_transition *,
		    const struct case_facts *, struct guard_failure *, size_t);

/*
 * The transitions a role may make from a state, one per call: start
 * with *pos at 0 and call until NULL.  Pages offer only these.
 */
const struct case_transition	*case_transitions_for(enum case_state,
				    enum role, size_t *);

#endif
