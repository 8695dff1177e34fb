/*
 * Every route x every role (issue 4, acceptance 2), generated from the
 * same table the server enforces (app/core/route_table.c): a role the
 * table allows is never refused as forbidden or unauthenticated; a role
 * it does not allow gets 403 `forbidden`.  Public routes answer without a
 * token.  A route added to the table is covered here at once.  Pages
 * (every route outside /api/ that needs a login) answer as pages do: a
 * 403 page, and without a token a redirect to /login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route_table.h"
#include "testlib.h"

static struct t_session	sess[ROLE_COUNT];
static char		case_id[64];

static void
user_name(enum role r, char *out, size_t len)
{
	snprintf(out, len, "roles.%s", role_str(r));
	for (; *out != '\0'; out++) {
		if (*out == '_')
			*out = '-';
	}
}

/*
 * Routes only the case's examiner may use answer 403 to any other ME, as
 * API.md documents; make the ME of this test that examiner.
 */
static void
assign_examiner(void)
{
	struct t_resp	 r;
	char		 path[128], ifm[64];
	const char	*h[4];
	const char	*body = "{\"examiner\":\"roles.medical-examiner\"}";

	snprintf(path, sizeof(path), "/api/v1/cases/%s", case_id);
	t_get(path, sess[ROLE_LEAD_MEDICAL_EXAMINER].bearer, &r);
	snprintf(ifm, sizeof(ifm), "If-Match: \"%lld\"", (long long)
	    json_integer_value(json_object_get(r.json, "version")));
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/assignment", case_id);
	h[0] = sess[ROLE_LEAD_MEDICAL_EXAMINER].bearer;
	h[1] = "Content-Type: application/json";
	h[2] = ifm;
	h[3] = NULL;
	t_request("PUT", path, h, body, strlen(body), &r);
	ck_assert_msg(r.status == 200, "assignment: %ld %s", r.status, r.body);
	t_resp_free(&r);
}

/* A case of the ROLES office, for routes that name one (if served). */
static void
make_case(void)
{
	struct t_resp	r;
	const char	*id;

	case_id[0] = '\0';
	t_post_json("/api/v1/cases", sess[ROLE_OFFICER].bearer,
	    "{\"given_name\":\"Ada\",\"family_name\":\"Roles\","
	    "\"date_of_birth\":\"1940-01-02\",\"sex\":\"female\","
	    "\"date_of_death\":\"2026-11-01\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr A\","
	    "\"gmc_number\":\"1234567\"}}", &r);
	if (r.status == 201 && (id = t_json_str(&r, "id")) != NULL)
		snprintf(case_id, sizeof(case_id), "%s", id);
	t_resp_free(&r);
	if (case_id[0] != '\0')
		assign_examiner();
}

static void
setup(void)
{
	char	name[64];
	int	r;

	t_forget_failures();
	t_user("roles.target", "officer", "ROLES");
	for (r = 0; r < ROLE_COUNT; r++) {
		user_name((enum role)r, name, sizeof(name));
		t_user(name, role_str((enum role)r), "ROLES");
		t_login_ok(name, &sess[r]);
	}
	make_case();
}

/* The pattern with its captures filled in; 0 if it cannot be. */
static int
fill_path(const char *pattern, char *out, size_t len)
{
	const char	*p, *end, *value;
	size_t		 o;

	o = 0;
	for (p = pattern; *p != '\0' && o + 1 < len; p++) {
		if (*p != '{') {
			out[o++] = *p;
			continue;
		}
		end = strchr(p, '}');
		if (strncmp(p, "{username}", 10) == 0)
			value = "roles.target";
		else if (strncmp(p, "{code}", 6) == 0)
			value = "ROLES";
		else if (case_id[0] != '\0')
			value = case_id;
		else
			return (0);
		o += (size_t)snprintf(out + o, len - o, "%s", value);
		p = end;
	}
	out[o] = '\0';
	return (1);
}

static long
call(const struct route_def *rd, const char *path, const char *bearer,
    char **body)
{
	struct t_resp	 r;
	const char	*h[3] = { bearer, "Content-Type: application/json",
			    NULL };
	const char	*payload;
	long		 status;

	payload = rd->method == RM_GET || rd->method == RM_DELETE ? NULL :
	    "{}";
	t_request(route_method_str(rd->method), path, h, payload,
	    payload ? 2 : 0, &r);
	status = r.status;
	*body = strdup(r.body);
	t_resp_free(&r);
	return (status);
}

START_TEST(every_route_and_role_gets_the_documented_answer)
{
	const struct route_def	*rd;
	struct t_session	 fresh;
	char			 path[512], name[64], *body;
	const char		*bearer;
	size_t			 i;
	long			 st;
	int			 r, cells, allowed, page;

	cells = 0;
	for (i = 0; i < route_table_count; i++) {
		rd = &route_table[i];
		ck_assert_msg(rd->roles != 0, "%s has no roles", rd->pattern);
		if (!fill_path(rd->pattern, path, sizeof(path)))
			continue;
		page = strncmp(rd->pattern, "/api/", 5) != 0;
		if (rd->roles & ROUTE_PUBLIC) {
			st = call(rd, path, NULL, &body);
			ck_assert_msg(st != 401 && st != 403 && st < 500,
			    "public %s %s: %ld %s", route_method_str(rd->method),
			    path, st, body);
			free(body);
			cells++;
			continue;
		}
		for (r = 0; r < ROLE_COUNT; r++) {
			bearer = sess[r].bearer;
			/* Logout and refresh end the token: use a fresh one. */
			if (rd->id == R_AUTH_LOGOUT || rd->id == R_AUTH_REFRESH ||
			    rd->id == R_PAGE_LOGOUT) {
				user_name((enum role)r, name, sizeof(name));
				t_login_ok(name, &fresh);
				bearer = fresh.bearer;
			}
			allowed = role_in(rd->roles, (enum role)r);
			st = call(rd, path, bearer, &body);
			if (allowed)
				ck_assert_msg(st != 401 && st != 403 &&
				    st != 404 && st != 405 && st < 500,
				    "%s %s as %s: %ld %s",
				    route_method_str(rd->method), path,
				    role_str((enum role)r), st, body);
			else
				ck_assert_msg(st == 403 && (page ||
				    strstr(body, "\"forbidden\"") != NULL),
				    "%s %s as %s: %ld %s, wanted 403",
				    route_method_str(rd->method), path,
				    role_str((enum role)r), st, body);
			/* Without a token every one of them is 401. */
			free(body);
			st = call(rd, path, NULL, &body);
			ck_assert_msg(st == (page ? 303 : 401),
			    "%s %s without a token: %ld",
			    route_method_str(rd->method), path, st);
			free(body);
			cells++;
		}
	}
	ck_assert_int_ge(cells, 60);
}
END_TEST

START_TEST(office_b_lead_cannot_read_office_a_users)
{
	struct t_session	s;
	struct t_resp		r;

	t_user("rolesb.lead", "lead_medical_examiner", "ROLESB");
	t_login_ok("rolesb.lead", &s);
	t_get("/api/v1/users/roles.target", s.bearer, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	t_get("/api/v1/users", s.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "roles.target"));
	ck_assert_ptr_nonnull(strstr(r.body, "rolesb.lead"));
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("roles");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, every_route_and_role_gets_the_documented_answer);
	tcase_add_test(tc, office_b_lead_cannot_read_office_a_users);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
