/*
 * Clinical-safety warnings (issue 19, API.md "Warnings"): each code
 * raised and not raised through the API, the `warnings` array on the
 * write's answer and on GET, the acknowledgement (gone from the case,
 * in its trail; 403, 404 and 422), and the test NHS number refused by
 * an instance with the production default.  Each code is looked for on
 * the case page too (the callout's item, data-code), where it is raised
 * and where it is not; the page's acknowledgement is in
 * tests/e2e/warnings.test.mjs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define TW_PASSWORD	"warning-tests-password-1"

struct tw_user {
	const char	*name;
	const char	*role;
	const char	*office;
	char		 auth[4300];
	char		 cookie[4300];	/* "Cookie: medex_session=..." */
};

static struct tw_user	users[] = {
	{ "wa.officer", "officer", "WA", "", "" },
	{ "wa.lead", "lead_medical_examiner", "WA", "", "" },
	{ "wa.liaison", "liaison_officer", "WA", "", "" },
	{ "wb.lead", "lead_medical_examiner", "WB", "", "" },
};

enum { U_OFFICER, U_LEAD, U_LIAISON, U_B_LEAD };

static int	tw_ready;
static int	tw_seq;

static void
tw_setup(void)
{
	struct t_resp	 r;
	json_t		*b;
	char		 cmd[1024], *js, *sc, *semi;
	size_t		 i;

	if (tw_ready)
		return;
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s/medexctl office add %s "
		    "'Office %s' >/dev/null 2>&1", getenv("MEDEX_TEST_OUT"),
		    users[i].office, users[i].office);
		(void)t_run(cmd);
		snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | "
		    "%s/medexctl user add %s --role %s --office %s "
		    ">/dev/null 2>&1", TW_PASSWORD, getenv("MEDEX_TEST_OUT"),
		    users[i].name, users[i].role, users[i].office);
		(void)t_run(cmd);
		b = json_pack("{ss ss}", "username", users[i].name,
		    "password", TW_PASSWORD);
		js = json_dumps(b, JSON_COMPACT);
		t_post_json("/api/v1/auth/login", NULL, js, &r);
		free(js);
		json_decref(b);
		ck_assert_msg(r.status == 200, "login %s: %ld %s",
		    users[i].name, r.status, r.body);
		snprintf(users[i].auth, sizeof(users[i].auth),
		    "Authorization: Bearer %s", t_json_str(&r, "token"));
		sc = t_header(&r, "set-cookie");
		ck_assert_ptr_nonnull(sc);
		if ((semi = strchr(sc, ';')) != NULL)
			*semi = '\0';
		snprintf(users[i].cookie, sizeof(users[i].cookie),
		    "Cookie: %s", sc);
		free(sc);
		t_resp_free(&r);
	}
	tw_ready = 1;
}

/*
 * A request as user u to the instance at base (NULL: the test server);
 * ifm > 0 sends If-Match.
 */
static void
tw_req_at(const char *base, int u, const char *method, const char *path,
    long ifm, const char *body, struct t_resp *r)
{
	const char	*h[5];
	char		 im[64], keep[256];
	int		 n;

	n = 0;
	h[n++] = users[u].auth;
	if (body != NULL)
		h[n++] = "Content-Type: application/json";
	if (ifm > 0) {
		snprintf(im, sizeof(im), "If-Match: \"%ld\"", ifm);
		h[n++] = im;
	}
	h[n] = NULL;
	snprintf(keep, sizeof(keep), "%s", t_url());
	if (base != NULL)
		setenv("MEDEX_TEST_URL", base, 1);
	t_request(method, path, h, body, body ? strlen(body) : 0, r);
	setenv("MEDEX_TEST_URL", keep, 1);
}

static void
tw_req(int u, const char *method, const char *path, long ifm,
    const char *body, struct t_resp *r)
{
	tw_req_at(NULL, u, method, path, ifm, body, r);
}

static long
tw_etag(const struct t_resp *r)
{
	char	*e;
	long	 v;

	e = t_header(r, "etag");
	ck_assert_msg(e != NULL, "no ETag: %ld %s", r->status, r->body);
	v = strtol(e + 1, NULL, 10);
	free(e);
	return (v);
}

