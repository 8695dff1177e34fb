/*
 * Clinical-safety warnings of a case (API.md "Warnings"): the
 * acknowledgement of an open warning.  The warnings themselves are
 * raised by the database after the writes whose fields they read
 * (sql/warnings.sql) and answered in every case's `warnings`.
 */
#include <stdlib.h>
#include <string.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "api_warnings.h"
#include "case_warning.h"
#include "handlers.h"

static const char sql_case_warning_ack[] =
    "SELECT * FROM api_case_warning_ack($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::jsonb, $10, $11, $12)";

/*
 * The one call of an acknowledgement, for the API and the case page:
 * the body checked in C, what is wrong passed down so that the database
 * answers 404 and 403 first.
 */
void
case_warning_ack_prepare(struct case_call *cc, const char *id,
    const char *role_ok, json_t *j, const char *key, const char *hash)
{
	struct ferrs	 fe;
	json_t		*o;
	const char	*code;
	size_t		 i;

	memset(cc, 0, sizeof(*cc));
	ferr_init(&fe);
	code = case_warning_ack_body(j, &fe);
	if (fe.n > 0) {
		o = json_object();
		for (i = 0; i < fe.n; i++)
			json_object_set_new(o, fe.pairs[i][0],
			    json_string(fe.pairs[i][1]));
		cc->heap[0] = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	cc->heap[1] = code != NULL ? strdup(code) : NULL;
	cc->sql = sql_case_warning_ack;
	cc->n = 6;
	cc->params[0] = id;
	cc->params[1] = role_ok;
	cc->params[2] = cc->heap[0];
	cc->params[3] = cc->heap[1];
	cc->params[4] = key;
	cc->params[5] = hash;
}

int
api_cases_warning_ack(struct http_request *req, struct medex_req *mr)
{
	struct case_call	 cc;
	json_t			*j;
	const char		*key;
	char			 hash[65];
	int			 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	if (!api_idem(req, mr, j, &key, hash, &ret)) {
		json_decref(j);
		return (ret);
	}
	case_warning_ack_prepare(&cc, mr->cap.value[0], api_role_ok(mr), j,
	    key, key != NULL ? hash : NULL);
	ret = api_call(req, mr, cc.sql, cc.n, cc.params);
	case_call_free(&cc);
	json_decref(j);
	return (ret);
}

static const char sql_office_abbreviations[] =
    "SELECT * FROM api_office_abbreviations($1, $2, $3, $4, $5, $6, $7, "
    "$8::jsonb, $9::jsonb)";

/* GET /api/v1/offices/{code}/abbreviations */
int
api_offices_abbreviations_get(struct http_request *req, struct medex_req *mr)
{
	const char	*params[3];

	params[0] = mr->cap.value[0];
	params[1] = NULL;
	params[2] = NULL;
	return (api_call(req, mr, sql_office_abbreviations, 3, params));
}

/*
 * PUT /api/v1/offices/{code}/abbreviations {"abbreviations": [...]}:
 * the whole list, checked in C; what is wrong is answered by the
 * database after 404 and 403.
 */
int
api_offices_abbreviations_put(struct http_request *req, struct medex_req *mr)
{
	struct ferrs	 fe;
	json_t		*j, *list, *o;
	const char	*params[3];
	char		*fields, *data;
	size_t		 i;
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	list = json_array();
	case_warning_abbrev_body(j, list, &fe);
	fields = data = NULL;
	if (fe.n > 0) {
		o = json_object();
		for (i = 0; i < fe.n; i++)
			json_object_set_new(o, fe.pairs[i][0],
			    json_string(fe.pairs[i][1]));
		fields = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	} else
		data = json_dumps(list, JSON_COMPACT);
	params[0] = mr->cap.value[0];
	params[1] = data;
	params[2] = fields;
	ret = api_call(req, mr, sql_office_abbreviations, 3, params);
	free(fields);
	free(data);
	json_decref(list);
	json_decref(j);
	return (ret);
}
