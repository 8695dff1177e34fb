/*
 * /healthz: the process serves.  /readyz: the database answers, every
 * migration that this server was started with is applied, and the
 * database runs the code of this server's sql/ (schema_code holds the
 * SHA-256 of each file as medexctl migrate applied it).  With a read
 * replica configured, a ready answer also says how far behind it is and
 * whether the exports may use it; the replica never makes medex unready.
 */
#include <stdio.h>
#include <stdlib.h>

#include "medex.h"
#include "db_async.h"
#include "handlers.h"
#include "respond.h"
#include "json_writer.h"

/* app_ready() in sql/boundary.sql: medex_app may read no table. */
static const char readyz_sql[] =
    "SELECT * FROM app_ready($1::bigint, $2)";

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

static void
readyz_replica_body(struct medex_req *mr, const char *lag, int usable)
{
	char	buf[256];

	snprintf(buf, sizeof(buf), "{\"status\":\"ready\",\"replica\":{"
	    "\"reachable\":%s,\"lag_seconds\":%s,\"max_lag_seconds\":%lld,"
	    "\"usable\":%s}}", lag != NULL ? "true" : "false",
	    lag != NULL && *lag != '\0' ? lag : "null", medex.read_max_lag,
	    usable ? "true" : "false");
	sbuf_reset(&mr->body);
	sbuf_appends(&mr->body, buf);
}

static void
readyz_replica_result(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	const char	*v;
	char		 lag[32];
	double		 d;

	(void)req;
	v = kore_pgsql_ntuples(sql) == 1 ? kore_pgsql_getvalue(sql, 0, 0) :
	    "";
	d = *v != '\0' ? strtod(v, NULL) : -1;
	if (*v != '\0')
		snprintf(lag, sizeof(lag), "%.1f", d);
	else
		lag[0] = '\0';
	readyz_replica_body(mr, lag, *v != '\0' && d <= medex.read_max_lag);
}

static int
readyz_replica_down(struct http_request *req, struct medex_req *mr)
{
	readyz_replica_body(mr, NULL, 0);
	return (medex_respond(req, mr, 200, "application/json; charset=utf-8",
	    mr->body.data, mr->body.len));
}

/* Ready on the primary: then the replica's lag, if there is one. */
static int
readyz_replica(struct http_request *req, struct medex_req *mr)
{
	if (mr->status != 200)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	mr->on_fail = readyz_replica_down;
	return (db_call_on(req, mr, MEDEX_DB_READ, "SELECT replica_lag()", 0,
	    NULL, readyz_replica_result));
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
	if (medex.has_read_db)
		mr->on_complete = readyz_replica;
	return (db_call(req, mr, readyz_sql, 2, params, readyz_result));
}
