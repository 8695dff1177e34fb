/*
 * Two-step sign-in (issue 20, "Accounts"): enrolment, confirmation,
 * login with and without the code, a code used twice, recovery codes,
 * turning it off, and a role that must use it (MEDEX_MFA_REQUIRED_ROLES,
 * on a second instance: tests/http/second_instance.sh).  The codes are
 * computed here from the secret the API shows, with app/core/totp.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "totp.h"

static char	url_first[256];

/*
 * The codes below are of the step now, one before and one after (the
 * server's window): start early in a step, so that the server's clock
 * is in the same one while the test runs.  A wait, not an assertion.
 */
static void
fresh_step(void)
{
	time_t	now;

	now = time(NULL);
	if (now % TOTP_STEP > 10)
		sleep((unsigned)(TOTP_STEP - now % TOTP_STEP));
}

static void
code_at(const char *secret, long long steps, char out[TOTP_DIGITS + 1])
{
	ck_assert_int_eq(totp_generate(secret, time(NULL) +
	    steps * TOTP_STEP, out), 1);
}

static long
login_otp(const char *user, const char *otp, struct t_resp *r)
{
	json_t	*b;
	char	*js;

	b = json_pack("{s:s, s:s}", "username", user, "password",
	    T_PASSWORD);
	if (otp != NULL)
		json_object_set_new(b, "otp", json_string(otp));
	js = json_dumps(b, JSON_COMPACT);
	t_post_json("/api/v1/auth/login", NULL, js, r);
	free(js);
	json_decref(b);
	return (r->status);
}

/* The session of a login's 200: token, bearer and cookie. */
static void
session_of(const struct t_resp *r, struct t_session *s)
{
	const char	*tok;
	char		*sc, *semi;

	tok = t_json_str(r, "token");
	ck_assert_ptr_nonnull(tok);
	memset(s, 0, sizeof(*s));
	snprintf(s->token, sizeof(s->token), "%s", tok);
	snprintf(s->bearer, sizeof(s->bearer), "Authorization: Bearer %s",
	    tok);
	if ((sc = t_header(r, "set-cookie")) != NULL) {
		if ((semi = strchr(sc, ';')) != NULL)
			*semi = '\0';
		snprintf(s->cookie, sizeof(s->cookie), "Cookie: %s", sc);
		free(sc);
	}
}

static void
login_otp_ok(const char *user, const char *otp, struct t_session *s)
{
	struct t_resp	r;

	ck_assert_msg(login_otp(user, otp, &r) == 200, "login: %ld %.1500s",
	    r.status, r.body);
	session_of(&r, s);
	t_resp_free(&r);
}

/* POST with a {"code"} body; the status. */
static long
post_code(const struct t_session *s, const char *path, const char *code,
    struct t_resp *r)
{
	char	body[128];

	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	t_post_json(path, s->bearer, body, r);
	return (r->status);
}

/* Enrolment: the secret and the recovery codes, checked and copied. */
static void
enrol(const struct t_session *s, char *secret, size_t slen,
    char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	struct t_resp	 r;
	json_t		*rc;
	const char	*v;
	size_t		 i;

	t_post_json("/api/v1/me/otp", s->bearer, "{}", &r);
	ck_assert_msg(r.status == 200, "enrol: %ld %.1500s", r.status,
	    r.body);
	v = t_json_str(&r, "secret");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(strlen(v), TOTP_SECRET_B32_LEN);
	snprintf(secret, slen, "%s", v);
	v = t_json_str(&r, "otpauth_uri");
	ck_assert_ptr_nonnull(v);
	ck_assert_msg(strncmp(v, "otpauth://totp/", 15) == 0 &&
	    strstr(v, secret) != NULL, "uri %.500s", v);
	rc = json_object_get(r.json, "recovery_codes");
	ck_assert_uint_eq(json_array_size(rc), TOTP_RECOVERY_COUNT);
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++)
		snprintf(codes[i], TOTP_RECOVERY_LEN + 1, "%s",
		    json_string_value(json_array_get(rc, i)));
	t_resp_free(&r);
}

static char *
db_value(const char *sql, const char *arg)
{
	PGconn	*db;
	char	*v;

	db = t_db("db_owner");
	v = t_db_value_p(db, sql, 1, &arg);
	PQfinish(db);
	return (v);
}

static int
db_count(const char *sql, const char *arg)
{
	char	*v;
	int	 n;

	v = db_value(sql, arg);
	n = atoi(v);
	free(v);
	return (n);
}

static void
setup(void)
{
	ck_assert_int_eq(totp_init(), 1);
	t_user("totp.me", "medical_examiner", "TOTP");
	t_user("totp.rc", "medical_examiner", "TOTP");
	t_forget_failures();
}

