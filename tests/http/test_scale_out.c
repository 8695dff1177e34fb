/*
 * Scaling out (issue 8): two medex instances on one database behind
 * nginx, configured by conf/nginx-medex.conf itself (tests/http/
 * nginx_front.sh replaces only its ports, upstream servers and
 * certificate paths).  Every request goes through nginx over HTTPS
 * (HTTP/2), and each answer is traced by its X-Request-Id to the
 * instance whose log holds that id: nginx spreads the requests over
 * both, a logout ends the token on both, an Idempotency-Key replays the
 * first answer on both, and nginx's own 413 keeps API.md's error shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define N_SPREAD	10

static char	url_direct[256], url_https[256], url_http[256];
static char	ca[1024];

static void
setup(void)
{
	FILE		*fp;
	const char	*root;
	char		 cmd[1024], url2[256], ports[64];
	int		 https, http;

	t_forget_failures();
	t_user("so.officer", "officer", "SO");
	snprintf(url_direct, sizeof(url_direct), "%s", t_url());
	root = getenv("MEDEX_TEST_ROOT");
	ck_assert_ptr_nonnull(root);

	t_second_start("same-keys", url2, sizeof(url2));

	/* nginx in front of both: the second's port, from its URL. */
	snprintf(cmd, sizeof(cmd), "%s/tests/http/nginx_front.sh start %s",
	    root, strrchr(url2, ':') + 1);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(ports, sizeof(ports), fp));
	ck_assert_int_eq(pclose(fp), 0);
	ck_assert_int_eq(sscanf(ports, "%d %d", &https, &http), 2);

	snprintf(url_https, sizeof(url_https), "https://127.0.0.1:%d", https);
	snprintf(url_http, sizeof(url_http), "http://127.0.0.1:%d", http);
	snprintf(ca, sizeof(ca), "%s/nginx/fullchain.pem",
	    getenv("MEDEX_DATA"));
	setenv("MEDEX_TEST_URL", url_https, 1);
	setenv("MEDEX_TEST_CAINFO", ca, 1);
}

static void
teardown(void)
{
	char	cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/tests/http/nginx_front.sh stop",
	    getenv("MEDEX_TEST_ROOT"));
	(void)t_run(cmd);
	t_second_stop();
	setenv("MEDEX_TEST_URL", url_direct, 1);
	unsetenv("MEDEX_TEST_CAINFO");
}

/*
 * Which instance answered: 1 or 2, the one whose log has the line of the
 * answer's X-Request-Id (respond.c writes it before answering).  Fails
 * unless exactly one has it.
 */
static int
instance_of(const struct t_resp *r)
{
	char	*id, path[1024], needle[64], *log1, *log2;
	int	 in1, in2;

	id = t_header(r, "x-request-id");
	ck_assert_msg(id != NULL, "no x-request-id (status %ld): %s",
	    r->status, r->body);
	snprintf(needle, sizeof(needle), " req=%s ", id);
	snprintf(path, sizeof(path), "%s/kore.log", getenv("MEDEX_DATA"));
	log1 = t_file(path);
	snprintf(path, sizeof(path), "%s/second/kore.log",
	    getenv("MEDEX_DATA"));
	log2 = t_file(path);
	in1 = strstr(log1, needle) != NULL;
	in2 = strstr(log2, needle) != NULL;
	free(log1);
	free(log2);
	ck_assert_msg(in1 + in2 == 1, "request %s in %d instance logs", id,
	    in1 + in2);
	free(id);
	return (in1 ? 1 : 2);
}

/*
 * Logs in through nginx.  The cookie must be Secure: nginx says the
 * request came over TLS (X-Forwarded-Proto).
 */
static void
login(const char *username, struct t_session *s)
{
	struct t_resp	 r;
	char		 body[256], *sc, *semi;
	const char	*tok;

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":"
	    "\"%s\"}", username, T_PASSWORD);
	t_post_json("/api/v1/auth/login", NULL, body, &r);
	ck_assert_msg(r.status == 200, "login %ld: %s", r.status, r.body);
	memset(s, 0, sizeof(*s));
	tok = t_json_str(&r, "token");
	ck_assert_ptr_nonnull(tok);
	snprintf(s->token, sizeof(s->token), "%s", tok);
	snprintf(s->bearer, sizeof(s->bearer), "Authorization: Bearer %s",
	    tok);
	sc = t_header(&r, "set-cookie");
	ck_assert_ptr_nonnull(sc);
	ck_assert_msg(strstr(sc, "; Secure") != NULL, "not Secure");
	if ((semi = strchr(sc, ';')) != NULL)
		*semi = '\0';
	snprintf(s->cookie, sizeof(s->cookie), "Cookie: %s", sc);
	free(sc);
	t_resp_free(&r);
}

