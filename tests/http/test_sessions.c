/*
 * Sessions end (issue #20, finding 6): an absolute lifetime from the
 * password check that refreshes cannot extend (MEDEX_SESSION_MAX), an
 * idle timeout (MEDEX_SESSION_IDLE), and the auth_time claim, kept
 * through refreshes.  Run against a second instance
 * (tests/http/second_instance.sh) configured with small limits: 12 s
 * and 5 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b64url.h"
#include "testlib.h"

static char	url_first[256];

static void
setup(void)
{
	char	url[256];

	t_forget_failures();
	t_user("ses.user", "officer", "SES");
	snprintf(url_first, sizeof(url_first), "%s", t_url());
	setenv("MEDEX_SESSION_MAX", "12", 1);
	setenv("MEDEX_SESSION_IDLE", "5", 1);
	t_second_start("same-keys", url, sizeof(url));
	unsetenv("MEDEX_SESSION_MAX");
	unsetenv("MEDEX_SESSION_IDLE");
	setenv("MEDEX_TEST_URL", url, 1);
}

static void
teardown(void)
{
	t_second_stop();
	setenv("MEDEX_TEST_URL", url_first, 1);
}

/* The token's auth_time claim, or -1 when it has none. */
static long long
auth_time_of(const char *token)
{
	const char	*p, *q;
	unsigned char	*raw;
	size_t		 len;
	json_t		*j, *v;
	long long	 t;

	p = strchr(token, '.');
	ck_assert_ptr_nonnull(p);
	p++;
	q = strchr(p, '.');
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(b64url_decode(p, (size_t)(q - p), &raw, &len), 1);
	j = json_loadb((const char *)raw, len, 0, NULL);
	free(raw);
	ck_assert_ptr_nonnull(j);
	v = json_object_get(j, "auth_time");
	t = json_is_integer(v) ? json_integer_value(v) : -1;
	json_decref(j);
	return (t);
}

/* Refreshes s in place; the HTTP status. */
static long
refresh(struct t_session *s)
{
	struct t_resp	 r;
	const char	*h[2] = { s->bearer, NULL };
	const char	*tok;
	long		 st;

	t_request("POST", "/api/v1/auth/refresh", h, NULL, 0, &r);
	st = r.status;
	if (st == 200) {
		tok = t_json_str(&r, "token");
		ck_assert_ptr_nonnull(tok);
		snprintf(s->token, sizeof(s->token), "%s", tok);
		snprintf(s->bearer, sizeof(s->bearer),
		    "Authorization: Bearer %s", tok);
	}
	t_resp_free(&r);
	return (st);
}

static long
me(const struct t_session *s)
{
	struct t_resp	r;
	long		st;

	t_get("/api/v1/me", s->bearer, &r);
	st = r.status;
	t_resp_free(&r);
	return (st);
}

START_TEST(auth_time_is_kept_through_refresh)
{
	struct t_session	s;
	long long		at;

	t_login_ok("ses.user", &s);
	at = auth_time_of(s.token);
	ck_assert_msg(at > 0, "no auth_time claim");
	sleep(2);
	ck_assert_int_eq(refresh(&s), 200);
	ck_assert_int_eq(auth_time_of(s.token), at);
}
END_TEST

/* Refreshing every 3 s keeps the session active, not alive past 12 s. */
START_TEST(refresh_chain_ends_at_session_max)
{
	struct t_session	s;
	int			i;

	t_login_ok("ses.user", &s);
	for (i = 0; i < 3; i++) {
		sleep(3);
		ck_assert_int_eq(refresh(&s), 200);
	}
	sleep(4);		/* 13 s after the password check */
	ck_assert_int_eq(refresh(&s), 401);
	ck_assert_int_eq(me(&s), 401);
}
END_TEST

START_TEST(idle_session_ends)
{
	struct t_session	s;

	t_login_ok("ses.user", &s);
	ck_assert_int_eq(me(&s), 200);
	sleep(7);
	ck_assert_int_eq(me(&s), 401);
	ck_assert_int_eq(refresh(&s), 401);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("sessions");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, auth_time_is_kept_through_refresh);
	tcase_add_test(tc, refresh_chain_ends_at_session_max);
	tcase_add_test(tc, idle_session_ends);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
