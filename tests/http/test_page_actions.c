/*
 * The case forms and actions (issue 17): each form starts from what
 * the case records, saving it unchanged records nothing, every error
 * the API can give a form reaches its error summary with a link to
 * where it is fixed (a field, or the form that fixes it), the messages
 * are in the NHS content guide's words, and a case that can no longer
 * change answers its forms' URLs with a page that says why.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define FORM	"Content-Type: application/x-www-form-urlencoded"

static int	pa_nhs_seq;

static void
setup(void)
{
	static const char *const users[][3] = {
		{ "pa.lead", "lead_medical_examiner", "PA" },
		{ "pa.me", "medical_examiner", "PA" },
		{ "pa.me2", "medical_examiner", "PA" },
		{ "pa.officer", "officer", "PA" },
	};
	size_t	i;

	t_forget_failures();
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		t_user(users[i][0], users[i][1], users[i][2]);
}

static void
api(const struct t_session *s, const char *method, const char *path,
    long ifm, const char *body, struct t_resp *r)
{
	const char	*h[4];
	char		 im[64];
	int		 n;

	n = 0;
	h[n++] = s->bearer;
	if (body != NULL)
		h[n++] = "Content-Type: application/json";
	if (ifm > 0) {
		snprintf(im, sizeof(im), "If-Match: \"%ld\"", ifm);
		h[n++] = im;
	}
	h[n] = NULL;
	t_request(method, path, h, body, body != NULL ? strlen(body) : 0, r);
}

/* A valid NHS number not used before in this run. */
static void
nhs(char out[11])
{
	t_nhs_number("402", 100000, &pa_nhs_seq, out);
}

/* A case born on dob (an adult's when NULL); its id in id. */
static void
create(const struct t_session *s, const char *dob, char id[32])
{
	struct t_resp	r;
	char		body[1024], n[11];

	nhs(n);
	snprintf(body, sizeof(body), "{\"given_name\":\"Pat\","
	    "\"family_name\":\"Forms\",\"nhs_number\":\"%s\","
	    "\"date_of_birth\":\"%s\",\"sex\":\"male\","
	    "\"date_of_death\":\"2025-12-01\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr Ada Bloggs\","
	    "\"gmc_number\":\"7654321\"}}", n, dob != NULL ? dob :
	    "1950-01-01");
	api(s, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static long
version_of(const struct t_session *s, const char *id)
{
	struct t_resp	 r;
	char		 path[96];
	char		*e;
	long		 v;

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	e = t_header(&r, "etag");
	ck_assert_ptr_nonnull(e);
	v = strtol(e + 1, NULL, 10);
	free(e);
	t_resp_free(&r);
	return (v);
}

/* The API's write; asserts the status. */
static void
put(const struct t_session *s, const char *id, const char *what,
    const char *body, long want)
{
	struct t_resp	r;
	char		path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/%s", id, what);
	api(s, "PUT", path, version_of(s, id), body, &r);
	ck_assert_msg(r.status == want, "%s: %ld %s", what, r.status, r.body);
	t_resp_free(&r);
}

static void
move(const struct t_session *s, const char *id, const char *body)
{
	struct t_resp	r;
	char		path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/transitions", id);
	api(s, "POST", path, version_of(s, id), body, &r);
	ck_assert_msg(r.status == 200, "move: %ld %s", r.status, r.body);
	t_resp_free(&r);
}

/* The trail's events other than reads; the last one's JSON in *last. */
static size_t
changes(const struct t_session *s, const char *id, json_t **last)
{
	struct t_resp	 r;
	char		 path[128];
	json_t		*e;
	size_t		 i, n;

	snprintf(path, sizeof(path), "/api/v1/cases/%s/events?limit=200", id);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "events: %ld %s", r.status, r.body);
	n = 0;
	if (last != NULL)
		*last = NULL;
	json_array_foreach(json_object_get(r.json, "items"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "action")),
		    "viewed") == 0)
			continue;
		n++;
		if (last != NULL) {
			if (*last != NULL)
				json_decref(*last);
			*last = json_incref(e);
		}
	}
	t_resp_free(&r);
	return (n);
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