/* A case body; nhs NULL for none. */
static const char *
tw_body(const char *family, const char *nhs, const char *dob,
    const char *dod)
{
	static char	buf[2048];

	snprintf(buf, sizeof(buf), "{\"given_name\":\"Eluned\","
	    "\"family_name\":\"%s\",%s%s%s\"date_of_birth\":\"%s\","
	    "\"sex\":\"female\",\"date_of_death\":\"%s\","
	    "\"place_of_death\":\"hospital\",\"attending_practitioner\":"
	    "{\"name\":\"Dr A Jones\",\"gmc_number\":\"1234567\"}}",
	    family, nhs ? "\"nhs_number\":\"" : "", nhs ? nhs : "",
	    nhs ? "\"," : "", dob, dod);
	return (buf);
}

/* The message of the warning code in a case answer, or NULL. */
static const char *
tw_warning(const struct t_resp *r, const char *code)
{
	json_t		*ws, *w;
	size_t		 i;

	ws = json_object_get(r->json, "warnings");
	ck_assert_msg(json_is_array(ws), "no warnings array: %s", r->body);
	json_array_foreach(ws, i, w) {
		if (strcmp(json_string_value(json_object_get(w, "code")),
		    code) == 0)
			return (json_string_value(json_object_get(w,
			    "message")));
	}
	return (NULL);
}

/*
 * Whether the WA officer's case page shows the warning code in its
 * callout (an item with data-code, as pages/case_warnings.c writes it).
 */
static int
tw_page_has(const char *id, const char *code)
{
	struct t_resp	 r;
	const char	*h[2] = { users[U_OFFICER].cookie, NULL };
	char		 path[128], want[96];
	int		 has;

	snprintf(path, sizeof(path), "/cases/%s", id);
	t_request("GET", path, h, NULL, 0, &r);
	ck_assert_msg(r.status == 200, "%s: %ld %.1500s", path, r.status,
	    r.body);
	snprintf(want, sizeof(want), "data-code=\"%s\"", code);
	has = strstr(r.body, want) != NULL;
	t_resp_free(&r);
	return (has);
}

/* Creates a case as the WA officer: the answer stays in r. */
static void
tw_create(const char *body, char id[32], long *v, struct t_resp *r)
{
	tw_req(U_OFFICER, "POST", "/api/v1/cases", 0, body, r);
	ck_assert_msg(r->status == 201, "create: %ld %s", r->status, r->body);
	snprintf(id, 32, "%s", t_json_str(r, "id"));
	*v = tw_etag(r);
}

/* A unique family name per case, so that duplicates are the test's. */
static void
tw_family(char *buf, size_t len, const char *stem)
{
	snprintf(buf, len, "%s%d", stem, tw_seq++);
}

static void
tw_nhs(const char *prefix, char out[11])
{
	static int	seq;

	t_nhs_number(prefix, 310000, &seq, out);
}

START_TEST(possible_duplicate_raised_and_not)
{
	struct t_resp	 r;
	char		 fam[64], fam2[64], id[32], id2[32], id3[32];
	long		 v;
	const char	*m;

	tw_setup();
	tw_family(fam, sizeof(fam), "Ŵyn-Prys");
	tw_create(tw_body(fam, NULL, "1950-03-04", "2026-11-01"), id, &v,
	    &r);
	ck_assert_ptr_null(tw_warning(&r, "possible_duplicate"));
	t_resp_free(&r);
	/* The same person typed without the accent and in lower case. */
	snprintf(fam2, sizeof(fam2), "wyn-prys%s", fam + strlen("Ŵyn-Prys"));
	tw_create(tw_body(fam2, NULL, "1950-03-04", "2026-11-01"), id2, &v,
	    &r);
	m = tw_warning(&r, "possible_duplicate");
	ck_assert_msg(m != NULL && strstr(m, id) != NULL,
	    "no duplicate naming %s: %s", id, r.body);
	t_resp_free(&r);
	ck_assert(tw_page_has(id2, "possible_duplicate"));
	/* Another date of birth: not the same person. */
	tw_create(tw_body(fam, NULL, "1950-03-05", "2026-11-01"), id3, &v,
	    &r);
	ck_assert_ptr_null(tw_warning(&r, "possible_duplicate"));
	t_resp_free(&r);
	ck_assert(!tw_page_has(id3, "possible_duplicate"));
	/* Another office's case never matches. */
	tw_req(U_B_LEAD, "POST", "/api/v1/cases", 0,
	    tw_body(fam, NULL, "1950-03-04", "2026-11-01"), &r);
	ck_assert_int_eq(r.status, 201);
	ck_assert_ptr_null(tw_warning(&r, "possible_duplicate"));
	t_resp_free(&r);
}
END_TEST

