/*
 * A case's open clinical-safety warnings on its page, and the form that
 * acknowledges one (pages/case_warnings.c).
 */
#ifndef MEDEX_CASE_WARNINGS_H
#define MEDEX_CASE_WARNINGS_H

#include <jansson.h>

#include "medex.h"
#include "sbuf.h"

/*
 * The warning callout of the case k, when it has open warnings; with an
 * "Acknowledge" button each when may_ack (the case page, a role that
 * writes), without on paper.
 */
void	cw_callout(struct medex_req *, struct sbuf *, json_t *, const char *,
	    int);

#endif
