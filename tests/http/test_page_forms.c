/*
 * The pages' work beyond the forms themselves (issue 6): the lead ME's
 * office overview, the exact "bereaved contact needed" queue (and the
 * API's awaiting=bereaved), form keys that make a form sent twice
 * record once, "When" fields read as Europe/London time, and the
 * conditional reveals of radios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define FORM	"Content-Type: application/x-www-form-urlencoded"
#define CELL	"<td class=\"nhsuk-table__cell\">"

static int	pf_nhs_seq;

static void
setup(void)
{
	static const char *const users[][3] = {
		{ "pf.lead", "lead_medical_examiner", "PF" },
		{ "pf.me", "medical_examiner", "PF" },
		{ "pf.officer", "officer", "PF" },
		{ "pf.liaison", "liaison_officer", "PF" },
		{ "pf.admin", "admin", "PF" },
		{ "pg.lead", "lead_medical_examiner", "PG" },
		{ "ph.me", "medical_examiner", "PH" },
		{ "ph.officer", "officer", "PH" },
		{ "ph.liaison", "liaison_officer", "PH" },
		{ "pi.me", "medical_examiner", "PI" },
		{ "pi.officer", "officer", "PI" },
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

static long
etag(const struct t_resp *r)
{
	char	*e;
	long	 v;

	e = t_header(r, "etag");
	ck_assert_msg(e != NULL, "no ETag: %ld %s", r->status, r->body);
	v = strtol(e + 1, NULL, 10);
	free(e);
	return (v);
}

/* A valid NHS number not used before in this run. */
static void
nhs(char out[11])
{
	t_nhs_number("401", 100000, &pf_nhs_seq, out);
}

/* A case created through the API; its id in id. */
static void
create(const struct t_session *s, const char *family, char id[32])
{
	struct t_resp	r;
	char		body[1024], n[11];

	nhs(n);
	snprintf(body, sizeof(body), "{\"given_name\":\"Pat\","
	    "\"family_name\":\"%s\",\"nhs_number\":\"%s\","
	    "\"date_of_birth\":\"1950-01-01\",\"sex\":\"male\","
	    "\"date_of_death\":\"2025-12-01\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr B\","
	    "\"gmc_number\":\"1234567\"}}", family, n);
	api(s, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static long
version_of(const struct t_session *s, const char *id)
{
	struct t_resp	r;
	char		path[96];
	long		v;

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	v = etag(&r);
	t_resp_free(&r);
	return (v);
}

/* The ME takes the case into scrutiny (and becomes its examiner). */
static void
scrutinise(const struct t_session *me, const char *id)
{
	struct t_resp	r;
	char		path[96];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/transitions", id);
	api(me, "POST", path, version_of(me, id),
	    "{\"to\":\"in_scrutiny\",\"independent\":true}", &r);
	ck_assert_msg(r.status == 200, "scrutiny: %ld %s", r.status, r.body);
	t_resp_free(&r);
}

static void
contact(const struct t_session *s, const char *id, const char *outcome)
{
	struct t_resp	r;
	char		path[96], body[512];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/contacts", id);
	snprintf(body, sizeof(body), "{\"person_name\":\"Sam\","
	    "\"relationship\":\"son\",\"method\":\"phone\",\"outcome\":\"%s\","
	    "\"at\":\"2026-01-10T10:00:00Z\",\"concerns_raised\":false}",
	    outcome);
	api(s, "POST", path, 0, body, &r);
	ck_assert_msg(r.status == 201, "contact: %ld %s", r.status, r.body);
	t_resp_free(&r);
}

static void
get_page(const char *path, const struct t_session *s, struct t_resp *r)
{
	const char	*h[2] = { s != NULL ? s->cookie : NULL, NULL };

	t_request("GET", path, s != NULL ? h : NULL, NULL, 0, r);
}

static void
post_form(const char *path, const struct t_session *s, const char *body,
    struct t_resp *r)
{
	const char	*h[3] = { FORM, s->cookie, NULL };

	t_request("POST", path, h, body, strlen(body), r);
}

/* The value of the page's hidden field name. */
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

/* GET the form, then its csrf_token, form_key (and version) in front. */
static void
form_fields(const struct t_session *s, const char *path, char *out,
    size_t len)
{
	struct t_resp	r;
	char		csrf[80], key[160], ver[32];

	get_page(path, s, &r);
	ck_assert_msg(r.status == 200, "%s: %ld", path, r.status);
	hidden(&r, "csrf_token", csrf, sizeof(csrf));
	hidden(&r, "form_key", key, sizeof(key));
	ck_assert_uint_eq(strlen(key), 32);
	ver[0] = '\0';
	if (strstr(r.body, "name=\"version\" value=\"") != NULL)
		hidden(&r, "version", ver, sizeof(ver));
	snprintf(out, len, "csrf_token=%s&form_key=%s&version=%s", csrf, key,
	    ver);
	t_resp_free(&r);
}

/* The page has this string after the first `after`, within 300 bytes. */
static void
has_after(const struct t_resp *r, const char *after, const char *want)
{
	const char	*p;
	char		 win[301];

	p = strstr(r->body, after);
	ck_assert_msg(p != NULL, "no %s", after);
	snprintf(win, sizeof(win), "%s", p);
	ck_assert_msg(strstr(win, want) != NULL, "after %s: no %s in %s",
	    after, want, win);
}

static json_t *
case_json(const struct t_session *s, const char *id)
{
	struct t_resp	 r;
	char		 path[96];
	json_t		*j;

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	j = json_incref(r.json);
	t_resp_free(&r);
	return (j);
}

/* Makes a case overdue: notified ten days ago (as the owner). */
static void
overdue(const char *office, const char *id)
{
	PGconn		*db;
	const char	*p[1];

	db = t_db("db_owner");
	p[0] = office;
	ck_assert_int_eq(t_db_exec_p(db, "SELECT set_config("
	    "'medex.office_id', (SELECT id::text FROM offices WHERE "
	    "code = $1), false)", 1, p), 0);
	p[0] = id;
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE cases SET notified_at = "
	    "now() - interval '10 days', deadline = now() - interval '7 days' "
	    "WHERE id = $1", 1, p), 0);
	PQfinish(db);
}

