/*
 * The one Kore handler.  Every request passes here: it gets a request id,
 * is matched against medex's route table, and leaves through
 * medex_respond(), which adds the common headers and writes the single
 * log line.  Errors under /api/ are API.md's JSON shape; Kore's own HTML
 * error pages are never reached for a request that got this far.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "medex.h"
#include "api.h"
#include "auth.h"
#include "db_async.h"
#include "dispatch.h"
#include "form.h"
#include "page_frame.h"
#include "page_request.h"
#include "respond.h"
#include "routes.h"

static void	medex_req_free(struct http_request *);
static void	medex_reqid(char [17]);

static void
medex_reqid(char out[17])
{
	u_int8_t	raw[8];
	size_t		i;

	/* Not a secret: it only has to be unique enough to find a line. */
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		memset(raw, 0, sizeof(raw));
	for (i = 0; i < sizeof(raw); i++)
		snprintf(out + i * 2, 3, "%02x", raw[i]);
}

static void
medex_req_free(struct http_request *req)
{
	struct medex_req	*mr;

	if ((mr = http_state_get(req)) == NULL)
		return;
	/* A task still running owns step_data; Kore frees us again later. */
	if (mr->step_task != NULL && !kore_task_finished(mr->step_task))
		return;
	db_release(mr);
	if (mr->step_free != NULL && mr->step_data != NULL)
		mr->step_free(mr->step_data);
	if (mr->form != NULL) {
		form_free(mr->form);
		kore_free(mr->form);
		mr->form = NULL;
	}
	sbuf_free(&mr->body);
	http_state_cleanup(req);
}

/* Errors outside /api/ are pages in the NHS layout (respond.c). */
static int
page_error(struct http_request *req, struct medex_req *mr, int status,
    const char *text)
{
	return (pages_error(req, mr, status, text));
}

static int
route_not_found(struct http_request *req, struct medex_req *mr)
{
	if (mr->is_api)
		return (api_error(req, mr, 404, "not_found",
		    "There is no such resource."));
	return (page_error(req, mr, 404, "Page not found"));
}

static int
route_bad_method(struct http_request *req, struct medex_req *mr, int allowed)
{
	char		allow[96];
	int		m;

	allow[0] = '\0';
	for (m = HTTP_METHOD_GET; m <= HTTP_METHOD_PATCH; m <<= 1) {
		if (!(allowed & m))
			continue;
		snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow),
		    "%s%s", allow[0] != '\0' ? ", " : "", medex_method_name(m));
	}
	http_response_header(req, "allow", allow);
	if (mr->is_api || strncmp(req->path, "/api/", 5) == 0 ||
	    route_match("/healthz", req->path, &mr->cap) ||
	    route_match("/readyz", req->path, &mr->cap))
		return (api_error(req, mr, 405, "method_not_allowed",
		    "This method is not allowed here."));
	return (page_error(req, mr, 405, "Method not allowed"));
}

static const char sql_deny[] =
    "SELECT * FROM api_deny($1, $2, $3, $4, $5, $6)";

/*
 * A route that needs a login: the token must pass (else 401, audited).
 * A role the table does not allow is refused here (401 first if the
 * session is over, then 403), except on routes naming a resource: there
 * the database answers 404 before 403, as API.md orders the checks.
 */
static int
dispatch_authenticated(struct http_request *req, struct medex_req *mr)
{
	enum role	role;

	if (!auth_verify(req, mr))
		return (auth_refuse(req, mr));
	if (role_from_str(mr->claims.role, &role) != 0) {
		mr->auth_reason = "unknown role";
		return (auth_refuse(req, mr));
	}
	if (!role_in(mr->route->roles, role) && mr->cap.count == 0) {
		if (mr->is_page)
			mr->on_api_result = pages_refused;
		return (api_call(req, mr, sql_deny, 0, NULL));
	}
	return (route_handler(mr->route->id)(req, mr));
}

int
medex_dispatch(struct http_request *req)
{
	struct medex_req	*mr;
	const struct route_def	*r;
	size_t			 i;
	int			 allowed;

	if ((mr = http_state_get(req)) != NULL)
		return (mr->resume(req, mr));

	mr = http_state_create(req, sizeof(*mr), medex_req_free);
	mr->start = kore_time_ms();
	mr->resume = db_resume;
	sbuf_init(&mr->body, RESPONSE_MAX);
	medex_reqid(mr->reqid);
	auth_client_address(req, mr->address, sizeof(mr->address));
	mr->is_api = strncmp(req->path, "/api/", 5) == 0;

	allowed = 0;
	r = NULL;
	for (i = 0; i < route_table_count; i++) {
		if (!route_match(route_table[i].pattern, req->path, &mr->cap))
			continue;
		allowed |= route_table[i].method;
		if (route_table[i].method == req->method) {
			r = &route_table[i];
			break;
		}
	}
	if (r == NULL) {
		if (allowed != 0)
			return (route_bad_method(req, mr, allowed));
		return (route_not_found(req, mr));
	}
	/* Re-run the match to keep the captures of the chosen route. */
	(void)route_match(r->pattern, req->path, &mr->cap);
	mr->route = r;

	/*
	 * A page's form POST carries its CSRF token in the body: read the
	 * form before auth_verify() looks for it.
	 */
	mr->is_page = pages_route_is_page(r->id);
	if (mr->is_page && req->method == HTTP_METHOD_POST &&
	    !pages_read_form(req, mr))
		return (KORE_RESULT_OK);

	if (r->roles & ROUTE_PUBLIC)
		return (route_handler(r->id)(req, mr));
	return (dispatch_authenticated(req, mr));
}