START_TEST(enrol_confirm_login_reuse_disable)
{
	struct t_session	 s, s2;
	struct t_resp		 r;
	char			 secret[64], code[8], wrong[8], later[8];
	char			 rc[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	char			*v;
	int			 i;

	fresh_step();
	t_login_ok("totp.me", &s);
	/* Off: nothing to confirm or turn off yet. */
	ck_assert_int_eq(post_code(&s, "/api/v1/me/otp/confirm", "123456",
	    &r), 409);
	t_assert_error(&r, 409, "conflict");
	t_resp_free(&r);
	enrol(&s, secret, sizeof(secret), rc);
	/* Not on until confirmed: the password alone still signs in. */
	ck_assert_int_eq(login_otp("totp.me", NULL, &r), 200);
	ck_assert(json_is_false(json_object_get(json_object_get(r.json,
	    "user"), "otp_enabled")));
	t_resp_free(&r);

	/* A wrong code does not turn it on. */
	code_at(secret, -1, code);
	snprintf(wrong, sizeof(wrong), "%06d", (atoi(code) + 500000) %
	    1000000);
	ck_assert_int_eq(post_code(&s, "/api/v1/me/otp/confirm", wrong, &r),
	    422);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	ck_assert_int_eq(post_code(&s, "/api/v1/me/otp/confirm", code, &r),
	    204);
	t_resp_free(&r);
	ck_assert_int_eq(db_count("SELECT count(*) FROM security_events "
	    "WHERE action = 'otp_enabled' AND actor = $1", "totp.me"), 1);
	/* On: enrolment cannot start over without turning it off. */
	t_post_json("/api/v1/me/otp", s.bearer, "{}", &r);
	t_assert_error(&r, 409, "conflict");
	t_resp_free(&r);

	/* The password without the code: 401 otp_required, no session. */
	v = db_value("SELECT count(*) FROM sessions s JOIN users u "
	    "ON u.id = s.user_id WHERE u.username = $1", "totp.me");
	ck_assert_int_eq(login_otp("totp.me", NULL, &r), 401);
	t_assert_error(&r, 401, "otp_required");
	ck_assert_ptr_null(json_object_get(r.json, "token"));
	ck_assert_ptr_null(t_header(&r, "set-cookie"));
	t_resp_free(&r);
	ck_assert_int_eq(db_count("SELECT count(*) FROM sessions s JOIN "
	    "users u ON u.id = s.user_id WHERE u.username = $1", "totp.me"),
	    atoi(v));
	free(v);
	/*
	 * Not a failure for the throttle (the password was right): five
	 * more, and the wrong and reused codes below still get their 401s
	 * rather than 429.
	 */
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(login_otp("totp.me", NULL, &r), 401);
		t_assert_error(&r, 401, "otp_required");
		t_resp_free(&r);
	}
	ck_assert_int_eq(db_count("SELECT count(*) FROM login_attempts "
	    "WHERE username = $1 AND outcome = 'otp_required'", "totp.me"),
	    6);
	code_at(secret, 0, code);

	/* A wrong code: 401 otp_invalid, counted as a failed attempt. */
	ck_assert_int_eq(login_otp("totp.me", wrong, &r), 401);
	t_assert_error(&r, 401, "otp_invalid");
	t_resp_free(&r);
	ck_assert_int_eq(db_count("SELECT count(*) FROM login_attempts "
	    "WHERE username = $1 AND outcome = 'failed'", "totp.me"), 1);
	ck_assert_int_eq(db_count("SELECT count(*) FROM security_events "
	    "WHERE action = 'login_otp_failed' AND actor = $1", "totp.me"),
	    1);
	/* A wrong password with the right code: the password's answer. */
	t_post_json("/api/v1/auth/login", NULL, "{\"username\":\"totp.me\","
	    "\"password\":\"not the password\",\"otp\":\"000000\"}", &r);
	t_assert_error(&r, 401, "invalid_credentials");
	t_resp_free(&r);

	/* The right code: 200; the same code again: refused. */
	login_otp_ok("totp.me", code, &s2);
	ck_assert_int_eq(login_otp("totp.me", code, &r), 401);
	t_assert_error(&r, 401, "otp_invalid");
	t_resp_free(&r);
	/* The next step's code (within the window) works. */
	code_at(secret, 1, later);
	login_otp_ok("totp.me", later, &s2);
	t_get("/api/v1/me", s2.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_is_true(json_object_get(r.json, "otp_enabled")));
	/* The secret is never shown again. */
	ck_assert_ptr_null(strstr(r.body, secret));
	t_resp_free(&r);

	/* Turning off: a wrong code is 422; a recovery code works. */
	ck_assert_int_eq(post_code(&s2, "/api/v1/me/otp/disable", wrong,
	    &r), 422);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	ck_assert_int_eq(post_code(&s2, "/api/v1/me/otp/disable", rc[3],
	    &r), 204);
	t_resp_free(&r);
	ck_assert_int_eq(db_count("SELECT count(*) FROM user_otp t JOIN "
	    "users u ON u.id = t.user_id WHERE u.username = $1", "totp.me"),
	    0);
	ck_assert_int_eq(login_otp("totp.me", NULL, &r), 200);
	t_resp_free(&r);
}
END_TEST

