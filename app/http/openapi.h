/*
 * The OpenAPI 3.1 document of GET /api/v1/openapi.json (openapi.c)
 * and the page that shows it to people, /api/docs (pages/api_docs.c).
 *
 * Its source: the static parts in app/http/openapi/ (base.json: info,
 * security schemes, parameters, headers, the case's fields, the error
 * codes per status; schemas.json: every body; operations.json: summary,
 * parameters, bodies and statuses of each route), embedded at build
 * time (openapi_data.c); the paths, methods and roles from the route
 * table (route_table.c) and every enumeration from the code lists the
 * validators use, filled in when the document is first built.
 */
#ifndef MEDEX_OPENAPI_H
#define MEDEX_OPENAPI_H

#include <jansson.h>

/* The embedded JSON texts, NUL-terminated (openapi_data.c). */
extern const char	openapi_base_json[];
extern const char	openapi_schemas_json[];
extern const char	openapi_operations_json[];

/*
 * The document, built once per process; NULL (and logged) when the
 * static parts and the route table disagree.  Owned here: do not free.
 */
const json_t	*openapi_document(void);

/* 1 for the routes the document describes: the API, health and keys. */
int		 openapi_route(const char *);

#endif