START_TEST(a_lead_sees_the_office_overview_of_their_own_office)
{
	struct t_session	lead, me, officer, other;
	struct t_resp		r;
	char			a[32], b[32], c[32], d[32];

	t_login_ok("pf.lead", &lead);
	t_login_ok("pf.me", &me);
	t_login_ok("pf.officer", &officer);
	t_login_ok("pg.lead", &other);
	create(&officer, "Overview", a);
	create(&officer, "Overview", b);
	create(&officer, "Overview", c);
	create(&other, "Elsewhere", d);
	scrutinise(&me, a);
	overdue("PF", a);

	get_page("/office", &lead, &r);
	ck_assert_msg(r.status == 200, "office: %ld %s", r.status, r.body);
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Office overview - "
	    "medex</title>"));
	ck_assert_ptr_nonnull(strstr(r.body, "3 open cases, 1 overdue"));
	ck_assert_ptr_nonnull(strstr(r.body, "<caption class=\"nhsuk-table__"
	    "caption\">Open cases by medical examiner</caption>"));
	ck_assert_ptr_nonnull(strstr(r.body, "<caption class=\"nhsuk-table__"
	    "caption\">Cases by state</caption>"));
	ck_assert_ptr_nonnull(strstr(r.body, "scope=\"col\">Examiner</th>"));
	ck_assert_ptr_nonnull(strstr(r.body, "scope=\"row\">"));
	has_after(&r, "href=\"/cases?examiner=pf.me\">pf.me</a>",
	    "</th>" CELL "1</td>" CELL "1</td>");
	has_after(&r, "href=\"/cases?examiner=pf.lead\">pf.lead</a>",
	    "</th>" CELL "0</td>" CELL "0</td>");
	has_after(&r, "href=\"/cases?unassigned=true\">Not assigned</a>",
	    "</th>" CELL "2</td>" CELL "0</td>");
	has_after(&r, "href=\"/cases?state=notified\">Notified</a>",
	    "</th>" CELL "2</td>");
	has_after(&r, "href=\"/cases?state=in_scrutiny\">",
	    "</th>" CELL "1</td>");
	/* Officers and other offices' people are not examiners here. */
	ck_assert_ptr_null(strstr(r.body, "examiner=pf.officer"));
	ck_assert_ptr_null(strstr(r.body, "pg.lead\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/office\" "
	    "aria-current=\"page\""));
	t_resp_free(&r);

	/* The other office's lead sees only their own case. */
	get_page("/office", &other, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "1 open cases, 0 overdue"));
	ck_assert_ptr_null(strstr(r.body, "pf.me"));
	t_resp_free(&r);
}
END_TEST

