/*
 * What the case routes of the API (api_cases.c) share with the pages
 * (pages/): the SQL texts and the preparation of each call, so
 * that a page makes the same checks and the same SQL call as its API
 * route.
 */
#ifndef MEDEX_API_CASES_H
#define MEDEX_API_CASES_H

#include <jansson.h>

#include "case_body.h"
#include "route_table.h"

extern const char	sql_case_create[];
extern const char	sql_case_get[];
extern const char	sql_case_events[];
extern const char	sql_case_list[];

/* One prepared call: sql with n parameters; case_call_free() after. */
struct case_call {
	const char	*sql;
	int		 n;
	const char	*params[16];
	char		*heap[4];
	json_t		*keep;
	char		 ifm[24];
};

/* The parameters of api_case_list(); they point into the struct. */
struct case_list_q {
	char		 limit[16];
	char		 after[130];
	char		 state[32];
	char		 examiner[80];
	char		 officer[80];
	char		 q[400];
	char		 sort[16];
	char		 awaiting[32];
	const char	*params[11];
};

const char	*case_list_prepare(struct http_request *,
		    struct case_list_q *);
void		 case_write_prepare(struct case_call *, const char *,
		    const char *, const char *, enum case_body_kind, json_t *,
		    long long, const char *, const char *);
void		 case_transition_prepare(struct case_call *, const char *,
		    const char *, const char *, json_t *, long long);
void		 case_call_free(struct case_call *);
const char	*case_role_ok(const char *, enum route_id);

#endif