START_TEST(age_over_120_raised_and_not)
{
	struct t_resp	 r;
	char		 fam[64], id[32], p[128];
	long		 v;

	tw_setup();
	tw_family(fam, sizeof(fam), "Aged");
	/* 120 years and 10 months: not over 120. */
	tw_create(tw_body(fam, NULL, "1906-01-01", "2026-11-01"), id, &v, &r);
	ck_assert_ptr_null(tw_warning(&r, "age_over_120"));
	t_resp_free(&r);
	ck_assert(!tw_page_has(id, "age_over_120"));
	/* A PATCH that makes it 121. */
	snprintf(p, sizeof(p), "/api/v1/cases/%s", id);
	tw_req(U_OFFICER, "PATCH", p, v, "{\"date_of_birth\":\"1905-10-01\"}",
	    &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_ptr_nonnull(tw_warning(&r, "age_over_120"));
	t_resp_free(&r);
	/* GET shows it too. */
	tw_req(U_OFFICER, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(tw_warning(&r, "age_over_120"), "121"));
	t_resp_free(&r);
	ck_assert(tw_page_has(id, "age_over_120"));
}
END_TEST

START_TEST(abbreviation_in_cause_raised_and_not)
{
	struct t_resp	 r;
	char		 fam[64], id[32], p[128];
	long		 v;
	const char	*m;

	tw_setup();
	tw_family(fam, sizeof(fam), "Cause");
	tw_create(tw_body(fam, NULL, "1950-01-01", "2026-11-01"), id, &v, &r);
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/api/v1/cases/%s/cause-of-death", id);
	/* Words that contain an abbreviation are not one (Mitral, Cape). */
	tw_req(U_LEAD, "PUT", p, v, "{\"form\":\"standard\",\"part1a\":"
	    "\"Mitral valve disease\",\"part2\":\"Lived at Cape Wrath\","
	    "\"agreed_with_attending_practitioner\":true}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_ptr_null(tw_warning(&r, "abbreviation_in_cause"));
	v = tw_etag(&r);
	t_resp_free(&r);
	ck_assert(!tw_page_has(id, "abbreviation_in_cause"));
	tw_req(U_LEAD, "PUT", p, v, "{\"form\":\"standard\",\"part1a\":"
	    "\"Pneumonia\",\"part1b\":\"copd\",\"part2\":\"IHD, frailty\","
	    "\"agreed_with_attending_practitioner\":true}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	m = tw_warning(&r, "abbreviation_in_cause");
	ck_assert_msg(m != NULL && strstr(m, "COPD") != NULL &&
	    strstr(m, "IHD") != NULL, "%s", r.body);
	t_resp_free(&r);
	ck_assert(tw_page_has(id, "abbreviation_in_cause"));
}
END_TEST

START_TEST(implants_before_cremation_raised_and_not)
{
	struct t_resp	 r;
	char		 fam[64], id[32], p[128];
	long		 v;

	tw_setup();
	tw_family(fam, sizeof(fam), "Implant");
	tw_create(tw_body(fam, NULL, "1950-01-01", "2026-11-01"), id, &v, &r);
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/api/v1/cases/%s/final-actions", id);
	tw_req(U_OFFICER, "PUT", p, v, "{\"disposal\":\"burial\","
	    "\"implants\":\"present_not_removed\",\"gp_notified\":"
	    "\"notified\"}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_ptr_null(tw_warning(&r, "implants_before_cremation"));
	v = tw_etag(&r);
	t_resp_free(&r);
	ck_assert(!tw_page_has(id, "implants_before_cremation"));
	tw_req(U_OFFICER, "PUT", p, v, "{\"disposal\":\"cremation\","
	    "\"implants\":\"present_removed\",\"gp_notified\":"
	    "\"notified\"}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(tw_warning(&r, "implants_before_cremation"));
	v = tw_etag(&r);
	t_resp_free(&r);
	tw_req(U_OFFICER, "PUT", p, v, "{\"disposal\":\"cremation\","
	    "\"implants\":\"present_not_removed\",\"gp_notified\":"
	    "\"notified\"}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(tw_warning(&r, "implants_before_cremation"));
	t_resp_free(&r);
	ck_assert(tw_page_has(id, "implants_before_cremation"));
}
END_TEST

START_TEST(test_nhs_number_warned_here_refused_in_production)
{
	struct t_resp	 r;
	char		 fam[64], id[32], nhs[11], cmd[512], base[128], p[128];
	char		 was[64];
	const char	*allow;
	long		 v;

	tw_setup();
	tw_family(fam, sizeof(fam), "Nhs");
	tw_nhs("400", nhs);
	tw_create(tw_body(fam, nhs, "1950-01-01", "2026-11-01"), id, &v, &r);
	ck_assert_ptr_null(tw_warning(&r, "test_nhs_number"));
	t_resp_free(&r);
	ck_assert(!tw_page_has(id, "test_nhs_number"));
	tw_nhs("999", nhs);
	tw_create(tw_body(fam, nhs, "1950-01-01", "2026-11-02"), id, &v, &r);
	ck_assert_ptr_nonnull(tw_warning(&r, "test_nhs_number"));
	t_resp_free(&r);
	ck_assert(tw_page_has(id, "test_nhs_number"));

	/* An instance with the production default refuses 999 numbers. */
	allow = getenv("MEDEX_ALLOW_TEST_NHS_NUMBERS");
	snprintf(was, sizeof(was), "%s", allow != NULL ? allow : "");
	setenv("MEDEX_ALLOW_TEST_NHS_NUMBERS", "", 1);
	t_second_start("same-keys", base, sizeof(base));
	if (allow != NULL)
		setenv("MEDEX_ALLOW_TEST_NHS_NUMBERS", was, 1);
	else
		unsetenv("MEDEX_ALLOW_TEST_NHS_NUMBERS");
	tw_nhs("999", nhs);
	tw_req_at(base, U_OFFICER, "POST", "/api/v1/cases", 0,
	    tw_body(fam, nhs, "1950-01-01", "2026-11-03"), &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_object_get(
	    r.json, "error"), "fields"), "nhs_number"));
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/api/v1/cases/%s", id);
	tw_nhs("999", nhs);
	snprintf(cmd, sizeof(cmd), "{\"nhs_number\":\"%s\"}", nhs);
	tw_req_at(base, U_OFFICER, "PATCH", p, v, cmd, &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	/* A real number is still accepted there. */
	tw_nhs("400", nhs);
	tw_req_at(base, U_OFFICER, "POST", "/api/v1/cases", 0,
	    tw_body(fam, nhs, "1950-01-01", "2026-11-04"), &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	t_second_stop();
}
END_TEST

/* How many events of this action the case's trail holds. */
static int
tw_events(const char *id, const char *action)
{
	struct t_resp	 r;
	json_t		*items, *e;
	char		 p[160];
	size_t		 i;
	int		 n;

	snprintf(p, sizeof(p), "/api/v1/cases/%s/events?limit=200", id);
	tw_req(U_LEAD, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	items = json_object_get(r.json, "items");
	n = 0;
	json_array_foreach(items, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "action")),
		    action) == 0)
			n++;
	}
	t_resp_free(&r);
	return (n);
}

START_TEST(acknowledgement_removes_and_is_in_the_trail)
{
	struct t_resp	 r;
	char		 fam[64], id[32], p[160], c[160];
	long		 v;

	tw_setup();
	tw_family(fam, sizeof(fam), "Ack");
	tw_create(tw_body(fam, NULL, "1900-01-01", "2026-11-01"), id, &v, &r);
	ck_assert_ptr_nonnull(tw_warning(&r, "age_over_120"));
	t_resp_free(&r);
	ck_assert(tw_page_has(id, "age_over_120"));
	snprintf(p, sizeof(p), "/api/v1/cases/%s/warnings/acknowledgement",
	    id);
	/* A role that may not write: 403; another office: 404. */
	tw_req(U_LIAISON, "POST", p, 0, "{\"code\":\"age_over_120\"}", &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tw_req(U_B_LEAD, "POST", p, 0, "{\"code\":\"age_over_120\"}", &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	/* Unknown code, a code not open on the case, other fields: 422. */
	tw_req(U_OFFICER, "POST", p, 0, "{\"code\":\"too_tall\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	tw_req(U_OFFICER, "POST", p, 0, "{\"code\":\"test_nhs_number\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	tw_req(U_OFFICER, "POST", p, 0, "{\"code\":\"age_over_120\","
	    "\"x\":1}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	ck_assert_int_eq(tw_events(id, "warning_acknowledged"), 0);

	tw_req(U_OFFICER, "POST", p, 0, "{\"code\":\"age_over_120\"}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_ptr_null(tw_warning(&r, "age_over_120"));
	v = tw_etag(&r);
	t_resp_free(&r);
	ck_assert_int_eq(tw_events(id, "warning_acknowledged"), 1);
	ck_assert(!tw_page_has(id, "age_over_120"));
	/* Acknowledged once: a second time finds none open. */
	tw_req(U_OFFICER, "POST", p, 0, "{\"code\":\"age_over_120\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	/* A later save does not raise the same warning again. */
	snprintf(c, sizeof(c), "/api/v1/cases/%s", id);
	tw_req(U_OFFICER, "PATCH", c, v, "{\"place_detail\":\"Ward 3\"}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_ptr_null(tw_warning(&r, "age_over_120"));
	t_resp_free(&r);
	tw_req(U_OFFICER, "GET", c, 0, NULL, &r);
	ck_assert_int_eq(json_array_size(json_object_get(r.json,
	    "warnings")), 0);
	t_resp_free(&r);
	/* The audit chain still verifies with the new event. */
	{
		char	cmd[512];

		snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify "
		    ">/dev/null 2>&1", getenv("MEDEX_TEST_OUT"));
		ck_assert_int_eq(t_run(cmd), 0);
	}
}
END_TEST

START_TEST(office_abbreviations_edited_by_the_lead)
{
	struct t_resp	 r;
	char		 fam[64], id[32], p[128];
	const char	*path = "/api/v1/offices/WA/abbreviations";
	long		 v;
	const char	*m;

	tw_setup();
	tw_req(U_LEAD, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_ge(json_array_size(json_object_get(r.json,
	    "abbreviations")), 9);
	t_resp_free(&r);
	/* Who may: not an officer (403), not another office's lead (404). */
	tw_req(U_OFFICER, "GET", path, 0, NULL, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tw_req(U_B_LEAD, "PUT", path, 0, "{\"abbreviations\":[\"X\"]}", &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	tw_req(U_LEAD, "PUT", path, 0, "{\"abbreviations\":[\"C-P\"]}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	tw_req(U_LEAD, "PUT", path, 0, "{\"abbreviations\":[\"dnr\","
	    "\"DNR\"]}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);

	tw_req(U_LEAD, "PUT", path, 0, "{\"abbreviations\":[\"dnr\","
	    "\"copd\"]}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(
	    r.json, "abbreviations"), 0)), "COPD");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(
	    r.json, "abbreviations"), 1)), "DNR");
	t_resp_free(&r);

	tw_family(fam, sizeof(fam), "List");
	tw_create(tw_body(fam, NULL, "1950-01-01", "2026-11-01"), id, &v, &r);
	t_resp_free(&r);
	snprintf(p, sizeof(p), "/api/v1/cases/%s/cause-of-death", id);
	tw_req(U_LEAD, "PUT", p, v, "{\"form\":\"standard\",\"part1a\":"
	    "\"Pneumonia\",\"part2\":\"IHD; DNR in place\","
	    "\"agreed_with_attending_practitioner\":true}", &r);
	ck_assert_int_eq(r.status, 200);
	m = tw_warning(&r, "abbreviation_in_cause");
	ck_assert_msg(m != NULL && strstr(m, "DNR") != NULL &&
	    strstr(m, "IHD") == NULL, "%s", r.body);
	t_resp_free(&r);
	/* The default list again, for the other tests of this office. */
	tw_req(U_LEAD, "PUT", path, 0, "{\"abbreviations\":[\"AKI\","
	    "\"CAP\",\"CCF\",\"COPD\",\"CVA\",\"IHD\",\"MI\","
	    "\"PE\",\"UTI\"]}", &r);
	ck_assert_int_eq(r.status, 200);
	t_resp_free(&r);
}
END_TEST

START_TEST(reference_lists_the_warning_codes)
{
	struct t_resp	 r;
	json_t		*a;

	tw_setup();
	tw_req(U_OFFICER, "GET", "/api/v1/reference", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	a = json_object_get(r.json, "warning_codes");
	ck_assert_int_eq(json_array_size(a), 5);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("warnings");
	tc = tcase_create("warnings");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, possible_duplicate_raised_and_not);
	tcase_add_test(tc, age_over_120_raised_and_not);
	tcase_add_test(tc, abbreviation_in_cause_raised_and_not);
	tcase_add_test(tc, implants_before_cremation_raised_and_not);
	tcase_add_test(tc, test_nhs_number_warned_here_refused_in_production);
	tcase_add_test(tc, acknowledgement_removes_and_is_in_the_trail);
	tcase_add_test(tc, office_abbreviations_edited_by_the_lead);
	tcase_add_test(tc, reference_lists_the_warning_codes);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
