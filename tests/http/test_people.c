/*
 * Issue 18, people by name and the missing case pages: a reallocation
 * needs a reason (API and form; the reason is in the event and the
 * timeline), the assignment forms name people with their open cases,
 * the details form (prefilled, PATCH behind If-Match, saved unchanged
 * records nothing, a stale version is an error summary), and notes by
 * kind through their page (grouped on the case page; never in the
 * liaison officer's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define FORM	"Content-Type: application/x-www-form-urlencoded"

static void
user(const char *username, const char *role, const char *name)
{
	char	cmd[1024];

	t_office("PE");
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | %s/medexctl user "
	    "add %s --role %s --office PE --name '%s' >/dev/null 2>&1",
	    T_PASSWORD, getenv("MEDEX_TEST_OUT"), username, role, name);
	(void)t_run(cmd);
}

static void
setup(void)
{
	t_forget_failures();
	user("pe.lead", "lead_medical_examiner", "Dr Asha Rao");
	user("pe.me", "medical_examiner", "Dr Ben Ode");
	user("pe.me2", "medical_examiner", "Dr Cara Lim");
	user("pe.officer", "officer", "Dee Officer");
	user("pe.officer2", "officer", "Eli Officer");
	user("pe.liaison", "liaison_officer", "Fay Liaison");
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
	ck_assert_msg(p != NULL, "no hidden %s in %.300s", name,
	    strstr(r->body, "notified_at-day") != NULL ? strstr(r->body,
	    "notified_at-day") : "(none)");
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
create(const struct t_session *s, const char *family, char id[32])
{
	char		 body[512];
	const char	*h[3] = { s->bearer, "Content-Type: application/json",
	    NULL };
	struct t_resp	 r;

	snprintf(body, sizeof(body), "{\"given_name\":\"Ivy\","
	    "\"family_name\":\"%s\",\"date_of_birth\":\"1944-04-04\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-01\","
	    "\"place_of_death\":\"hospice\",\"attending_practitioner\":"
	    "{\"name\":\"Dr D\",\"gmc_number\":\"1234567\"}}", family);
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

static long long
version_of(const struct t_session *s, const char *id)
{
	json_t		*j;
	long long	 v;

	j = case_json(s, id);
	v = json_integer_value(json_object_get(j, "version"));
	json_decref(j);
	return (v);
}

/* The case's events of this action (count), the last one in *last. */
static size_t
events(const struct t_session *s, const char *id, const char *action,
    json_t **last)
{
	struct t_resp	 r;
	char		 path[128];
	const char	*h[2] = { s->bearer, NULL };
	json_t		*e;
	size_t		 i, n;

	snprintf(path, sizeof(path), "/api/v1/cases/%s/events?limit=200", id);
	t_request("GET", path, h, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	n = 0;
	if (last != NULL)
		*last = NULL;
	json_array_foreach(json_object_get(r.json, "items"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "action")),
		    action) != 0)
			continue;
		n++;
		if (last != NULL) {
			json_decref(*last);
			*last = json_incref(e);
		}
	}
	t_resp_free(&r);
	return (n);
}

static void
put_assignment(const struct t_session *s, const char *id, const char *body,
    struct t_resp *r)
{
	char		 path[96], ifm[64];
	const char	*h[4] = { s->bearer, "Content-Type: application/json",
	    ifm, NULL };

	snprintf(ifm, sizeof(ifm), "If-Match: \"%lld\"", version_of(s, id));
	snprintf(path, sizeof(path), "/api/v1/cases/%s/assignment", id);
	t_request("PUT", path, h, body, strlen(body), r);
}

/* Is the radio of this value checked? */
static int
chosen(const struct t_resp *r, const char *value)
{
	const char	*p, *end;
	char		 pat[96];

	snprintf(pat, sizeof(pat), "type=\"radio\" value=\"%s\"", value);
	if ((p = strstr(r->body, pat)) == NULL ||
	    (end = strchr(p, '>')) == NULL)
		return (0);
	p = strstr(p, " checked");
	return (p != NULL && p < end);
}

/* Replaces the first from in s by to. */
static void
replace(char *s, size_t len, const char *from, const char *to)
{
	char	*p, tail[2048];

	p = strstr(s, from);
	ck_assert_msg(p != NULL, "no %s", from);
	snprintf(tail, sizeof(tail), "%s", p + strlen(from));
	snprintf(p, len - (size_t)(p - s), "%s%s", to, tail);
}