START_TEST(other_roles_get_a_403_page_and_no_link)
{
	static const char *const who[] = { "pf.me", "pf.officer",
	    "pf.liaison", "pf.admin" };
	struct t_session	s;
	struct t_resp		r;
	size_t			i;

	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		t_login_ok(who[i], &s);
		get_page("/office", &s, &r);
		ck_assert_msg(r.status == 403, "%s: %ld", who[i], r.status);
		ck_assert_ptr_nonnull(strstr(r.body, "You cannot do this"));
		ck_assert_ptr_null(strstr(r.body, "href=\"/office\""));
		ck_assert_ptr_null(strstr(r.body, "open cases"));
		t_resp_free(&r);
	}
	get_page("/office", NULL, &r);
	ck_assert_int_eq(r.status, 303);
	t_resp_free(&r);
}
END_TEST

/* The ids of GET /api/v1/cases?<query>, as ",1,2,". */
static void
list_ids(const struct t_session *s, const char *query, char *out,
    size_t len)
{
	struct t_resp	 r;
	char		 path[256];
	json_t		*k;
	size_t		 i;

	snprintf(path, sizeof(path), "/api/v1/cases?%s", query);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
	snprintf(out, len, ",");
	json_array_foreach(json_object_get(r.json, "items"), i, k)
		snprintf(out + strlen(out), len - strlen(out), "%s,",
		    json_string_value(json_object_get(k, "id")));
	t_resp_free(&r);
}

static int
listed(const char *ids, const char *id)
{
	char	pat[40];

	snprintf(pat, sizeof(pat), ",%s,", id);
	return (strstr(ids, pat) != NULL);
}

START_TEST(bereaved_contact_needed_is_exactly_awaiting_bereaved)
{
	struct t_session	me, officer, liaison;
	struct t_resp		r;
	char			a[32], b[32], c[32], d[32], e[32], path[96];
	char			ids[512], body[1024], base[400];

	t_login_ok("ph.me", &me);
	t_login_ok("ph.officer", &officer);
	t_login_ok("ph.liaison", &liaison);
	create(&officer, "Queue", a);
	create(&officer, "Queue", b);
	create(&officer, "Queue", c);
	create(&officer, "Queue", d);
	create(&officer, "Queue", e);
	scrutinise(&me, a);
	scrutinise(&me, b);
	scrutinise(&me, d);
	scrutinise(&me, e);
	contact(&liaison, b, "reached");
	contact(&liaison, d, "no_answer");
	snprintf(path, sizeof(path), "/api/v1/cases/%s/contacts/exhausted", e);
	api(&liaison, "POST", path, 0, "{\"reason\":\"no_contacts\"}", &r);
	ck_assert_int_eq(r.status, 201);
	t_resp_free(&r);

	list_ids(&liaison, "awaiting=bereaved", ids, sizeof(ids));
	ck_assert_msg(listed(ids, a) && listed(ids, d) && !listed(ids, b) &&
	    !listed(ids, c) && !listed(ids, e), "queue %s", ids);
	api(&liaison, "GET", "/api/v1/cases/summary", 0, NULL, &r);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json,
	    "awaiting_bereaved")), 2);
	t_resp_free(&r);
	api(&liaison, "GET", "/api/v1/cases?awaiting=coroner", 0, NULL, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);

	get_page("/cases?need=bereaved", &liaison, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(path, sizeof(path), "href=\"/cases/%s\"", a);
	ck_assert_ptr_nonnull(strstr(r.body, path));
	snprintf(path, sizeof(path), "href=\"/cases/%s\"", d);
	ck_assert_ptr_nonnull(strstr(r.body, path));
	snprintf(path, sizeof(path), "href=\"/cases/%s\"", b);
	ck_assert_ptr_null(strstr(r.body, path));
	snprintf(path, sizeof(path), "href=\"/cases/%s\"", c);
	ck_assert_ptr_null(strstr(r.body, path));
	snprintf(path, sizeof(path), "href=\"/cases/%s\"", e);
	ck_assert_ptr_null(strstr(r.body, path));
	t_resp_free(&r);

	/* A contact that reached someone, through the page: A leaves. */
	snprintf(path, sizeof(path), "/cases/%s/contact", a);
	form_fields(&liaison, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&person_name=Jo&relationship=wife&"
	    "method=phone&outcome=reached&at-day=2&at-month=1&"
	    "at-year=2026&at-time=09%%3A30&concerns_raised=no", base);
	post_form(path, &liaison, body, &r);
	ck_assert_msg(r.status == 303, "contact: %ld %s", r.status, r.body);
	t_resp_free(&r);
	list_ids(&liaison, "awaiting=bereaved", ids, sizeof(ids));
	ck_assert_msg(!listed(ids, a) && listed(ids, d), "queue %s", ids);
	get_page("/cases?need=bereaved", &liaison, &r);
	snprintf(path, sizeof(path), "href=\"/cases/%s\"", a);
	ck_assert_ptr_null(strstr(r.body, path));
	t_resp_free(&r);
}
END_TEST

