/*
 * The bereaved on the contact and governance forms
 * (pages/case_bereaved.c).
 */
#ifndef MEDEX_CASE_BEREAVED_H
#define MEDEX_CASE_BEREAVED_H

#include <jansson.h>

#include "medex.h"
#include "case_fields.h"

/*
 * Writes field f of set if it is this module's to write: on the contact
 * form, the case's bereaved people as radios with "Someone else" last
 * (revealing the name and relationship); on the governance form, the
 * concern it decides.  1 when f was written (or left out), else 0.
 */
int	cbe_field(struct medex_req *, json_t *, json_t *, struct sbuf *,
	    const struct act *, const struct fspec *, const struct fspec *);

/* The contact or governance form's own inputs into the API's body. */
void	cbe_to_json(struct medex_req *, const struct act *, json_t *);

#endif
