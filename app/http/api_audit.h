/*
 * The office audit (api_audit.c): GET /api/v1/audit, and the query
 * string prepared for it the same way for the /audit page.
 */
#ifndef MEDEX_API_AUDIT_H
#define MEDEX_API_AUDIT_H

#include "medex.h"

#define AUDIT_SQL \
    "SELECT * FROM api_audit($1, $2, $3, $4, $5, $6, $7::integer, $8, " \
    "$9::jsonb)"

struct audit_q {
	char		 limit[16];
	char		 after[130];
	char		*filter;	/* the filters as JSON, for $9 */
	const char	*params[3];
};

/* NULL with q filled in (free with audit_q_free), or the 400's message. */
const char	*audit_prepare(struct http_request *, struct audit_q *);
void		 audit_q_free(struct audit_q *);

#endif
