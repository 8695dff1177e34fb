/*
 * GET /api/v1/openapi.json: an OpenAPI 3.1 description of the API,
 * generated from the route table the server enforces (route_table.c),
 * so that it lists exactly the routes served, with the roles of each.
 * Pages and assets (outside /api/ and the health routes) are left out:
 * they are not the API.  Public: a description holds no case data.
 */
#include <stdlib.h>
#include <string.h>

#include "medex.h"
#include "handlers.h"
#include "respond.h"

/* The API routes: /api/, health and keys; not pages or assets. */
static int
openapi_route(const struct route_def *rd)
{
	return (strncmp(rd->pattern, "/api/", 5) == 0 ||
	    strcmp(rd->pattern, "/healthz") == 0 ||
	    strcmp(rd->pattern, "/readyz") == 0 ||
	    strcmp(rd->pattern, "/.well-known/jwks.json") == 0);
}

static json_t *
openapi_operation(const struct route_def *rd)
{
	json_t		*op, *roles, *params, *resp;
	const char	*p, *end;
	char		 name[64], id[256];
	size_t		 i, o;
	int		 r;

	op = json_object();
	/* operationId: method and path, e.g. post_api_v1_cases_id. */
	o = (size_t)snprintf(id, sizeof(id), "%s", route_method_str(rd->method));
	for (i = 0; id[i] != '\0'; i++)
		id[i] = (char)(id[i] >= 'A' && id[i] <= 'Z' ? id[i] - 'A' + 'a' :
		    id[i]);
	for (p = rd->pattern; *p != '\0' && o + 2 < sizeof(id); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			id[o++] = *p;
		else if (*p == '/' || *p == '-' || *p == '.')
			id[o++] = '_';
	}
	id[o] = '\0';
	json_object_set_new(op, "operationId", json_string(id));
	json_object_set_new(op, "summary", json_pack("s+s+s",
	    route_method_str(rd->method), " ", rd->pattern));

	roles = json_array();
	if (rd->roles & ROUTE_PUBLIC) {
		json_object_set_new(op, "security", json_array());
	} else {
		for (r = 0; r < ROLE_COUNT; r++) {
			if (role_in(rd->roles, (enum role)r))
				json_array_append_new(roles,
				    json_string(role_str((enum role)r)));
		}
		json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]",
		    "bearer", "cookie"));
	}
	json_object_set_new(op, "x-roles", roles);

	params = json_array();
	for (p = rd->pattern; (p = strchr(p, '{')) != NULL; p = end) {
		if ((end = strchr(p, '}')) == NULL)
			break;
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
		json_array_append_new(params, json_pack("{ss ss sb s{ss}}",
		    "name", name, "in", "path", "required", 1, "schema",
		    "type", "string"));
	}
	if (rd->method == RM_PUT || rd->method == RM_PATCH ||
	    (rd->method == RM_POST && strstr(rd->pattern, "/transitions") !=
	    NULL))
		json_array_append_new(params, json_pack("{ss ss sb s{ss}}",
		    "name", "If-Match", "in", "header", "required", 1,
		    "schema", "type", "string"));
	if (json_array_size(params) > 0)
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);

	if (rd->method == RM_POST || rd->method == RM_PUT ||
	    rd->method == RM_PATCH)
		json_object_set_new(op, "requestBody", json_pack(
		    "{sb s{s{s{ss}}}}", "required", 1, "content",
		    "application/json", "schema", "type", "object"));

	resp = json_pack("{s{ss s{s{s{ss}}}} s{ss s{s{s{ss}}}}}",
	    "2XX", "description", "Success", "content", "application/json",
	    "schema", "type", "object",
	    "default", "description", "An error in API.md's shape",
	    "content", "application/json", "schema", "$ref",
	    "#/components/schemas/Error");
	json_object_set_new(op, "responses", resp);
	return (op);
}

int
api_openapi(struct http_request *req, struct medex_req *mr)
{
	const struct route_def	*rd;
	json_t			*doc, *paths, *item, *err;
	char			*body, method[8];
	size_t			 i, k;
	int			 ret;

	paths = json_object();
	for (i = 0; i < route_table_count; i++) {
		rd = &route_table[i];
		if (!openapi_route(rd))
			continue;
		if ((item = json_object_get(paths, rd->pattern)) == NULL) {
			item = json_object();
			json_object_set_new(paths, rd->pattern, item);
		}
		snprintf(method, sizeof(method), "%s",
		    route_method_str(rd->method));
		for (k = 0; method[k] != '\0'; k++)
			method[k] = (char)(method[k] - 'A' + 'a');
		json_object_set_new(item, method, openapi_operation(rd));
	}
	err = json_pack("{ss s{s{ss s{s{ss} s{ss} s{ss}} s[ss]}} s[s]}",
	    "type", "object", "properties", "error", "type", "object",
	    "properties", "code", "type", "string", "message", "type",
	    "string", "fields", "type", "object", "required", "code",
	    "message", "required", "error");
	doc = json_pack("{ss s{ss ss ss} so s{s{so} s{s{ss ss ss} s{ss ss ss}}}}",
	    "openapi", "3.1.0",
	    "info", "title", "medex", "version", "1",
	    "description", "Case management for the medical examiner system "
	    "of England and Wales; the contract is API.md.",
	    "paths", paths,
	    "components", "schemas", "Error", err,
	    "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
	    "bearerFormat", "JWT", "cookie", "type", "apiKey", "in", "cookie",
	    "name", "medex_session");
	body = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	if (body == NULL)
		return (api_error(req, mr, 500, "internal_error",
		    "The description could not be built."));
	ret = medex_respond(req, mr, 200, "application/json; charset=utf-8",
	    body, strlen(body));
	free(body);
	return (ret);
}
