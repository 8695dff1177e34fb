/*
 * The pages that add a bereaved person to contact and assign a case
 * (issue 6): an ME claims a case, an officer assigns the case's officer
 * (and is never offered the examiner), a liaison officer adds a person;
 * each through the API's own call, and what the role may not do is
 * neither offered nor accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define FORM	"Content-Type: application/x-www-form-urlencoded"
#define XSS	"%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E"

static void
setup(void)
{
	t_forget_failures();
	t_user("pp.me", "medical_examiner", "PP");
	t_user("pp.me2", "medical_examiner", "PP");
	t_user("pp.officer", "officer", "PP");
	t_user("pp.liaison", "liaison_officer", "PP");
}

static void
get_page(const char *path, const struct t_session *s, struct t_resp *r)
{
	const char	*h[2] = { s->cookie, NULL };

	t_request("GET", path, h, NULL, 0, r);
}

static void
post_form(const char *path, const struct t_session *s, const char *body,
    struct t_resp *r)
{
	const char	*h[3] = { FORM, s->cookie, NULL };

	t_request("POST", path, h, body, strlen(body), r);
}

static void
hidden(const struct t_resp *r, const char *name, char *out, size_t len)
{
	const char	*p, *q;
	char		 pat[96];

	snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
	p = strstr(r->body, pat);
	ck_assert_msg(p != NULL, "no hidden %s", name);
	p += strlen(pat);
	q = strchr(p, '"');
	ck_assert_ptr_nonnull(q);
	snprintf(out, len, "%.*s", (int)(q - p), p);
}

/* GET the form: its csrf_token, form_key and version, as a body. */
static void
form_fields(const struct t_session *s, const char *path, char *out,
    size_t len, struct t_resp *keep)
{
	struct t_resp	r;
	char		csrf[80], key[160], ver[32];

	get_page(path, s, &r);
	ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
	hidden(&r, "csrf_token", csrf, sizeof(csrf));
	hidden(&r, "form_key", key, sizeof(key));
	ver[0] = '\0';
	if (strstr(r.body, "name=\"version\" value=\"") != NULL)
		hidden(&r, "version", ver, sizeof(ver));
	snprintf(out, len, "csrf_token=%s&form_key=%s&version=%s", csrf, key,
	    ver);
	if (keep != NULL)
		*keep = r;
	else
		t_resp_free(&r);
}