/* The attribute name="..." of the tag at p (up to its '>'), unescaped. */
static int
attr(const char *tag, const char *end, const char *name, char *out,
    size_t len)
{
	const char	*p, *q;
	char		 pat[64];
	size_t		 n;

	snprintf(pat, sizeof(pat), " %s=\"", name);
	if ((p = strstr(tag, pat)) == NULL || p > end)
		return (0);
	p += strlen(pat);
	q = strchr(p, '"');
	n = 0;
	while (p < q && n + 1 < len) {
		if (strncmp(p, "&amp;", 5) == 0) {
			out[n++] = '&';
			p += 5;
		} else if (strncmp(p, "&quot;", 6) == 0) {
			out[n++] = '"';
			p += 6;
		} else if (strncmp(p, "&#39;", 5) == 0) {
			out[n++] = '\'';
			p += 5;
		} else if (strncmp(p, "&lt;", 4) == 0) {
			out[n++] = '<';
			p += 4;
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
	return (1);
}

static void
add_pair(char *out, size_t len, const char *name, const char *value)
{
	const char	*v;
	size_t		 n;

	n = strlen(out);
	n += snprintf(out + n, len - n, "%s%s=", n > 0 ? "&" : "", name);
	for (v = value; *v != '\0' && n + 4 < len; v++) {
		if (isalnum((unsigned char)*v) || *v == '-' || *v == '_' ||
		    *v == '.')
			out[n++] = *v;
		else
			n += snprintf(out + n, len - n, "%%%02X",
			    (unsigned char)*v);
	}
	out[n] = '\0';
}

/*
 * What a browser sends for the form to action as the page shows it:
 * text and hidden inputs, checked radios and boxes, textareas.
 */
/* Is name one of the fields of the body extra? */
static int
in_extra(const char *extra, const char *name)
{
	const char	*p;
	size_t		 n;

	n = strlen(name);
	for (p = extra; p != NULL && *p != '\0'; p = strchr(p, '&')) {
		if (*p == '&')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return (1);
	}
	return (0);
}

static void
as_sent(const struct t_resp *r, const char *action, const char *extra,
    char *out, size_t len)
{
	const char	*p, *end, *gt, *close;
	char		 pat[160], name[96], type[32], value[2048];

	snprintf(pat, sizeof(pat), "<form action=\"%s\"", action);
	p = strstr(r->body, pat);
	ck_assert_msg(p != NULL, "no form %s in %.300s", action, r->body);
	end = strstr(p, "</form>");
	ck_assert_ptr_nonnull(end);
	out[0] = '\0';
	while ((p = strstr(p + 1, "<input")) != NULL && p < end) {
		gt = strchr(p, '>');
		if (!attr(p, gt, "name", name, sizeof(name)) ||
		    in_extra(extra, name))
			continue;
		if (!attr(p, gt, "type", type, sizeof(type)))
			snprintf(type, sizeof(type), "text");
		if (!attr(p, gt, "value", value, sizeof(value)))
			value[0] = '\0';
		if ((strcmp(type, "radio") == 0 ||
		    strcmp(type, "checkbox") == 0) &&
		    (strstr(p, " checked") == NULL || strstr(p, " checked") >
		    gt))
			continue;
		add_pair(out, len, name, value);
	}
	p = strstr(r->body, pat);
	while ((p = strstr(p + 1, "<textarea")) != NULL && p < end) {
		gt = strchr(p, '>');
		ck_assert(attr(p, gt, "name", name, sizeof(name)));
		if (in_extra(extra, name))
			continue;
		close = strstr(gt, "</textarea>");
		snprintf(value, sizeof(value), "%.*s", (int)(close - gt - 1),
		    gt + 1);
		add_pair(out, len, name, value);
	}
}

/* The form opened, sent back as shown: 303, and nothing recorded. */
static void
unchanged(const struct t_session *s, const char *id, const char *slug,
    const char *const *shown)
{
	struct t_resp	 r;
	char		 path[128], body[8192];
	long		 v;
	size_t		 n, i;

	snprintf(path, sizeof(path), "/cases/%s/%s", id, slug);
	get_page(path, s, &r);
	ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
	for (i = 0; shown[i] != NULL; i++)
		ck_assert_msg(strstr(r.body, shown[i]) != NULL,
		    "%s does not show %s", slug, shown[i]);
	as_sent(&r, path, "", body, sizeof(body));
	t_resp_free(&r);
	v = version_of(s, id);
	n = changes(s, id, NULL);
	post_form(path, s, body, &r);
	ck_assert_msg(r.status == 303, "%s unchanged: %ld %.300s (sent %.600s)", slug,
	    r.status, r.body, body);
	t_resp_free(&r);
	ck_assert_msg(version_of(s, id) == v, "%s: version moved", slug);
	ck_assert_msg(changes(s, id, NULL) == n, "%s: the trail grew", slug);
}

START_TEST(each_form_shows_what_is_recorded_and_unchanged_records_nothing)
{
	struct t_session	me, officer;
	char			id[32];
	const char		*cod[] = { "value=\"Pneumonia\"",
	    "value=\"Diabetes &amp; frailty\"",
	    "id=\"agreed\" name=\"agreed\" type=\"checkbox\" value=\"yes\" "
	    "checked", NULL };
	const char		*fa[] = { "value=\"cremation\" checked",
	    "value=\"Co-op\"", NULL };
	const char		*ur[] = { "value=\"faith\" checked", NULL };
	const char		*cr[] = { "value=\"unknown_cause\" checked",
	    "Found at home.</textarea>", NULL };
	const char		*as[] = { "value=\"pa.me\"", NULL };
	const char		*disc[] = { "value=\"Dr Ada Bloggs\"",
	    "value=\"7654321\"", NULL };

	t_login_ok("pa.me", &me);
	t_login_ok("pa.officer", &officer);
	create(&officer, NULL, id);
	move(&me, id, "{\"to\":\"in_scrutiny\",\"independent\":true}");
	put(&me, id, "cause-of-death", "{\"form\":\"standard\","
	    "\"part1a\":\"Pneumonia\",\"part2\":\"Diabetes & frailty\","
	    "\"agreed_with_attending_practitioner\":true}", 200);
	unchanged(&me, id, "cause-of-death", cod);
	put(&me, id, "final-actions", "{\"disposal\":\"cremation\","
	    "\"funeral_director\":\"Co-op\",\"implants\":\"none\","
	    "\"gp_notified\":\"notified\"}", 200);
	unchanged(&me, id, "final-actions", fa);
	put(&me, id, "urgent-release", "{\"requested\":true,"
	    "\"reason\":\"faith\"}", 200);
	unchanged(&me, id, "urgent-release", ur);
	unchanged(&me, id, "assignment", as);
	put(&me, id, "coroner-referral", "{\"categories\":"
	    "[\"unknown_cause\"],\"reason\":\"Found at home.\"}", 200);
	unchanged(&me, id, "coroner-referral", cr);
	/* The discussion starts with the case's practitioner. */
	{
		struct t_resp	r;
		char		path[96];
		size_t		i;

		snprintf(path, sizeof(path), "/cases/%s/discussion", id);
		get_page(path, &me, &r);
		ck_assert_int_eq(r.status, 200);
		for (i = 0; disc[i] != NULL; i++)
			ck_assert_msg(strstr(r.body, disc[i]) != NULL,
			    "discussion: no %s", disc[i]);
		t_resp_free(&r);
	}
	/* The API too: the same PUT again is 200, same version. */
	{
		long	v = version_of(&me, id);

		put(&me, id, "urgent-release", "{\"requested\":true,"
		    "\"reason\":\"faith\"}", 200);
		ck_assert_int_eq(version_of(&me, id), v);
		put(&me, id, "urgent-release", "{\"requested\":false}", 200);
		ck_assert_int_eq(version_of(&me, id), v + 1);
	}
}
END_TEST

START_TEST(the_coroner_decision_form_shows_the_decision)
{
	struct t_session	me, officer;
	char			id[32];
	const char		*cd[] = { "value=\"not_investigating\" checked",
	    "name=\"decided_at-day\" type=\"text\" inputmode=\"numeric\" "
	    "value=\"3\"", NULL };

	t_login_ok("pa.me", &me);
	t_login_ok("pa.officer", &officer);
	create(&officer, NULL, id);
	/* Recorded, not yet referred: a decision of any day after the
	 * death (once referred, not before the referral: issue 19). */
	put(&officer, id, "coroner-referral", "{\"categories\":"
	    "[\"unknown_cause\"],\"reason\":\"Found at home.\"}", 200);
	put(&officer, id, "coroner-decision", "{\"decision\":"
	    "\"not_investigating\",\"decided_at\":\"2025-12-03T10:00:00Z\"}",
	    200);
	unchanged(&officer, id, "coroner-decision", cd);
}
END_TEST

/* The page's error summary has this message, linking to href. */
static void
summary_links(const struct t_resp *r, const char *href, const char *msg)
{
	const char	*s;
	char		 want[600];

	s = strstr(r->body, "nhsuk-error-summary__list");
	ck_assert_msg(s != NULL, "no error summary: %ld %.600s", r->status,
	    r->body);
	snprintf(want, sizeof(want), "<a href=\"%s\">%s", href, msg);
	ck_assert_msg(strstr(s, want) != NULL, "no %s in %.900s", want, s);
	ck_assert_ptr_null(strstr(r->body, "required"));
	ck_assert_ptr_null(strstr(r->body, "YYYY"));
}

/* GET path, then POST its form (to action) with extra fields. */
static void
send(const struct t_session *s, const char *path, const char *action,
    const char *extra, struct t_resp *out)
{
	struct t_resp	r;
	char		body[8192];

	if (action == NULL)
		action = path;
	get_page(path, s, &r);
	ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
	as_sent(&r, action, extra, body, sizeof(body));
	t_resp_free(&r);
	if (extra[0] != '\0')
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    "&%s", extra);
	post_form(action, s, body, out);
}

START_TEST(the_standard_form_for_a_baby_links_to_the_neonatal_form)
{
	struct t_session	me, officer;
	struct t_resp		r;
	char			id[32], path[96], href[96];

	t_login_ok("pa.me", &me);
	t_login_ok("pa.officer", &officer);
	create(&officer, "2025-11-25", id);
	move(&me, id, "{\"to\":\"in_scrutiny\",\"independent\":true}");
	snprintf(path, sizeof(path), "/cases/%s/cause-of-death", id);
	send(&me, path, NULL, "part1a=Prematurity&agreed=yes", &r);
	ck_assert_int_eq(r.status, 422);
	snprintf(href, sizeof(href), "/cases/%s/cause-of-death-neonatal", id);
	summary_links(&r, href, "The death was in the first 28 days of life: "
	    "record the cause of death on the neonatal form");
	t_resp_free(&r);
}
END_TEST

START_TEST(a_version_conflict_links_to_the_form)
{
	struct t_session	me, officer;
	struct t_resp		r, g;
	char			id[32], path[96], body[8192];

	t_login_ok("pa.me", &me);
	t_login_ok("pa.officer", &officer);
	create(&officer, NULL, id);
	move(&me, id, "{\"to\":\"in_scrutiny\",\"independent\":true}");
	snprintf(path, sizeof(path), "/cases/%s/final-actions", id);
	get_page(path, &me, &g);
	ck_assert_int_eq(g.status, 200);
	as_sent(&g, path, "disposal=&implants=&gp_notified=", body,
	    sizeof(body));
	t_resp_free(&g);
	put(&officer, id, "urgent-release", "{\"requested\":true,"
	    "\"reason\":\"organ_donation\"}", 200);
	strncat(body, "&disposal=burial&implants=none&gp_notified=notified",
	    sizeof(body) - strlen(body) - 1);
	post_form(path, &me, body, &r);
	ck_assert_int_eq(r.status, 412);
	summary_links(&r, "#disposal", "Someone else changed this case");
	t_resp_free(&r);
}
END_TEST

START_TEST(unmet_guards_link_to_the_forms_that_meet_them)
{
	struct t_session	me, officer;
	struct t_resp		r;
	char			id[32], path[96], href[128];

	t_login_ok("pa.me", &me);
	t_login_ok("pa.officer", &officer);
	create(&officer, NULL, id);

	/* The declaration is a field of the form: its link is #independent. */
	snprintf(path, sizeof(path), "/cases/%s/transition?to=in_scrutiny",
	    id);
	snprintf(href, sizeof(href), "/cases/%s/transition", id);
	send(&me, path, href, "", &r);
	ck_assert_int_eq(r.status, 422);
	summary_links(&r, "#independent", "Confirm you had no part in the "
	    "care of the person who died");
	t_resp_free(&r);

	move(&me, id, "{\"to\":\"in_scrutiny\",\"independent\":true}");
	snprintf(path, sizeof(path), "/cases/%s/transition?to=awaiting_mccd",
	    id);
	snprintf(href, sizeof(href), "/cases/%s/transition", id);
	send(&me, path, href, "", &r);
	ck_assert_int_eq(r.status, 422);
	snprintf(href, sizeof(href), "/cases/%s/cause-of-death", id);
	summary_links(&r, href, "Cause of death not agreed with the attending "
	    "practitioner (to be done by the case&#39;s medical examiner)");
	snprintf(href, sizeof(href), "/cases/%s/record-review", id);
	summary_links(&r, href, "The medical records have not been reviewed");
	snprintf(href, sizeof(href), "/cases/%s/discussion", id);
	summary_links(&r, href, "No discussion with the attending");
	snprintf(href, sizeof(href), "/cases/%s/contact", id);
	summary_links(&r, href, "No bereaved person has been given");
	t_resp_free(&r);
}
END_TEST

START_TEST(a_withdrawn_case_answers_its_forms_in_words)
{
	struct t_session	lead, officer;
	struct t_resp		r;
	char			id[32], path[96];

	t_login_ok("pa.lead", &lead);
	t_login_ok("pa.officer", &officer);
	create(&officer, NULL, id);
	move(&lead, id, "{\"to\":\"withdrawn\",\"reason\":\"Duplicate\"}");
	snprintf(path, sizeof(path), "/cases/%s/final-actions", id);
	get_page(path, &lead, &r);
	ck_assert_int_eq(r.status, 409);
	ck_assert_ptr_nonnull(strstr(r.body, "This case can no longer "
	    "change"));
	ck_assert_ptr_nonnull(strstr(r.body, "This case was withdrawn, so "
	    "nothing more can be recorded on it"));
	ck_assert_ptr_null(strstr(r.body, "<form action=\"/cases/"));
	t_resp_free(&r);
}
END_TEST

START_TEST(empty_forms_say_what_to_do_in_words)
{
	struct t_session	me, officer;
	struct t_resp		r;
	char			id[32], path[96];

	t_login_ok("pa.me", &me);
	t_login_ok("pa.officer", &officer);
	create(&officer, NULL, id);
	snprintf(path, sizeof(path), "/cases/%s/coroner-referral", id);
	send(&officer, path, NULL, "", &r);
	ck_assert_int_eq(r.status, 422);
	summary_links(&r, "#categories", "Select at least one reason for the "
	    "referral");
	summary_links(&r, "#reason", "Enter the reason for the referral");
	t_resp_free(&r);
	send(&officer, "/cases/new", NULL, "date_of_death-day=31&"
	    "date_of_death-month=2&date_of_death-year=2025", &r);
	ck_assert_int_eq(r.status, 422);
	summary_links(&r, "#date_of_death-day", "Date of death must be a "
	    "real date");
	summary_links(&r, "#given_name", "Enter the given names");
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("page_actions");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc,
	    each_form_shows_what_is_recorded_and_unchanged_records_nothing);
	tcase_add_test(tc, the_coroner_decision_form_shows_the_decision);
	tcase_add_test(tc,
	    the_standard_form_for_a_baby_links_to_the_neonatal_form);
	tcase_add_test(tc, a_version_conflict_links_to_the_form);
	tcase_add_test(tc, unmet_guards_link_to_the_forms_that_meet_them);
	tcase_add_test(tc, a_withdrawn_case_answers_its_forms_in_words);
	tcase_add_test(tc, empty_forms_say_what_to_do_in_words);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
