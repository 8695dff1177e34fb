/*
 * The database is the boundary (issue 20, findings 5 and 6): connected as
 * the server's own role (medex_app, with the password of its medex.ini),
 * nothing can be read or written except through the entry points of
 * sql/boundary.sql.  Each forgery of the review is tried and refused by
 * the database: reading another office's cases after set_config() of the
 * export switch or the office, a back-dated event in an ME's name, a
 * rewritten note or case, moving a chain head, calling the internal
 * functions that write events; and the entry points themselves, called
 * with those settings spoofed, still answer only the session's office.
 * Every entry point is SECURITY DEFINER with its search_path pinned, and
 * medex_app may execute nothing else of the owner's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct t_session	a_me, b_lead;
static char		case_a[64], office_a[32], office_b[32];

static void
setup(void)
{
	struct t_resp	 r;
	const char	*p[1];
	PGconn		*db;
	char		*v;

	t_forget_failures();
	t_user("bnd.a.me", "medical_examiner", "BNDA");
	t_user("bnd.b.lead", "lead_medical_examiner", "BNDB");
	t_login_ok("bnd.a.me", &a_me);
	t_login_ok("bnd.b.lead", &b_lead);
	t_post_json("/api/v1/cases", a_me.bearer,
	    "{\"given_name\":\"Bronwen\",\"family_name\":\"Boundaryname\","
	    "\"date_of_birth\":\"1950-05-06\",\"sex\":\"female\","
	    "\"date_of_death\":\"2026-11-02\",\"place_of_death\":\"home\","
	    "\"attending_practitioner\":{\"name\":\"Dr Bound\","
	    "\"gmc_number\":\"7654321\"}}", &r);
	ck_assert_msg(r.status == 201, "create: %ld %.1500s", r.status,
	    r.body);
	snprintf(case_a, sizeof(case_a), "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
	db = t_db("db_owner");
	p[0] = "BNDA";
	v = t_db_value_p(db, "SELECT id FROM offices WHERE code = $1", 1, p);
	snprintf(office_a, sizeof(office_a), "%s", v);
	free(v);
	p[0] = "BNDB";
	v = t_db_value_p(db, "SELECT id FROM offices WHERE code = $1", 1, p);
	snprintf(office_b, sizeof(office_b), "%s", v);
	free(v);
	PQfinish(db);
}

/* sql as medex_app: refused with 42501 (insufficient privilege). */
static void
refused(PGconn *db, const char *sql)
{
	char	state[8];

	ck_assert_msg(t_db_exec(db, sql, state, sizeof(state)) == -1,
	    "allowed: %s", sql);
	ck_assert_msg(strcmp(state, "42501") == 0, "%s: SQLSTATE %s", sql,
	    state);
}

START_TEST(no_table_can_be_read_or_written_directly)
{
	PGconn	*db;

	db = t_db("db_app");
	/* Finding 6: the settings the policies read open nothing now. */
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.export', "
	    "'on', false)", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec(db, "SET medex.office_id = 1", NULL, 0),
	    0);
	refused(db, "SELECT count(*) FROM cases");
	refused(db, "SELECT count(*) FROM case_events");
	refused(db, "SELECT count(*) FROM case_notes");
	refused(db, "SELECT count(*) FROM contacts");
	refused(db, "SELECT count(*) FROM representatives");
	refused(db, "SELECT password_hash FROM users");
	refused(db, "SELECT jti FROM sessions");
	refused(db, "SELECT count(*) FROM security_events");
	/* Finding 5: no forged, back-dated event; no rewritten record. */
	refused(db, "INSERT INTO case_events (case_id, office_id, seq, at, "
	    "actor, actor_role, action, changes, prev_hash, hash) SELECT "
	    "1, 1, 99, now() - interval '1 year', 'someone.me', "
	    "'medical_examiner', 'cause_of_death_recorded', '{}', 'x', 'y'");
	refused(db, "UPDATE case_notes SET text = 'rewritten'");
	refused(db, "UPDATE contacts SET person_name = 'rewritten'");
	refused(db, "UPDATE practitioner_discussions SET name = 'x'");
	refused(db, "UPDATE cases SET family_name = 'x'");
	refused(db, "UPDATE cases SET version = version + 1");
	refused(db, "DELETE FROM case_notes");
	refused(db, "INSERT INTO sessions (jti, user_id, csrf, expires_at) "
	    "VALUES ('x', 1, 'x', now() + interval '1 day')");
	refused(db, "SELECT nextval('cases_id_seq')");
	PQfinish(db);
}
END_TEST

START_TEST(internal_functions_are_not_callable)
{
	PGconn	*db;

	db = t_db("db_app");
	/* The functions that write events and records, without a session. */
	refused(db, "SELECT case_event_add(1, ROW('ok', 1, 'someone.me', "
	    "NULL, 'medical_examiner', 1, 'X')::auth_ctx, 'viewed', '{}')");
	refused(db, "SELECT import_case(1, 'x', 'x', 'x', 1, '{}', "
	    "'notified', NULL, NULL, NULL, NULL, 'admin')");
	refused(db, "SELECT security_log('x', 'x', NULL, NULL, NULL)");
	refused(db, "SELECT export_raw('2026-10', ARRAY[1]::bigint[])");
	PQfinish(db);
}
END_TEST

