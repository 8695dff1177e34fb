/*
 * The people of the assignment forms (pages/case_people.c).
 */
#ifndef MEDEX_CASE_PEOPLE_H
#define MEDEX_CASE_PEOPLE_H

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"

/* The SQL call of the office's assignable people (api_page_assignees). */
extern const char	sql_page_assignees[];

/*
 * Writes field f of set if it is the form's to write: an F_PEOPLE
 * field as radios of people (from people, api_page_assignees' answer),
 * the reallocation reason only when the case k has someone to take it
 * from.  1 when f was this module's (written or left out), else 0.
 */
int	cpe_field(struct medex_req *, json_t *, json_t *, json_t *,
	    struct sbuf *, const struct fspec *, const struct fspec *);
/* Does the action's form name people (and need api_page_assignees)? */
int	cpe_needed(const struct act *);

#endif
