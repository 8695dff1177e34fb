/*
 * The server skeleton: health, readiness, the JSON error shape for
 * unknown routes and wrong methods, a request id on every answer.
 */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

START_TEST(healthz_answers_200_json)
{
	struct t_resp	r;

	t_get("/healthz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "status"), "ok");
	t_resp_free(&r);
}
END_TEST

START_TEST(readyz_answers_200_when_migrated)
{
	struct t_resp	r;

	t_get("/readyz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "status"), "ready");
	t_resp_free(&r);
}
END_TEST

START_TEST(delete_healthz_is_405_json)
{
	struct t_resp	 r;
	char		*allow;

	t_request("DELETE", "/healthz", NULL, NULL, 0, &r);
	t_assert_error(&r, 405, "method_not_allowed");
	allow = t_header(&r, "allow");
	ck_assert_ptr_nonnull(allow);
	ck_assert_str_eq(allow, "GET");
	free(allow);
	t_resp_free(&r);
}
END_TEST

START_TEST(unknown_api_route_is_404_json)
{
	struct t_resp	r;

	t_get("/api/v1/nope", NULL, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	t_request("POST", "/api/v1/nope", NULL, "{}", 2, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
}
END_TEST

START_TEST(every_answer_has_a_request_id)
{
	struct t_resp	 r1, r2;
	char		*a, *b;

	t_get("/healthz", NULL, &r1);
	t_get("/api/v1/nope", NULL, &r2);
	a = t_header(&r1, "x-request-id");
	b = t_header(&r2, "x-request-id");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(strlen(a), 16);
	ck_assert_str_ne(a, b);
	free(a);
	free(b);
	t_resp_free(&r1);
	t_resp_free(&r2);
}
END_TEST

START_TEST(readyz_is_503_while_a_migration_is_pending)
{
	PGconn		*db;
	struct t_resp	 r;
	char		*ra;

	/* Take the newest migration's row away: as if it were pending. */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "CREATE TEMP TABLE saved AS SELECT * "
	    "FROM schema_migrations WHERE version = (SELECT max(version) "
	    "FROM schema_migrations); DELETE FROM schema_migrations WHERE "
	    "version = (SELECT version FROM saved)", NULL, 0), 0);
	t_get("/readyz", NULL, &r);
	t_assert_error(&r, 503, "unavailable");
	ra = t_header(&r, "retry-after");
	ck_assert_ptr_nonnull(ra);
	free(ra);
	t_resp_free(&r);
	ck_assert_int_eq(t_db_exec(db, "INSERT INTO schema_migrations SELECT "
	    "* FROM saved", NULL, 0), 0);
	PQfinish(db);
	t_get("/readyz", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

START_TEST(server_role_cannot_change_the_schema)
{
	PGconn	*db;
	char	 state[8];

	db = t_db("db_app");
	/* Not even read it: /readyz asks app_ready() (sql/boundary.sql). */
	ck_assert_int_eq(t_db_exec(db, "SELECT count(*) FROM "
	    "schema_migrations", state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "DROP TABLE schema_migrations",
	    state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "TRUNCATE schema_migrations",
	    state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "CREATE TABLE intruder (x int)",
	    state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_eq(t_db_exec(db, "ALTER TABLE schema_migrations ADD "
	    "COLUMN x int", state, sizeof(state)), -1);
	ck_assert_str_eq(state, "42501");
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("foundation");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, healthz_answers_200_json);
	tcase_add_test(tc, readyz_answers_200_when_migrated);
	tcase_add_test(tc, delete_healthz_is_405_json);
	tcase_add_test(tc, unknown_api_route_is_404_json);
	tcase_add_test(tc, every_answer_has_a_request_id);
	tcase_add_test(tc, readyz_is_503_while_a_migration_is_pending);
	tcase_add_test(tc, server_role_cannot_change_the_schema);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