/*
 * An entry point called by hand as medex_app with every setting spoofed
 * still answers only for the session's own office: auth_check() takes
 * the office from the session row and turns the export switch off.
 */
/* The newest live session of a user (read as the owner). */
static char *
session_jti(const char *username)
{
	PGconn		*db;
	const char	*p[1] = { username };
	char		*jti;

	db = t_db("db_owner");
	jti = t_db_value_p(db, "SELECT s.jti FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE u.username = $1 AND s.revoked_at IS "
	    "NULL ORDER BY s.issued_at DESC LIMIT 1", 1, p);
	PQfinish(db);
	return (jti);
}

START_TEST(spoofed_settings_do_not_reach_through_an_entry_point)
{
	PGconn		*db;
	const char	*p[3];
	char		*jti, *v, sql[512];

	jti = session_jti("bnd.b.lead");
	db = t_db("db_app");
	p[0] = office_a;
	free(t_db_value_p(db, "SELECT set_config('medex.office_id', $1, "
	    "false)", 1, p));
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.export', "
	    "'on', false)", NULL, 0), 0);
	p[0] = jti;
	p[1] = case_a;
	v = t_db_value_p(db, "SELECT status FROM api_case_get($1, "
	    "'bnd.b.lead', 'lead_medical_examiner', 'BNDB', NULL, "
	    "'127.0.0.1', $2, true)", 2, p);
	ck_assert_str_eq(v, "404");
	free(v);
	snprintf(sql, sizeof(sql), "SELECT body FROM api_case_list($1, "
	    "'bnd.b.lead', 'lead_medical_examiner', 'BNDB', NULL, "
	    "'127.0.0.1', 100, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
	    "'Boundaryname', NULL)");
	v = t_db_value_p(db, sql, 1, p);
	ck_assert_msg(strstr(v, "Boundaryname") == NULL, "%.1500s", v);
	ck_assert_ptr_nonnull(strstr(v, "\"items\""));
	free(v);
	/* A made-up session is no session. */
	v = t_db_value(db, "SELECT status FROM api_case_summary('nosuchjti', "
	    "'bnd.b.lead', 'lead_medical_examiner', 'BNDB', NULL, "
	    "'127.0.0.1')");
	ck_assert_str_eq(v, "401");
	free(v);
	free(jti);
	PQfinish(db);
	(void)office_b;
}
END_TEST

/*
 * The standby's export (export_replica) takes the session too: the
 * server cannot ask it for offices its session may not export, nor
 * for any office without a live session of an exporting role.  (On
 * the primary replica_lag() is 0, so it answers here as on a standby.)
 */
START_TEST(the_standby_export_needs_the_session_and_its_offices)
{
	PGconn		*db;
	const char	*p[3];
	char		*jti, *v, ids[80];

	jti = session_jti("bnd.b.lead");
	db = t_db("db_app");
	p[0] = jti;
	/* Its own office: the figures. */
	snprintf(ids, sizeof(ids), "{%s}", office_b);
	p[1] = ids;
	v = t_db_value_p(db, "SELECT (export_replica($1, 'bnd.b.lead', "
	    "'lead_medical_examiner', 'BNDB', '2026-10', $2::bigint[], 30)"
	    "->'raw') IS NOT NULL", 2, p);
	ck_assert_str_eq(v, "t");
	free(v);
	/* Another office, or both: nothing. */
	snprintf(ids, sizeof(ids), "{%s}", office_a);
	v = t_db_value_p(db, "SELECT export_replica($1, 'bnd.b.lead', "
	    "'lead_medical_examiner', 'BNDB', '2026-10', $2::bigint[], 30)"
	    "::text", 2, p);
	ck_assert_msg(strstr(v, "\"refused\": true") != NULL &&
	    strstr(v, "\"raw\": null") != NULL, "%.1500s", v);
	free(v);
	snprintf(ids, sizeof(ids), "{%s,%s}", office_a, office_b);
	v = t_db_value_p(db, "SELECT export_replica($1, 'bnd.b.lead', "
	    "'lead_medical_examiner', 'BNDB', '2026-10', $2::bigint[], 30)"
	    "::text", 2, p);
	ck_assert_msg(strstr(v, "\"refused\": true") != NULL, "%.1500s", v);
	free(v);
	/* A made-up national analyst's session: nothing. */
	v = t_db_value_p(db, "SELECT export_replica('nosuchjti', 'x', "
	    "'national_analyst', 'BNDB', '2026-10', $1::bigint[], 30)::text",
	    1, p + 1);
	ck_assert_msg(strstr(v, "\"refused\": true") != NULL, "%.1500s", v);
	free(v);
	/* A medical examiner's live session: not an exporting role. */
	PQfinish(db);
	free(jti);
	jti = session_jti("bnd.a.me");
	db = t_db("db_app");
	p[0] = jti;
	snprintf(ids, sizeof(ids), "{%s}", office_a);
	v = t_db_value_p(db, "SELECT export_replica($1, 'bnd.a.me', "
	    "'medical_examiner', 'BNDA', '2026-10', $2::bigint[], 30)::text",
	    2, p);
	ck_assert_msg(strstr(v, "\"refused\": true") != NULL, "%.1500s", v);
	free(v);
	free(jti);
	PQfinish(db);
}
END_TEST

