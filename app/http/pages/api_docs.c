/*
 * GET /api/docs: the OpenAPI document (openapi.c) as a page for
 * people, in the pages' frame (app/core/page.c) and through the HTML
 * writer: each operation with its roles, parameters, body and answers,
 * then each schema with its fields.  Server-rendered from the same
 * json_t the API serves, so the two say the same; no script, no CDN.
 * Public, like the document.
 */
#include <stdio.h>
#include <string.h>

#include "medex.h"
#include "html_writer.h"
#include "openapi.h"
#include "page.h"
#include "handlers.h"
#include "respond.h"

#define DOCS_TYPE_MAX	512

static void	docs_type(const json_t *, char *, size_t);

/* The last part of a $ref: "#/components/schemas/Case" is "Case". */
static const char *
docs_ref_name(const json_t *schema)
{
	const char	*ref, *slash;

	if ((ref = json_string_value(json_object_get(schema, "$ref"))) ==
	    NULL)
		return (NULL);
	slash = strrchr(ref, '/');
	return (slash != NULL ? slash + 1 : ref);
}

static void
docs_append(char *buf, size_t len, const char *s)
{
	size_t	n;

	n = strlen(buf);
	if (n < len)
		snprintf(buf + n, len - n, "%s", s);
}

/* A schema in a few words: "Case", "array of Note", "one of: a, b". */
static void
docs_type(const json_t *s, char *buf, size_t len)
{
	const json_t	*x, *v;
	const char	*name, *sep;
	char		 sub[DOCS_TYPE_MAX];
	size_t		 i;

	buf[0] = '\0';
	if ((name = docs_ref_name(s)) != NULL) {
		docs_append(buf, len, name);
		return;
	}
	if ((x = json_object_get(s, "enum")) != NULL) {
		docs_append(buf, len, "one of: ");
		json_array_foreach(x, i, v) {
			docs_append(buf, len, i > 0 ? ", " : "");
			docs_append(buf, len, json_is_string(v) ?
			    json_string_value(v) : "null");
		}
		return;
	}
	if ((x = json_object_get(s, "const")) != NULL) {
		docs_append(buf, len, "\"");
		docs_append(buf, len, json_string_value(x));
		docs_append(buf, len, "\"");
		return;
	}
	if ((x = json_object_get(s, "oneOf")) != NULL ||
	    (x = json_object_get(s, "allOf")) != NULL) {
		sep = json_object_get(s, "oneOf") != NULL ? " or " : " and ";
		json_array_foreach(x, i, v) {
			docs_type(v, sub, sizeof(sub));
			docs_append(buf, len, i > 0 ? sep : "");
			docs_append(buf, len, sub);
		}
		return;
	}
	x = json_object_get(s, "type");
	if (json_is_array(x)) {
		json_array_foreach(x, i, v) {
			docs_append(buf, len, i > 0 ? " or " : "");
			docs_append(buf, len, json_string_value(v));
		}
	} else if (json_is_string(x)) {
		docs_append(buf, len, json_string_value(x));
	} else
		docs_append(buf, len, "any");
	if ((x = json_object_get(s, "items")) != NULL) {
		docs_type(x, sub, sizeof(sub));
		docs_append(buf, len, " of ");
		docs_append(buf, len, sub);
	}
	if ((x = json_object_get(s, "format")) != NULL) {
		docs_append(buf, len, " (");
		docs_append(buf, len, json_string_value(x));
		docs_append(buf, len, ")");
	}
	if ((x = json_object_get(s, "pattern")) != NULL) {
		docs_append(buf, len, ", pattern ");
		docs_append(buf, len, json_string_value(x));
	}
}

/* A paragraph of a string member, if there is one. */
static void
docs_p(struct sbuf *sb, const json_t *s)
{
	if (json_is_string(s))
		page_p(sb, json_string_value(s));
}

/* A components.parameters entry from its $ref. */
static const json_t *
docs_parameter(const json_t *doc, const json_t *p)
{
	const char	*name;

	if ((name = docs_ref_name(p)) == NULL)
		return (p);
	return (json_object_get(json_object_get(json_object_get(doc,
	    "components"), "parameters"), name));
}

