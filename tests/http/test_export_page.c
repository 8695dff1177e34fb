/*
 * GET /exports (issue 7's page): the published figures of a month as a
 * table, 12 months as server-drawn SVG charts each with its table, the
 * same figures as the CSV and JSON files (which the page links to, and
 * which answer to the session cookie), `*` for withheld figures, the
 * month form's errors, and the role and office rules of the export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct t_session	analyst, lead, nat, officer, analyst_b;

#define CELL	"</th><td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">"

static void
new_case(struct t_session *s, const char *at)
{
	struct t_resp	r;
	char		body[1024];
	const char	*h[3] = { s->bearer, "Content-Type: application/json",
			    NULL };

	snprintf(body, sizeof(body), "{\"given_name\":\"Pa\",\"family_name\":"
	    "\"Ge\",\"date_of_birth\":\"1930-01-01\",\"sex\":\"male\","
	    "\"date_of_death\":\"2019-03-01\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr P\",\"gmc_number\":"
	    "\"1111111\"},\"notified_at\":\"%s\"}", at);
	t_request("POST", "/api/v1/cases", h, body, strlen(body), &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	t_resp_free(&r);
}

static void
setup(void)
{
	static int	done;
	struct t_session	off;
	int		i;

	t_forget_failures();
	t_user("xpage.officer", "officer", "XPGA");
	t_user("xpage.officer.b", "officer", "XPGB");
	t_user("xpage.analyst", "analyst", "XPGA");
	t_user("xpage.analyst.b", "analyst", "XPGB");
	t_user("xpage.lead", "lead_medical_examiner", "XPGA");
	t_user("xpage.nat", "national_analyst", "XPGB");
	t_login_ok("xpage.officer", &officer);
	t_login_ok("xpage.analyst", &analyst);
	t_login_ok("xpage.analyst.b", &analyst_b);
	t_login_ok("xpage.lead", &lead);
	t_login_ok("xpage.nat", &nat);
	if (done++)
		return;
	/* XPGA: 12 in April 2019 (published 10), 3 in March (*). */
	for (i = 0; i < 12; i++)
		new_case(&officer, "2019-04-15T10:00:00Z");
	for (i = 0; i < 3; i++)
		new_case(&officer, "2019-03-15T10:00:00Z");
	/* XPGB: 13 in April (15). */
	t_login_ok("xpage.officer.b", &off);
	for (i = 0; i < 13; i++)
		new_case(&off, "2019-04-10T10:00:00Z");
}

static void
get(const char *path, const struct t_session *s, struct t_resp *r)
{
	const char	*h[2] = { s != NULL ? s->cookie : NULL, NULL };

	t_request("GET", path, s != NULL ? h : NULL, NULL, 0, r);
}

