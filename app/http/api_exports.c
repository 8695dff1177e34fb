/*
 * GET /api/v1/exports/monthly?month=YYYY-MM&format=csv|json[&office=CODE]
 *
 * The database answers the raw figures (export_raw, after the role and
 * office checks of api_export_monthly); app/core/export.c applies
 * disclosure control and writes the bytes, exactly as medexctl export
 * does.  Raw figures never leave this process.
 *
 * With a read replica (db_read in medex.ini, MEDEX_DB_READ_URL) the
 * request takes two calls: api_export_grant on the primary checks the
 * role and office and logs the export, then export_replica on the
 * replica reads the figures, or says it is more than db_read_max_lag
 * seconds behind, which is 503: stale figures are never published.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medex.h"
#include "api.h"
#include "handlers.h"
#include "db_async.h"
#include "json_reader.h"
#include "respond.h"
#include "export.h"
#include "json_writer.h"
#include "query.h"
#include "validate.h"

static const char sql_export[] =
    "SELECT * FROM api_export_monthly($1, $2, $3, $4, $5, $6, $7, $8)";
static const char sql_grant[] =
    "SELECT * FROM api_export_grant($1, $2, $3, $4, $5, $6, $7, $8)";
static const char sql_replica[] =
    "SELECT export_replica($1, $2, $3, $4, $5, $6::bigint[], $7::integer)";

struct export_req {
	char	month[8];
	char	office[20];
	int	format;
	int	all;
};

static void
export_publish(struct http_request *req, struct medex_req *mr)
{
	struct export_req	*x = mr->step_data;
	struct sbuf		 out;
	char			 err[128], name[64], disp[128];

	if (mr->status != 200)
		return;
	sbuf_init(&out, RESPONSE_MAX);
	if (export_render(mr->body.data, mr->body.len, x->month, x->all,
	    x->format, &out, err, sizeof(err)) != 0) {
		kore_log(LOG_ERR, "req=%s export: %s", mr->reqid, err);
		sbuf_free(&out);
		sbuf_reset(&mr->body);
		mr->status = 500;
		mr->content_type = "application/json; charset=utf-8";
		json_error_body(&mr->body, "internal_error",
		    "The export could not be made; it has been logged.",
		    NULL, 0);
		return;
	}
	sbuf_free(&mr->body);
	mr->body = out;
	export_filename(x->month, x->office[0] ? x->office : NULL, x->format,
	    name, sizeof(name));
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	http_response_header(req, "content-disposition", disp);
	mr->content_type = x->format == EXPORT_CSV ?
	    "text/csv; charset=utf-8" : "application/json; charset=utf-8";
}

static void
export_behind(struct http_request *req, struct medex_req *mr)
{
	sbuf_reset(&mr->body);
	mr->status = 503;
	mr->content_type = "application/json; charset=utf-8";
	json_error_body(&mr->body, "unavailable",
	    "The reporting copy of the database is behind the live one; "
	    "try again shortly.", NULL, 0);
	medex_retry_after(req, mr);
}

/* export_replica's {"lag", "raw"}: the figures, or 503 when behind. */
static void
export_replica_result(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	json_t		*j, *raw;
	const char	*v;
	char		*text;

	j = NULL;
	if (kore_pgsql_ntuples(sql) == 1 &&
	    (v = kore_pgsql_getvalue(sql, 0, 0)) != NULL)
		j = json_loads(v, 0, NULL);
	if (json_is_true(json_object_get(j, "refused"))) {
		/*
		 * The primary granted what the standby refuses: a session
		 * it has not replayed yet (a sign-in moments ago), or other
		 * offices.  Nothing is published; a retry may find it.
		 */
		kore_log(LOG_WARNING, "req=%s export: the read replica has "
		    "no such session for these offices", mr->reqid);
		json_decref(j);
		export_behind(req, mr);
		return;
	}
	raw = json_object_get(j, "raw");
	if (!json_is_object(raw) ||
	    (text = json_dumps(raw, JSON_COMPACT)) == NULL) {
		kore_log(LOG_WARNING, "req=%s export: the read replica is "
		    "behind (lag %s s)", mr->reqid, j == NULL ? "?" :
		    json_is_number(json_object_get(j, "lag")) ? "over max" :
		    "unknown");
		json_decref(j);
		export_behind(req, mr);
		return;
	}
	sbuf_reset(&mr->body);
	sbuf_appends(&mr->body, text);
	free(text);
	json_decref(j);
	mr->status = 200;
	export_publish(req, mr);
}

