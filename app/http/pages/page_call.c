/*
 * The database calls of a case page (the pc_* functions): a page adds
 * the api_* calls it reads (pc_add), runs them in one round trip when
 * they fit one statement (pc_run, app/core/sql_batch.h), and its render
 * function writes the page from their JSON.  A call that fails (and is
 * not optional) answers with a page in words instead.  Serves no URL
 * itself; used by queue.c, case.c, case_new.c, case_actions.c.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "case_parts.h"
#include "json_reader.h"
#include "page.h"
#include "page_call.h"
#include "page_frame.h"
#include "print_line.h"
#include "respond.h"
#include "sql_batch.h"

static const char sql_me[] = "SELECT * FROM api_me($1, $2, $3, $4, $5, $6)";

static void	pc_free(void *);
static int	pc_next(struct http_request *, struct medex_req *);
static void	pc_batch_cb(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);

struct pc *
pc_new(struct medex_req *mr)
{
	struct pc	*pc;

	pc = kore_calloc(1, sizeof(*pc));
	pc->status = 200;
	if (mr->cap.count > 0)
		kore_strlcpy(pc->id, mr->cap.value[0], sizeof(pc->id));
	mr->step_data = pc;
	mr->step_free = pc_free;
	return (pc);
}

static void
pc_free(void *arg)
{
	struct pc	*pc = arg;
	int		 i, k;

	for (i = 0; i < pc->ncalls; i++) {
		for (k = 0; k < PC_PARAMS; k++)
			kore_free(pc->call[i].p[k]);
	}
	json_decref(pc->page);
	json_decref(pc->me);
	json_decref(pc->kase);
	json_decref(pc->events);
	json_decref(pc->list);
	json_decref(pc->summary);
	json_decref(pc->errors);
	kore_free(pc);
}

void
pc_add(struct pc *pc, const char *sql, int n, const char **params,
    json_t **out, int optional)
{
	struct pc_call	*c;
	int		 i;

	if (pc->ncalls >= PC_CALLS || n > PC_PARAMS)
		fatal("pc_add: too many");
	c = &pc->call[pc->ncalls++];
	c->sql = sql;
	c->n = n;
	for (i = 0; i < n; i++)
		c->p[i] = params[i] != NULL ? kore_strdup(params[i]) : NULL;
	c->out = out;
	c->optional = optional;
}

/* The api_result row, without the API's ETag and Location headers. */
void
pc_row(struct medex_req *mr, struct kore_pgsql *sql)
{
	mr->status = 500;
	sbuf_reset(&mr->body);
	if (kore_pgsql_ntuples(sql) != 1 || kore_pgsql_nfields(sql) < 4)
		return;
	mr->status = atoi(kore_pgsql_getvalue(sql, 0, 0));
	sbuf_appends(&mr->body, kore_pgsql_getvalue(sql, 0, 1));
	mr->content_type = "application/json; charset=utf-8";
}

static void
pc_read_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;
	struct pc_call	*c = &pc->call[pc->cur - 1];

	pc_row(mr, sql);
	if (mr->status >= 200 && mr->status < 300) {
		*c->out = jr_load(mr->body.data, mr->body.len);
		return;
	}
	if (c->optional)
		return;
	pc->failed = 1;
	pages_refused(req, mr);
}

/* A call with the caller's six context parameters in front. */
static int
pc_db(struct http_request *req, struct medex_req *mr, const char *sql,
    int n, const char **extra, db_result_cb cb)
{
	mr->on_complete = pc_next;
	return (api_call_cb(req, mr, sql, n, extra, cb));
}

int
pc_run(struct http_request *req, struct medex_req *mr)
{
	struct pc		*pc = mr->step_data;
	struct sql_batch	 b;
	const char		*params[DB_PARAMS_MAX - SQL_BATCH_SHARED];
	int			 i, j, n;

	pc->cur = 0;
	pc->failed = 0;
	if (pc->ncalls < 2)
		return (pc_next(req, mr));
	/*
	 * A page's reads in one round trip (app/core/sql_batch.h): one
	 * statement, one pass through the pool.  Too many parameters for
	 * one statement: one call at a time, as before.
	 */
	sql_batch_init(&b, pc->batch_sql, sizeof(pc->batch_sql));
	n = 0;
	for (i = 0; i < pc->ncalls; i++) {
		if (n + pc->call[i].n > (int)(sizeof(params) / sizeof(params[0])) ||
		    !sql_batch_add(&b, pc->call[i].sql, pc->call[i].n))
			return (pc_next(req, mr));
		for (j = 0; j < pc->call[i].n; j++)
			params[n++] = pc->call[i].p[j];
	}
	if (!sql_batch_end(&b))
		return (pc_next(req, mr));
	pc->cur = pc->ncalls;
	return (pc_db(req, mr, pc->batch_sql, n, params, pc_batch_cb));
}