static void
docs_operation(struct sbuf *sb, const json_t *doc, const char *path,
    const char *method, const json_t *op)
{
	static const char *const pheads[] = { "Parameter", "In", "Required",
	    "Type" };
	static const char *const rheads[] = { "Status", "Meaning", "Body" };
	const json_t	*x, *p, *r, *content, *media;
	const char	*status, *name, *ct;
	char		 type[DOCS_TYPE_MAX], sub[DOCS_TYPE_MAX], title[300];
	char		 up[8];
	const char	*cells[4];
	size_t		 i, k;

	snprintf(up, sizeof(up), "%s", method);
	for (k = 0; up[k] != '\0'; k++)
		up[k] = (char)(up[k] - 'a' + 'A');
	snprintf(title, sizeof(title), "%s %s", up, path);
	html_raw(sb, "<h3 class=\"nhsuk-heading-s\" id=\"");
	html_text(sb, json_string_value(json_object_get(op, "operationId")));
	html_raw(sb, "\"><code>");
	html_text(sb, title);
	html_raw(sb, "</code></h3>");
	docs_p(sb, json_object_get(op, "summary"));
	docs_p(sb, json_object_get(op, "description"));

	if ((x = json_object_get(op, "parameters")) != NULL) {
		snprintf(title, sizeof(title), "Parameters of %s %s", up, path);
		page_table_begin(sb, title, pheads, 4);
		json_array_foreach(x, i, p) {
			p = docs_parameter(doc, p);
			docs_type(json_object_get(p, "schema"), type,
			    sizeof(type));
			cells[0] = json_string_value(json_object_get(p,
			    "name"));
			cells[1] = json_string_value(json_object_get(p, "in"));
			cells[2] = json_is_true(json_object_get(p,
			    "required")) ? "yes" : "no";
			cells[3] = type;
			page_table_row(sb, cells, NULL, 4);
		}
		page_table_end(sb);
	}
	if ((x = json_object_get(op, "requestBody")) != NULL) {
		media = json_object_get(json_object_get(x, "content"),
		    "application/json");
		docs_type(json_object_get(media, "schema"), type,
		    sizeof(type));
		html_raw(sb, "<p>Body (application/json): <a href=\"#schema-");
		html_text(sb, type);
		html_raw(sb, "\">");
		html_text(sb, type);
		html_raw(sb, "</a></p>");
	}
	snprintf(title, sizeof(title), "Answers of %s %s", up, path);
	page_table_begin(sb, title, rheads, 3);
	json_object_foreach((json_t *)json_object_get(op, "responses"),
	    status, r) {
		if ((name = docs_ref_name(r)) != NULL)
			r = json_object_get(json_object_get(json_object_get(
			    doc, "components"), "responses"), name);
		type[0] = '\0';
		content = json_object_get(r, "content");
		json_object_foreach((json_t *)content, ct, media) {
			docs_append(type, sizeof(type), type[0] ? "; " : "");
			docs_append(type, sizeof(type), ct);
			docs_append(type, sizeof(type), ": ");
			if (docs_ref_name(json_object_get(media, "schema")) ==
			    NULL && json_object_get(json_object_get(media,
			    "schema"), "allOf") != NULL)
				docs_append(type, sizeof(type), "Error");
			else {
				docs_type(json_object_get(media, "schema"), sub,
				    sizeof(sub));
				docs_append(type, sizeof(type), sub);
			}
		}
		cells[0] = status;
		cells[1] = json_string_value(json_object_get(r, "description"));
		cells[2] = type[0] != '\0' ? type : "none";
		page_table_row(sb, cells, NULL, 3);
	}
	page_table_end(sb);
}

static void
docs_schema(struct sbuf *sb, const char *name, const json_t *s)
{
	static const char *const heads[] = { "Field", "Required", "Type",
	    "Notes" };
	const json_t	*props, *p, *req, *v;
	const char	*field, *d;
	const char	*cells[4];
	char		 type[DOCS_TYPE_MAX], caption[128];
	size_t		 i;
	int		 required;

	html_raw(sb, "<h3 class=\"nhsuk-heading-s\" id=\"schema-");
	html_text(sb, name);
	html_raw(sb, "\">");
	html_text(sb, name);
	html_raw(sb, "</h3>");
	if ((d = json_string_value(json_object_get(s, "description"))) !=
	    NULL)
		page_p(sb, d);
	if ((props = json_object_get(s, "properties")) == NULL ||
	    json_object_size(props) == 0) {
		docs_type(s, type, sizeof(type));
		page_p(sb, type);
		return;
	}
	req = json_object_get(s, "required");
	snprintf(caption, sizeof(caption), "Fields of %s", name);
	page_table_begin(sb, caption, heads, 4);
	json_object_foreach((json_t *)props, field, p) {
		required = 0;
		json_array_foreach(req, i, v) {
			if (strcmp(json_string_value(v), field) == 0)
				required = 1;
		}
		docs_type(p, type, sizeof(type));
		d = json_string_value(json_object_get(p, "description"));
		cells[0] = field;
		cells[1] = required ? "yes" : "no";
		cells[2] = type;
		cells[3] = d != NULL ? d : "";
		page_table_row(sb, cells, NULL, 4);
	}
	page_table_end(sb);
}

int
api_docs(struct http_request *req, struct medex_req *mr)
{
	const json_t	*doc, *tags, *tag, *paths, *item, *op, *x;
	const char	*path, *method, *t, *name;
	size_t		 i;

	if ((doc = openapi_document()) == NULL)
		return (api_error(req, mr, 500, "internal_error",
		    "The description could not be built; it has been "
		    "logged."));
	sbuf_reset(&mr->body);
	page_begin(&mr->body, "API", 0, NULL, NAV_NONE);
	page_h1(&mr->body, NULL, "The medex API");
	x = json_object_get(doc, "info");
	docs_p(&mr->body, json_object_get(x, "summary"));
	docs_p(&mr->body, json_object_get(x, "description"));
	html_raw(&mr->body, "<p>The same as OpenAPI 3.1, for generating "
	    "clients: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json"
	    "</a>.</p>");

	tags = json_object_get(doc, "tags");
	paths = json_object_get(doc, "paths");
	json_array_foreach(tags, i, tag) {
		t = json_string_value(json_object_get(tag, "name"));
		html_raw(&mr->body, "<h2 class=\"nhsuk-heading-m\">");
		html_text(&mr->body, json_string_value(json_object_get(tag,
		    "description")));
		html_raw(&mr->body, "</h2>");
		json_object_foreach((json_t *)paths, path, item) {
			json_object_foreach((json_t *)item, method, op) {
				x = json_array_get(json_object_get(op, "tags"),
				    0);
				if (strcmp(json_string_value(x), t) == 0)
					docs_operation(&mr->body, doc, path,
					    method, op);
			}
		}
	}
	html_raw(&mr->body, "<h2 class=\"nhsuk-heading-m\">Schemas</h2>");
	json_object_foreach(json_object_get(json_object_get(doc,
	    "components"), "schemas"), name, x)
		docs_schema(&mr->body, name, x);
	page_end(&mr->body);
	mr->cache_control = "no-cache";
	return (medex_respond(req, mr, 200, "text/html; charset=utf-8",
	    mr->body.data, mr->body.len));
}
