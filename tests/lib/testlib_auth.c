/*
 * Offices, users and sessions for the HTTP scenarios.  Offices and users
 * are made with medexctl, as the first admin would make them; sessions
 * through the real login route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* Creates the office unless it exists (medexctl exits 1 then). */
void
t_office(const char *code)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/medexctl office add %s 'Office %s' "
	    ">/dev/null 2>&1", getenv("MEDEX_TEST_OUT"), code, code);
	(void)t_run(cmd);
}

/* Creates the user (password T_PASSWORD) unless it exists. */
void
t_user(const char *username, const char *role, const char *office)
{
	char	cmd[1024];

	t_office(office);
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | %s/medexctl user "
	    "add %s --role %s --office %s >/dev/null 2>&1", T_PASSWORD,
	    getenv("MEDEX_TEST_OUT"), username, role, office);
	(void)t_run(cmd);
}

/* The HTTP status of the login; on 200 the session is filled in. */
int
t_login(const char *username, const char *password, struct t_session *s)
{
	struct t_resp	 r;
	json_t		*body;
	char		*js, *sc, *semi;
	const char	*tok, *csrf;
	long		 status;

	body = json_pack("{s:s, s:s}", "username", username, "password",
	    password);
	js = json_dumps(body, JSON_COMPACT);
	t_post_json("/api/v1/auth/login", NULL, js, &r);
	free(js);
	json_decref(body);
	status = r.status;
	memset(s, 0, sizeof(*s));
	if (status == 200) {
		tok = t_json_str(&r, "token");
		csrf = t_json_str(&r, "csrf_token");
		ck_assert_ptr_nonnull(tok);
		ck_assert_ptr_nonnull(csrf);
		snprintf(s->token, sizeof(s->token), "%s", tok);
		snprintf(s->csrf, sizeof(s->csrf), "%s", csrf);
		snprintf(s->bearer, sizeof(s->bearer),
		    "Authorization: Bearer %s", tok);
		if ((sc = t_header(&r, "set-cookie")) != NULL) {
			if ((semi = strchr(sc, ';')) != NULL)
				*semi = '\0';
			snprintf(s->cookie, sizeof(s->cookie), "Cookie: %s",
			    sc);
			free(sc);
		}
	}
	t_resp_free(&r);
	return ((int)status);
}

void
t_login_ok(const char *username, struct t_session *s)
{
	int	status;

	status = t_login(username, T_PASSWORD, s);
	ck_assert_msg(status == 200, "login of %s: %d", username, status);
}

/* Throttling state is per address; scenarios clean up after themselves. */
void
t_forget_failures(void)
{
	PGconn	*db;

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "DELETE FROM login_failures", NULL,
	    0), 0);
	/* The server may never delete these; the tests start afresh. */
	ck_assert_int_eq(t_db_exec(db, "DELETE FROM login_attempts", NULL,
	    0), 0);
	PQfinish(db);
}
