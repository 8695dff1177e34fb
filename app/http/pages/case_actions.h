/*
 * The actions on a case (pages/case_actions.c).
 */
#ifndef MEDEX_CASE_ACTIONS_H
#define MEDEX_CASE_ACTIONS_H

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"

/* May this user be offered this action on the case k now? */
int	act_offered(struct medex_req *, const struct act *, json_t *);

#endif