static size_t
array_len(const struct t_session *s, const char *id, const char *key)
{
	json_t	*j;
	size_t	 n;

	j = case_json(s, id);
	n = json_array_size(json_object_get(j, key));
	json_decref(j);
	return (n);
}

/* Events of an action in the case's trail. */
static int
events(const struct t_session *s, const char *id, const char *action)
{
	struct t_resp	 r;
	char		 path[96];
	json_t		*e;
	size_t		 i;
	int		 n;

	snprintf(path, sizeof(path), "/api/v1/cases/%s/events?limit=200",
	    id);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	n = 0;
	json_array_foreach(json_object_get(r.json, "items"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "action")),
		    action) == 0)
			n++;
	}
	t_resp_free(&r);
	return (n);
}

/* POSTs the body twice: both 303 to the same place; the Location. */
static void
twice(const struct t_session *s, const char *path, const char *body,
    char *loc, size_t len)
{
	struct t_resp	 r;
	char		*l1, *l2;

	post_form(path, s, body, &r);
	ck_assert_msg(r.status == 303, "%s 1: %ld %s", path, r.status,
	    r.body);
	l1 = t_header(&r, "location");
	t_resp_free(&r);
	post_form(path, s, body, &r);
	ck_assert_msg(r.status == 303, "%s 2: %ld %s", path, r.status,
	    r.body);
	l2 = t_header(&r, "location");
	t_resp_free(&r);
	ck_assert_ptr_nonnull(l1);
	ck_assert_ptr_nonnull(l2);
	ck_assert_str_eq(l1, l2);
	snprintf(loc, len, "%s", l1);
	free(l1);
	free(l2);
}