START_TEST(nginx_spreads_requests_over_both)
{
	struct t_resp	 r;
	char		*hsts;
	int		 i, seen[3];

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N_SPREAD; i++) {
		ck_assert_int_eq(t_get("/readyz", NULL, &r), 0);
		ck_assert_msg(r.status == 200, "readyz %ld", r.status);
		/* conf/nginx-medex.conf's "listen 443 ssl http2" and HSTS. */
		ck_assert_msg(strncmp(r.headers, "HTTP/2 ", 7) == 0,
		    "not HTTP/2: %.40s", r.headers);
		hsts = t_header(&r, "strict-transport-security");
		ck_assert_ptr_nonnull(hsts);
		ck_assert_str_eq(hsts, "max-age=63072000; includeSubDomains");
		free(hsts);
		seen[instance_of(&r)]++;
		t_resp_free(&r);
	}
	ck_assert_msg(seen[1] > 0 && seen[2] > 0,
	    "first instance %d, second %d of %d", seen[1], seen[2], N_SPREAD);
}
END_TEST

START_TEST(plain_http_redirects_to_https)
{
	struct t_resp	 r;
	char		*loc;

	setenv("MEDEX_TEST_URL", url_http, 1);
	ck_assert_int_eq(t_get("/api/v1/me?x=1", NULL, &r), 0);
	setenv("MEDEX_TEST_URL", url_https, 1);
	ck_assert_int_eq(r.status, 301);
	loc = t_header(&r, "location");
	ck_assert_ptr_nonnull(loc);
	ck_assert_str_eq(loc, "https://127.0.0.1/api/v1/me?x=1");
	free(loc);
	t_resp_free(&r);
}
END_TEST

START_TEST(logout_via_nginx_ends_token_on_both)
{
	struct t_session	 s;
	struct t_resp		 r;
	const char		*h[2];
	int			 i, seen[3];

	login("so.officer", &s);
	/* The token works on both instances first. */
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N_SPREAD; i++) {
		t_get("/api/v1/me", s.bearer, &r);
		ck_assert_msg(r.status == 200, "me %ld: %s", r.status, r.body);
		seen[instance_of(&r)]++;
		t_resp_free(&r);
	}
	ck_assert_msg(seen[1] > 0 && seen[2] > 0, "before: %d and %d",
	    seen[1], seen[2]);

	h[0] = s.bearer;
	h[1] = NULL;
	t_request("POST", "/api/v1/auth/logout", h, NULL, 0, &r);
	ck_assert_msg(r.status == 204, "logout %ld: %s", r.status, r.body);
	t_resp_free(&r);

	/* Refused on every following request, whichever instance answers. */
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N_SPREAD; i++) {
		t_get("/api/v1/me", s.bearer, &r);
		t_assert_error(&r, 401, "unauthenticated");
		seen[instance_of(&r)]++;
		t_resp_free(&r);
		t_get("/api/v1/cases", s.cookie, &r);
		t_assert_error(&r, 401, "unauthenticated");
		seen[instance_of(&r)]++;
		t_resp_free(&r);
	}
	ck_assert_msg(seen[1] > 0 && seen[2] > 0, "after: %d and %d",
	    seen[1], seen[2]);
}
END_TEST

static const char *
case_body(const char *family, const char *dod)
{
	static char	buf[1024];

	snprintf(buf, sizeof(buf), "{\"given_name\":\"Ada\",\"family_name\":"
	    "\"%s\",\"date_of_birth\":\"1931-05-04\",\"sex\":\"female\","
	    "\"date_of_death\":\"%s\",\"place_of_death\":\"home\","
	    "\"attending_practitioner\":{\"name\":\"Dr B Evans\","
	    "\"gmc_number\":\"7654321\"}}", family, dod);
	return (buf);
}

