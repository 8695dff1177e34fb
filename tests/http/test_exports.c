/*
 * The monthly transparency export (issue 7, acceptance 1-4): known cases
 * give known published figures, London months at the clock changes,
 * withdrawn cases nowhere, formula-safe CSV, byte-identical answers from
 * HTTP twice and from medexctl, and the role rules of API.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

static struct t_session	off[4], lead_a, nat, analyst_a, officer_a;
static const char	*codes[4] = { "EXA", "EXB", "EXC", "EXD" };
static char		this_month[8];

static long
send_json(const char *method, const char *path, const char *bearer,
    const char *body, long *version, struct t_resp *r)
{
	char		 ifm[64], *etag;
	const char	*h[4] = { bearer, "Content-Type: application/json",
			    NULL, NULL };

	if (version != NULL) {
		snprintf(ifm, sizeof(ifm), "If-Match: \"%ld\"", *version);
		h[2] = ifm;
	}
	t_request(method, path, h, body, strlen(body), r);
	if (version != NULL && (etag = t_header(r, "etag")) != NULL) {
		*version = atol(etag + 1);
		free(etag);
	}
	return (r->status);
}

/* A case notified at `at` (RFC 3339); its id into id. */
static void
new_case(struct t_session *s, const char *at, const char *died, char *id,
    size_t idlen)
{
	struct t_resp	r;
	char		body[1024];

	snprintf(body, sizeof(body), "{\"given_name\":\"Ex\",\"family_name\":"
	    "\"Port\",\"date_of_birth\":\"1930-01-01\",\"sex\":\"male\","
	    "\"date_of_death\":\"%s\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr E\",\"gmc_number\":"
	    "\"1111111\"},\"notified_at\":\"%s\"}", died, at);
	send_json("POST", "/api/v1/cases", s->bearer, body, NULL, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	if (id != NULL)
		snprintf(id, idlen, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

/* notified -> referred_to_coroner -> coroner_investigating, today. */
static void
coroner_path(struct t_session *s, const char *id)
{
	struct t_resp	r;
	struct tm	tm;
	char		path[128], body[128];
	time_t		now;
	long		v = 1;

	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral", id);
	ck_assert_int_eq(send_json("PUT", path, s->bearer, "{\"categories\":"
	    "[\"unknown_cause\"],\"reason\":\"Cause unknown.\"}", &v, &r), 200);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/transitions", id);
	ck_assert_msg(send_json("POST", path, s->bearer, "{\"to\":"
	    "\"referred_to_coroner\",\"reason\":\"Cause unknown.\"}", &v,
	    &r) == 200, "refer: %s", r.body);
	t_resp_free(&r);
	/* The coroner decided a minute ago (decided_at may not be ahead). */
	now = time(NULL) - 60;
	gmtime_r(&now, &tm);
	strftime(body, sizeof(body), "{\"decision\":\"investigating\","
	    "\"decided_at\":\"%Y-%m-%dT%H:%M:%SZ\"}", &tm);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-decision", id);
	ck_assert_msg(send_json("PUT", path, s->bearer, body, &v, &r) == 200,
	    "decision: %s", r.body);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/transitions", id);
	ck_assert_msg(send_json("POST", path, s->bearer, "{\"to\":"
	    "\"coroner_investigating\"}", &v, &r) == 200, "investigating: %s",
	    r.body);
	t_resp_free(&r);
}

static void
setup(void)
{
	struct t_resp	r;
	char		name[64], id[64], path[128];
	time_t		now;
	struct tm	tm;
	long		v;
	int		i, o;
	const int	counts[4] = { 12, 13, 3, 0 };

	t_forget_failures();
	for (o = 0; o < 4; o++) {
		snprintf(name, sizeof(name), "exp.off.%d", o);
		t_user(name, "officer", codes[o]);
		t_login_ok(name, &off[o]);
	}
	t_user("exp.lead", "lead_medical_examiner", "EXA");
	t_login_ok("exp.lead", &lead_a);
	t_user("exp.nat", "national_analyst", "EXD");
	t_login_ok("exp.nat", &nat);
	t_user("exp.analyst", "analyst", "EXA");
	t_login_ok("exp.analyst", &analyst_a);
	officer_a = off[0];

	/* April 2019 (BST): 00:30 on 1 April London is 31 March UTC. */
	for (o = 0; o < 4; o++) {
		for (i = 0; i < counts[o]; i++)
			new_case(&off[o], i == 0 ? "2017-04-01T00:30:00+01:00" :
			    "2017-04-15T10:00:00Z", "2017-03-31", id, sizeof(id));
	}
	/* One more in EXA, withdrawn: it must count nowhere (12, not 13). */
	new_case(&off[0], "2017-04-20T10:00:00Z", "2017-04-19", id, sizeof(id));
	snprintf(path, sizeof(path), "/api/v1/cases/%s/transitions", id);
	v = 1;
	ck_assert_msg(send_json("POST", path, lead_a.bearer, "{\"to\":"
	    "\"withdrawn\",\"reason\":\"Entered in error.\"}", &v, &r) == 200,
	    "withdraw: %s", r.body);
	t_resp_free(&r);
	/* October 2019 (GMT again): 23:30 UTC on 31 October is October. */
	new_case(&off[3], "2017-10-31T23:30:00Z", "2017-10-31", id, sizeof(id));
	/* Seven completions this month in EXC (coroner path). */
	for (i = 0; i < 7; i++) {
		new_case(&off[2], "2017-05-02T10:00:00Z", "2017-05-01", id,
		    sizeof(id));
		coroner_path(&off[2], id);
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(this_month, sizeof(this_month), "%Y-%m", &tm);
}

static json_t *
row_of(json_t *doc, const char *office)
{
	json_t	*rows, *row;
	size_t	 i;

	rows = json_object_get(doc, "rows");
	json_array_foreach(rows, i, row) {
		if (strcmp(json_string_value(json_object_get(row, "office")),
		    office) == 0)
			return (row);
	}
	return (NULL);
}

static void
assert_cell(json_t *doc, const char *office, const char *col,
    const char *want)
{
	json_t	*row, *v;
	char	 got[32];

	row = row_of(doc, office);
	ck_assert_msg(row != NULL, "no row %s", office);
	v = json_object_get(row, col);
	ck_assert_msg(v != NULL, "no column %s", col);
	if (json_is_string(v))
		snprintf(got, sizeof(got), "%s", json_string_value(v));
	else if (json_is_null(v))
		snprintf(got, sizeof(got), "null");
	else if (json_is_integer(v))
		snprintf(got, sizeof(got), "%lld",
		    (long long)json_integer_value(v));
	else
		snprintf(got, sizeof(got), "%.1f", json_real_value(v));
	ck_assert_msg(strcmp(got, want) == 0, "%s %s: %s, wanted %s", office,
	    col, got, want);
}

START_TEST(known_cases_give_known_published_figures)
{
	struct t_resp	r;

	t_get("/api/v1/exports/monthly?month=2017-04&format=json", nat.bearer,
	    &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(t_json_str(&r, "month"), "2017-04");
	assert_cell(r.json, "EXA", "deaths_notified", "10");	/* 12 */
	assert_cell(r.json, "EXB", "deaths_notified", "15");	/* 13 */
	assert_cell(r.json, "EXC", "deaths_notified", "*");	/* 3 */
	assert_cell(r.json, "EXD", "deaths_notified", "0");
	assert_cell(r.json, "ALL", "deaths_notified", "30");	/* 28 */
	assert_cell(r.json, "EXA", "scrutiny_completed", "0");
	assert_cell(r.json, "EXA", "pct_completed_within_target", "null");
	assert_cell(r.json, "EXA", "median_days_to_completion", "null");
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-10&format=json", nat.bearer,
	    &r);
	assert_cell(r.json, "EXD", "deaths_notified", "*");
	assert_cell(r.json, "EXA", "deaths_notified", "0");
	t_resp_free(&r);
}
END_TEST

START_TEST(seven_completions_suppress_count_percentage_and_median)
{
	struct t_resp	r;
	char		path[128];

	snprintf(path, sizeof(path), "/api/v1/exports/monthly?month=%s"
	    "&format=json&office=EXC", this_month);
	t_get(path, nat.bearer, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	assert_cell(r.json, "EXC", "scrutiny_completed", "*");
	assert_cell(r.json, "EXC", "pct_completed_within_target", "*");
	assert_cell(r.json, "EXC", "median_days_to_completion", "*");
	assert_cell(r.json, "EXC", "coroner_referrals", "*");
	assert_cell(r.json, "EXC", "coroner_investigating", "*");
	ck_assert_ptr_null(row_of(r.json, "ALL"));
	t_resp_free(&r);
}
END_TEST

START_TEST(csv_headers_filename_and_identical_bytes)
{
	struct t_resp	 r1, r2;
	char		*ct, *cd, cmd[1024], *line;
	FILE		*fp;
	size_t		 n;
	char		 cli[65536];

	t_get("/api/v1/exports/monthly?month=2017-04&format=csv", nat.bearer,
	    &r1);
	t_get("/api/v1/exports/monthly?month=2017-04&format=csv", nat.bearer,
	    &r2);
	ck_assert_int_eq(r1.status, 200);
	ck_assert_uint_eq(r1.len, r2.len);
	ck_assert_int_eq(memcmp(r1.body, r2.body, r1.len), 0);
	ct = t_header(&r1, "content-type");
	ck_assert_str_eq(ct, "text/csv; charset=utf-8");
	cd = t_header(&r1, "content-disposition");
	ck_assert_str_eq(cd, "attachment; filename=\"medex-2017-04-ALL.csv\"");
	free(ct);
	free(cd);
	ck_assert_int_eq(strncmp(r1.body, "month,office,deaths_notified,"
	    "scrutiny_completed,completed_within_target,"
	    "pct_completed_within_target,median_days_to_completion,", 120), 0);
	ck_assert_ptr_nonnull(strstr(r1.body, "\r\n2017-04,ALL,30,"));
	/* No cell may start a formula. */
	for (line = r1.body; line != NULL && *line; ) {
		ck_assert_msg(strchr("=+-@\t\r", *line) == NULL ||
		    *line == '\0', "line starts a formula");
		line = strstr(line, "\r\n");
		if (line != NULL)
			line += 2;
	}
	ck_assert_ptr_null(strstr(r1.body, ",="));
	snprintf(cmd, sizeof(cmd), "%s/medexctl export --month 2017-04 "
	    "--format csv", getenv("MEDEX_TEST_OUT"));
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	n = fread(cli, 1, sizeof(cli), fp);
	ck_assert_int_eq(pclose(fp), 0);
	ck_assert_uint_eq(n, r1.len);
	ck_assert_int_eq(memcmp(cli, r1.body, n), 0);
	t_resp_free(&r1);
	t_resp_free(&r2);
	t_get("/api/v1/exports/monthly?month=2017-04&format=json", nat.bearer,
	    &r1);
	snprintf(cmd, sizeof(cmd), "%s/medexctl export --month 2017-04 "
	    "--format json", getenv("MEDEX_TEST_OUT"));
	fp = popen(cmd, "r");
	n = fread(cli, 1, sizeof(cli), fp);
	ck_assert_int_eq(pclose(fp), 0);
	ck_assert_uint_eq(n, r1.len);
	ck_assert_int_eq(memcmp(cli, r1.body, n), 0);
	t_resp_free(&r1);
}
END_TEST

START_TEST(hostile_office_names_leave_the_csv_formula_safe)
{
	struct t_resp	 r;
	char		 cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/medexctl office add EXF "
	    "\"=cmd|' /C calc'!A0\" >/dev/null 2>&1; %s/medexctl office add "
	    "EXG 'Ysbyty Gwynedd – Gŵyl' >/dev/null 2>&1",
	    getenv("MEDEX_TEST_OUT"), getenv("MEDEX_TEST_OUT"));
	(void)t_run(cmd);
	t_get("/api/v1/exports/monthly?month=2017-04&format=csv", nat.bearer,
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\r\n2017-04,EXF,0,"));
	ck_assert_ptr_nonnull(strstr(r.body, "\r\n2017-04,EXG,0,"));
	ck_assert_ptr_null(strstr(r.body, "=cmd"));
	ck_assert_ptr_null(strstr(r.body, ",="));
	t_resp_free(&r);
}
END_TEST

START_TEST(roles_and_offices_follow_the_contract)
{
	struct t_resp	 r;
	char		*cd;

	t_get("/api/v1/exports/monthly?month=2017-04", analyst_a.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	cd = t_header(&r, "content-disposition");
	ck_assert_str_eq(cd, "attachment; filename=\"medex-2017-04-EXA.csv\"");
	free(cd);
	ck_assert_ptr_nonnull(strstr(r.body, "\r\n2017-04,EXA,10,"));
	ck_assert_ptr_null(strstr(r.body, "EXB"));
	ck_assert_ptr_null(strstr(r.body, "ALL"));
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-04&office=EXB",
	    analyst_a.bearer, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-04&office=NOSUCH",
	    nat.bearer, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-04", lead_a.bearer, &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-04", officer_a.bearer, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-13", nat.bearer, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	t_get("/api/v1/exports/monthly?month=2017-04&format=xml", nat.bearer,
	    &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("exports");
	tc = tcase_create("http");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, known_cases_give_known_published_figures);
	tcase_add_test(tc, seven_completions_suppress_count_percentage_and_median);
	tcase_add_test(tc, csv_headers_filename_and_identical_bytes);
	tcase_add_test(tc, hostile_office_names_leave_the_csv_formula_safe);
	tcase_add_test(tc, roles_and_offices_follow_the_contract);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