START_TEST(a_form_sent_twice_records_once)
{
	struct t_session	me, officer;
	struct t_resp		r;
	char			base[400], body[2048], loc[128], id[32];
	char			path[96], ids[512], n[11];
	long			v;

	t_login_ok("pi.me", &me);
	t_login_ok("pi.officer", &officer);

	/* The new-case form. */
	form_fields(&officer, "/cases/new", base, sizeof(base));
	nhs(n);
	snprintf(body, sizeof(body), "%s&given_name=Twice&family_name=Sent&"
	    "nhs_number=%s&date_of_birth-day=1&date_of_birth-month=2&"
	    "date_of_birth-year=1940&sex=female&date_of_death-day=3&"
	    "date_of_death-month=11&date_of_death-year=2026&time_of_death=&"
	    "place_of_death=home&place_detail=&ap_name=Dr+C&"
	    "ap_gmc=7654321", base, n);
	twice(&officer, "/cases/new", body, loc, sizeof(loc));
	ck_assert(strncmp(loc, "/cases/", 7) == 0);
	snprintf(id, sizeof(id), "%.31s", loc + 7);
	list_ids(&officer, "q=Sent", ids, sizeof(ids));
	ck_assert_msg(listed(ids, id) && strchr(ids + 1, ',') ==
	    ids + strlen(ids) - 1, "one case: %s", ids);

	/* An appending record: the contact. */
	snprintf(path, sizeof(path), "/cases/%s/contact", id);
	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&person_name=Al&relationship=son&"
	    "method=phone&outcome=no_answer&at-day=20&at-month=11&"
	    "at-year=2026&at-time=10%%3A00&concerns_raised=no", base);
	twice(&officer, path, body, loc, sizeof(loc));
	ck_assert_uint_eq(array_len(&officer, id, "contacts"), 1);

	/* A transition: the second is the first answer, not a 412. */
	v = version_of(&me, id);
	snprintf(path, sizeof(path), "/cases/%s/transition?to=in_scrutiny",
	    id);
	form_fields(&me, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&to=in_scrutiny&independent=yes",
	    base);
	snprintf(path, sizeof(path), "/cases/%s/transition", id);
	twice(&me, path, body, loc, sizeof(loc));
	ck_assert_int_eq(events(&me, id, "transition"), 1);
	ck_assert_int_eq(version_of(&me, id), v + 1);

	/* A PUT with the version: urgent release. */
	v = version_of(&me, id);
	snprintf(path, sizeof(path), "/cases/%s/urgent-release", id);
	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&requested=yes&reason=faith", base);
	twice(&officer, path, body, loc, sizeof(loc));
	ck_assert_int_eq(events(&me, id, "urgent_release_recorded"), 1);
	ck_assert_int_eq(version_of(&me, id), v + 1);

	/* The same key with other answers is refused, in words. */
	snprintf(path, sizeof(path), "/cases/%s/contact", id);
	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&person_name=Bo&relationship=son&"
	    "method=phone&outcome=no_answer&at-day=20&at-month=11&"
	    "at-year=2026&at-time=11%%3A00&concerns_raised=no", base);
	post_form(path, &officer, body, &r);
	ck_assert_int_eq(r.status, 303);
	t_resp_free(&r);
	/* concerns_raised=no -> yes */
	snprintf(body + strlen(body) - 2, 8, "yes");
	post_form(path, &officer, body, &r);
	ck_assert_int_eq(r.status, 409);
	ck_assert_ptr_nonnull(strstr(r.body, "already sent with other "
	    "answers"));
	t_resp_free(&r);
	ck_assert_uint_eq(array_len(&officer, id, "contacts"), 2);

	/* A key that is not one is a 400 and records nothing. */
	post_form(path, &officer, "csrf_token=x&form_key=a%20b&"
	    "person_name=Cy", &r);
	ck_assert_int_eq(r.status, 400);
	t_resp_free(&r);
	ck_assert_uint_eq(array_len(&officer, id, "contacts"), 2);
}
END_TEST