/* The grant's {"offices": [ids]} as an array literal, "{1,2,3}". */
static int
export_ids(struct medex_req *mr, char *out, size_t len)
{
	json_t	*j, *id;
	size_t	 i, n;
	int	 w;

	if ((j = jr_load(mr->body.data, mr->body.len)) == NULL)
		return (-1);
	n = kore_strlcpy(out, "{", len);
	json_array_foreach(json_object_get(j, "offices"), i, id) {
		w = snprintf(out + n, len - n, "%s%lld", i ? "," : "",
		    (long long)json_integer_value(id));
		if (w < 0 || (size_t)w >= len - n) {
			json_decref(j);
			return (-1);
		}
		n += w;
	}
	json_decref(j);
	if (n + 2 > len)
		return (-1);
	out[n++] = '}';
	out[n] = '\0';
	return (0);
}

/* After the grant on the primary: the figures from the replica. */
static int
export_from_replica(struct http_request *req, struct medex_req *mr)
{
	struct export_req	*x = mr->step_data;
	const char		*params[7];
	char			 ids[8192], lag[24];

	if (mr->status != 200)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	if (export_ids(mr, ids, sizeof(ids)) != 0)
		return (api_error(req, mr, 500, "internal_error",
		    "Something went wrong on our side; it has been logged."));
	snprintf(lag, sizeof(lag), "%lld", medex.read_max_lag);
	params[0] = mr->claims.jti;
	params[1] = mr->claims.sub;
	params[2] = mr->claims.role;
	params[3] = mr->claims.office;
	params[4] = x->month;
	params[5] = ids;
	params[6] = lag;
	mr->status = 0;
	return (db_call_on(req, mr, MEDEX_DB_READ, sql_replica, 7, params,
	    export_replica_result));
}

int
api_exports_monthly(struct http_request *req, struct medex_req *mr)
{
	struct export_req	*x;
	char			 fmt[8];
	const char		*params[2];
	int			 q;

	x = kore_calloc(1, sizeof(*x));
	mr->step_data = x;
	mr->step_free = kore_free;
	if (query_get(req->query_string, "month", x->month,
	    sizeof(x->month)) != QUERY_FOUND || !export_month_valid(x->month))
		return (api_error(req, mr, 400, "bad_request",
		    "Give month=YYYY-MM."));
	x->format = EXPORT_CSV;
	if ((q = query_get(req->query_string, "format", fmt, sizeof(fmt))) ==
	    QUERY_BAD)
		return (api_error(req, mr, 400, "bad_request",
		    "format is csv or json."));
	if (q == QUERY_FOUND) {
		if (strcmp(fmt, "json") == 0)
			x->format = EXPORT_JSON;
		else if (strcmp(fmt, "csv") != 0)
			return (api_error(req, mr, 400, "bad_request",
			    "format is csv or json."));
	}
	if ((q = query_get(req->query_string, "office", x->office,
	    sizeof(x->office))) == QUERY_BAD ||
	    (q == QUERY_FOUND && !validate_office_code(x->office)))
		return (api_error(req, mr, 400, "bad_request",
		    "office is an office code."));
	/* Only a national export of every office carries the ALL row. */
	x->all = x->office[0] == '\0' &&
	    strcmp(mr->claims.role, "national_analyst") == 0;
	if (x->office[0] == '\0' && !x->all)
		kore_strlcpy(x->office, mr->claims.office, sizeof(x->office));
	params[0] = x->month;
	params[1] = q == QUERY_FOUND ? x->office : NULL;
	if (medex.has_read_db) {
		mr->on_complete = export_from_replica;
		return (api_call(req, mr, sql_grant, 2, params));
	}
	mr->on_api_result = export_publish;
	return (api_call(req, mr, sql_export, 2, params));
}
