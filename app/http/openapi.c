/*
 * GET /api/v1/openapi.json: an OpenAPI 3.1 description of the API.
 *
 * The static parts (the JSON files of app/http/openapi/, embedded by
 * openapi_data.c) hold what only people can write: summaries, bodies,
 * statuses.  What the code knows is taken from the code, so that the two
 * cannot drift:
 * the paths, methods and roles from the route table (route_table.c),
 * every enumeration from the lists the validators use (case_body.c,
 * case_state.c, role.c), the export's columns from disclosure.c.  The
 * static parts name those with placeholders, filled in here:
 *
 *	"x-medex-enum": LIST		{"type":"string","enum":[...]}
 *	"x-medex-code-list": SCHEMA	[{"code": SCHEMA, "label"}]
 *	"x-medex-case": VIEW		the case's fields in that view
 *	"x-medex-properties-of": SCHEMA	that schema's properties
 *	"x-medex-export-row": true	month, office and the 21 columns
 *
 * Every API route must have its operation in operations.json and every
 * operation its route; otherwise the document is not served (500, and
 * the log says which), and test_openapi fails.  Public: it holds no
 * case data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medex.h"
#include "case_body.h"
#include "case_state.h"
#include "case_warning.h"
#include "disclosure.h"
#include "handlers.h"
#include "openapi.h"
#include "referral_doc.h"
#include "respond.h"

#define OA_SCHEMA	"#/components/schemas/"

/* The code lists the validators use, by the name the schemas give. */
static const struct {
	const char		*name;
	const char *const	*codes;
} oa_lists[] = {
	{ "sex", case_sex_codes },
	{ "ethnicity", case_ethnicity_codes },
	{ "place_of_death", case_place_codes },
	{ "urgent_release_reasons", case_urgent_reasons },
	{ "urgent_release_outcomes", case_urgent_outcomes },
	{ "contact_methods", case_contact_methods },
	{ "contact_outcomes", case_contact_outcomes },
	{ "exhausted_reasons", case_exhausted_reasons },
	{ "referral_categories", case_referral_categories },
	{ "coroner_decisions", case_coroner_decisions },
	{ "referral_send_methods", referral_send_methods },
	{ "governance_kinds", case_governance_kinds },
	{ "note_kinds", case_note_kinds },
	{ "circumstances", case_circumstances },
	{ "proposed_outcomes", case_proposed_outcomes },
	{ "discussion_outcomes", case_discussion_outcomes },
	{ "disposals", case_disposals },
	{ "implants", case_implants },
	{ "gp_notified", case_gp_notified },
	{ "warning_codes", case_warning_codes },
};

static json_t	*oa_doc;
static int	 oa_failed;

static int	 oa_fail(const char *, const char *);

int
openapi_route(const char *pattern)
{
	return (route_is_api(pattern));
}

static int
oa_fail(const char *what, const char *name)
{
	kore_log(LOG_ERR, "openapi: %s: %s", what, name);
	return (-1);
}

static json_t *
oa_ref(const char *schema)
{
	return (json_pack("{s:s+}", "$ref", OA_SCHEMA, schema));
}

/* The enumeration named by x-medex-enum, as an array of codes. */
static json_t *
oa_enum(const char *name, json_t *errors)
{
	json_t		*a, *e, *codes, *c;
	const char	*status;
	size_t		 i, k;
	int		 v;

	a = json_array();
	if (strcmp(name, "case_states") == 0) {
		for (v = 0; v < CASE_STATE_COUNT; v++)
			json_array_append_new(a, json_string(
			    case_state_str((enum case_state)v)));
		return (a);
	}
	if (strcmp(name, "roles") == 0) {
		for (v = 0; v < ROLE_COUNT; v++)
			json_array_append_new(a, json_string(
			    role_str((enum role)v)));
		return (a);
	}
	/* Every code of base.json's x-errors, once, by status. */
	if (strcmp(name, "error_codes") == 0) {
		json_object_foreach(errors, status, e) {
			codes = json_object_get(e, "codes");
			json_array_foreach(codes, k, c)
				json_array_append(a, c);
		}
		return (a);
	}
	for (i = 0; i < sizeof(oa_lists) / sizeof(oa_lists[0]); i++) {
		if (strcmp(name, oa_lists[i].name) != 0)
			continue;
		for (k = 0; oa_lists[i].codes[k] != NULL; k++)
			json_array_append_new(a,
			    json_string(oa_lists[i].codes[k]));
		return (a);
	}
	json_decref(a);
	return (NULL);
}

