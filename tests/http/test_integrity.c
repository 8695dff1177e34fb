/*
 * Issue 19, part 1: the record keeps its own rules.  Each case the
 * issue found accepted but wrong, now refused with its status and field
 * (or resolved): independence belongs to the examiner who ends scrutiny
 * (a reallocation clears the previous one's declaration), coroner and
 * MCCD dates, urgent-release outcomes, ethnicity codes, numbers that do
 * not fit, the order of checks of the PATCHes, Locations that resolve;
 * and the LeDeR and SMI flags with the export's leder_notifications.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

struct ti_user {
	const char		*name;
	const char		*role;
	struct t_session	 s;
};

static struct ti_user	users[] = {
	{ "ig.officer", "officer", { "", "", "", "" } },
	{ "ig.me", "medical_examiner", { "", "", "", "" } },
	{ "ig.me2", "medical_examiner", { "", "", "", "" } },
	{ "ig.lead", "lead_medical_examiner", { "", "", "", "" } },
	{ "ig.admin", "admin", { "", "", "", "" } },
};

enum { U_OFFICER, U_ME, U_ME2, U_LEAD, U_ADMIN };

static int	ti_ready;
static int	ti_nhs_seq;

static void
ti_setup(void)
{
	size_t	i;

	if (ti_ready)
		return;
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		t_user(users[i].name, users[i].role, "IG");
		t_login_ok(users[i].name, &users[i].s);
	}
	ti_ready = 1;
}

/* A request as user u; ifm > 0 sends If-Match; ct: Content-Type. */
static void
ti_req_ct(int u, const char *method, const char *path, long ifm,
    const char *ct, const char *body, struct t_resp *r)
{
	const char	*h[5];
	char		 im[64], cth[128];
	int		 n;

	n = 0;
	h[n++] = users[u].s.bearer;
	if (body != NULL && ct != NULL) {
		snprintf(cth, sizeof(cth), "Content-Type: %s", ct);
		h[n++] = cth;
	}
	if (ifm > 0) {
		snprintf(im, sizeof(im), "If-Match: \"%ld\"", ifm);
		h[n++] = im;
	}
	h[n] = NULL;
	t_request(method, path, h, body, body ? strlen(body) : 0, r);
}

static void
ti_req(int u, const char *method, const char *path, long ifm,
    const char *body, struct t_resp *r)
{
	ti_req_ct(u, method, path, ifm, "application/json", body, r);
}

static long
ti_etag(const struct t_resp *r)
{
	char	*e;
	long	 v;

	e = t_header(r, "etag");
	ck_assert_msg(e != NULL, "no ETag: %ld %s", r->status, r->body);
	v = strtol(e + 1, NULL, 10);
	free(e);
	return (v);
}

static void
ti_assert_field(const struct t_resp *r, long status, const char *field)
{
	json_t	*f;

	ck_assert_msg(r->status == status, "status %ld, wanted %ld: %s",
	    r->status, status, r->body);
	f = json_object_get(json_object_get(r->json, "error"), "fields");
	ck_assert_msg(f != NULL && json_object_get(f, field) != NULL,
	    "no field %s in %s", field, r->body);
}

