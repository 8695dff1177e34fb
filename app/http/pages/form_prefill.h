/*
 * A case form's first values, from what the case records
 * (pages/form_prefill.c).
 */
#ifndef MEDEX_FORM_PREFILL_H
#define MEDEX_FORM_PREFILL_H

#include <jansson.h>

#include "case_fields.h"
#include "form.h"

/*
 * Writes into out (form_init'ed) the action's recorded values of the
 * case k as the form would send them.
 */
void	fp_prefill(struct form *, const struct act *, json_t *);

#endif
