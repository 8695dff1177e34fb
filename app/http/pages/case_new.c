/*
 * GET /cases/new   the form of a new case
 * POST /cases/new  the case created (api_case_create), after the same
 *                  checks as the API's (case_body_check); the form is
 *                  written by case_form.c
 */
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api_cases.h"
#include "case_body.h"
#include "case_fields.h"
#include "case_warning.h"
#include "case_form.h"
#include "form_parse.h"
#include "handlers.h"
#include "page_call.h"
#include "respond.h"
#include "validate.h"

/* GET /cases/new */
int
pages_case_new(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;

	pc = pc_new(mr);
	pc->render = case_form_render;
	pc_add_me(pc);
	return (pc_run(req, mr));
}

/* POST /cases/new */
int
pages_case_create(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;
	struct ferrs	 fe;
	json_t		*j, *out;
	char		*data, hash[65];
	const char	*p[3], *key;
	size_t		 i;
	int		 ret;

	pc = pc_new(mr);
	if (!pf_key(mr, &key))
		return (pages_error(req, mr, 400, KEY_BAD_MSG));
	j = json_object();
	pf_to_json(mr, fields_create, j);
	pf_to_json(mr, fields_create_more, j);
	ferr_init(&fe);
	out = json_object();
	case_body_check(CASE_BODY_CREATE, j, time(NULL), &fe, out);
	case_warning_nhs_check(out, medex.allow_test_nhs_numbers, &fe);
	if (fe.n > 0) {
		pc->errors = json_object();
		for (i = 0; i < fe.n; i++)
			json_object_set_new(pc->errors, fe.pairs[i][0],
			    json_string(fe.pairs[i][1]));
		pc->status = 422;
		json_decref(out);
		json_decref(j);
		return (case_form_again(req, mr));
	}
	data = json_dumps(out, JSON_COMPACT);
	case_form_hash(req, j, 0, hash);
	p[0] = key;
	p[1] = key != NULL ? hash : NULL;
	p[2] = data;
	{
		struct case_call	cc;

		memset(&cc, 0, sizeof(cc));
		cc.sql = sql_case_create;
		cc.n = 3;
		cc.params[0] = p[0];
		cc.params[1] = p[1];
		cc.params[2] = p[2];
		ret = case_form_write(req, mr, &cc);
	}
	free(data);
	json_decref(out);
	json_decref(j);
	return (ret);
}