/* The rows of a batch, numbered by call: each read as pc_read_cb would. */
static void
pc_batch_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;
	struct pc_call	*c;
	int		 i;

	if (kore_pgsql_ntuples(sql) != pc->ncalls ||
	    kore_pgsql_nfields(sql) < 5) {
		mr->status = 500;
		sbuf_reset(&mr->body);
		pc->failed = 1;
		pages_refused(req, mr);
		return;
	}
	for (i = 0; i < pc->ncalls; i++) {
		c = &pc->call[atoi(kore_pgsql_getvalue(sql, i, 0)) %
		    pc->ncalls];
		sbuf_reset(&mr->body);
		mr->status = atoi(kore_pgsql_getvalue(sql, i, 1));
		sbuf_appends(&mr->body, kore_pgsql_getvalue(sql, i, 2));
		mr->content_type = "application/json; charset=utf-8";
		if (mr->status >= 200 && mr->status < 300) {
			*c->out = jr_load(mr->body.data, mr->body.len);
			continue;
		}
		if (c->optional)
			continue;
		pc->failed = 1;
		pages_refused(req, mr);
		return;
	}
}

/* A page read in one call: its parts where the renderers look for them. */
static void
pc_split(struct pc *pc)
{
	json_t	*v;

	if (pc->me == NULL && json_is_object(v = json_object_get(pc->page,
	    "me")))
		pc->me = json_incref(v);
	if (pc->kase == NULL && json_is_object(v = json_object_get(pc->page,
	    "case")))
		pc->kase = json_incref(v);
	if (pc->events == NULL && json_is_object(v = json_object_get(pc->page,
	    "timeline")))
		pc->events = json_incref(v);
}

static int
pc_next(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc = mr->step_data;
	struct pc_call	*c;

	if (pc->failed || pc->redirect_to != NULL)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	if (pc->cur < pc->ncalls) {
		c = &pc->call[pc->cur++];
		mr->batch_next = c->batch;
		return (pc_db(req, mr, c->sql, c->n, (const char **)c->p,
		    pc_read_cb));
	}
	if (pc->page != NULL)
		pc_split(pc);
	if (pc->me != NULL && cp_str(pc->me, "display_name") != NULL)
		kore_strlcpy(pc->display_name, cp_str(pc->me, "display_name"),
		    sizeof(pc->display_name));
	sbuf_reset(&mr->body);
	pc->render(mr, pc, &mr->body);
	if (mr->body.oom)
		return (pages_error(req, mr, 500, NULL));
	return (medex_respond(req, mr, pc->status, pc->content_type != NULL ?
	    pc->content_type : HTML_TYPE, mr->body.data, mr->body.len));
}

/* The layout's start, with the signed-in user in the header. */
void
pc_begin(struct medex_req *mr, struct pc *pc, struct sbuf *sb,
    const char *title, int errors)
{
	struct page_user	u;

	const char		*at;

	if (pages_user(mr, pc->display_name[0] != '\0' ? pc->display_name :
	    NULL, &u))
		page_begin(sb, title, errors, &u, NAV_CASES);
	else
		page_begin(sb, title, errors, NULL, NAV_CASES);
	/* The print view (api_page_case_print) shows its line on screen. */
	at = cp_str(pc->page, "printed_at");
	print_line(sb, cp_str(json_object_get(pc->page, "me"), "office_name"),
	    mr->claims.office, at, pc->display_name[0] != '\0' ?
	    pc->display_name : mr->claims.sub, at != NULL);
}

enum role
pc_role(struct medex_req *mr)
{
	enum role	r;

	if (role_from_str(mr->claims.role, &r) != 0)
		return (ROLE_ADMIN);
	return (r);
}

/* May this role use the API route (the route table's roles)? */
int
role_may(struct medex_req *mr, enum route_id id)
{
	return (strcmp(case_role_ok(mr->claims.role, id), "true") == 0);
}

/* The reader (api_me): the name in the header, and the session check. */
void
pc_add_me(struct pc *pc)
{
	pc_add(pc, sql_me, 0, NULL, &pc->me, 0);
}
