/*
 * GET /api/v1/openapi.json describes every API route of the route table
 * the server enforces, and every operation it describes is really
 * served (no 404 for the route, no 405 for the method).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"
#include "testlib.h"

static int
api_route(const struct route_def *rd)
{
	return (strncmp(rd->pattern, "/api/", 5) == 0 ||
	    strcmp(rd->pattern, "/healthz") == 0 ||
	    strcmp(rd->pattern, "/readyz") == 0 ||
	    strcmp(rd->pattern, "/.well-known/jwks.json") == 0);
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

START_TEST(openapi_lists_every_api_route)
{
	struct t_resp	 r;
	json_t		*paths, *item, *op;
	char		 method[8];
	size_t		 i, want, have;
	const char	*key, *m;

	t_get("/api/v1/openapi.json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "openapi"), "3.1.0");
	paths = json_object_get(r.json, "paths");
	ck_assert_ptr_nonnull(paths);
	want = 0;
	for (i = 0; i < route_table_count; i++) {
		if (!api_route(&route_table[i]))
			continue;
		want++;
		snprintf(method, sizeof(method), "%s",
		    route_method_str(route_table[i].method));
		lower(method);
		item = json_object_get(paths, route_table[i].pattern);
		ck_assert_msg(item != NULL && json_object_get(item, method) !=
		    NULL, "%s %s not described", method,
		    route_table[i].pattern);
	}
	have = 0;
	json_object_foreach(paths, key, item) {
		json_object_foreach(item, m, op)
			have++;
	}
	ck_assert_int_eq(have, want);
	t_resp_free(&r);
}
END_TEST

START_TEST(every_described_operation_is_served)
{
	struct t_resp	 r, q;
	json_t		*paths, *item, *op;
	const char	*key, *m, *p;
	char		 path[512], method[8];
	const char	*h[2] = { "Content-Type: application/json", NULL };
	size_t		 o, k;

	t_get("/api/v1/openapi.json", NULL, &r);
	paths = json_object_get(r.json, "paths");
	json_object_foreach(paths, key, item) {
		o = 0;
		for (p = key; *p != '\0' && o + 2 < sizeof(path); p++) {
			if (*p == '{') {
				path[o++] = '1';
				p = strchr(p, '}');
			} else
				path[o++] = *p;
		}
		path[o] = '\0';
		json_object_foreach(item, m, op) {
			snprintf(method, sizeof(method), "%s", m);
			for (k = 0; method[k] != '\0'; k++)
				method[k] = (char)(method[k] - 'a' + 'A');
			t_request(method, path, h, strcmp(method, "GET") ?
			    "{}" : NULL, strcmp(method, "GET") ? 2 : 0, &q);
			/* 503 is readyz's answer while the database is away. */
			ck_assert_msg(q.status != 404 && q.status != 405 &&
			    (q.status < 500 || q.status == 503), "%s %s: %ld",
			    method, path, q.status);
			t_resp_free(&q);
		}
	}
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("openapi");
	tc = tcase_create("openapi");
	tcase_add_test(tc, openapi_lists_every_api_route);
	tcase_add_test(tc, every_described_operation_is_served);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
