/*
 * /healthz: the process serves.  /readyz: the database answers and every
 * migration that this server was started with is applied.
 */
#include <stdio.h>

#include "medex.h"
#include "db_async.h"
#include "handlers.h"
#include "respond.h"
#include "json_writer.h"

static const char readyz_sql[] =
    "SELECT (SELECT count(*) FROM schema_migrations) = $1::bigint "
    "AND (SELECT coalesce(max(version), 0) FROM schema_migrations) = "
    "$1::integer";

static void
readyz_result(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	const char	*fields[1][2] = {{ "migrations", "pending" }};

	(void)req;
	if (kore_pgsql_ntuples(sql) == 1 &&
	    kore_pgsql_getvalue(sql, 0, 0)[0] == 't') {
		mr->status = 200;
		mr->content_type = "application/json; charset=utf-8";
		sbuf_append(&mr->body, "{\"status\":\"ready\"}", 18);
		return;
	}
	mr->status = 503;
	mr->content_type = "application/json; charset=utf-8";
	json_error_body(&mr->body, "unavailable",
	    "A database migration is pending.", fields, 1);
	http_response_header(req, "retry-after", RETRY_AFTER_SECONDS);
}

int
api_healthz(struct http_request *req, struct medex_req *mr)
{
	static const char	body[] = "{\"status\":\"ok\"}";

	return (medex_respond(req, mr, 200, "application/json; charset=utf-8",
	    body, sizeof(body) - 1));
}

int
api_readyz(struct http_request *req, struct medex_req *mr)
{
	char		 n[16];
	const char	*params[1];

	snprintf(n, sizeof(n), "%d", medex.migrations_expected);
	params[0] = n;
	/* Whatever goes wrong here means "not ready", never a 500. */
	mr->db_unavailable_only = 1;
	return (db_call(req, mr, readyz_sql, 1, params, readyz_result));
}