static void
has(const struct t_resp *r, const char *want)
{
	ck_assert_msg(strstr(r->body, want) != NULL, "wanted %s in %.*s",
	    want, 4000, r->body);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	n;

	for (n = 0; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return (n);
}

START_TEST(analyst_sees_the_published_figures_of_the_month)
{
	struct t_resp	 r;
	char		*h;

	get("/exports?month=2019-04", &analyst, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	h = t_header(&r, "content-type");
	ck_assert_ptr_nonnull(strstr(h, "text/html"));
	free(h);
	h = t_header(&r, "content-security-policy");
	ck_assert_ptr_nonnull(strstr(h, "style-src 'self'"));
	ck_assert_ptr_null(strstr(h, "unsafe-inline"));
	free(h);
	has(&r, "<title>Published figures - medex</title>");
	has(&r, "Published figures for XPGA, April 2019");
	/* 12 deaths are published as 10, never as 12. */
	has(&r, ">Deaths notified" CELL "10</td>");
	ck_assert_ptr_null(strstr(r.body, ">Deaths notified" CELL "12<"));
	has(&r, ">Completed within target (%)" CELL "None<span");
	has(&r, ">Referred to the coroner" CELL "0</td>");
	/* The month picked is in the form; analysts have no office list. */
	has(&r, "<form action=\"/exports\" method=\"get\"");
	has(&r, "name=\"month\" type=\"text\" value=\"2019-04\"");
	ck_assert_ptr_null(strstr(r.body, "<select"));
	/* The menu marks this page. */
	has(&r, "aria-current=\"page\">Published figures</a>");
	t_resp_free(&r);
}
END_TEST

START_TEST(twelve_months_as_charts_with_tables_and_stars)
{
	struct t_resp	 r;
	const char	*p, *q;

	get("/exports?month=2019-04", &lead, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_int_eq(count(r.body, "<svg xmlns"), 3);
	ck_assert_int_eq(count(r.body, "class=\"medex-chart\""), 3);
	has(&r, "aria-labelledby=\"chart-notified-title chart-notified-desc\"");
	has(&r, "<title id=\"chart-notified-title\">Deaths notified, May 2018 "
	    "to April 2019</title>");
	has(&r, "<desc id=\"chart-notified-desc\">Bar chart of Deaths "
	    "notified for XPGA");
	has(&r, "<title id=\"chart-within-title\">");
	has(&r, "<title id=\"chart-coroner-title\">");
	/* Each chart's table beside it, 12 months. */
	has(&r, "<caption class=\"nhsuk-table__caption\">Deaths notified, "
	    "May 2018 to April 2019</caption>");
	ck_assert_int_eq(count(r.body, ">May 2018</th>"), 3);
	/* March's 3 is withheld: * in the table and in the chart. */
	has(&r, ">March 2019" CELL "*<span class=\"nhsuk-u-visually-hidden\">"
	    " (withheld");
	has(&r, ">*</text>");
	has(&r, "A month marked * has a figure withheld");
	has(&r, "id=\"withheld\"");
	/* Nor is the raw 3 drawn (the notified chart's axis is 0-20). */
	p = strstr(r.body, "chart-notified-title\">");
	q = strstr(r.body, "chart-within-title\">");
	ck_assert(p != NULL && q != NULL && p < q);
	ck_assert(strstr(p, ">3</text>") == NULL || strstr(p, ">3</text>") > q);
	/* No inline style or script anywhere, the SVG included. */
	ck_assert_ptr_null(strstr(r.body, "style="));
	ck_assert_ptr_null(strstr(r.body, "<style"));
	ck_assert_int_eq(count(r.body, "<script"), 1);
	has(&r, "<script type=\"module\" src=\"/assets/medex.js\">");
	t_resp_free(&r);
}
END_TEST

START_TEST(download_links_give_the_same_published_figures)
{
	struct t_resp	r;

	get("/exports?month=2019-04", &analyst, &r);
	has(&r, "href=\"/api/v1/exports/monthly?month=2019-04&amp;format=csv"
	    "&amp;office=XPGA\"");
	has(&r, "href=\"/api/v1/exports/monthly?month=2019-04&amp;format=json"
	    "&amp;office=XPGA\"");
	t_resp_free(&r);
	/* The links answer to the session cookie alone. */
	get("/api/v1/exports/monthly?month=2019-04&format=csv&office=XPGA",
	    &analyst, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	has(&r, "\r\n2019-04,XPGA,10,");
	t_resp_free(&r);
	get("/api/v1/exports/monthly?month=2019-03&format=json&office=XPGA",
	    &analyst, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	has(&r, "\"deaths_notified\":\"*\"");
	t_resp_free(&r);
}
END_TEST

START_TEST(national_analyst_picks_all_offices_or_one)
{
	struct t_resp	r;

	get("/exports?month=2019-04", &nat, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	has(&r, "Published figures for all offices, April 2019");
	/* ALL sums the raw 12 + 13 + ...: at least 25, rounded to 5. */
	has(&r, "<select class=\"nhsuk-select\" id=\"office\" name=\"office\">"
	    "<option value=\"\">All offices</option>");
	has(&r, "<option value=\"XPGA\">XPGA</option>");
	has(&r, "href=\"/api/v1/exports/monthly?month=2019-04&amp;format=csv\"");
	t_resp_free(&r);
	/* The form as a browser sends it: office= is every office. */
	get("/exports?month=2019-04&office=", &nat, &r);
	ck_assert_int_eq(r.status, 200);
	has(&r, "for all offices, April 2019");
	t_resp_free(&r);
	get("/exports?month=2019-04&office=XPGB", &nat, &r);
	ck_assert_int_eq(r.status, 200);
	has(&r, "Published figures for XPGB, April 2019");
	has(&r, ">Deaths notified" CELL "15</td>");
	has(&r, "<option value=\"XPGB\" selected>XPGB</option>");
	t_resp_free(&r);
	get("/exports?month=2019-04&office=NOSUCH", &nat, &r);
	ck_assert_int_eq(r.status, 404);
	t_resp_free(&r);
}
END_TEST

START_TEST(roles_and_offices_are_enforced)
{
	struct t_resp	 r;
	char		*loc;

	get("/exports?month=2019-04&office=XPGB", &analyst, &r);
	ck_assert_int_eq(r.status, 403);
	has(&r, "You cannot do this");
	ck_assert_ptr_null(strstr(r.body, "Deaths notified"));
	t_resp_free(&r);
	get("/exports?month=2019-04&office=XPGA", &analyst, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	get("/exports?month=2019-04", &analyst_b, &r);
	ck_assert_int_eq(r.status, 200);
	has(&r, ">Deaths notified" CELL "15</td>");
	t_resp_free(&r);
	get("/exports?month=2019-04", &officer, &r);
	ck_assert_int_eq(r.status, 403);
	ck_assert_ptr_null(strstr(r.body, "<svg xmlns"));
	t_resp_free(&r);
	get("/exports?month=2019-04", NULL, &r);
	ck_assert_int_eq(r.status, 303);
	loc = t_header(&r, "location");
	/* Signed out: to the sign-in page, which returns here after. */
	ck_assert_str_eq(loc, "/login?next=%2Fexports%3Fmonth%3D2019-04");
	free(loc);
	t_resp_free(&r);
	get("/exports?office=a%22b", &nat, &r);
	ck_assert_int_eq(r.status, 400);
	t_resp_free(&r);
}
END_TEST

START_TEST(a_bad_month_is_an_error_on_the_form)
{
	static const char *const bad[] = { "2019-13", "2019-4", "1900-06",
	    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%FF" };
	struct t_resp	r;
	char		path[128];
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/exports?month=%s", bad[i]);
		get(path, &analyst, &r);
		ck_assert_msg(r.status == 400, "%s: %ld", bad[i], r.status);
		has(&r, "<title>Error: Published figures - medex</title>");
		has(&r, "nhsuk-error-summary");
		has(&r, "<a href=\"#month\">Enter a month as year and month");
		has(&r, "id=\"month-error\"");
		ck_assert_ptr_null(strstr(r.body, "<svg xmlns"));
		ck_assert_ptr_null(strstr(r.body, "<script>"));
		t_resp_free(&r);
	}
	get("/exports?month=2019-13", &analyst, &r);
	has(&r, "value=\"2019-13\"");
	t_resp_free(&r);
	get("/exports?month=%3Cscript%3E", &analyst, &r);
	has(&r, "value=\"&lt;script&gt;\"");
	t_resp_free(&r);
}
END_TEST

START_TEST(without_a_month_the_last_complete_month_is_shown)
{
	struct t_resp	 r;
	PGconn		*db;
	char		*want, label[96];

	db = t_db("db_app");
	want = t_db_value(db, "SELECT to_char(date_trunc('month', now() AT "
	    "TIME ZONE 'Europe/London') - interval '1 month', 'FMMonth YYYY')");
	PQfinish(db);
	get("/exports", &analyst, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	snprintf(label, sizeof(label), "Published figures for XPGA, %s", want);
	has(&r, label);
	free(want);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("export_page");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, analyst_sees_the_published_figures_of_the_month);
	tcase_add_test(tc, twelve_months_as_charts_with_tables_and_stars);
	tcase_add_test(tc, download_links_give_the_same_published_figures);
	tcase_add_test(tc, national_analyst_picks_all_offices_or_one);
	tcase_add_test(tc, roles_and_offices_are_enforced);
	tcase_add_test(tc, a_bad_month_is_an_error_on_the_form);
	tcase_add_test(tc, without_a_month_the_last_complete_month_is_shown);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