START_TEST(a_reallocation_needs_a_reason_which_the_trail_keeps)
{
	struct t_session	 lead, officer;
	struct t_resp		 r;
	char			 id[32], path[96];
	json_t			*j, *e;
	long long		 v;

	t_login_ok("pe.lead", &lead);
	t_login_ok("pe.officer", &officer);
	create(&officer, "Realloc", id);

	/* A first assignment needs no reason. */
	put_assignment(&lead, id, "{\"examiner\":\"pe.me\"}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	t_resp_free(&r);

	/* Taking it from pe.me without a reason: 422, nothing changed. */
	v = version_of(&lead, id);
	put_assignment(&lead, id, "{\"examiner\":\"pe.me2\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_object_get(
	    r.json, "error"), "fields"), "reason"));
	t_resp_free(&r);
	put_assignment(&lead, id, "{\"examiner\":null}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	put_assignment(&lead, id, "{\"examiner\":\"pe.me2\",\"reason\":\"\"}",
	    &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	j = case_json(&lead, id);
	ck_assert_str_eq(json_string_value(json_object_get(j, "examiner")),
	    "pe.me");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), v);
	json_decref(j);
	ck_assert_uint_eq(events(&lead, id, "assigned", NULL), 1);

	/* Sent again as it is: no reason needed, nothing recorded. */
	put_assignment(&lead, id, "{\"examiner\":\"pe.me\"}", &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	ck_assert_uint_eq(events(&lead, id, "assigned", NULL), 1);

	/* With a reason: 200, the reason in the event and the timeline. */
	put_assignment(&lead, id, "{\"examiner\":\"pe.me2\",\"reason\":"
	    "\"Dr Ode is on leave <b>until</b> Monday\"}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	ck_assert_uint_eq(events(&lead, id, "assigned", &e), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(e, "changes"), "reason"), "new")),
	    "Dr Ode is on leave <b>until</b> Monday");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(e, "changes"), "examiner"), "new")), "pe.me2");
	json_decref(e);
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &lead, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "Assigned to Dr Cara Lim as medical "
	    "examiner by Dr Asha Rao (reason: Dr Ode is on leave "
	    "&lt;b&gt;until&lt;/b&gt; Monday)") != NULL, "no reason in the "
	    "timeline");
	t_resp_free(&r);

	/* The officer likewise: first free, then a reason. */
	put_assignment(&officer, id, "{\"officer\":\"pe.officer\"}", &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	put_assignment(&officer, id, "{\"officer\":\"pe.officer2\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	put_assignment(&officer, id, "{\"officer\":\"pe.officer2\","
	    "\"reason\":\"Handover\"}", &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

START_TEST(the_assignment_forms_name_people_and_ask_why_on_reallocation)
{
	struct t_session	 lead, me, officer;
	struct t_resp		 r;
	char			 id[32], path[96], base[400], body[1024];
	json_t			*j;

	t_login_ok("pe.lead", &lead);
	t_login_ok("pe.me", &me);
	t_login_ok("pe.officer", &officer);
	create(&officer, "Radios", id);

	/* Unassigned: the lead is offered every ME by name, no reason. */
	snprintf(path, sizeof(path), "/cases/%s/assignment", id);
	form_fields(&lead, path, base, sizeof(base), &r);
	ck_assert_ptr_nonnull(strstr(r.body, "type=\"radio\" value=\"pe.me\""));
	ck_assert_ptr_nonnull(strstr(r.body, ">Dr Ben Ode</label>"));
	ck_assert_ptr_nonnull(strstr(r.body, ">Dr Cara Lim</label>"));
	ck_assert_ptr_nonnull(strstr(r.body, ">Dee Officer</label>"));
	ck_assert_ptr_nonnull(strstr(r.body, "open case"));
	ck_assert_ptr_null(strstr(r.body, "type=\"text\""));
	ck_assert_ptr_null(strstr(r.body, "name=\"reason\""));
	ck_assert_ptr_null(strstr(r.body, " checked"));
	t_resp_free(&r);

	/* An ME claims it: their form offers only themself. */
	form_fields(&me, path, base, sizeof(base), &r);
	ck_assert_ptr_nonnull(strstr(r.body, ">Dr Ben Ode</label>"));
	ck_assert_ptr_null(strstr(r.body, ">Dr Cara Lim</label>"));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "%s&examiner=pe.me", base);
	post_form(path, &me, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);

	/* The lead's form now has pe.me chosen and asks why. */
	form_fields(&lead, path, base, sizeof(base), &r);
	ck_assert_msg(chosen(&r, "pe.me"), "pe.me not chosen");
	ck_assert_msg(!chosen(&r, "pe.me2"), "pe.me2 chosen");
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"reason\""));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "%s&examiner=pe.me2&reason=", base);
	post_form(path, &lead, body, &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "nhsuk-error-summary"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#reason\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Enter the reason for the "
	    "reallocation"));
	t_resp_free(&r);
	j = case_json(&lead, id);
	ck_assert_str_eq(json_string_value(json_object_get(j, "examiner")),
	    "pe.me");
	json_decref(j);
	form_fields(&lead, path, base, sizeof(base), NULL);
	snprintf(body, sizeof(body), "%s&examiner=pe.me2&reason=Sick+leave",
	    base);
	post_form(path, &lead, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &lead, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "(reason: Sick leave)"));
	t_resp_free(&r);
}
END_TEST

