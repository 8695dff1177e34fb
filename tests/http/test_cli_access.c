/*
 * Ending someone's access from the command line (issue 20: "medexctl
 * ... gains user disable and sessions revoke --user"), for the on-call
 * engineer with no web admin to hand: every live token of the user is
 * refused at once, a disabled user cannot sign in again, and the security
 * log names the operating-system user who ran the command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static int
me_status(const struct t_session *s)
{
	struct t_resp	r;
	const char	*h[] = { s->bearer, NULL };
	long		 st;

	t_request("GET", "/api/v1/me", h, NULL, 0, &r);
	st = r.status;
	t_resp_free(&r);
	return ((int)st);
}

/* medexctl ARGS; its exit status, its standard output in out. */
static int
medexctl(const char *args, char *out, size_t len)
{
	FILE	*fp;
	char	 cmd[1024];
	size_t	 n;
	int	 rc;

	snprintf(cmd, sizeof(cmd), "%s/medexctl %s 2>&1",
	    getenv("MEDEX_TEST_OUT"), args);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	n = fread(out, 1, len - 1, fp);
	out[n] = '\0';
	rc = pclose(fp);
	return (WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
}

/* The newest security event of action for target, as "actor|detail". */
static char *
last_event(const char *action, const char *target)
{
	PGconn		*db;
	const char	*p[2] = { action, target };
	char		*v;

	db = t_db("db_owner");
	v = t_db_value_p(db, "SELECT actor || '|' || detail::text FROM "
	    "security_events WHERE action = $1 AND target = $2 "
	    "ORDER BY id DESC LIMIT 1", 2, p);
	PQfinish(db);
	return (v);
}

START_TEST(sessions_revoke_ends_every_token_of_the_user_only)
{
	struct t_session	a, b, other, c;
	char			out[1024], *ev;

	t_user("ca.revoke", "medical_examiner", "CLIA");
	t_user("ca.bystander", "medical_examiner", "CLIA");
	t_login_ok("ca.revoke", &a);
	t_login_ok("ca.revoke", &b);
	t_login_ok("ca.bystander", &other);
	ck_assert_int_eq(me_status(&a), 200);
	ck_assert_int_eq(me_status(&b), 200);

	ck_assert_int_eq(medexctl("sessions revoke --user ca.revoke "
	    "--reason 'lost laptop'", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "2 session(s) revoked") != NULL, "%s", out);
	ck_assert_int_eq(me_status(&a), 401);
	ck_assert_int_eq(me_status(&b), 401);
	ck_assert_int_eq(me_status(&other), 200);

	/* Not disabled: the user may sign in again. */
	t_login_ok("ca.revoke", &c);
	ck_assert_int_eq(me_status(&c), 200);

	ev = last_event("sessions_revoked", "ca.revoke");
	ck_assert_ptr_nonnull(ev);
	ck_assert_msg(strncmp(ev, "medexctl:", 9) == 0 &&
	    strncmp(ev, "medexctl:|", 10) != 0, "actor: %s", ev);
	ck_assert_msg(strstr(ev, "\"reason\": \"lost laptop\"") != NULL &&
	    strstr(ev, "\"sessions_revoked\": 2") != NULL, "%s", ev);
	free(ev);
}
END_TEST

START_TEST(user_disable_ends_tokens_and_sign_in)
{
	struct t_session	a, s;
	char			out[1024], *ev, *v, *after;
	PGconn			*db;

	t_user("ca.leaver", "officer", "CLIA");
	t_login_ok("ca.leaver", &a);
	ck_assert_int_eq(medexctl("user disable ca.leaver --reason leaver",
	    out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "disabled; 1 session(s) revoked") != NULL,
	    "%s", out);
	ck_assert_int_eq(me_status(&a), 401);
	ck_assert_int_eq(t_login("ca.leaver", T_PASSWORD, &s), 401);

	ev = last_event("user_disabled", "ca.leaver");
	ck_assert_ptr_nonnull(ev);
	ck_assert_msg(strncmp(ev, "medexctl:", 9) == 0, "actor: %s", ev);
	ck_assert_msg(strstr(ev, "\"reason\": \"leaver\"") != NULL, "%s", ev);
	free(ev);

	/* Again: nothing more changes (the version stays). */
	db = t_db("db_owner");
	v = t_db_value(db, "SELECT version FROM users WHERE username = "
	    "'ca.leaver'");
	ck_assert_int_eq(medexctl("user disable ca.leaver", out,
	    sizeof(out)), 0);
	ck_assert_msg(strstr(out, "was already disabled") != NULL, "%s", out);
	after = t_db_value(db, "SELECT version FROM users WHERE username = "
	    "'ca.leaver'");
	ck_assert_str_eq(v, after);
	free(v);
	free(after);
	PQfinish(db);
}
END_TEST

START_TEST(bad_arguments_and_unknown_users_change_nothing)
{
	PGconn	*db;
	char	 out[1024], *before, *after;

	db = t_db("db_owner");
	before = t_db_value(db, "SELECT count(*) FROM security_events");
	ck_assert_int_eq(medexctl("user disable", out, sizeof(out)), 2);
	ck_assert_int_eq(medexctl("user disable ca.x --why x", out,
	    sizeof(out)), 2);
	ck_assert_int_eq(medexctl("sessions revoke ca.x", out,
	    sizeof(out)), 2);
	ck_assert_int_eq(medexctl("sessions end --user ca.x", out,
	    sizeof(out)), 2);
	ck_assert_int_eq(medexctl("user disable 'Bad Name!'", out,
	    sizeof(out)), 2);
	ck_assert_int_eq(medexctl("user disable ca.nobody.here", out,
	    sizeof(out)), 1);
	ck_assert_msg(strstr(out, "no user ca.nobody.here") != NULL, "%s",
	    out);
	after = t_db_value(db, "SELECT count(*) FROM security_events");
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cli_access");
	tc = tcase_create("access");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sessions_revoke_ends_every_token_of_the_user_only);
	tcase_add_test(tc, user_disable_ends_tokens_and_sign_in);
	tcase_add_test(tc, bad_arguments_and_unknown_users_change_nothing);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