/* A case view's properties and required list from x-case-fields. */
static int
oa_case_view(json_t *schema, const char *view, json_t *fields)
{
	json_t		*props, *req, *f;
	const char	*name, *in;
	int		 want;

	props = json_object();
	req = json_array();
	json_object_foreach(fields, name, f) {
		in = json_string_value(json_object_get(f, "in"));
		if (in == NULL)
			goto bad;
		if (strcmp(view, "full") == 0)	/* not the list's own */
			want = strchr(in, 'c') != NULL ||
			    strchr(in, 'f') != NULL;
		else if (strcmp(view, "common") == 0)
			want = strchr(in, 'c') != NULL;
		else if (strcmp(view, "list") == 0)
			want = strchr(in, 'l') != NULL;
		else
			goto bad;
		if (!want)
			continue;
		json_object_set(props, name, json_object_get(f, "schema"));
		json_array_append_new(req, json_string(name));
	}
	json_object_set_new(schema, "properties", props);
	json_object_set_new(schema, "required", req);
	return (0);

bad:
	json_decref(props);
	json_decref(req);
	return (oa_fail("a case field or view that is not known", view));
}

/* A monthly export row: the columns of disclosure.c, in their order. */
static void
oa_export_row(json_t *schema)
{
	json_t		*props, *req;
	const char	*name;
	size_t		 i;
	int		 count;

	props = json_object();
	req = json_pack("[ss]", "month", "office");
	json_object_set_new(props, "month", json_pack("{ss ss}", "type",
	    "string", "pattern", "^[0-9]{4}-(0[1-9]|1[0-2])$"));
	json_object_set_new(props, "office", json_pack("{ss ss}", "type",
	    "string", "description", "An office code, or ALL."));
	for (i = 0; (name = dc_column_name(i, &count)) != NULL; i++) {
		json_object_set_new(props, name,
		    oa_ref(count ? "ExportValue" : "ExportRate"));
		json_array_append_new(req, json_string(name));
	}
	json_object_set_new(schema, "properties", props);
	json_object_set_new(schema, "required", req);
	json_object_del(schema, "x-medex-export-row");
}

/* The export's CSV columns, for the description of the CSV answer. */
static char *
oa_csv_columns(void)
{
	struct sbuf	 sb;
	const char	*name;
	size_t		 i;
	char		*s;

	sbuf_init(&sb, 4096);
	sbuf_appends(&sb, "RFC 4180, UTF-8, CRLF; a header row and these "
	    "columns in this order: month, office");
	for (i = 0; (name = dc_column_name(i, NULL)) != NULL; i++) {
		sbuf_appends(&sb, ", ");
		sbuf_appends(&sb, name);
	}
	sbuf_appends(&sb, ".  Counts are 0, a multiple of 5, or * for 1-7; "
	    "pct_ and median_ have one decimal, * when suppressed, and are "
	    "empty when nothing was completed.");
	s = strndup(sb.data, sb.len);
	sbuf_free(&sb);
	return (s);
}

/*
 * Fills the placeholders of one schema (and, through json_object
 * members and arrays, of everything inside it).
 */
