/*
 * The database calls of a case page (pages/page_call.c): a page's reads
 * in one round trip, then its render function.
 */
#ifndef MEDEX_PAGE_CALL_H
#define MEDEX_PAGE_CALL_H

#include <jansson.h>

#include "medex.h"

#define PC_CALLS	4
#define PC_PARAMS	16

struct act;
struct pc;
typedef void	(*pc_render)(struct medex_req *, struct pc *,
		    struct sbuf *);

struct pc_call {
	const char	*sql;
	int		 n;
	char		*p[PC_PARAMS];
	json_t		**out;
	int		 optional;
	const char	*batch;		/* sql's batch form, if any */
};

struct pc {
	char			 id[ROUTE_CAPTURE_LEN];
	const struct act	*act;
	char			 to[32];
	char			 contact[32];	/* ?contact= of a form */
	char			 display_name[256];
	json_t			*me, *kase, *events, *list, *summary;
	json_t			*page;	/* one call's {me, case, timeline} */
	json_t			*errors;	/* field -> message */
	const char		*banner;	/* above the form, in words */
	int			 status;
	int			 ncalls, cur, failed;
	struct pc_call		 call[PC_CALLS];
	pc_render		 render;
	const char		*content_type;	/* NULL: HTML */
	char			 batch_sql[2048];	/* see pc_run() */
	const char		*redirect_to;	/* after a write */
	char			 location[128];
};

/* A page's state in mr->step_data (freed with the request). */
struct pc	*pc_new(struct medex_req *);
/* One more call: out gets its JSON; optional ones may fail. */
void		 pc_add(struct pc *, const char *, int, const char **,
		    json_t **, int);
void		 pc_add_me(struct pc *);
/* Runs the calls, then pc->render, and answers. */
int		 pc_run(struct http_request *, struct medex_req *);
/* The api_result row into mr (no ETag or Location: pages have none). */
void		 pc_row(struct medex_req *, struct kore_pgsql *);
/* The layout's start, with the signed-in user in the header. */
void		 pc_begin(struct medex_req *, struct pc *, struct sbuf *,
		    const char *, int);
/* The caller's role (admin if unknown: offered nothing). */
enum role	 pc_role(struct medex_req *);
/* May this role use the API route (the route table's roles)? */
int		 role_may(struct medex_req *, enum route_id);

#endif