/* Creates a case as the officer; its id in id, returns the version. */
static long
ti_create_dod(char id[32], const char *dod)
{
	struct t_resp	 r;
	char		 nhs[11], body[1024];
	long		 v;

	t_nhs_number("407", 100000, &ti_nhs_seq, nhs);
	snprintf(body, sizeof(body), "{\"given_name\":\"Iolo\","
	    "\"family_name\":\"Morgan\",\"nhs_number\":\"%s\","
	    "\"date_of_birth\":\"1940-03-01\",\"sex\":\"male\","
	    "\"date_of_death\":\"%s\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr A Jones\","
	    "\"gmc_number\":\"1234567\"}}", nhs, dod);
	ti_req(U_OFFICER, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	v = ti_etag(&r);
	t_resp_free(&r);
	return (v);
}

static long
ti_create(char id[32])
{
	return (ti_create_dod(id, "2026-11-01"));
}

static void
ti_path(char *buf, size_t len, const char *id, const char *tail)
{
	snprintf(buf, len, "/api/v1/cases/%s%s", id, tail);
}

/* A write that must succeed; *v follows the case's version. */
static void
ti_write(int u, const char *method, const char *id, const char *tail,
    long *v, const char *body)
{
	struct t_resp	r;
	char		p[160];

	ti_path(p, sizeof(p), id, tail);
	ti_req(u, method, p, strcmp(method, "POST") == 0 &&
	    strcmp(tail, "/transitions") != 0 ? 0 : *v, body, &r);
	ck_assert_msg(r.status == 200 || r.status == 201, "%s %s: %ld %s",
	    method, tail, r.status, r.body);
	*v = ti_etag(&r);
	t_resp_free(&r);
}

/* A write expected to fail: the answer in r (free it). */
static void
ti_try(int u, const char *method, const char *id, const char *tail,
    long v, const char *body, struct t_resp *r)
{
	char	p[160];

	ti_path(p, sizeof(p), id, tail);
	ti_req(u, method, p, v, body, r);
}

/* Into scrutiny with ME's declaration, and everything it needs done. */
static void
ti_scrutinise(const char *id, long *v)
{
	ti_write(U_ME, "POST", id, "/transitions", v,
	    "{\"to\":\"in_scrutiny\",\"independent\":true}");
	ti_write(U_ME, "POST", id, "/notes", v, "{\"kind\":\"record_review\","
	    "\"text\":\"Reviewed.\",\"circumstances\":\"expected\","
	    "\"proposed_outcome\":\"mccd\"}");
	ti_write(U_ME, "POST", id, "/practitioner-discussions", v,
	    "{\"practitioner\":{\"name\":\"Dr A Jones\",\"gmc_number\":"
	    "\"1234567\"},\"at\":\"2026-11-02T10:00:00Z\",\"happened\":true,"
	    "\"outcome\":\"agreed\"}");
	ti_write(U_ME, "PUT", id, "/cause-of-death", v, "{\"form\":"
	    "\"standard\",\"part1a\":\"Pneumonia\","
	    "\"agreed_with_attending_practitioner\":true}");
	ti_write(U_OFFICER, "POST", id, "/contacts", v, "{\"person_name\":"
	    "\"Ann\",\"relationship\":\"daughter\",\"method\":\"phone\","
	    "\"outcome\":\"reached\",\"at\":\"2026-11-02T12:00:00Z\","
	    "\"concerns_raised\":false}");
}

static json_t *
ti_case(const char *id, struct t_resp *r)
{
	char	p[128];

	ti_path(p, sizeof(p), id, "");
	ti_req(U_LEAD, "GET", p, 0, NULL, r);
	ck_assert_int_eq(r->status, 200);
	return (r->json);
}

/* Acceptance 2: reallocation, then the end of scrutiny. */
START_TEST(reallocation_needs_the_new_examiners_declaration)
{
	struct t_resp	 r;
	char		 id[32];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_scrutinise(id, &v);
	ti_write(U_LEAD, "PUT", id, "/assignment", &v,
	    "{\"examiner\":\"ig.me2\",\"reason\":\"Dr Me is on leave\"}");
	ti_case(id, &r);
	ck_assert(json_is_false(json_object_get(r.json, "independent")));
	t_resp_free(&r);

	/* The new examiner, without a declaration: refused, on the field. */
	ti_try(U_ME2, "POST", id, "/transitions", v,
	    "{\"to\":\"awaiting_mccd\"}", &r);
	ti_assert_field(&r, 422, "independent");
	t_resp_free(&r);
	/* Nor can the office's lead ME declare for them. */
	ti_try(U_LEAD, "POST", id, "/transitions", v,
	    "{\"to\":\"awaiting_mccd\",\"independent\":true}", &r);
	ti_assert_field(&r, 422, "independent");
	t_resp_free(&r);
	/* The previous examiner is no longer the case's. */
	ti_try(U_ME, "POST", id, "/transitions", v,
	    "{\"to\":\"awaiting_mccd\",\"independent\":true}", &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);

	/* With the new examiner's own declaration: scrutiny ends. */
	ti_write(U_ME2, "POST", id, "/transitions", &v,
	    "{\"to\":\"awaiting_mccd\",\"independent\":true}");
	ti_case(id, &r);
	ck_assert_str_eq(t_json_str(&r, "state"), "awaiting_mccd");
	ck_assert_str_eq(t_json_str(&r, "examiner"), "ig.me2");
	ck_assert(json_is_true(json_object_get(r.json, "independent")));
	t_resp_free(&r);
}
END_TEST

/* The referral out of scrutiny is the end of it too. */
START_TEST(referral_out_of_scrutiny_needs_the_declaration)
{
	struct t_resp	 r;
	char		 id[32];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_scrutinise(id, &v);
	ti_write(U_LEAD, "PUT", id, "/assignment", &v,
	    "{\"examiner\":\"ig.me2\",\"reason\":\"Rota\"}");
	ti_write(U_OFFICER, "PUT", id, "/coroner-referral", &v,
	    "{\"categories\":[\"unknown_cause\"],\"reason\":\"Unclear\"}");
	ti_try(U_OFFICER, "POST", id, "/transitions", v,
	    "{\"to\":\"referred_to_coroner\"}", &r);
	ti_assert_field(&r, 422, "independent");
	t_resp_free(&r);
	/* Declared by the examiner when claiming back the work... */
	ti_write(U_ME2, "POST", id, "/transitions", &v,
	    "{\"to\":\"referred_to_coroner\",\"independent\":true}");
}
END_TEST

static void
ti_now(char *buf, size_t len, long offset)
{
	time_t		t;
	struct tm	tm;

	t = time(NULL) + offset;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

START_TEST(coroner_decision_not_before_the_referral_nor_future)
{
	struct t_resp	 r;
	char		 id[32], body[256], at[32];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_write(U_OFFICER, "PUT", id, "/coroner-referral", &v,
	    "{\"categories\":[\"unknown_cause\"],\"reason\":\"Unclear\"}");
	ti_write(U_OFFICER, "POST", id, "/transitions", &v,
	    "{\"to\":\"referred_to_coroner\"}");
	/* After the death, but days before the referral (made today). */
	ti_now(at, sizeof(at), -5 * 86400);
	snprintf(body, sizeof(body), "{\"decision\":\"not_investigating\","
	    "\"decided_at\":\"%s\"}", at);
	ti_try(U_OFFICER, "PUT", id, "/coroner-decision", v, body, &r);
	ti_assert_field(&r, 422, "decided_at");
	t_resp_free(&r);
	ti_now(at, sizeof(at), 2 * 86400);
	snprintf(body, sizeof(body), "{\"decision\":\"not_investigating\","
	    "\"decided_at\":\"%s\"}", at);
	ti_try(U_OFFICER, "PUT", id, "/coroner-decision", v, body, &r);
	ti_assert_field(&r, 422, "decided_at");
	t_resp_free(&r);
	ti_now(at, sizeof(at), 0);
	snprintf(body, sizeof(body), "{\"decision\":\"not_investigating\","
	    "\"decided_at\":\"%s\"}", at);
	ti_write(U_OFFICER, "PUT", id, "/coroner-decision", &v, body);
}
END_TEST

START_TEST(mccd_issued_on_not_before_death_nor_future)
{
	struct t_resp	 r;
	char		 id[32], body[128], day[32];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_scrutinise(id, &v);
	ti_write(U_ME, "POST", id, "/transitions", &v,
	    "{\"to\":\"awaiting_mccd\"}");
	ti_try(U_OFFICER, "POST", id, "/transitions", v,
	    "{\"to\":\"mccd_issued\",\"mccd_issued_on\":\"2026-10-01\"}", &r);
	ti_assert_field(&r, 422, "mccd_issued_on");
	t_resp_free(&r);
	ti_now(day, sizeof(day), 3 * 86400);
	day[10] = '\0';
	snprintf(body, sizeof(body), "{\"to\":\"mccd_issued\","
	    "\"mccd_issued_on\":\"%s\"}", day);
	ti_try(U_OFFICER, "POST", id, "/transitions", v, body, &r);
	ti_assert_field(&r, 422, "mccd_issued_on");
	t_resp_free(&r);
	ti_write(U_OFFICER, "POST", id, "/transitions", &v,
	    "{\"to\":\"mccd_issued\",\"mccd_issued_on\":\"2026-11-03\"}");
}
END_TEST

START_TEST(urgent_outcome_only_when_requested)
{
	struct t_resp	 r;
	char		 id[32];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_try(U_OFFICER, "PUT", id, "/urgent-release", v,
	    "{\"requested\":false,\"outcome\":\"achieved\"}", &r);
	ti_assert_field(&r, 422, "outcome");
	t_resp_free(&r);
	ti_write(U_OFFICER, "PUT", id, "/urgent-release", &v,
	    "{\"requested\":true,\"reason\":\"faith\",\"outcome\":"
	    "\"achieved\"}");
	ti_write(U_OFFICER, "PUT", id, "/urgent-release", &v,
	    "{\"requested\":false,\"outcome\":null}");
}
END_TEST

START_TEST(ethnicity_is_the_nhs_list)
{
	static const char *const bad[] = { "I", "O", "Q", "T", "a" };
	struct t_resp	 r;
	json_t		*x;
	char		 id[32], body[64], codes[32];
	size_t		 i;
	long		 v;

	ti_setup();
	v = ti_create(id);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "{\"ethnicity\":\"%s\"}", bad[i]);
		ti_try(U_OFFICER, "PATCH", id, "", v, body, &r);
		ti_assert_field(&r, 422, "ethnicity");
		t_resp_free(&r);
	}
	/* /reference lists exactly the codes the body takes. */
	ti_req(U_OFFICER, "GET", "/api/v1/reference", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	codes[0] = '\0';
	json_array_foreach(json_object_get(r.json, "ethnicity"), i, x)
		strncat(codes, json_string_value(json_object_get(x, "code")),
		    sizeof(codes) - strlen(codes) - 1);
	t_resp_free(&r);
	ck_assert_str_eq(codes, "ABCDEFGHJKLMNPRSZ");
	for (i = 0; codes[i] != '\0'; i++) {
		snprintf(body, sizeof(body), "{\"ethnicity\":\"%c\"}",
		    codes[i]);
		ti_write(U_OFFICER, "PATCH", id, "", &v, body);
	}
}
END_TEST

START_TEST(numbers_that_do_not_fit_name_their_field)
{
	struct t_resp	 r;
	char		 id[32];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_try(U_OFFICER, "PATCH", id, "", v,
	    "{\"given_name\":99999999999999999999}", &r);
	ti_assert_field(&r, 422, "given_name");
	t_resp_free(&r);
	ti_try(U_OFFICER, "PATCH", id, "", v, "{\"sex\":1e400}", &r);
	ti_assert_field(&r, 422, "sex");
	t_resp_free(&r);
	ti_try(U_OFFICER, "PATCH", id, "", v,
	    "{\"priority\":{\"child\":-1e999}}", &r);
	ti_assert_field(&r, 422, "priority.child");
	t_resp_free(&r);
	ti_req(U_OFFICER, "POST", "/api/v1/cases", 0,
	    "{\"given_name\":1e400}", &r);
	ti_assert_field(&r, 422, "given_name");
	t_resp_free(&r);
	ti_req(U_ADMIN, "POST", "/api/v1/offices", 0,
	    "{\"code\":\"IZ\",\"name\":\"Z\",\"target_days\":1e400}", &r);
	ti_assert_field(&r, 422, "target_days");
	t_resp_free(&r);
	/* Still malformed JSON is still 400. */
	ti_try(U_OFFICER, "PATCH", id, "", v, "{\"sex\":1e400,}", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
}
END_TEST

/* API.md's order: 404, 403, 415, 428, 412, 400, 422. */
START_TEST(patch_checks_come_in_order)
{
	struct t_resp	 r;
	char		 id[32], p[128];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_path(p, sizeof(p), id, "");
	ti_req(U_OFFICER, "PATCH", p, 0, "{not json", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	ti_req(U_OFFICER, "PATCH", p, v + 7, "{not json", &r);
	t_assert_error(&r, 412, "version_mismatch");
	t_resp_free(&r);
	ti_req(U_OFFICER, "PATCH", p, v, "{not json", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
	ti_req_ct(U_OFFICER, "PATCH", p, 0, "text/plain", "{}", &r);
	t_assert_error(&r, 415, "unsupported_media_type");
	t_resp_free(&r);
	ti_req(U_OFFICER, "PATCH", "/api/v1/cases/999999999", 0, "{not json",
	    &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	ti_req(U_OFFICER, "PATCH", p, 0, "{\"nope\":1}", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	/* A transition and a PUT keep the same order. */
	ti_path(p, sizeof(p), id, "/transitions");
	ti_req(U_OFFICER, "POST", p, 0, "[1,", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	ti_path(p, sizeof(p), id, "/final-actions");
	ti_req(U_OFFICER, "PUT", p, 0, "[1,", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	/* Nothing was changed by any of them. */
	ti_case(id, &r);
	ck_assert_int_eq(ti_etag(&r), v);
	t_resp_free(&r);

	/* Users: an unknown field without If-Match is 428 too. */
	ti_req(U_ADMIN, "PATCH", "/api/v1/users/ig.officer", 0,
	    "{\"colour\":\"blue\"}", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	ti_req(U_ADMIN, "PATCH", "/api/v1/users/ig.officer", 0, "{x", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	ti_req(U_ADMIN, "PATCH", "/api/v1/users/ig.officer", 999,
	    "{\"colour\":\"blue\"}", &r);
	t_assert_error(&r, 412, "version_mismatch");
	t_resp_free(&r);
	ti_req(U_ADMIN, "PATCH", "/api/v1/users/ig.nobody", 0,
	    "{\"colour\":\"blue\"}", &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	ti_req(U_LEAD, "PATCH", "/api/v1/users/ig.officer", 0,
	    "{\"colour\":\"blue\"}", &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	ti_req(U_ADMIN, "GET", "/api/v1/users/ig.officer", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	v = ti_etag(&r);
	t_resp_free(&r);
	ti_req(U_ADMIN, "PATCH", "/api/v1/users/ig.officer", v,
	    "{\"colour\":\"blue\"}", &r);
	ti_assert_field(&r, 422, "colour");
	t_resp_free(&r);
	ti_req(U_ADMIN, "PATCH", "/api/v1/users/ig.officer", v, "{x", &r);
	t_assert_error(&r, 400, "malformed_json");
	t_resp_free(&r);
	/* Offices: a malformed body without If-Match is 428. */
	ti_req(U_ADMIN, "PATCH", "/api/v1/offices/IG", 0, "{x", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
}
END_TEST

/* Every Location of an appended record answers. */
START_TEST(every_location_resolves)
{
	static const char *const posts[][2] = {
		{ "/notes", "{\"kind\":\"other\",\"text\":\"A note.\"}" },
		{ "/representatives", "{\"name\":\"Ann\","
		    "\"relationship\":\"daughter\"}" },
		{ "/contacts", "{\"person_name\":\"Ann\",\"relationship\":"
		    "\"daughter\",\"method\":\"phone\",\"outcome\":"
		    "\"no_answer\",\"at\":\"2026-11-02T12:00:00Z\","
		    "\"concerns_raised\":false}" },
		{ "/contacts/exhausted", "{\"reason\":\"no_contacts\"}" },
	};
	struct t_resp	 r, g;
	char		 id[32], p[160], *loc, *path;
	size_t		 i;

	ti_setup();
	(void)ti_create(id);
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		ti_path(p, sizeof(p), id, posts[i][0]);
		ti_req(U_ME, "POST", p, 0, posts[i][1], &r);
		ck_assert_msg(r.status == 201, "%s: %ld %s", posts[i][0],
		    r.status, r.body);
		loc = t_header(&r, "location");
		ck_assert_ptr_nonnull(loc);
		path = strstr(loc, "/api/");
		ck_assert_ptr_nonnull(path);
		ti_req(U_ME, "GET", path, 0, NULL, &g);
		ck_assert_msg(g.status == 200, "%s: %ld", path, g.status);
		t_resp_free(&g);
		free(loc);
		t_resp_free(&r);
	}
}
END_TEST

START_TEST(leder_and_smi_flags_and_the_date)
{
	struct t_resp	 r;
	char		 id[32], day[32], body[128];
	long		 v;

	ti_setup();
	v = ti_create(id);
	ti_write(U_OFFICER, "PATCH", id, "", &v,
	    "{\"learning_disability_or_autism\":true,"
	    "\"severe_mental_illness\":true}");
	ti_case(id, &r);
	ck_assert(json_is_true(json_object_get(r.json,
	    "learning_disability_or_autism")));
	ck_assert(json_is_true(json_object_get(r.json,
	    "severe_mental_illness")));
	ck_assert(json_is_null(json_object_get(r.json, "leder_notified_at")));
	t_resp_free(&r);
	ti_try(U_OFFICER, "PATCH", id, "", v,
	    "{\"leder_notified_at\":\"2026-10-01\"}", &r);
	ti_assert_field(&r, 422, "leder_notified_at");
	t_resp_free(&r);
	ti_now(day, sizeof(day), 3 * 86400);
	day[10] = '\0';
	snprintf(body, sizeof(body), "{\"leder_notified_at\":\"%s\"}", day);
	ti_try(U_OFFICER, "PATCH", id, "", v, body, &r);
	ti_assert_field(&r, 422, "leder_notified_at");
	t_resp_free(&r);
	ti_try(U_OFFICER, "PATCH", id, "", v,
	    "{\"severe_mental_illness\":\"yes\"}", &r);
	ti_assert_field(&r, 422, "severe_mental_illness");
	t_resp_free(&r);
	ti_write(U_ME, "PATCH", id, "", &v,
	    "{\"leder_notified_at\":\"2026-11-04\"}");
	ti_case(id, &r);
	ck_assert_str_eq(t_json_str(&r, "leder_notified_at"), "2026-11-04");
	t_resp_free(&r);
}
END_TEST

static json_t *
ti_export_row(const char *month, struct t_resp *r)
{
	char	p[128];

	snprintf(p, sizeof(p), "/api/v1/exports/monthly?month=%s"
	    "&format=json", month);
	ti_req(U_LEAD, "GET", p, 0, NULL, r);
	ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
	return (json_array_get(json_object_get(r->json, "rows"), 0));
}

/* Counted in the month LeDeR was told, through disclosure control. */
START_TEST(export_counts_leder_notifications)
{
	struct t_resp	 r;
	json_t		*row, *x;
	char		 id[32];
	long		 v;
	int		 i;

	ti_setup();
	for (i = 0; i < 2; i++) {
		v = ti_create_dod(id, "2026-06-01");
		ti_write(U_OFFICER, "PATCH", id, "", &v,
		    "{\"learning_disability_or_autism\":true,"
		    "\"leder_notified_at\":\"2026-08-10\"}");
	}
	/* 2: small numbers are suppressed. */
	row = ti_export_row("2026-08", &r);
	x = json_object_get(row, "leder_notifications");
	ck_assert_msg(json_is_string(x) && strcmp(json_string_value(x),
	    "*") == 0, "%s", r.body);
	t_resp_free(&r);
	for (i = 0; i < 7; i++) {
		v = ti_create_dod(id, "2026-06-01");
		ti_write(U_OFFICER, "PATCH", id, "", &v,
		    "{\"learning_disability_or_autism\":true,"
		    "\"leder_notified_at\":\"2026-08-20\"}");
	}
	/* 9 rounds to 10; the month before has none. */
	row = ti_export_row("2026-08", &r);
	ck_assert_int_eq(json_integer_value(json_object_get(row,
	    "leder_notifications")), 10);
	t_resp_free(&r);
	row = ti_export_row("2026-07", &r);
	x = json_object_get(row, "leder_notifications");
	ck_assert(json_is_integer(x) && json_integer_value(x) == 0);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("integrity");
	tc = tcase_create("issue19");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, reallocation_needs_the_new_examiners_declaration);
	tcase_add_test(tc, referral_out_of_scrutiny_needs_the_declaration);
	tcase_add_test(tc, coroner_decision_not_before_the_referral_nor_future);
	tcase_add_test(tc, mccd_issued_on_not_before_death_nor_future);
	tcase_add_test(tc, urgent_outcome_only_when_requested);
	tcase_add_test(tc, ethnicity_is_the_nhs_list);
	tcase_add_test(tc, numbers_that_do_not_fit_name_their_field);
	tcase_add_test(tc, patch_checks_come_in_order);
	tcase_add_test(tc, every_location_resolves);
	tcase_add_test(tc, leder_and_smi_flags_and_the_date);
	tcase_add_test(tc, export_counts_leder_notifications);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