static int
oa_expand(json_t *node, json_t *schemas, json_t *base)
{
	json_t		*x, *codes, *child, *items, *src;
	const char	*key;
	size_t		 i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, child) {
			if (oa_expand(child, schemas, base) != 0)
				return (-1);
		}
		return (0);
	}
	if (!json_is_object(node))
		return (0);
	if ((x = json_object_get(node, "x-medex-enum")) != NULL) {
		if ((codes = oa_enum(json_string_value(x),
		    json_object_get(base, "x-errors"))) == NULL)
			return (oa_fail("unknown enumeration",
			    json_string_value(x)));
		json_object_set_new(node, "type", json_string("string"));
		json_object_set_new(node, "enum", codes);
		json_object_del(node, "x-medex-enum");
	}
	if ((x = json_object_get(node, "x-medex-code-list")) != NULL) {
		items = json_pack("{ss s[ss] sb s{so s{ss}}}", "type", "object",
		    "required", "code", "label", "additionalProperties", 0,
		    "properties", "code", oa_ref(json_string_value(x)),
		    "label", "type", "string");
		json_object_set_new(node, "type", json_string("array"));
		json_object_set_new(node, "items", items);
		json_object_del(node, "x-medex-code-list");
		return (0);
	}
	if ((x = json_object_get(node, "x-medex-case")) != NULL) {
		if (oa_case_view(node, json_string_value(x),
		    json_object_get(base, "x-case-fields")) != 0)
			return (-1);
		json_object_del(node, "x-medex-case");
	}
	if ((x = json_object_get(node, "x-medex-properties-of")) != NULL) {
		src = json_object_get(schemas, json_string_value(x));
		if (src == NULL || json_object_get(src, "properties") == NULL)
			return (oa_fail("no properties in",
			    json_string_value(x)));
		json_object_set_new(node, "properties",
		    json_deep_copy(json_object_get(src, "properties")));
		json_object_del(node, "x-medex-properties-of");
	}
	if (json_object_get(node, "x-medex-export-row") != NULL)
		oa_export_row(node);
	json_object_foreach(node, key, child) {
		if (oa_expand(child, schemas, base) != 0)
			return (-1);
	}
	return (0);
}

/*
 * The response of an error status, from base.json's x-errors: the Error
 * schema with the codes of that status.  Added to components.responses
 * once, when an operation first names it.
 */
static json_t *
oa_error_response(json_t *components, json_t *errors, const char *key)
{
	json_t	*responses, *e, *r, *schema, *codes;
	char	 name[16], ref[64];

	snprintf(name, sizeof(name), "Error%s", key);
	snprintf(ref, sizeof(ref), "#/components/responses/%s", name);
	if ((responses = json_object_get(components, "responses")) == NULL) {
		responses = json_object();
		json_object_set_new(components, "responses", responses);
	}
	if (json_object_get(responses, name) != NULL)
		return (json_pack("{ss}", "$ref", ref));
	if ((e = json_object_get(errors, key)) == NULL) {
		oa_fail("no x-errors entry for status", key);
		return (NULL);
	}
	codes = json_object_get(e, "codes");
	if (json_array_size(codes) == 0)
		schema = oa_ref("Error");
	else
		schema = json_pack("{s[o{s{s{s{s{sO}}}}}]}", "allOf",
		    oa_ref("Error"), "properties", "error", "properties",
		    "code", "enum", codes);
	r = json_pack("{sO s{s{so}}}", "description",
	    json_object_get(e, "description"), "content",
	    "application/json", "schema", schema);
	if (strcmp(key, "429") == 0 || strcmp(key, "503") == 0)
		json_object_set_new(r, "headers", json_pack("{s{ss}}",
		    "Retry-After", "$ref", "#/components/headers/RetryAfter"));
	json_object_set_new(responses, name, r);
	return (json_pack("{ss}", "$ref", ref));
}