START_TEST(when_is_read_and_shown_as_london_time)
{
	struct t_session	officer;
	struct t_resp		r;
	char			id[32], path[96], base[400], body[1024];
	json_t			*j, *t;
	const char		*at0, *at1;

	t_login_ok("pi.officer", &officer);
	create(&officer, "Summer", id);
	snprintf(path, sizeof(path), "/cases/%s/contact", id);
	/* 14:00 on 1 July is BST: 13:00Z. */
	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&person_name=Di&relationship=wife&"
	    "method=phone&outcome=voicemail&at-day=1&at-month=7&"
	    "at-year=2026&at-time=14%%3A00&concerns_raised=no", base);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	/* 14:00 on 15 January is GMT: 14:00Z. */
	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&person_name=Di&relationship=wife&"
	    "method=phone&outcome=voicemail&at-day=15&at-month=1&"
	    "at-year=2026&at-time=14%%3A00&concerns_raised=no", base);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);

	j = case_json(&officer, id);
	t = json_object_get(j, "contacts");
	ck_assert_uint_eq(json_array_size(t), 2);
	at0 = json_string_value(json_object_get(json_array_get(t, 0), "at"));
	at1 = json_string_value(json_object_get(json_array_get(t, 1), "at"));
	ck_assert_str_eq(at0, "2026-07-01T13:00:00Z");
	ck_assert_str_eq(at1, "2026-01-15T14:00:00Z");
	json_decref(j);

	/* A time the clocks skip or a date that is not one: 422. */
	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&person_name=Di&relationship=wife&"
	    "method=phone&outcome=voicemail&at-day=31&at-month=6&"
	    "at-year=2026&at-time=14%%3A00&concerns_raised=no", base);
	post_form(path, &officer, body, &r);
	ck_assert_int_eq(r.status, 422);
	t_resp_free(&r);
	ck_assert_uint_eq(array_len(&officer, id, "contacts"), 2);

	/* Pages say which clock: the deadline (November) is GMT. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &officer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, " GMT"));
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/contact", id);
	get_page(path, &officer, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Time (24-hour, UK time)"));
	t_resp_free(&r);
}
END_TEST

START_TEST(radios_reveal_their_details_in_the_nhs_pattern)
{
	struct t_session	officer, me;
	struct t_resp		r;
	char			id[32], path[96];
	const char		*p, *q;

	t_login_ok("pi.officer", &officer);
	t_login_ok("pi.me", &me);
	create(&officer, "Reveal", id);
	snprintf(path, sizeof(path), "/cases/%s/contact", id);
	get_page(path, &officer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "<div class=\"nhsuk-radios\" "
	    "data-module=\"nhsuk-radios\">"));
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"concerns_raised\" "
	    "name=\"concerns_raised\" type=\"radio\" value=\"yes\" "
	    "data-aria-controls=\"conditional-concerns_raised\">"));
	/* The concerns box is inside the "yes" block, hidden until chosen
	 * (by NHS.UK frontend's CSS, only once its script runs). */
	p = strstr(r.body, "<div class=\"nhsuk-radios__conditional "
	    "nhsuk-radios__conditional--hidden\" "
	    "id=\"conditional-concerns_raised\">");
	ck_assert_ptr_nonnull(p);
	q = strstr(p, "id=\"concerns\"");
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_nonnull(strstr(p, "value=\"no\""));
	ck_assert(q < strstr(p, "value=\"no\""));
	/* No inline script or style came with it. */
	ck_assert_ptr_null(strstr(r.body, "<script>"));
	ck_assert_ptr_null(strstr(r.body, "style="));
	t_resp_free(&r);

	snprintf(path, sizeof(path), "/cases/%s/urgent-release", id);
	get_page(path, &officer, &r);
	p = strstr(r.body, "id=\"conditional-requested\">");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "name=\"reason\""));
	ck_assert(strstr(p, "name=\"outcome\"") < strstr(p, "value=\"no\""));
	t_resp_free(&r);

	snprintf(path, sizeof(path), "/cases/%s/contact-exhausted", id);
	get_page(path, &officer, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"conditional-reason-3\">"));
	t_resp_free(&r);
}
END_TEST

/*
 * Every whole-case read is a `viewed` event.  The case page read the
 * first 200 events and dropped the views, so a case read often enough
 * lost its later changes from the page; now it shows the latest changes,
 * views left out, and says when earlier ones are not shown.
 */