/* What the catalogue says: medex_app executes only the entry points,
 * and each is SECURITY DEFINER with its search_path pinned. */
START_TEST(only_the_entry_points_are_executable)
{
	PGconn	*db;
	char	*v;

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT count(*) FROM pg_proc p WHERE "
	    "p.pronamespace = 'public'::regnamespace AND "
	    "has_function_privilege('medex_app', p.oid, 'EXECUTE') AND "
	    "pg_get_userbyid(p.proowner) = 'medex_owner' AND NOT "
	    "(p.proname = ANY (app_entry_points()))");
	ck_assert_str_eq(v, "0");
	free(v);
	v = t_db_value(db, "SELECT string_agg(p.proname, ', ') FROM pg_proc p "
	    "WHERE p.pronamespace = 'public'::regnamespace AND p.proname = "
	    "ANY (app_entry_points()) AND NOT (p.prosecdef AND "
	    "'search_path=public, pg_temp' = ANY (p.proconfig))");
	ck_assert_msg(v[0] == '\0', "not definer or search_path: %s", v);
	free(v);
	v = t_db_value(db, "SELECT coalesce(string_agg(table_name || ' ' || "
	    "privilege_type, ', '), '') FROM information_schema."
	    "role_table_grants WHERE grantee = 'medex_app'");
	ck_assert_msg(v[0] == '\0', "medex_app may: %s", v);
	free(v);
	v = t_db_value(db, "SELECT count(*) FROM information_schema."
	    "role_column_grants WHERE grantee = 'medex_app'");
	ck_assert_str_eq(v, "0");
	free(v);
	PQfinish(db);
}
END_TEST

/*
 * The entry points run as medex_definer (migration 0033), not as the
 * migration owner: a role that owns no table, may create nothing, and
 * may only append to the trail, the security log and the appended
 * records (a correction is a new record).  What a flaw in an
 * entry point could do is what this role may: tried here as the role
 * itself (the owner is a member, SET ROLE).
 */
START_TEST(the_entry_points_belong_to_a_role_that_cannot_rewrite)
{
	static const char *const rewrites[] = {
		"UPDATE case_events SET actor = 'someone'",
		"DELETE FROM case_events",
		"UPDATE security_events SET address = '192.0.2.1'",
		"DELETE FROM security_events",
		"UPDATE instance_policy SET session_max = 999999",
		"UPDATE case_notes SET text = 'rewritten'",
		"DELETE FROM contacts",
		"UPDATE representatives SET phone = '07700 900000'",
		"ALTER TABLE cases DISABLE ROW LEVEL SECURITY",
		"ALTER TABLE case_events DISABLE TRIGGER ALL",
		"CREATE TABLE planted (x int)",
		"CREATE OR REPLACE FUNCTION case_event_add(bigint, auth_ctx, "
		    "text, jsonb) RETURNS void LANGUAGE sql AS ''",
		"DROP FUNCTION security_log(text, text, text, text, text, jsonb)",
	};
	PGconn	*db;
	char	*v;
	size_t	 i;

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT coalesce(string_agg(p.proname || ' ' || "
	    "pg_get_userbyid(p.proowner), ', '), '') FROM pg_proc p WHERE "
	    "p.pronamespace = 'public'::regnamespace AND p.proname = ANY "
	    "(app_entry_points()) AND pg_get_userbyid(p.proowner) <> "
	    "'medex_definer'");
	ck_assert_msg(v[0] == '\0', "entry points not medex_definer's: %s", v);
	free(v);
	v = t_db_value(db, "SELECT has_schema_privilege('medex_definer', "
	    "'public', 'CREATE')::text || (SELECT count(*) FROM pg_class "
	    "WHERE relowner = 'medex_definer'::regrole)");
	ck_assert_str_eq(v, "false0");
	free(v);
	ck_assert_int_eq(t_db_exec(db, "SET ROLE medex_definer", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT min(id) FROM offices)::text, false)", NULL, 0), 0);
	for (i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++)
		refused(db, rewrites[i]);
	/* What the entry points need, it may. */
	ck_assert_int_eq(t_db_exec(db, "SELECT count(*) FROM cases", NULL, 0),
	    0);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("boundary");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, no_table_can_be_read_or_written_directly);
	tcase_add_test(tc, internal_functions_are_not_callable);
	tcase_add_test(tc, spoofed_settings_do_not_reach_through_an_entry_point);
	tcase_add_test(tc, only_the_entry_points_are_executable);
	tcase_add_test(tc, the_entry_points_belong_to_a_role_that_cannot_rewrite);
	tcase_add_test(tc, the_standby_export_needs_the_session_and_its_offices);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
