/*
 * What the acknowledgement of a case's warning (api_warnings.c) shares
 * with the case page's form (pages/case_warnings.c).
 */
#ifndef MEDEX_API_WARNINGS_H
#define MEDEX_API_WARNINGS_H

#include <jansson.h>

#include "api_cases.h"

/* POST /api/v1/cases/{id}/warnings/acknowledgement: id, role_ok, body,
 * Idempotency-Key and the request's hash. */
void	case_warning_ack_prepare(struct case_call *, const char *,
	    const char *, json_t *, const char *, const char *);

#endif