START_TEST(the_timeline_shows_changes_made_after_many_views)
{
	struct t_session	me, officer, liaison;
	struct t_resp		r;
	char			id[32], path[96];
	const char		*tl;
	int			i;

	t_login_ok("pf.me", &me);
	t_login_ok("pf.officer", &officer);
	t_login_ok("pf.liaison", &liaison);
	create(&officer, "Timeline", id);
	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	for (i = 0; i < 210; i++) {
		api(&me, "GET", path, 0, NULL, &r);
		ck_assert_int_eq(r.status, 200);
		t_resp_free(&r);
	}
	/* The views in the trail before the change (sql/case_views.sql). */
	(void)t_chain_views();
	contact(&liaison, id, "reached");

	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &me, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(tl = strstr(r.body, "id=\"timeline\""));
	ck_assert_msg(strstr(tl, "Case created by pf.officer") != NULL,
	    "no creation in the timeline");
	ck_assert_msg(strstr(tl, "Contact with Sam (son): reached by "
	    "pf.liaison") != NULL,
	    "the change after 210 views is not in the timeline");
	ck_assert_msg(strstr(tl, "Viewed") == NULL, "a view in the timeline");
	ck_assert_msg(strstr(r.body, "Only the latest changes") == NULL,
	    "two changes said to be cut short");
	t_resp_free(&r);

	/*
	 * 201 changes (creation and 200 contacts, the most a case holds):
	 * the latest 200, and a word that there are more.
	 */
	for (i = 0; i < 199; i++)
		contact(&liaison, id, "no_answer");
	get_page(path, &me, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(tl = strstr(r.body, "id=\"timeline\""));
	ck_assert_msg(strstr(tl, "Case created by") == NULL,
	    "the oldest of 201 changes is shown");
	ck_assert_msg(strstr(r.body, "Only the latest changes") != NULL,
	    "201 changes and no word of the earlier ones");
	ck_assert_msg(strstr(tl, "Only the latest changes") == NULL,
	    "the word of the earlier changes is inside the list");
	t_resp_free(&r);
}
END_TEST

/*
 * The case page is one call (0013_page_case.sql): the reader's name in
 * the header, one `viewed` event by the reader as for the JSON read, no
 * timeline for a role that may not read the events, and another office's
 * case a 404 that records nothing.
 */
static long
views_by(PGconn *db, const char *id, const char *actor)
{
	const char	*p[2] = { id, actor };
	char		*v;
	long		 n;

	/* A view is in the trail once chained (sql/case_views.sql). */
	(void)t_chain_views();
	v = t_db_value_p(db, "SELECT count(*) FROM case_events WHERE "
	    "case_id = $1::bigint AND actor = $2 AND action = 'viewed'", 2, p);
	n = strtol(v, NULL, 10);
	free(v);
	return (n);
}

START_TEST(the_case_page_is_one_view_by_its_reader)
{
	struct t_session	me, officer, liaison, other;
	struct t_resp		r;
	PGconn			*db;
	static const char *const bad[] = { "/cases/abc", "/cases/12abc",
	    "/cases/1234567890123456789012", "/cases/-1", "/cases/0",
	    "/cases/%27%20OR%201=1" };
	char			id[32], path[96], *v;
	size_t			i;

	t_user("pf.reader", "medical_examiner", "PF");
	db = t_db("db_owner");
	v = t_db_value(db, "UPDATE users SET display_name = 'Dr Rhiannon "
	    "Page-Reader' WHERE username = 'pf.reader' RETURNING id");
	ck_assert_msg(*v != '\0', "no pf.reader");
	free(v);
	/* case_events is under forced row-level security, the owner too. */
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'PF')::text, false)", NULL,
	    0), 0);
	t_login_ok("pf.reader", &me);
	t_login_ok("pf.officer", &officer);
	t_login_ok("pf.liaison", &liaison);
	t_login_ok("ph.me", &other);
	create(&officer, "Onecall", id);
	snprintf(path, sizeof(path), "/cases/%s", id);
	ck_assert_int_eq(views_by(db, id, "pf.reader"), 0);

	get_page(path, &me, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "Signed in as </span>Dr Rhiannon "
	    "Page-Reader (") != NULL, "the reader's name is not in the header");
	ck_assert_msg(strstr(r.body, "Onecall") != NULL, "not the case");
	ck_assert_msg(strstr(r.body, "id=\"timeline\"") != NULL &&
	    strstr(r.body, "Case created by pf.officer") != NULL,
	    "an examiner's page without its timeline");
	t_resp_free(&r);
	ck_assert_int_eq(views_by(db, id, "pf.reader"), 1);

	/* A liaison officer reads the case, not its events. */
	get_page(path, &liaison, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "Onecall") != NULL, "not the case");
	ck_assert_msg(strstr(r.body, "id=\"timeline\"") == NULL,
	    "a timeline for a role that may not read the events");
	t_resp_free(&r);
	ck_assert_int_eq(views_by(db, id, "pf.liaison"), 1);

	/* Another office: 404, and nothing recorded. */
	get_page(path, &other, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_msg(strstr(r.body, "Onecall") == NULL, "another office's "
	    "case shown");
	t_resp_free(&r);
	ck_assert_int_eq(views_by(db, id, "ph.me"), 0);

	/* Ids that are not a case's: a 404 page, never a 500. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		get_page(bad[i], &me, &r);
		ck_assert_msg(r.status == 404, "%s: %ld", bad[i], r.status);
		ck_assert_msg(strstr(r.body, "<html") != NULL, "%s: not a page",
		    bad[i]);
		t_resp_free(&r);
	}
	PQfinish(db);
}
END_TEST

/*
 * The contact form offers the bereaved recorded on the case, "Someone
 * else" last; a person chosen is recorded by reference with their
 * recorded name.  The governance form shows the concern it decides and
 * links the decision to the contact that raised it.
 */
START_TEST(contact_offers_the_bereaved_and_governance_shows_the_concern)
{
	struct t_session	 officer, me;
	struct t_resp		 r;
	json_t			*j, *c, *g;
	const char		*p0, *p1;
	char			 id[32], rid[32], cid[32], path[96], base[400];
	char			 body[1024], want[256];

	t_login_ok("pf.officer", &officer);
	t_login_ok("pf.me", &me);
	create(&officer, "Bereaved", id);
	scrutinise(&me, id);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/representatives", id);
	api(&officer, "POST", path, 0, "{\"name\":\"Mary Smith\","
	    "\"relationship\":\"daughter\"}", &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	j = case_json(&officer, id);
	snprintf(rid, sizeof(rid), "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(j, "representatives"), 0), "id")));
	json_decref(j);

	snprintf(path, sizeof(path), "/cases/%s/contact", id);
	get_page(path, &officer, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(want, sizeof(want), "name=\"representative\" type=\"radio\" "
	    "value=\"%s\"", rid);
	p0 = strstr(r.body, want);
	p1 = strstr(r.body, ">Someone else</label>");
	ck_assert_msg(p0 != NULL && p1 != NULL && p0 < p1, "the people, then "
	    "someone else");
	ck_assert_ptr_nonnull(strstr(r.body, ">Mary Smith (daughter)</label>"));
	/* The name and relationship inputs are under "Someone else". */
	has_after(&r, ">Someone else</label>",
	    "id=\"conditional-representative-other\"");
	ck_assert_ptr_nonnull(strstr(strstr(r.body,
	    "conditional-representative-other\">"), "name=\"person_name\""));
	t_resp_free(&r);

	form_fields(&officer, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&representative=%s&rep-%s-name=Mary"
	    "+Smith&rep-%s-relationship=daughter&person_name=&relationship=&"
	    "method=phone&outcome=reached&at-day=10&at-month=1&"
	    "at-year=2026&at-time=10%%3A00&concerns_raised=yes&"
	    "concerns=Nobody+told+us+about+the+move", base, rid, rid, rid);
	post_form(path, &officer, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	j = case_json(&officer, id);
	c = json_array_get(json_object_get(j, "contacts"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c,
	    "representative_id")), rid);
	ck_assert_str_eq(json_string_value(json_object_get(c, "person_name")),
	    "Mary Smith");
	snprintf(cid, sizeof(cid), "%s", json_string_value(json_object_get(c,
	    "id")));
	json_decref(j);

	/* The case page links the concern to its governance form. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &me, &r);
	snprintf(want, sizeof(want), "/cases/%s/governance?contact=%s\">"
	    "Record a governance decision on this concern", id, cid);
	ck_assert_msg(strstr(r.body, want) != NULL, "no %s", want);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/governance?contact=%s", id,
	    cid);
	get_page(path, &me, &r);
	ck_assert_int_eq(r.status, 200);
	has_after(&r, "class=\"nhsuk-inset-text\" id=\"concern\"",
	    "The concern raised by Mary Smith (daughter)");
	ck_assert_ptr_nonnull(strstr(r.body, "Nobody told us about the move"));
	hidden(&r, "contact_id", want, sizeof(want));
	ck_assert_str_eq(want, cid);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%s/governance", id);
	form_fields(&me, path, base, sizeof(base));
	snprintf(body, sizeof(body), "%s&contact_id=%s&kind=pals&"
	    "reason=Family+to+PALS", base, cid);
	post_form(path, &me, body, &r);
	ck_assert_msg(r.status == 303, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	j = case_json(&me, id);
	g = json_array_get(json_object_get(j, "governance_referrals"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(g, "contact_id")),
	    cid);
	json_decref(j);
	/* Decided: the case page no longer asks. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	get_page(path, &me, &r);
	ck_assert_ptr_null(strstr(r.body, "Record a governance decision on "
	    "this concern"));
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("page_forms");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, a_lead_sees_the_office_overview_of_their_own_office);
	tcase_add_test(tc, other_roles_get_a_403_page_and_no_link);
	tcase_add_test(tc, bereaved_contact_needed_is_exactly_awaiting_bereaved);
	tcase_add_test(tc, a_form_sent_twice_records_once);
	tcase_add_test(tc, when_is_read_and_shown_as_london_time);
	tcase_add_test(tc, radios_reveal_their_details_in_the_nhs_pattern);
	tcase_add_test(tc, the_timeline_shows_changes_made_after_many_views);
	tcase_add_test(tc, the_case_page_is_one_view_by_its_reader);
	tcase_add_test(tc,
	    contact_offers_the_bereaved_and_governance_shows_the_concern);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
