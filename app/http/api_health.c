/*
 * /healthz: the process serves.  /readyz: the database answers, every
 * migration that this server was started with is applied, and the
 * database runs the code of this server's sql/ (schema_code holds the
 * SHA-256 of each file as medexctl migrate applied it).
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
    "$1::integer, "
    "(SELECT coalesce(string_agg(filename || ' ' || sha256 || E'\\n', '' "
    "ORDER BY filename COLLATE \"C\"), '') FROM schema_code) = $2";

static void
readyz_result(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	const char	*fields[2][2];
	size_t		 n;
	int		 migrations_ok, sql_ok;

	(void)req;
	migrations_ok = sql_ok = 0;
	if (kore_pgsql_ntuples(sql) == 1) {
		migrations_ok = kore_pgsql_getvalue(sql, 0, 0)[0] == 't';
		sql_ok = kore_pgsql_getvalue(sql, 0, 1)[0] == 't';
	}
	if (migrations_ok && sql_ok) {
		mr->status = 200;
		mr->content_type = "application/json; charset=utf-8";
		sbuf_append(&mr->body, "{\"status\":\"ready\"}", 18);
		return;
	}
	n = 0;
	if (!migrations_ok) {
		fields[n][0] = "migrations";
		fields[n++][1] = "pending";
	}
	if (!sql_ok) {
		fields[n][0] = "sql";
		fields[n++][1] = "pending";
	}
	mr->status = 503;
	mr->content_type = "application/json; charset=utf-8";
	json_error_body(&mr->body, "unavailable",
	    "A database migration is pending.", fields, n);
	medex_retry_after(req, mr);
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
	const char	*params[2];

	snprintf(n, sizeof(n), "%d", medex.migrations_expected);
	params[0] = n;
	params[1] = medex.sql_expected;
	/* Whatever goes wrong here means "not ready", never a 500. */
	mr->db_unavailable_only = 1;
	return (db_call(req, mr, readyz_sql, 2, params, readyz_result));
}
