/*
 * What a move of a case still needs, in words, from the case as the API
 * returns it (GET /cases/{id}, with the full record).  The facts are
 * counted here as sql/cases_write.sql counts them for the transition,
 * and the guards are case_state.c's, so that a page never offers a move
 * the API would refuse, nor hides one it would make.
 *
 * The move's own inputs (the independence declaration, a reason, the
 * MCCD's date) are not "missing": the move's form asks for them.
 */
#ifndef MEDEX_CASE_MISSING_H
#define MEDEX_CASE_MISSING_H

#include <stddef.h>

#include <jansson.h>

#include "case_state.h"

struct case_missing {
	unsigned int	 guard;		/* the GUARD_* bit */
	const char	*what;		/* "The cause of death is not agreed ..." */
	const char	*who;		/* "The medical examiner must ..." */
	const char	*slug;		/* the form that fixes it, or NULL */
};

/* The facts of case_state.h from the case k; actor is the reader. */
void	 case_facts_from_json(json_t *k, const char *actor,
	    struct case_facts *);

/*
 * The unmet requirements of row for the case k, in words, for a reader
 * named actor: how many, the first max of them stored in out
 * (CASE_GUARDS_MAX is always enough).  0: the move would be made.
 */
size_t	 case_missing(const struct case_transition *row, json_t *k,
	    const char *actor, struct case_missing *out, size_t max);

/* A move for the warning section (withdraw, reopen), not the list. */
int	 case_move_is_rare(const struct case_transition *);

#endif
