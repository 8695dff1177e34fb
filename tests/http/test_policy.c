/*
 * The sign-in policy is the database's (issue 20, migration 0029): the
 * idle timeout, the absolute lifetime and the roles that must use
 * two-step sign-in are kept in instance_policy, which only the owner
 * writes (medexctl migrate, from medexctl.ini).  The server's
 * connection still says medex.session_idle=1800 and no roles, and may
 * only make the policy stricter: before 0029 it decided alone, so a
 * compromised server could lengthen every session or drop the second
 * factor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define OFFICE	"PO"

static void
policy(const char *max, const char *idle, const char *roles)
{
	const char	*p[3] = { max, idle, roles };
	PGconn		*db;

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec_p(db, "SELECT instance_policy_set($1, $2, "
	    "$3)", 3, p), 0);
	PQfinish(db);
}

static int
migrate(void)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/medexctl migrate >/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	return (t_run(cmd));
}

static void
setup(void)
{
	t_user("po.officer", "officer", OFFICE);
}

/* Whatever a check left, the policy of medexctl.ini again. */
static void
teardown(void)
{
	(void)migrate();
}

START_TEST(the_idle_timeout_is_the_databases)
{
	struct t_session	s;
	struct t_resp		r;

	policy(NULL, "2", NULL);
	t_login_ok("po.officer", &s);
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	/* The connection allows 1800 s idle; the policy 2 s. */
	sleep(4);
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_msg(r.status == 401, "idle past the policy: %ld %.1500s",
	    r.status, r.body);
	t_resp_free(&r);
	ck_assert_int_eq(migrate(), 0);
	t_login_ok("po.officer", &s);
	sleep(4);
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_msg(r.status == 200, "after migrate: %ld", r.status);
	t_resp_free(&r);
}
END_TEST

START_TEST(the_absolute_lifetime_is_the_databases)
{
	struct t_session	s;
	struct t_resp		r;
	int			i;

	policy("3", NULL, NULL);
	t_login_ok("po.officer", &s);
	/* Busy all the while: it is the lifetime that ends it. */
	for (i = 0; i < 5; i++) {
		sleep(1);
		t_get("/api/v1/me", s.bearer, &r);
		t_resp_free(&r);
	}
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_msg(r.status == 401, "past the lifetime: %ld %.1500s",
	    r.status, r.body);
	t_resp_free(&r);
	ck_assert_int_eq(migrate(), 0);
}
END_TEST

START_TEST(the_second_factor_roles_are_the_databases)
{
	struct t_session	s;
	struct t_resp		r;

	policy(NULL, NULL, "officer");
	t_login_ok("po.officer", &s);
	t_get("/api/v1/cases", s.bearer, &r);
	t_assert_error(&r, 403, "otp_enrolment_required");
	t_resp_free(&r);
	ck_assert_int_eq(migrate(), 0);
	t_login_ok("po.officer", &s);
	t_get("/api/v1/cases", s.bearer, &r);
	ck_assert_msg(r.status == 200, "after migrate: %ld", r.status);
	t_resp_free(&r);
}
END_TEST

START_TEST(only_the_owner_sets_it_and_no_typo_weakens_it)
{
	PGconn		*db;
	const char	*bad[3] = { NULL, NULL, "admin,superuser" };
	char		 state[8];
	char		*before, *after;

	/* An unknown role is refused, and the policy stays as it was. */
	db = t_db("db_owner");
	policy(NULL, NULL, "admin");
	before = t_db_value(db, "SELECT mfa_required_roles::text FROM "
	    "instance_policy");
	ck_assert_int_ne(t_db_exec_p(db, "SELECT instance_policy_set($1, $2, "
	    "$3)", 3, bad), 0);
	after = t_db_value(db, "SELECT mfa_required_roles::text FROM "
	    "instance_policy");
	ck_assert_str_eq(before, "{admin}");
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	PQfinish(db);
	db = t_db("db_app");
	ck_assert_int_ne(t_db_exec(db, "SELECT instance_policy_set('99999999',"
	    " '99999999', '')", state, sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_ne(t_db_exec(db, "UPDATE instance_policy SET "
	    "session_idle = 99999999", state, sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	ck_assert_int_ne(t_db_exec(db, "SELECT * FROM instance_policy", state,
	    sizeof(state)), 0);
	ck_assert_str_eq(state, "42501");
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("policy");
	tc = tcase_create("policy");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, the_idle_timeout_is_the_databases);
	tcase_add_test(tc, the_absolute_lifetime_is_the_databases);
	tcase_add_test(tc, the_second_factor_roles_are_the_databases);
	tcase_add_test(tc, only_the_owner_sets_it_and_no_typo_weakens_it);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