START_TEST(idempotency_via_nginx_holds_on_both)
{
	struct t_session	 s;
	struct t_resp		 first, r;
	PGconn			*db;
	char			 family[64], key[96], body[1024];
	char			*n;
	const char		*h[4], *p[1];
	int			 i, seen[3];

	snprintf(family, sizeof(family), "Scaleout%ld", (long)getpid());
	snprintf(key, sizeof(key), "Idempotency-Key: scale-out-%ld",
	    (long)getpid());
	snprintf(body, sizeof(body), "%s", case_body(family, "2026-09-01"));
	login("so.officer", &s);
	h[0] = s.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = key;
	h[3] = NULL;

	memset(seen, 0, sizeof(seen));
	t_request("POST", "/api/v1/cases", h, body, strlen(body), &first);
	ck_assert_msg(first.status == 201, "create %ld: %s", first.status,
	    first.body);
	seen[instance_of(&first)]++;
	for (i = 0; i < 6; i++) {
		t_request("POST", "/api/v1/cases", h, body, strlen(body), &r);
		ck_assert_int_eq(r.status, first.status);
		ck_assert_str_eq(r.body, first.body);
		seen[instance_of(&r)]++;
		t_resp_free(&r);
	}
	ck_assert_msg(seen[1] > 0 && seen[2] > 0, "replays: %d and %d",
	    seen[1], seen[2]);

	/* The same key with another body, on both instances: a conflict. */
	snprintf(body, sizeof(body), "%s", case_body(family, "2026-09-02"));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 4; i++) {
		t_request("POST", "/api/v1/cases", h, body, strlen(body), &r);
		t_assert_error(&r, 409, "conflict");
		seen[instance_of(&r)]++;
		t_resp_free(&r);
	}
	ck_assert_msg(seen[1] > 0 && seen[2] > 0, "conflicts: %d and %d",
	    seen[1], seen[2]);

	/* Exactly one case was made (in the office's rows: RLS). */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'SO')::text, false)", NULL,
	    0), 0);
	p[0] = family;
	n = t_db_value_p(db, "SELECT count(*) FROM cases WHERE "
	    "family_name = $1", 1, p);
	PQfinish(db);
	ck_assert_str_eq(n, "1");
	free(n);
	t_resp_free(&first);
}
END_TEST

START_TEST(nginx_413_has_the_api_error_shape)
{
	struct t_session	 s;
	struct t_resp		 r;
	const char		*h[3];
	char			*big, *id;
	size_t			 len;

	login("so.officer", &s);
	len = 64 * 1024 + 1;
	big = malloc(len);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	h[0] = s.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = NULL;
	t_request("POST", "/api/v1/cases", h, big, len, &r);
	free(big);
	t_assert_error(&r, 413, "payload_too_large");
	/* nginx answered, not medex: no request id. */
	id = t_header(&r, "x-request-id");
	ck_assert_msg(id == NULL, "medex answered: %s", id);
	t_resp_free(&r);
}
END_TEST

/*
 * Behind nginx every connection to medex comes from nginx.  20 failed
 * logins with invented usernames from one client (127.0.0.1) must not
 * throttle a real user on another client (127.0.0.2): medex takes the
 * client from nginx's X-Real-IP (the peer is a trusted proxy), and the
 * security log records each client's own address.  The old code counted
 * everyone as 127.0.0.1 and answered the real user 429.
 */
START_TEST(failed_logins_behind_nginx_lock_out_nobody_else)
{
	struct t_session	 s;
	PGconn			*db;
	char			 name[64], *v;
	int			 i, st;

	t_forget_failures();
	for (i = 0; i < 21; i++) {
		snprintf(name, sizeof(name), "ghost.front.%d", i);
		st = t_login(name, "wrong password!", &s);
		/* 429: nginx's limit_req or medex's own, per address. */
		ck_assert_msg(st == 401 || st == 429, "status %d", st);
	}
	setenv("MEDEX_TEST_INTERFACE", "127.0.0.2", 1);
	st = t_login("so.officer", T_PASSWORD, &s);
	unsetenv("MEDEX_TEST_INTERFACE");
	ck_assert_msg(st == 200, "the real user got %d", st);

	db = t_db("db_owner");
	v = t_db_value(db, "SELECT address FROM security_events WHERE "
	    "action = 'login' AND actor = 'so.officer' ORDER BY id DESC "
	    "LIMIT 1");
	ck_assert_str_eq(v, "127.0.0.2");
	free(v);
	v = t_db_value(db, "SELECT count(*) > 0 AND bool_and(address = "
	    "'127.0.0.1') FROM security_events WHERE action = 'login_failed' "
	    "AND actor LIKE 'ghost.front.%'");
	ck_assert_str_eq(v, "t");
	free(v);
	PQfinish(db);
	t_forget_failures();
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("scale_out");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, nginx_spreads_requests_over_both);
	tcase_add_test(tc, plain_http_redirects_to_https);
	tcase_add_test(tc, failed_logins_behind_nginx_lock_out_nobody_else);
	tcase_add_test(tc, logout_via_nginx_ends_token_on_both);
	tcase_add_test(tc, idempotency_via_nginx_holds_on_both);
	tcase_add_test(tc, nginx_413_has_the_api_error_shape);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