/* The operation of one route, from its entry in operations.json. */
static json_t *
oa_operation(const struct route_def *rd, json_t *spec, json_t *components,
    json_t *errors)
{
	json_t		*op, *roles, *params, *resp, *ok, *r, *x, *h, *hs;
	struct sbuf	 desc;
	const char	*status, *s;
	char		 ref[128], *csv;
	size_t		 i;
	int		 n, unsafe;

	op = json_object();
	json_object_set(op, "operationId", json_object_get(spec, "id"));
	json_object_set(op, "summary", json_object_get(spec, "summary"));
	json_object_set_new(op, "tags", json_pack("[O]",
	    json_object_get(spec, "tag")));

	/* Who may call it: the route table's roles, for clients and people. */
	sbuf_init(&desc, 8192);
	if ((s = json_string_value(json_object_get(spec, "description"))) !=
	    NULL) {
		sbuf_appends(&desc, s);
		sbuf_appends(&desc, "\n\n");
	}
	roles = json_array();
	unsafe = rd->method != RM_GET;
	if (rd->roles & ROUTE_PUBLIC) {
		sbuf_appends(&desc, "Public: no token needed.");
		json_object_set_new(op, "security", json_array());
	} else {
		sbuf_appends(&desc, "Roles:");
		for (n = 0; n < ROLE_COUNT; n++) {
			if (!role_in(rd->roles, (enum role)n))
				continue;
			sbuf_appendf(&desc, "%s %s", json_array_size(roles) ?
			    "," : "", role_str((enum role)n));
			json_array_append_new(roles,
			    json_string(role_str((enum role)n)));
		}
		sbuf_appends(&desc, ".");
		json_object_set_new(op, "security", unsafe ?
		    json_pack("[{s[]} {s[] s[]}]", "bearer", "cookie", "csrf") :
		    json_pack("[{s[]} {s[]}]", "bearer", "cookie"));
	}
	json_object_set_new(op, "description", json_stringn(desc.data,
	    desc.len));
	sbuf_free(&desc);
	json_object_set_new(op, "x-roles", roles);

	if ((x = json_object_get(spec, "params")) != NULL &&
	    json_array_size(x) > 0) {
		params = json_array();
		json_array_foreach(x, i, r) {
			snprintf(ref, sizeof(ref), "#/components/parameters/%s",
			    json_string_value(r));
			json_array_append_new(params, json_pack("{ss}", "$ref",
			    ref));
		}
		json_object_set_new(op, "parameters", params);
	}
	if ((s = json_string_value(json_object_get(spec, "body"))) != NULL)
		json_object_set_new(op, "requestBody", json_pack(
		    "{sb s{s{so}}}", "required", 1, "content",
		    "application/json", "schema", oa_ref(s)));

	resp = json_object();
	json_object_set_new(op, "responses", resp);
	json_object_foreach(json_object_get(spec, "ok"), status, ok) {
		r = json_pack("{sO}", "description",
		    json_object_get(ok, "description"));
		if ((s = json_string_value(json_object_get(ok, "schema"))) !=
		    NULL)
			json_object_set_new(r, "content", json_pack(
			    "{s{so}}", "application/json", "schema",
			    oa_ref(s)));
		if (json_is_true(json_object_get(ok, "csv"))) {
			csv = oa_csv_columns();
			json_object_set_new(json_object_get(r, "content"),
			    "text/csv", json_pack("{s{ss ss}}", "schema",
			    "type", "string", "description", csv));
			free(csv);
		}
		if ((x = json_object_get(ok, "headers")) != NULL) {
			hs = json_object();
			json_array_foreach(x, i, h) {
				s = json_string_value(h);
				snprintf(ref, sizeof(ref),
				    "#/components/headers/%s", s);
				json_object_set_new(hs, strcmp(s,
				    "ContentDisposition") == 0 ?
				    "Content-Disposition" : s,
				    json_pack("{ss}", "$ref", ref));
			}
			json_object_set_new(r, "headers", hs);
		}
		json_object_set_new(resp, status, r);
	}
	/*
	 * The errors the route answers, and for a route that has no 4XX of
	 * its own (health, keys) the promise that any error has the Error
	 * body all the same.
	 */
	n = 0;
	json_array_foreach(json_object_get(spec, "errors"), i, x) {
		snprintf(ref, sizeof(ref), "%lld",
		    (long long)json_integer_value(x));
		if (ref[0] == '4')
			n++;
		if ((r = oa_error_response(components, errors, ref)) == NULL) {
			json_decref(op);
			return (NULL);
		}
		json_object_set_new(resp, ref, r);
	}
	if (n == 0)
		json_object_set_new(resp, "4XX", oa_error_response(components,
		    errors, "4XX"));
	return (op);
}