static void
create(const struct t_session *s, char id[32])
{
	static const char	 body[] = "{\"given_name\":\"Ray\","
	    "\"family_name\":\"People\",\"date_of_birth\":\"1944-04-04\","
	    "\"sex\":\"male\",\"date_of_death\":\"2026-11-01\","
	    "\"place_of_death\":\"hospice\",\"attending_practitioner\":"
	    "{\"name\":\"Dr D\",\"gmc_number\":\"1234567\"}}";
	const char		*h[3] = { s->bearer,
	    "Content-Type: application/json", NULL };
	struct t_resp		 r;

	t_request("POST", "/api/v1/cases", h, body, strlen(body), &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static json_t *
case_json(const struct t_session *s, const char *id)
{
	struct t_resp	 r;
	char		 path[96];
	const char	*h[2] = { s->bearer, NULL };
	json_t		*j;

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	t_request("GET", path, h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	j = json_incref(r.json);
	t_resp_free(&r);
	return (j);
}

static const char *
jstr(json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

START_TEST(a_liaison_officer_adds_a_bereaved_person_to_contact)
{
	struct t_session	 liaison, officer;
	struct t_resp		 r;
	char			 id[32], path[96], base[400], body[1024];
	json_t			*j, *p;

	t_login_ok("pp.liaison", &liaison);
	t_login_ok("pp.officer", &officer);
	create(&officer, id);
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &liaison, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "/representative\">Add a "
	    "bereaved person to contact</a>"));
	t_resp_free(&r);

	snprintf(path, sizeof(path), "/cases/%s/representative", id);
	form_fields(&liaison, path, base, sizeof(base), NULL);
	/* Without a name: the form again with the error, nothing saved. */
	snprintf(body, sizeof(body), "%s&name=&relationship=Sister", base);
	post_form(path, &liaison, body, &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "nhsuk-error-summary"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#name\""));
	t_resp_free(&r);

	form_fields(&liaison, path, base, sizeof(base), NULL);
	snprintf(body, sizeof(body), "%s&name=" XSS "&relationship=Sister&"
	    "phone=01632+960000&email=&present_at_death=yes&is_informant=no",
	    base);
	post_form(path, &liaison, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	post_form(path, &liaison, body, &r);	/* sent twice */
	ck_assert_int_eq(r.status, 303);
	t_resp_free(&r);

	j = case_json(&officer, id);
	ck_assert_uint_eq(json_array_size(json_object_get(j,
	    "representatives")), 1);
	p = json_array_get(json_object_get(j, "representatives"), 0);
	ck_assert_str_eq(jstr(p, "name"), "<script>alert(1)</script>");
	ck_assert(json_is_true(json_object_get(p, "present_at_death")));
	ck_assert(json_is_false(json_object_get(p, "is_informant")));
	json_decref(j);

	/* The case page lists the person, as text. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &liaison, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;script&gt;alert(1)"
	    "&lt;/script&gt;"));
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_nonnull(strstr(r.body, "Sister, 01632 960000"));
	t_resp_free(&r);
}
END_TEST

START_TEST(an_examiner_claims_a_case_and_an_officer_assigns_the_officer)
{
	struct t_session	 me, me2, officer, liaison;
	struct t_resp		 r;
	char			 id[32], path[96], base[400], body[1024];
	json_t			*j;

	t_login_ok("pp.me", &me);
	t_login_ok("pp.me2", &me2);
	t_login_ok("pp.officer", &officer);
	t_login_ok("pp.liaison", &liaison);
	create(&officer, id);

	/* The ME's form offers them by name (issue 18): a claim. */
	snprintf(path, sizeof(path), "/cases/%s/assignment", id);
	form_fields(&me, path, base, sizeof(base), &r);
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"examiner\" "
	    "type=\"radio\" value=\"pp.me\""));
	ck_assert_ptr_null(strstr(r.body, "type=\"text\""));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "%s&examiner=pp.me&officer=", base);
	post_form(path, &me, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	j = case_json(&me, id);
	ck_assert_str_eq(jstr(j, "examiner"), "pp.me");
	json_decref(j);

	/* An ME may assign only themself: the API's 403, nothing kept. */
	form_fields(&me2, path, base, sizeof(base), NULL);
	snprintf(body, sizeof(body), "%s&examiner=pp.liaison", base);
	post_form(path, &me2, body, &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_ptr_nonnull(strstr(r.body, "may not assign"));
	t_resp_free(&r);
	j = case_json(&me, id);
	ck_assert_str_eq(jstr(j, "examiner"), "pp.me");
	json_decref(j);

	/* An officer is offered only the officer, and takes the case. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &officer, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "/assign-officer\">"));
	ck_assert_ptr_null(strstr(r.body, "/assignment\">"));
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/assign-officer", id);
	form_fields(&officer, path, base, sizeof(base), &r);
	ck_assert_ptr_null(strstr(r.body, "name=\"examiner\""));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "%s&officer=pp.officer", base);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	j = case_json(&me, id);
	ck_assert_str_eq(jstr(j, "officer"), "pp.officer");
	ck_assert_str_eq(jstr(j, "examiner"), "pp.me");
	json_decref(j);
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &me, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Medical examiner officer</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">pp.officer"));
	t_resp_free(&r);

	/* Posting the examiners' form as an officer or liaison: 403. */
	snprintf(path, sizeof(path), "/cases/%s/assignment", id);
	snprintf(body, sizeof(body), "csrf_token=%s&examiner=pp.me2",
	    officer.csrf);
	post_form(path, &officer, body, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/assign-officer", id);
	get_page(path, &liaison, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);
	j = case_json(&me, id);
	ck_assert_str_eq(jstr(j, "examiner"), "pp.me");
	json_decref(j);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("page_people");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_liaison_officer_adds_a_bereaved_person_to_contact);
	tcase_add_test(tc,
	    an_examiner_claims_a_case_and_an_officer_assigns_the_officer);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