START_TEST(recovery_code_works_once)
{
	struct t_session	 s, s2;
	struct t_resp		 r;
	char			 secret[64], code[8], upper[16];
	char			 rc[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	char			*v;
	size_t			 i;

	fresh_step();
	t_login_ok("totp.rc", &s);
	enrol(&s, secret, sizeof(secret), rc);
	code_at(secret, 0, code);
	ck_assert_int_eq(post_code(&s, "/api/v1/me/otp/confirm", code, &r),
	    204);
	t_resp_free(&r);
	/* Only hashes are kept. */
	v = db_value("SELECT string_agg(code_hash, ',') FROM "
	    "otp_recovery_codes c JOIN users u ON u.id = c.user_id "
	    "WHERE u.username = $1", "totp.rc");
	for (i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		ck_assert_ptr_null(strstr(v, rc[i]));
		ck_assert_ptr_null(strstr(v, rc[i] + 6));
	}
	free(v);
	/* As typed by a person: upper case, a space for the hyphen. */
	for (i = 0; rc[0][i] != '\0'; i++)
		upper[i] = rc[0][i] == '-' ? ' ' :
		    (char)(rc[0][i] >= 'a' && rc[0][i] <= 'z' ?
		    rc[0][i] - 32 : rc[0][i]);
	upper[i] = '\0';
	login_otp_ok("totp.rc", upper, &s2);
	ck_assert_int_eq(db_count("SELECT count(*) FROM security_events "
	    "WHERE action = 'login' AND actor = $1 AND detail->>'otp' = "
	    "'recovery'", "totp.rc"), 1);
	ck_assert_int_eq(login_otp("totp.rc", rc[0], &r), 401);
	t_assert_error(&r, 401, "otp_invalid");
	t_resp_free(&r);
	/* Another one still works. */
	login_otp_ok("totp.rc", rc[1], &s2);
}
END_TEST

/* A second instance where the officer role must use two-step sign-in. */
static void
setup_required(void)
{
	char	url[256];

	ck_assert_int_eq(totp_init(), 1);
	t_forget_failures();
	t_user("totp.off", "officer", "TOTP");
	snprintf(url_first, sizeof(url_first), "%s", t_url());
	setenv("MEDEX_MFA_REQUIRED_ROLES", "officer", 1);
	t_second_start("same-keys", url, sizeof(url));
	setenv("MEDEX_MFA_REQUIRED_ROLES", "", 1);
	setenv("MEDEX_TEST_URL", url, 1);
}

static void
teardown_required(void)
{
	t_second_stop();
	setenv("MEDEX_TEST_URL", url_first, 1);
}

START_TEST(required_role_session_only_enrols)
{
	struct t_session	 s;
	struct t_resp		 r;
	char			 secret[64], code[8];
	char			 rc[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	const char		*h[2] = { NULL, NULL };
	char			*loc;

	fresh_step();
	ck_assert_int_eq(login_otp("totp.off", NULL, &r), 200);
	ck_assert(json_is_true(json_object_get(json_object_get(r.json,
	    "user"), "otp_enrolment_required")));
	session_of(&r, &s);
	t_resp_free(&r);
	ck_assert_int_eq(db_count("SELECT count(*) FROM security_events "
	    "WHERE action = 'login' AND actor = $1 AND "
	    "detail ? 'otp_enrolment_required'", "totp.off"), 1);

	/* Everything else is refused until the factor is on. */
	t_get("/api/v1/cases", s.bearer, &r);
	t_assert_error(&r, 403, "otp_enrolment_required");
	t_resp_free(&r);
	t_post_json("/api/v1/me/password", s.bearer, "{\"current_password\":"
	    "\"" T_PASSWORD "\",\"new_password\":\"another long password\"}",
	    &r);
	t_assert_error(&r, 403, "otp_enrolment_required");
	t_resp_free(&r);
	t_get("/api/v1/me", s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_is_true(json_object_get(r.json,
	    "otp_enrolment_required")));
	t_resp_free(&r);
	/* Pages go to the set-up page. */
	h[0] = s.cookie;
	t_request("GET", "/cases", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 303);
	loc = t_header(&r, "location");
	ck_assert_str_eq(loc, "/account/two-step");
	free(loc);
	t_resp_free(&r);
	t_request("GET", "/account/two-step", h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Your role must use two-step"));
	t_resp_free(&r);

	enrol(&s, secret, sizeof(secret), rc);
	code_at(secret, 0, code);
	ck_assert_int_eq(post_code(&s, "/api/v1/me/otp/confirm", code, &r),
	    204);
	t_resp_free(&r);
	/* The same session is an ordinary one now. */
	t_get("/api/v1/cases", s.bearer, &r);
	ck_assert_msg(r.status == 200, "cases: %ld %.1500s", r.status,
	    r.body);
	t_resp_free(&r);
	/* The role may not turn it off. */
	ck_assert_int_eq(post_code(&s, "/api/v1/me/otp/disable", rc[0], &r),
	    403);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	ck_assert_int_eq(login_otp("totp.off", NULL, &r), 401);
	t_assert_error(&r, 401, "otp_required");
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("totp");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, enrol_confirm_login_reuse_disable);
	tcase_add_test(tc, recovery_code_works_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("required");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup_required, teardown_required);
	tcase_add_test(tc, required_role_session_only_enrols);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
