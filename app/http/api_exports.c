/*
 * GET /api/v1/exports/monthly?month=YYYY-MM&format=csv|json[&office=CODE]
 *
 * The database answers the raw figures (export_raw, after the role and
 * office checks of api_export_monthly); app/core/export.c applies
 * disclosure control and writes the bytes, exactly as medexctl export
 * does.  Raw figures never leave this process.
 */
#include <stdio.h>
#include <string.h>

#include "medex.h"
#include "api.h"
#include "handlers.h"
#include "respond.h"
#include "export.h"
#include "json_writer.h"
#include "query.h"
#include "validate.h"

static const char sql_export[] =
    "SELECT * FROM api_export_monthly($1, $2, $3, $4, $5, $6, $7, $8)";

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
	mr->on_api_result = export_publish;
	return (api_call(req, mr, sql_export, 2, params));
}