static json_t *
oa_load(const char *text, const char *name)
{
	json_error_t	 err;
	json_t		*j;

	if ((j = json_loads(text, 0, &err)) == NULL)
		kore_log(LOG_ERR, "openapi: %s line %d: %s", name, err.line,
		    err.text);
	return (j);
}

static json_t *
oa_build(void)
{
	const struct route_def	*rd;
	json_t			*doc, *schemas, *ops, *components, *paths;
	json_t			*item, *op, *spec, *errors;
	char			 key[300], method[8];
	size_t			 i, k, used;

	doc = oa_load(openapi_base_json, "base.json");
	schemas = oa_load(openapi_schemas_json, "schemas.json");
	ops = oa_load(openapi_operations_json, "operations.json");
	paths = json_object();
	if (doc == NULL || schemas == NULL || ops == NULL)
		goto fail;
	components = json_object_get(doc, "components");
	errors = json_object_get(doc, "x-errors");
	json_object_set(components, "schemas", schemas);
	if (oa_expand(schemas, schemas, doc) != 0)
		goto fail;

	used = 0;
	for (i = 0; i < route_table_count; i++) {
		rd = &route_table[i];
		if (!openapi_route(rd->pattern))
			continue;
		snprintf(method, sizeof(method), "%s",
		    route_method_str(rd->method));
		for (k = 0; method[k] != '\0'; k++)
			method[k] = (char)(method[k] - 'A' + 'a');
		snprintf(key, sizeof(key), "%s %s", method, rd->pattern);
		if ((spec = json_object_get(ops, key)) == NULL) {
			oa_fail("no operation in operations.json for", key);
			goto fail;
		}
		used++;
		if ((item = json_object_get(paths, rd->pattern)) == NULL) {
			item = json_object();
			json_object_set_new(paths, rd->pattern, item);
		}
		if ((op = oa_operation(rd, spec, components, errors)) == NULL)
			goto fail;
		json_object_set_new(item, method, op);
	}
	if (used != json_object_size(ops)) {
		oa_fail("operations.json describes a route that is not served",
		    "see route_table.c");
		goto fail;
	}
	json_object_set(doc, "paths", paths);
	json_object_del(doc, "x-case-fields");
	json_object_del(doc, "x-errors");
	json_decref(paths);
	json_decref(schemas);
	json_decref(ops);
	return (doc);

fail:
	json_decref(paths);
	json_decref(schemas);
	json_decref(ops);
	json_decref(doc);
	return (NULL);
}

const json_t *
openapi_document(void)
{
	if (oa_doc == NULL && !oa_failed && (oa_doc = oa_build()) == NULL)
		oa_failed = 1;
	return (oa_doc);
}

int
api_openapi(struct http_request *req, struct medex_req *mr)
{
	const json_t	*doc;
	char		*body;
	int		 ret;

	body = NULL;
	if ((doc = openapi_document()) == NULL ||
	    (body = json_dumps(doc, JSON_COMPACT)) == NULL)
		return (api_error(req, mr, 500, "internal_error",
		    "The description could not be built; it has been "
		    "logged."));
	ret = medex_respond(req, mr, 200, "application/json; charset=utf-8",
	    body, strlen(body));
	free(body);
	return (ret);
}