START_TEST(the_details_form_changes_the_case_and_only_when_changed)
{
	struct t_session	 officer, liaison;
	struct t_resp		 r;
	char			 id[32], path[96], base[400], early[400];
	char			 stale[2048];
	char			 body[2048];
	json_t			*j;
	char			*loc;
	long long		 v;
	size_t			 n;

	t_login_ok("pe.officer", &officer);
	t_login_ok("pe.liaison", &liaison);
	create(&officer, "Details", id);

	/* The case page's Change links lead to the form, prefilled. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &officer, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "/details"));
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/details", id);
	form_fields(&officer, path, base, sizeof(base), &r);
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"family_name\" "
	    "type=\"text\" value=\"Details\""));
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"date_of_death-year\" "
	    "type=\"text\" inputmode=\"numeric\" value=\"2026\""));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"hospice\" checked"));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"ethnicity\""));
	t_resp_free(&r);
	get_page(path, &liaison, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);

	/* Saved as it is: no event, the same version. */
	v = version_of(&officer, id);
	n = events(&officer, id, "updated", NULL);
	form_fields(&officer, path, base, sizeof(base), &r);
	{
		/* Every field as the form shows it. */
		char	nt[4][16];

		hidden(&r, "notified_at-day\" type=\"text\" "
		    "inputmode=\"numeric", nt[0], sizeof(nt[0]));
		hidden(&r, "notified_at-month\" type=\"text\" "
		    "inputmode=\"numeric", nt[1], sizeof(nt[1]));
		hidden(&r, "notified_at-year\" type=\"text\" "
		    "inputmode=\"numeric", nt[2], sizeof(nt[2]));
		hidden(&r, "notified_at-time\" type=\"text", nt[3],
		    sizeof(nt[3]));
		snprintf(body, sizeof(body), "%s&given_name=Ivy&family_name="
		    "Details&nhs_number=&date_of_birth-day=4&"
		    "date_of_birth-month=4&date_of_birth-year=1944&"
		    "sex=female&date_of_death-day=1&date_of_death-month=11&"
		    "date_of_death-year=2026&time_of_death=&"
		    "place_of_death=hospice&place_detail=&ap_name=Dr+D&"
		    "ap_gmc=1234567&ethnicity=&notified_at-day=%s&"
		    "notified_at-month=%s&notified_at-year=%s&"
		    "notified_at-time=%s&priority_detail=", base, nt[0],
		    nt[1], nt[2], nt[3]);
	}
	t_resp_free(&r);
	snprintf(stale, sizeof(stale), "%s", body);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	ck_assert_int_eq(version_of(&officer, id), v);
	ck_assert_uint_eq(events(&officer, id, "updated", NULL), n);

	/* A change: the case has it, one event, a new version. */
	form_fields(&officer, path, early, sizeof(early), NULL);
	form_fields(&officer, path, base, sizeof(base), NULL);
	snprintf(body, sizeof(body), "%s%s", base, strstr(stale,
	    "&given_name="));
	replace(body, sizeof(body), "family_name=Details&",
	    "family_name=Detailed&priority=faith&");
	replace(body, sizeof(body), "ethnicity=&", "ethnicity=K&");
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	loc = t_header(&r, "Location");
	ck_assert_ptr_nonnull(loc);
	ck_assert_ptr_nonnull(strstr(loc, "?saved=details"));
	free(loc);
	t_resp_free(&r);
	j = case_json(&officer, id);
	ck_assert_str_eq(json_string_value(json_object_get(j, "family_name")),
	    "Detailed");
	ck_assert_str_eq(json_string_value(json_object_get(j, "ethnicity")),
	    "K");
	ck_assert(json_is_true(json_object_get(json_object_get(j, "priority"),
	    "faith")));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "version")),
	    v + 1);
	json_decref(j);
	ck_assert_uint_eq(events(&officer, id, "updated", NULL), n + 1);

	/* A form read before the change is stale now: an error summary. */
	snprintf(body, sizeof(body), "%s%s", early, strstr(stale,
	    "&given_name="));
	post_form(path, &officer, body, &r);
	ck_assert_int_eq(r.status, 412);
	ck_assert_ptr_nonnull(strstr(r.body, "nhsuk-error-summary"));
	ck_assert_ptr_nonnull(strstr(r.body, "Someone else changed this "
	    "case"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#given_name\""));
	t_resp_free(&r);
	j = case_json(&officer, id);
	ck_assert_str_eq(json_string_value(json_object_get(j, "family_name")),
	    "Detailed");
	json_decref(j);
}
END_TEST

START_TEST(notes_by_kind_through_their_page_never_for_the_liaison)
{
	struct t_session	 officer, liaison;
	struct t_resp		 r;
	char			 id[32], path[96], base[400], body[1024];
	const char		*a, *b;

	t_login_ok("pe.officer", &officer);
	t_login_ok("pe.liaison", &liaison);
	create(&officer, "Notes", id);

	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &officer, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "/note\">Add a note</a>"));
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/note", id);
	get_page(path, &liaison, &r);
	ck_assert_int_eq(r.status, 403);
	t_resp_free(&r);

	/* Without a kind: the error, linked to the radios. */
	form_fields(&officer, path, base, sizeof(base), &r);
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"officer_summary\""));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"medical_history\""));
	ck_assert_ptr_null(strstr(r.body, "value=\"record_review\""));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "%s&text=Nothing", base);
	post_form(path, &officer, body, &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"#kind\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Select the kind of note"));
	t_resp_free(&r);

	form_fields(&officer, path, base, sizeof(base), NULL);
	snprintf(body, sizeof(body), "%s&kind=medical_history&text="
	    "Type+2+diabetes+since+2001", base);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	form_fields(&officer, path, base, sizeof(base), NULL);
	snprintf(body, sizeof(body), "%s&kind=officer_summary&text="
	    "Died+peacefully+at+the+hospice", base);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);

	/* Grouped by kind: the officer's summary first. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &officer, &r);
	a = strstr(r.body, "Officer&#39;s summary</h3>");
	if (a == NULL)
		a = strstr(r.body, "Officer's summary</h3>");
	b = strstr(r.body, "Medical history</h3>");
	ck_assert_msg(a != NULL && b != NULL && a < b, "notes not grouped");
	ck_assert_ptr_nonnull(strstr(a, "Died peacefully at the hospice"));
	ck_assert_ptr_nonnull(strstr(b, "Type 2 diabetes since 2001"));
	t_resp_free(&r);

	/* The liaison officer's page has no notes at all. */
	get_page(path, &liaison, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "Type 2 diabetes"));
	ck_assert_ptr_null(strstr(r.body, "Died peacefully"));
	ck_assert_ptr_null(strstr(r.body, "id=\"notes\""));
	ck_assert_ptr_null(strstr(r.body, "/note\""));
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("people");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_reallocation_needs_a_reason_which_the_trail_keeps);
	tcase_add_test(tc,
	    the_assignment_forms_name_people_and_ask_why_on_reallocation);
	tcase_add_test(tc,
	    the_details_form_changes_the_case_and_only_when_changed);
	tcase_add_test(tc,
	    notes_by_kind_through_their_page_never_for_the_liaison);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
