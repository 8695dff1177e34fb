/*
 * The case page's task list and moves (pages/case_tasks.c).
 */
#ifndef MEDEX_CASE_TASKS_H
#define MEDEX_CASE_TASKS_H

#include <jansson.h>

#include "medex.h"
#include "sbuf.h"

/* The scrutiny task list; links to the forms when id is not NULL. */
void	ct_tasks(struct medex_req *, struct sbuf *, json_t *, const char *);

/*
 * The next step, what the reader can do now, the moves not yet
 * possible (what is missing, who must act) and the rare moves.
 */
void	ct_moves(struct medex_req *, struct sbuf *, json_t *, const char *);

#endif
