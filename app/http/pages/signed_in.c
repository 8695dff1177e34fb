/*
 * A signed-in page of the simple kind (/, /admin/...): two calls, each
 * one api_* SQL function that the API uses too: api_me (for the name in
 * the header, and the session check) and then the page's own
 * (api_office_list, ...).  The JSON body the second answers is parsed
 * with jansson and handed to the page's render function.  Refusals
 * become pages too (pages_refused).  Serves no URL itself.
 */
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "json_reader.h"
#include "page.h"
#include "page_frame.h"
#include "respond.h"
#include "signed_in.h"

static const char sql_me[] = "SELECT * FROM api_me($1, $2, $3, $4, $5, $6)";

/* A signed-in page between its two calls. */
struct page_state {
	char		 display_name[256];
	int		 must_change;	/* a one-time password (api_me) */
	const char	*sql;
	int		 n;
	char		*params[4];
	page_render	 render;
};

static void	page_state_free(void *);
static void	page_me_cb(struct http_request *, struct medex_req *);
static int	page_second_call(struct http_request *, struct medex_req *);
static void	page_render_cb(struct http_request *, struct medex_req *);

static void
page_state_free(void *arg)
{
	struct page_state	*ps = arg;
	int			 i;

	for (i = 0; i < ps->n; i++)
		kore_free(ps->params[i]);
	kore_free(ps);
}

/*
 * A signed-in page: api_me, then sql with its n extra parameters (or
 * nothing when sql is NULL), then render() with the JSON of the last
 * call and the body to write the page into.
 */
int
page_signed_in(struct http_request *req, struct medex_req *mr,
    const char *sql, int n, const char **params, page_render render)
{
	struct page_state	*ps;
	int			 i;

	ps = kore_calloc(1, sizeof(*ps));
	ps->sql = sql;
	ps->n = n;
	for (i = 0; i < n && i < 4; i++)
		ps->params[i] = params[i] != NULL ? kore_strdup(params[i]) :
		    NULL;
	ps->render = render;
	mr->step_data = ps;
	mr->step_free = page_state_free;
	mr->on_api_result = page_me_cb;
	mr->on_complete = page_second_call;
	return (api_call(req, mr, sql_me, 0, NULL));
}

static void
page_me_cb(struct http_request *req, struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;
	json_t			*j;
	const char		*name;
	int			 enrol;

	enrol = 0;
	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	if ((j = jr_load(mr->body.data, mr->body.len)) != NULL) {
		if ((name = json_string_value(json_object_get(j,
		    "display_name"))) != NULL)
			kore_strlcpy(ps->display_name, name,
			    sizeof(ps->display_name));
		ps->must_change = json_is_true(json_object_get(j,
		    "password_change_required"));
		enrol = json_is_true(json_object_get(j,
		    "otp_enrolment_required"));
		json_decref(j);
	}
	/*
	 * A session limited to enrolment (auth_check) sees only its own
	 * account's pages; the others' calls would be refused, but a page
	 * that makes none (the start page) must not show either.
	 */
	if (enrol && !ps->must_change && strncmp(req->path, "/account/",
	    9) != 0)
		pages_redirect(req, mr, "/account/two-step");
}

static int
page_second_call(struct http_request *req, struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;

	if (mr->status != 200)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	if (ps->sql == NULL) {
		page_render_cb(req, mr);
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	mr->status = 0;
	mr->on_api_result = page_render_cb;
	return (api_call(req, mr, ps->sql, ps->n,
	    (const char **)ps->params));
}

static void
page_render_cb(struct http_request *req, struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;
	json_t			*j;

	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	j = jr_load(mr->body.data, mr->body.len);
	sbuf_reset(&mr->body);
	/* 200 unless render says otherwise (a report of errors: 422). */
	mr->status = 200;
	ps->render(req, mr, j, &mr->body);
	if (j != NULL)
		json_decref(j);
	mr->content_type = HTML_TYPE;
}

/* The header's user for a page of page_signed_in(). */
void
page_open(struct medex_req *mr, struct sbuf *sb, const char *title,
    enum page_nav nav)
{
	struct page_state	*ps = mr->step_data;
	struct page_user	 u;

	if (pages_user(mr, ps->display_name, &u))
		page_begin(sb, title, 0, &u, nav);
	else
		page_begin(sb, title, 0, NULL, nav);
}


/* Is the user's password one-time (set by an admin), as api_me said? */
int
page_must_change_password(struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;

	return (ps->must_change);
}

/* The signed-in user's name, as api_me gave it. */
const char *
page_display_name(struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;

	return (ps->display_name);
}
