/*
 * Cases through HTTP (issue 5's acceptance list): creation and its
 * validation, the happy path and the other journeys, every (state,
 * target) pair outside case_state.c's table, each guard, a race of 20
 * clients, office isolation, liaison officers' view and the trail.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"
#include "case_state.h"

#define TC_PASSWORD	"case-tests-password-1"

struct tc_user {
	const char	*name;
	const char	*role;
	const char	*office;
	char		 auth[4300];
};

static struct tc_user	users[] = {
	{ "ca.officer", "officer", "CA", "" },
	{ "ca.me", "medical_examiner", "CA", "" },
	{ "ca.me2", "medical_examiner", "CA", "" },
	{ "ca.lead", "lead_medical_examiner", "CA", "" },
	{ "ca.liaison", "liaison_officer", "CA", "" },
	{ "ca.analyst", "analyst", "CA", "" },
	{ "cb.lead", "lead_medical_examiner", "CB", "" },
	{ "cb.officer", "officer", "CB", "" },
};

enum { U_OFFICER, U_ME, U_ME2, U_LEAD, U_LIAISON, U_ANALYST, U_B_LEAD,
    U_B_OFFICER };

static int	 tc_ready;
static int	 tc_nhs_seq;

static void
tc_setup(void)
{
	struct t_resp	 r;
	json_t		*b;
	char		 cmd[1024], *js;
	size_t		 i;
	const char	*tok;

	if (tc_ready)
		return;
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s/medexctl office add %s "
		    "'Office %s' >/dev/null 2>&1", getenv("MEDEX_TEST_OUT"),
		    users[i].office, users[i].office);
		(void)t_run(cmd);
		snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | "
		    "%s/medexctl user add %s --role %s --office %s "
		    ">/dev/null 2>&1", TC_PASSWORD, getenv("MEDEX_TEST_OUT"),
		    users[i].name, users[i].role, users[i].office);
		(void)t_run(cmd);
		b = json_pack("{ss ss}", "username", users[i].name,
		    "password", TC_PASSWORD);
		js = json_dumps(b, JSON_COMPACT);
		t_post_json("/api/v1/auth/login", NULL, js, &r);
		free(js);
		json_decref(b);
		ck_assert_msg(r.status == 200, "login %s: %ld %s",
		    users[i].name, r.status, r.body);
		tok = t_json_str(&r, "token");
		snprintf(users[i].auth, sizeof(users[i].auth),
		    "Authorization: Bearer %s", tok);
		t_resp_free(&r);
	}
	tc_ready = 1;
}

/* A request as user u; ifm > 0 sends If-Match. */
static void
tc_req(int u, const char *method, const char *path, long ifm,
    const char *body, struct t_resp *r)
{
	const char	*h[5];
	char		 im[64];
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
	t_request(method, path, h, body, body ? strlen(body) : 0, r);
}

static long
tc_etag(const struct t_resp *r)
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
tc_nhs(char out[11])
{
	int	i, sum, check, n;

	for (;;) {
		n = 100000 + tc_nhs_seq++;
		snprintf(out, 11, "400%06d", n % 1000000);
		sum = 0;
		for (i = 0; i < 9; i++)
			sum += (out[i] - '0') * (10 - i);
		check = 11 - sum % 11;
		if (check == 11)
			check = 0;
		if (check == 10)
			continue;
		out[9] = (char)('0' + check);
		out[10] = '\0';
		return;
	}
}

static const char *
tc_body(const char *nhs, const char *dob, const char *dod)
{
	static char	buf[2048];

	snprintf(buf, sizeof(buf), "{\"given_name\":\"Siân\","
	    "\"family_name\":\"O'Brien-Ŵyn\",%s%s%s\"date_of_birth\":\"%s\","
	    "\"sex\":\"female\",\"date_of_death\":\"%s\","
	    "\"place_of_death\":\"hospital\",\"attending_practitioner\":"
	    "{\"name\":\"Dr A Jones\",\"gmc_number\":\"1234567\"}}",
	    nhs ? "\"nhs_number\":\"" : "", nhs ? nhs : "", nhs ? "\"," : "",
	    dob, dod);
	return (buf);
}

/* Creates a case as the CA officer; its id in id, returns version. */
static long
tc_create(char id[32])
{
	struct t_resp	 r;
	char		 nhs[11];
	long		 v;

	tc_nhs(nhs);
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
	    tc_body(nhs, "1940-02-29", "2026-11-01"), &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	v = tc_etag(&r);
	t_resp_free(&r);
	return (v);
}

static void
tc_path(char *buf, size_t len, const char *id, const char *tail)
{
	snprintf(buf, len, "/api/v1/cases/%s%s", id, tail);
}

/* Current version and state, read as the CA lead ME. */
static long
tc_state(const char *id, char state[32])
{
	struct t_resp	r;
	char		p[128];
	long		v;

	tc_path(p, sizeof(p), id, "");
	tc_req(U_LEAD, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	if (state != NULL)
		snprintf(state, 32, "%s", t_json_str(&r, "state"));
	v = tc_etag(&r);
	t_resp_free(&r);
	return (v);
}

/* Sets a case's state directly, as the owner, to test from any state. */
static void
tc_force_state(const char *id, const char *state)
{
	t_case_force_state("CA", id, state);
}

static long
tc_count_events(const char *id)
{
	PGconn		*db;
	const char	*p[1];
	char		*v;
	long		 n;

	/* The views read so far first (sql/case_views.sql). */
	(void)t_chain_views();
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CA')::text, false)", NULL,
	    0), 0);
	p[0] = id;
	v = t_db_value_p(db, "SELECT count(*) FROM case_events "
	    "WHERE case_id = $1", 1, p);
	n = strtol(v, NULL, 10);
	free(v);
	PQfinish(db);
	return (n);
}

/* A transition; returns the status, *v updated on success. */
static long
tc_move(int u, const char *id, long *v, const char *body,
    struct t_resp *keep)
{
	struct t_resp	r;
	char		p[128];
	long		st;

	tc_path(p, sizeof(p), id, "/transitions");
	tc_req(u, "POST", p, *v, body, &r);
	st = r.status;
	if (st == 200)
		*v = tc_etag(&r);
	if (keep != NULL)
		*keep = r;
	else
		t_resp_free(&r);
	return (st);
}

static void
tc_move_ok(int u, const char *id, long *v, const char *body)
{
	struct t_resp	r;
	long		st;

	st = tc_move(u, id, v, body, &r);
	ck_assert_msg(st == 200, "%s: %ld %s", body, st, r.body);
	t_resp_free(&r);
}

/* A record write; returns the status, *v updated on 200/201. */
static long
tc_write(int u, const char *method, const char *id, const char *tail,
    long *v, const char *body)
{
	struct t_resp	r;
	char		p[160];
	long		st;

	tc_path(p, sizeof(p), id, tail);
	tc_req(u, method, p, strcmp(method, "POST") == 0 ? 0 : *v, body, &r);
	st = r.status;
	ck_assert_msg(st == 200 || st == 201, "%s %s: %ld %s", method, tail,
	    st, r.body);
	*v = tc_etag(&r);
	t_resp_free(&r);
	return (st);
}

static int
tc_has_field(const struct t_resp *r, const char *field)
{
	json_t	*f;

	f = json_object_get(json_object_get(r->json, "error"), "fields");
	return (f != NULL && json_object_get(f, field) != NULL);
}

static void
tc_assert_field(const struct t_resp *r, long status, const char *field)
{
	ck_assert_msg(r->status == status, "status %ld, wanted %ld: %s",
	    r->status, status, r->body);
	ck_assert_msg(tc_has_field(r, field), "no field %s in %s", field,
	    r->body);
}

/* A coroner's decision body, decided now. */
static void
tc_decided_now(char *buf, size_t len, const char *decision,
    const char *ref)
{
	time_t		now;
	struct tm	tm;
	char		at[32];

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(buf, len, "{\"decision\":\"%s\",\"decided_at\":\"%s\"%s%s%s}",
	    decision, at, ref != NULL ? ",\"coroner_reference\":\"" : "",
	    ref != NULL ? ref : "", ref != NULL ? "\"" : "");
}

/* Everything in_scrutiny -> awaiting_mccd needs, by the case's ME. */
static void
tc_scrutinise(const char *id, long *v)
{
	tc_write(U_ME, "POST", id, "/notes", v, "{\"kind\":\"record_review\","
	    "\"text\":\"Reviewed the notes.\",\"circumstances\":\"expected\","
	    "\"proposed_outcome\":\"mccd\"}");
	tc_write(U_ME, "POST", id, "/practitioner-discussions", v,
	    "{\"practitioner\":{\"name\":\"Dr A Jones\",\"gmc_number\":"
	    "\"1234567\"},\"at\":\"2026-11-02T10:00:00Z\",\"happened\":true,"
	    "\"outcome\":\"agreed\"}");
	tc_write(U_ME, "PUT", id, "/cause-of-death", v, "{\"form\":"
	    "\"standard\",\"part1a\":\"Pneumonia\",\"part2\":\"Frailty\","
	    "\"agreed_with_attending_practitioner\":true}");
	tc_write(U_LIAISON, "POST", id, "/contacts", v, "{\"person_name\":"
	    "\"Ann\",\"relationship\":\"daughter\",\"method\":\"phone\","
	    "\"outcome\":\"reached\",\"at\":\"2026-11-02T12:00:00Z\","
	    "\"concerns_raised\":false}");
}

START_TEST(nhs_numbers_are_checked)
{
	static const char *const good[] = { "9434765919", "401 023 2137" };
	static const char *const bad[] = { "9434765918", "0000000000", "123",
	    "12345678901" };
	struct t_resp	 r;
	size_t		 i;

	tc_setup();
	for (i = 0; i < 2; i++) {
		tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
		    tc_body(good[i], "1950-01-01", "2026-10-01"), &r);
		ck_assert_msg(r.status == 201 || r.status == 409,
		    "%s: %ld %s", good[i], r.status, r.body);
		t_resp_free(&r);
	}
	for (i = 0; i < 4; i++) {
		tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
		    tc_body(bad[i], "1950-01-01", "2026-10-01"), &r);
		t_assert_error(&r, 422, "validation_failed");
		tc_assert_field(&r, 422, "nhs_number");
		t_resp_free(&r);
	}
}
END_TEST

START_TEST(dates_are_checked)
{
	struct t_resp	r;

	tc_setup();
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
	    tc_body(NULL, "1950-02-30", "2026-10-01"), &r);
	tc_assert_field(&r, 422, "date_of_birth");
	t_resp_free(&r);
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
	    tc_body(NULL, "1950-01-01", "2026-02-30"), &r);
	tc_assert_field(&r, 422, "date_of_death");
	t_resp_free(&r);
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
	    tc_body(NULL, "2000-01-01", "1999-12-31"), &r);
	tc_assert_field(&r, 422, "date_of_death");
	t_resp_free(&r);
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0,
	    tc_body(NULL, "2000-01-01", "2999-12-31"), &r);
	tc_assert_field(&r, 422, "date_of_death");
	t_resp_free(&r);
}
END_TEST

START_TEST(unknown_and_nested_fields_are_named)
{
	struct t_resp	r;

	tc_setup();
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0, "{\"given_name\":\"A\","
	    "\"family_name\":\"B\",\"date_of_birth\":\"1950-01-01\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-10-01\","
	    "\"place_of_death\":\"moon\",\"colour\":\"red\","
	    "\"attending_practitioner\":{\"name\":\"Dr\",\"gmc_number\":\"12\"}}",
	    &r);
	tc_assert_field(&r, 422, "colour");
	tc_assert_field(&r, 422, "place_of_death");
	tc_assert_field(&r, 422, "attending_practitioner.gmc_number");
	t_resp_free(&r);
}
END_TEST

START_TEST(duplicate_open_case_is_409_with_existing_case)
{
	struct t_resp	 r1, r2, r3;
	char		 nhs[11], body[2048];
	const char	*h[4];

	tc_setup();
	tc_nhs(nhs);
	snprintf(body, sizeof(body), "%s", tc_body(nhs, "1950-01-01",
	    "2026-10-05"));
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0, body, &r1);
	ck_assert_int_eq(r1.status, 201);
	tc_req(U_ME, "POST", "/api/v1/cases", 0, body, &r2);
	t_assert_error(&r2, 409, "conflict");
	ck_assert_str_eq(t_json_str(&r2, "error.existing_case"),
	    t_json_str(&r1, "id"));
	/* Another office may hold the same death. */
	tc_req(U_B_OFFICER, "POST", "/api/v1/cases", 0, body, &r3);
	ck_assert_int_eq(r3.status, 201);
	t_resp_free(&r1);
	t_resp_free(&r2);
	t_resp_free(&r3);

	/* Idempotency-Key: the same answer again, nothing new. */
	tc_nhs(nhs);
	snprintf(body, sizeof(body), "%s", tc_body(nhs, "1950-01-01",
	    "2026-10-05"));
	h[0] = users[U_OFFICER].auth;
	h[1] = "Content-Type: application/json";
	h[2] = "Idempotency-Key: case-create-1";
	h[3] = NULL;
	t_request("POST", "/api/v1/cases", h, body, strlen(body), &r1);
	t_request("POST", "/api/v1/cases", h, body, strlen(body), &r2);
	ck_assert_int_eq(r1.status, 201);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_str_eq(t_json_str(&r1, "id"), t_json_str(&r2, "id"));
	t_resp_free(&r1);
	t_resp_free(&r2);
}
END_TEST

START_TEST(happy_path_to_closed)
{
	struct t_resp	 r;
	char		 id[32], p[128];
	long		 v;
	json_t		*items, *e;
	size_t		 i;
	int		 viewed, transitions;

	tc_setup();
	v = tc_create(id);
	ck_assert_int_eq(v, 1);
	/* An officer may not claim scrutiny. */
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}", NULL), 403);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}");
	tc_scrutinise(id, &v);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}");
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"mccd_issued\","
	    "\"mccd_issued_on\":\"2026-11-03\"}");
	tc_write(U_OFFICER, "PUT", id, "/final-actions", &v, "{\"disposal\":"
	    "\"cremation\",\"implants\":\"none\",\"gp_notified\":\"notified\"}");
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"closed\"}");

	tc_path(p, sizeof(p), id, "");
	tc_req(U_ME, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "state"), "closed");
	ck_assert_str_eq(t_json_str(&r, "examiner"), "ca.me");
	ck_assert_int_eq(tc_etag(&r), v);
	t_resp_free(&r);

	/* Writes to a closed case are 409. */
	tc_path(p, sizeof(p), id, "/notes");
	tc_req(U_OFFICER, "POST", p, 0, "{\"kind\":\"other\",\"text\":\"x\"}",
	    &r);
	t_assert_error(&r, 409, "invalid_transition");
	t_resp_free(&r);

	/* The view is in the trail once chained (sql/case_views.sql). */
	(void)t_chain_views();
	tc_path(p, sizeof(p), id, "/events?limit=200");
	tc_req(U_OFFICER, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	items = json_object_get(r.json, "items");
	viewed = transitions = 0;
	for (i = 0; i < json_array_size(items); i++) {
		e = json_array_get(items, i);
		if (strcmp(json_string_value(json_object_get(e, "action")),
		    "viewed") == 0)
			viewed++;
		if (strcmp(json_string_value(json_object_get(e, "action")),
		    "transition") == 0)
			transitions++;
		ck_assert_ptr_nonnull(json_string_value(json_object_get(e,
		    "hash")));
		if (i > 0)
			ck_assert_str_eq(json_string_value(json_object_get(e,
			    "prev_hash")), json_string_value(json_object_get(
			    json_array_get(items, i - 1), "hash")));
	}
	ck_assert_int_ge(viewed, 1);
	ck_assert_int_eq(transitions, 4);
	t_resp_free(&r);
}
END_TEST

START_TEST(coroner_paths_both_ways)
{
	struct t_resp	r;
	char		id[32], state[32], body[256];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}");
	tc_write(U_OFFICER, "PUT", id, "/coroner-referral", &v,
	    "{\"categories\":[\"trauma_or_injury\"],\"reason\":\"A fall.\"}");
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"referred_to_coroner\"}");
	/* No decision yet: both ways out are refused. */
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v, "{\"to\":"
	    "\"in_scrutiny\"}", &r), 422);
	tc_assert_field(&r, 422, "coroner_decision");
	t_resp_free(&r);
	/* Decided since the referral (issue 19: not before it). */
	tc_decided_now(body, sizeof(body), "not_investigating", NULL);
	tc_write(U_OFFICER, "PUT", id, "/coroner-decision", &v, body);
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v, "{\"to\":"
	    "\"coroner_investigating\"}", &r), 422);
	t_resp_free(&r);
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"in_scrutiny\"}");
	tc_state(id, state);
	ck_assert_str_eq(state, "in_scrutiny");

	/* Second referral, this time the coroner investigates. */
	tc_write(U_OFFICER, "PUT", id, "/coroner-referral", &v,
	    "{\"categories\":[\"neglect\",\"self_harm\"],\"reason\":\"New.\"}");
	tc_move_ok(U_ME, id, &v, "{\"to\":\"referred_to_coroner\"}");
	tc_decided_now(body, sizeof(body), "investigating", "C/1");
	tc_write(U_OFFICER, "PUT", id, "/coroner-decision", &v, body);
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"coroner_investigating\"}");
	tc_state(id, state);
	ck_assert_str_eq(state, "coroner_investigating");
}
END_TEST

START_TEST(registrar_rejection_and_withdrawal)
{
	struct t_resp	r;
	char		id[32], state[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}");
	tc_scrutinise(id, &v);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}");
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"mccd_issued\","
	    "\"mccd_issued_on\":\"2026-11-03\"}");
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"reason\":\"Registrar rejected\"}", NULL), 403);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"reason\":\"The registrar rejected the MCCD.\"}");
	/* Records made before the reopening still count. */
	tc_move_ok(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}");

	/* Withdrawal: lead ME only, with a reason. */
	ck_assert_int_eq(tc_move(U_ME, id, &v, "{\"to\":\"withdrawn\","
	    "\"reason\":\"dup\"}", NULL), 403);
	ck_assert_int_eq(tc_move(U_LEAD, id, &v, "{\"to\":\"withdrawn\"}",
	    &r), 422);
	tc_assert_field(&r, 422, "reason");
	t_resp_free(&r);
	tc_move_ok(U_LEAD, id, &v, "{\"to\":\"withdrawn\","
	    "\"reason\":\"Entered in error.\"}");
	tc_state(id, state);
	ck_assert_str_eq(state, "withdrawn");
}
END_TEST

/*
 * Every (state, target) pair that case_state.c's table lacks: 409 with
 * from and to, and neither state, version nor events change.  The lead
 * ME may make every move the table has, so the answer is about state.
 */
START_TEST(every_pair_outside_the_table_is_409)
{
	struct t_resp	 r;
	char		 id[32], body[128], state[32];
	long		 v, v2, events;
	int		 from, to, tested;

	tc_setup();
	v = tc_create(id);
	tested = 0;
	for (from = 0; from < CASE_STATE_COUNT; from++) {
		tc_force_state(id, case_state_str((enum case_state)from));
		v = tc_state(id, NULL);
		events = tc_count_events(id);
		for (to = 0; to < CASE_STATE_COUNT; to++) {
			if (case_transition_find((enum case_state)from,
			    (enum case_state)to) != NULL)
				continue;
			snprintf(body, sizeof(body), "{\"to\":\"%s\","
			    "\"reason\":\"r\",\"independent\":true,"
			    "\"mccd_issued_on\":\"2026-11-03\"}",
			    case_state_str((enum case_state)to));
			v2 = v;
			ck_assert_int_eq(tc_move(U_LEAD, id, &v2, body, &r),
			    409);
			t_assert_error(&r, 409, "invalid_transition");
			ck_assert_str_eq(t_json_str(&r, "error.from"),
			    case_state_str((enum case_state)from));
			ck_assert_str_eq(t_json_str(&r, "error.to"),
			    case_state_str((enum case_state)to));
			t_resp_free(&r);
			ck_assert_int_eq(tc_count_events(id), events);
			tested++;
		}
		ck_assert_int_eq(tc_state(id, state), v);
		ck_assert_str_eq(state, case_state_str((enum case_state)from));
	}
	ck_assert_int_eq(tested, CASE_STATE_COUNT * CASE_STATE_COUNT -
	    (int)case_transitions_count);
}
END_TEST

START_TEST(guard_independent)
{
	struct t_resp	r;
	char		id[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	ck_assert_int_eq(tc_move(U_ME, id, &v, "{\"to\":\"in_scrutiny\"}", &r),
	    422);
	tc_assert_field(&r, 422, "independent");
	t_resp_free(&r);
}
END_TEST

START_TEST(guard_referral_categories_and_reason)
{
	struct t_resp	r;
	char		id[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v,
	    "{\"to\":\"referred_to_coroner\"}", &r), 422);
	tc_assert_field(&r, 422, "coroner_referral.categories");
	tc_assert_field(&r, 422, "reason");
	t_resp_free(&r);
}
END_TEST

START_TEST(guard_coroner_decisions)
{
	struct t_resp	r;
	char		id[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_write(U_OFFICER, "PUT", id, "/coroner-referral", &v,
	    "{\"categories\":[\"unknown_cause\"],\"reason\":\"Unknown.\"}");
	tc_move_ok(U_OFFICER, id, &v, "{\"to\":\"referred_to_coroner\"}");
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v,
	    "{\"to\":\"coroner_investigating\"}", &r), 422);
	tc_assert_field(&r, 422, "coroner_decision");
	t_resp_free(&r);
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v,
	    "{\"to\":\"in_scrutiny\"}", &r), 422);
	tc_assert_field(&r, 422, "coroner_decision");
	t_resp_free(&r);
}
END_TEST

/* in_scrutiny -> awaiting_mccd: each requirement, one at a time. */
START_TEST(guards_of_end_of_scrutiny)
{
	static const char *const fields[] = { "record_review",
	    "practitioner_discussions", "cause_of_death", "bereaved" };
	struct t_resp	r;
	char		id[32];
	long		v;
	size_t		i;

	tc_setup();
	v = tc_create(id);
	tc_move_ok(U_ME, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}");
	ck_assert_int_eq(tc_move(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}",
	    &r), 422);
	for (i = 0; i < 4; i++)
		tc_assert_field(&r, 422, fields[i]);
	t_resp_free(&r);

	/* Only the case's examiner: another ME is 403. */
	ck_assert_int_eq(tc_move(U_ME2, id, &v, "{\"to\":\"awaiting_mccd\"}",
	    NULL), 403);

	tc_write(U_ME, "POST", id, "/notes", &v, "{\"kind\":\"record_review\","
	    "\"text\":\"Reviewed.\",\"circumstances\":\"unexpected\","
	    "\"proposed_outcome\":\"mccd\"}");
	tc_move(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}", &r);
	ck_assert(!tc_has_field(&r, "record_review"));
	tc_assert_field(&r, 422, "practitioner_discussions");
	t_resp_free(&r);
	/* A discussion that did not happen does not count. */
	tc_write(U_ME, "POST", id, "/practitioner-discussions", &v,
	    "{\"practitioner\":{\"name\":\"Dr B\",\"gmc_number\":\"7654321\"},"
	    "\"at\":\"2026-11-02T10:00:00Z\",\"happened\":false,"
	    "\"reason_not\":\"On leave\",\"outcome\":\"not_held\"}");
	tc_move(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}", &r);
	tc_assert_field(&r, 422, "practitioner_discussions");
	t_resp_free(&r);
	tc_write(U_ME, "POST", id, "/practitioner-discussions", &v,
	    "{\"practitioner\":{\"name\":\"Dr B\",\"gmc_number\":\"7654321\"},"
	    "\"at\":\"2026-11-03T10:00:00Z\",\"happened\":true,"
	    "\"outcome\":\"agreed\"}");
	/* A cause not agreed does not count. */
	tc_write(U_ME, "PUT", id, "/cause-of-death", &v, "{\"form\":"
	    "\"standard\",\"part1a\":\"Sepsis\","
	    "\"agreed_with_attending_practitioner\":false}");
	tc_move(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}", &r);
	ck_assert(!tc_has_field(&r, "practitioner_discussions"));
	tc_assert_field(&r, 422, "cause_of_death");
	t_resp_free(&r);
	tc_write(U_ME, "PUT", id, "/cause-of-death", &v, "{\"form\":"
	    "\"standard\",\"part1a\":\"Sepsis\","
	    "\"agreed_with_attending_practitioner\":true}");
	tc_move(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}", &r);
	ck_assert(!tc_has_field(&r, "cause_of_death"));
	tc_assert_field(&r, 422, "bereaved");
	t_resp_free(&r);
	tc_write(U_OFFICER, "POST", id, "/contacts/exhausted", &v,
	    "{\"reason\":\"no_contacts\"}");
	/* An open coroner referral blocks the end of scrutiny. */
	tc_write(U_OFFICER, "PUT", id, "/coroner-referral", &v,
	    "{\"categories\":[\"violence\"],\"reason\":\"Bruising.\"}");
	tc_move(U_ME, id, &v, "{\"to\":\"awaiting_mccd\"}", &r);
	ck_assert_int_eq(r.status, 422);
	ck_assert(!tc_has_field(&r, "bereaved"));
	tc_assert_field(&r, 422, "coroner_referral");
	t_resp_free(&r);
}
END_TEST

START_TEST(guard_mccd_date)
{
	struct t_resp	r;
	char		id[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_force_state(id, "awaiting_mccd");
	v = tc_state(id, NULL);
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v,
	    "{\"to\":\"mccd_issued\"}", &r), 422);
	tc_assert_field(&r, 422, "mccd_issued_on");
	t_resp_free(&r);
}
END_TEST

START_TEST(guard_reopening_needs_reason)
{
	struct t_resp	r;
	char		id[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_force_state(id, "mccd_issued");
	v = tc_state(id, NULL);
	ck_assert_int_eq(tc_move(U_LEAD, id, &v,
	    "{\"to\":\"in_scrutiny\"}", &r), 422);
	tc_assert_field(&r, 422, "reason");
	t_resp_free(&r);
}
END_TEST

START_TEST(guards_of_closing)
{
	struct t_resp	r;
	char		id[32];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_force_state(id, "mccd_issued");
	v = tc_state(id, NULL);
	tc_write(U_LIAISON, "POST", id, "/contacts", &v, "{\"person_name\":"
	    "\"Bob\",\"relationship\":\"son\",\"method\":\"in_person\","
	    "\"outcome\":\"reached\",\"at\":\"2026-11-02T12:00:00Z\","
	    "\"concerns_raised\":true,\"concerns\":\"Pain relief.\"}");
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v, "{\"to\":\"closed\"}",
	    &r), 422);
	tc_assert_field(&r, 422, "governance_referrals");
	tc_assert_field(&r, 422, "final_actions");
	t_resp_free(&r);
	tc_write(U_ME, "POST", id, "/governance-referrals", &v,
	    "{\"kind\":\"none\",\"reason\":\"Explained; no care issue.\"}");
	ck_assert_int_eq(tc_move(U_OFFICER, id, &v, "{\"to\":\"closed\"}",
	    &r), 422);
	ck_assert(!tc_has_field(&r, "governance_referrals"));
	tc_assert_field(&r, 422, "final_actions");
	t_resp_free(&r);
}
END_TEST

START_TEST(if_match_is_required_and_checked)
{
	struct t_resp	r;
	char		id[32], p[128];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_path(p, sizeof(p), id, "/transitions");
	tc_req(U_ME, "POST", p, 0, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	tc_req(U_ME, "POST", p, v + 5, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}", &r);
	t_assert_error(&r, 412, "version_mismatch");
	t_resp_free(&r);
	/* An unknown target is 422, after the version check. */
	tc_req(U_ME, "POST", p, v, "{\"to\":\"heaven\"}", &r);
	tc_assert_field(&r, 422, "to");
	t_resp_free(&r);
	tc_path(p, sizeof(p), id, "");
	tc_req(U_OFFICER, "PATCH", p, 0, "{\"given_name\":\"Ann\"}", &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	tc_req(U_OFFICER, "PATCH", p, v, "{\"given_name\":\"Ann\"}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "given_name"), "Ann");
	ck_assert_int_eq(tc_etag(&r), v + 1);
	t_resp_free(&r);
}
END_TEST

struct tc_race {
	const char	*path;
	long		 version;
	long		 status;
};

static void *
tc_race_one(void *arg)
{
	struct tc_race	*t = arg;
	struct t_resp	 r;

	tc_req(U_ME, "POST", t->path, t->version, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}", &r);
	t->status = r.status;
	t_resp_free(&r);
	return (NULL);
}

START_TEST(twenty_concurrent_transitions_one_wins)
{
	struct tc_race	 t[20];
	pthread_t	 th[20];
	char		 id[32], p[128];
	long		 v, before;
	int		 i, ok, other;

	tc_setup();
	v = tc_create(id);
	before = tc_count_events(id);
	tc_path(p, sizeof(p), id, "/transitions");
	for (i = 0; i < 20; i++) {
		t[i].path = p;
		t[i].version = v;
		t[i].status = 0;
		ck_assert_int_eq(pthread_create(&th[i], NULL, tc_race_one,
		    &t[i]), 0);
	}
	ok = other = 0;
	for (i = 0; i < 20; i++) {
		pthread_join(th[i], NULL);
		if (t[i].status == 200)
			ok++;
		else if (t[i].status == 412 || t[i].status == 409)
			other++;
	}
	ck_assert_int_eq(ok, 1);
	ck_assert_int_eq(other, 19);
	ck_assert_int_eq(tc_count_events(id), before + 1);
}
END_TEST

static int
tc_list_has(const struct t_resp *r, const char *id)
{
	json_t	*items;
	size_t	 i;

	items = json_object_get(r->json, "items");
	for (i = 0; i < json_array_size(items); i++) {
		if (strcmp(json_string_value(json_object_get(
		    json_array_get(items, i), "id")), id) == 0)
			return (1);
	}
	return (0);
}

START_TEST(offices_are_isolated)
{
	struct t_resp	r;
	char		id[32], p[256], nhs[11], body[2048];
	long		v;

	tc_setup();
	tc_nhs(nhs);
	snprintf(body, sizeof(body), "%s", tc_body(nhs, "1950-01-01",
	    "2026-10-06"));
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_int_eq(r.status, 201);
	snprintf(id, sizeof(id), "%s", t_json_str(&r, "id"));
	v = tc_etag(&r);
	t_resp_free(&r);

	tc_path(p, sizeof(p), id, "");
	tc_req(U_B_LEAD, "GET", p, 0, NULL, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	tc_path(p, sizeof(p), id, "/transitions");
	tc_req(U_B_LEAD, "POST", p, v, "{\"to\":\"withdrawn\","
	    "\"reason\":\"x\"}", &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	tc_path(p, sizeof(p), id, "/events");
	tc_req(U_B_OFFICER, "GET", p, 0, NULL, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);

	snprintf(p, sizeof(p), "/api/v1/cases?q=%s&limit=200", nhs);
	tc_req(U_B_LEAD, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")),
	    0);
	t_resp_free(&r);
	tc_req(U_LEAD, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")),
	    1);
	t_resp_free(&r);
	/* Office B's lists and name searches never show office A's case. */
	tc_req(U_B_LEAD, "GET", "/api/v1/cases?q=o%27brien&limit=200", 0,
	    NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(!tc_list_has(&r, id));
	t_resp_free(&r);
	tc_req(U_B_LEAD, "GET", "/api/v1/cases?limit=200&sort=oldest", 0,
	    NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(!tc_list_has(&r, id));
	t_resp_free(&r);
	tc_req(U_LEAD, "GET", "/api/v1/cases?q=o%27brien&limit=200", 0,
	    NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_ge(json_array_size(json_object_get(r.json, "items")),
	    1);
	t_resp_free(&r);
}
END_TEST

START_TEST(roles_and_liaison_view)
{
	struct t_resp	r;
	char		id[32], p[128];
	long		v;

	tc_setup();
	v = tc_create(id);
	tc_path(p, sizeof(p), id, "");
	tc_req(U_LIAISON, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(json_object_get(r.json, "notes"));
	ck_assert_ptr_null(json_object_get(r.json, "practitioner_discussions"));
	ck_assert_ptr_null(json_object_get(r.json, "governance_referrals"));
	ck_assert_ptr_nonnull(json_object_get(r.json, "cause_of_death"));
	t_resp_free(&r);
	tc_req(U_OFFICER, "GET", p, 0, NULL, &r);
	ck_assert_ptr_nonnull(json_object_get(r.json, "notes"));
	t_resp_free(&r);
	tc_req(U_ANALYST, "GET", p, 0, NULL, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tc_req(U_ANALYST, "GET", "/api/v1/cases/999999999", 0, NULL, &r);
	t_assert_error(&r, 404, "not_found");
	t_resp_free(&r);
	tc_req(U_ANALYST, "GET", "/api/v1/cases", 0, NULL, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tc_path(p, sizeof(p), id, "/events");
	tc_req(U_LIAISON, "GET", p, 0, NULL, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tc_path(p, sizeof(p), id, "/cause-of-death");
	tc_req(U_OFFICER, "PUT", p, v, "{\"form\":\"standard\","
	    "\"part1a\":\"X\",\"agreed_with_attending_practitioner\":true}",
	    &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tc_path(p, sizeof(p), id, "/transitions");
	tc_req(U_LIAISON, "POST", p, v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}", &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
}
END_TEST

START_TEST(lists_filter_sort_and_page)
{
	struct t_resp	 r;
	char		 id[32], p[256], *cursor;
	const char	*c;
	long		 v;
	int		 pages, seen;

	tc_setup();
	v = tc_create(id);
	(void)v;
	tc_req(U_OFFICER, "GET", "/api/v1/cases?limit=201", 0, NULL, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	tc_req(U_OFFICER, "GET", "/api/v1/cases?state=lost", 0, NULL, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	tc_req(U_OFFICER, "GET", "/api/v1/cases?overdue=maybe", 0, NULL, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	tc_req(U_OFFICER, "GET", "/api/v1/cases?state=notified&unassigned=true"
	    "&sort=urgency&limit=2", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_le(json_array_size(json_object_get(r.json, "items")),
	    2);
	t_resp_free(&r);

	/* Walk every page of 3; the pages never repeat a case. */
	cursor = NULL;
	pages = seen = 0;
	do {
		snprintf(p, sizeof(p), "/api/v1/cases?limit=3%s%s",
		    cursor ? "&cursor=" : "", cursor ? cursor : "");
		free(cursor);
		cursor = NULL;
		tc_req(U_OFFICER, "GET", p, 0, NULL, &r);
		ck_assert_int_eq(r.status, 200);
		seen += (int)json_array_size(json_object_get(r.json,
		    "items"));
		c = t_json_str(&r, "next_cursor");
		if (c != NULL)
			cursor = strdup(c);
		t_resp_free(&r);
		pages++;
	} while (cursor != NULL && pages < 1000);
	ck_assert_int_ge(seen, 1);

	tc_req(U_OFFICER, "GET", "/api/v1/cases/summary", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(json_object_get(r.json, "awaiting_mccd"));
	t_resp_free(&r);
	tc_req(U_LIAISON, "GET", "/api/v1/reference", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_array_size(json_object_get(r.json,
	    "transitions")), case_transitions_count);
	t_resp_free(&r);
}
END_TEST

/* The audit chain: intact, then one event edited as the owner. */
START_TEST(audit_verify_names_the_edited_event)
{
	PGconn		*db;
	FILE		*f;
	const char	*p[1];
	char		 id[32], cmd[1024], out[1024], sql[512], *eid;
	long		 v;
	size_t		 n;

	tc_setup();
	v = tc_create(id);
	(void)tc_state(id, NULL);
	/* Its view is event 2 once chained (sql/case_views.sql). */
	(void)t_chain_views();
	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify >/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	ck_assert_int_eq(t_run(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify --case %s "
	    ">/dev/null", getenv("MEDEX_TEST_OUT"), id);
	ck_assert_int_eq(t_run(cmd), 0);
	(void)v;

	/* The server's role may not change the trail at all. */
	db = t_db("db_app");
	p[0] = id;
	ck_assert_int_ne(t_db_exec_p(db, "UPDATE case_events SET action = "
	    "'x' WHERE case_id = $1", 1, p), 0);
	PQfinish(db);

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CA')::text, false)", NULL,
	    0), 0);
	eid = t_db_value_p(db, "SELECT id FROM case_events WHERE "
	    "case_id = $1 AND seq = 2", 1, p);
	p[0] = eid;
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE case_events SET actor = "
	    "'someone' WHERE id = $1", 1, p), 0);
	PQfinish(db);

	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify > %s/audit.out",
	    getenv("MEDEX_TEST_OUT"), getenv("MEDEX_DATA"));
	ck_assert_int_eq(t_run(cmd), 1);
	snprintf(cmd, sizeof(cmd), "%s/audit.out", getenv("MEDEX_DATA"));
	f = fopen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	snprintf(sql, sizeof(sql), "case %s, event %s (seq 2)", id, eid);
	ck_assert_msg(strstr(out, sql) != NULL, "%s", out);
	free(eid);

	/* Put it back: the other scenarios share this database. */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CA')::text, false)", NULL,
	    0), 0);
	p[0] = id;
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE case_events SET actor = "
	    "'ca.lead' WHERE case_id = $1 AND seq = 2", 1, p), 0);
	PQfinish(db);
	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify >/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	ck_assert_int_eq(t_run(cmd), 0);
}
END_TEST

/* deadline = notified_at + the office's 3 days; overdue once past it. */
START_TEST(deadline_overdue_and_neonatal_form)
{
	struct t_resp	 r;
	char		 body[2048], id[32], p[160];
	long		 v;

	tc_setup();
	snprintf(body, sizeof(body), "{\"given_name\":\"Late\","
	    "\"family_name\":\"Overdue\",\"date_of_birth\":\"2026-10-20\","
	    "\"sex\":\"male\",\"date_of_death\":\"2026-10-30\","
	    "\"place_of_death\":\"hospital\",\"notified_at\":"
	    "\"2026-10-31T09:00:00Z\",\"priority\":{\"child\":true},"
	    "\"attending_practitioner\":{\"name\":\"Dr C\","
	    "\"gmc_number\":\"1111111\"}}");
	tc_req(U_OFFICER, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(t_json_str(&r, "deadline"), "2026-11-03T09:00:00Z");
	ck_assert(json_is_true(json_object_get(r.json, "overdue")));
	snprintf(id, sizeof(id), "%s", t_json_str(&r, "id"));
	v = tc_etag(&r);
	t_resp_free(&r);

	tc_req(U_OFFICER, "GET", "/api/v1/cases?overdue=true&priority=true"
	    "&limit=200&sort=urgency", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(tc_list_has(&r, id));
	t_resp_free(&r);

	/* Ten days old at death: the neonatal form, not the standard one. */
	tc_move_ok(U_ME, id, &v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}");
	tc_path(p, sizeof(p), id, "/cause-of-death");
	tc_req(U_ME, "PUT", p, v, "{\"form\":\"standard\","
	    "\"part1a\":\"Sepsis\",\"agreed_with_attending_practitioner\":"
	    "true}", &r);
	tc_assert_field(&r, 422, "form");
	t_resp_free(&r);
	tc_write(U_ME, "PUT", id, "/cause-of-death", &v, "{\"form\":"
	    "\"neonatal\",\"infant_main\":\"Prematurity\","
	    "\"agreed_with_attending_practitioner\":true}");
	/* Part I b without a: refused. */
	tc_req(U_ME, "PUT", p, v, "{\"form\":\"standard\",\"part1b\":\"X\","
	    "\"agreed_with_attending_practitioner\":true}", &r);
	tc_assert_field(&r, 422, "part1a");
	t_resp_free(&r);
}
END_TEST

/* PATCH checks the new values against those the case keeps. */
START_TEST(patch_checks_against_the_stored_case)
{
	struct t_resp	 r;
	char		 id[32], id2[32], p[160], body[256], *nhs;
	long		 v;
	PGconn		*db;

	tc_setup();
	v = tc_create(id);
	(void)tc_create(id2);
	tc_path(p, sizeof(p), id, "");
	/* Born 1940-02-29: a death in 1939 is before the birth. */
	tc_req(U_OFFICER, "PATCH", p, v, "{\"date_of_death\":\"1939-01-01\"}",
	    &r);
	tc_assert_field(&r, 422, "date_of_death");
	t_resp_free(&r);
	tc_req(U_OFFICER, "PATCH", p, v, "{\"nhs_number\":\"9434765918\"}",
	    &r);
	tc_assert_field(&r, 422, "nhs_number");
	t_resp_free(&r);
	/* The NHS number of another open case with the same death: 409. */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CA')::text, false)", NULL,
	    0), 0);
	snprintf(body, sizeof(body), "SELECT nhs_number FROM cases WHERE "
	    "id = %s", id2);
	nhs = t_db_value(db, body);
	PQfinish(db);
	snprintf(body, sizeof(body), "{\"nhs_number\":\"%s\"}", nhs);
	tc_req(U_OFFICER, "PATCH", p, v, body, &r);
	t_assert_error(&r, 409, "conflict");
	ck_assert_str_eq(t_json_str(&r, "error.existing_case"), id2);
	t_resp_free(&r);
	free(nhs);
	ck_assert_int_eq(tc_state(id, NULL), v + 0);
}
END_TEST

/*
 * A list of 200 cases is one SQL statement (pg_stat_statements, which
 * counts the statements each client sends), however many items.
 */
/*
 * Not counted: the view chain's timer (view_chain.c), which calls
 * case_views_chain() as medex_app every second, whatever the test does.
 */
START_TEST(a_list_of_200_is_one_statement)
{
	PGconn		*db;
	struct t_resp	 r;
	char		*before, *after;
	const char	*count = "SELECT coalesce(sum(calls), 0) FROM "
			    "pg_stat_statements s JOIN pg_roles u ON "
			    "u.oid = s.userid WHERE u.rolname = 'medex_app' "
			    "AND s.query NOT LIKE '%case_views_chain%'";

	tc_setup();
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "BEGIN; SELECT set_config("
	    "'medex.office_id', (SELECT id FROM offices WHERE code = 'CA')"
	    "::text, true); INSERT INTO cases (office_id, given_name, "
	    "family_name, date_of_birth, sex, date_of_death, place_of_death, "
	    "ap_name, ap_gmc, notified_at, deadline) SELECT (SELECT id FROM "
	    "offices WHERE code = 'CA'), 'Bulk', 'Case ' || g, '1950-01-01', "
	    "'male', '2026-11-01', 'home', 'Dr B', '7654321', now(), "
	    "now() + interval '3 days' FROM generate_series(1, 210) g; "
	    /* Each with its created event, as the API writes one. */
	    "SELECT case_event_append(k.id, date_trunc('microseconds', "
	    "clock_timestamp()), 'test-fixture', 'admin', 'created', (SELECT "
	    "jsonb_object_agg(key, jsonb_build_object('new', value)) FROM "
	    "jsonb_each(to_jsonb(k)) WHERE key IN ('given_name', "
	    "'family_name', 'date_of_birth', 'sex', 'date_of_death', "
	    "'place_of_death', 'ap_name', 'ap_gmc'))) FROM cases k WHERE "
	    "k.given_name = 'Bulk' AND k.event_seq = 0; "
	    "COMMIT", NULL, 0), 0);
	before = t_db_value(db, count);
	tc_req(U_OFFICER, "GET", "/api/v1/cases?limit=200", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")),
	    200);
	ck_assert_ptr_nonnull(t_json_str(&r, "next_cursor"));
	t_resp_free(&r);
	after = t_db_value(db, count);
	ck_assert_int_eq(strtoll(after, NULL, 10) - strtoll(before, NULL, 10),
	    1);
	free(before);
	free(after);
	PQfinish(db);
}
END_TEST

/*
 * Reading the trail or the notes writes nothing, so it takes no lock on
 * the case (0014_read_without_lock.sql): while a writer holds the case's
 * row, both still answer at once.  Before, they locked the row too, and
 * waited for the writer (here until curl gave up).
 */
START_TEST(reading_the_trail_and_notes_waits_for_no_writer)
{
	struct t_resp	 r;
	PGconn		*db;
	const char	*p[1];
	char		 id[32], path[128];
	long		 v;

	tc_setup();
	v = tc_create(id);
	tc_write(U_ME, "POST", id, "/notes", &v, "{\"kind\":\"other\","
	    "\"text\":\"Called the ward.\"}");
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "BEGIN", NULL, 0), 0);
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CA')::text, true)", NULL,
	    0), 0);
	p[0] = id;
	ck_assert_int_eq(t_db_exec_p(db, "SELECT id FROM cases WHERE id = $1 "
	    "FOR UPDATE", 1, p), 0);

	tc_path(path, sizeof(path), id, "/events");
	tc_req(U_ME, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "the trail behind a writer: %ld %s",
	    r.status, r.body);
	ck_assert_msg(strstr(r.body, "\"created\"") != NULL, "%s", r.body);
	t_resp_free(&r);
	tc_path(path, sizeof(path), id, "/notes");
	tc_req(U_ME, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "the notes behind a writer: %ld %s",
	    r.status, r.body);
	ck_assert_msg(strstr(r.body, "Called the ward.") != NULL, "%s",
	    r.body);
	t_resp_free(&r);

	ck_assert_int_eq(t_db_exec(db, "ROLLBACK", NULL, 0), 0);
	PQfinish(db);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cases");
	tc = tcase_create("cases");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, nhs_numbers_are_checked);
	tcase_add_test(tc, dates_are_checked);
	tcase_add_test(tc, unknown_and_nested_fields_are_named);
	tcase_add_test(tc, duplicate_open_case_is_409_with_existing_case);
	tcase_add_test(tc, happy_path_to_closed);
	tcase_add_test(tc, coroner_paths_both_ways);
	tcase_add_test(tc, registrar_rejection_and_withdrawal);
	tcase_add_test(tc, every_pair_outside_the_table_is_409);
	tcase_add_test(tc, guard_independent);
	tcase_add_test(tc, guard_referral_categories_and_reason);
	tcase_add_test(tc, guard_coroner_decisions);
	tcase_add_test(tc, guards_of_end_of_scrutiny);
	tcase_add_test(tc, guard_mccd_date);
	tcase_add_test(tc, guard_reopening_needs_reason);
	tcase_add_test(tc, guards_of_closing);
	tcase_add_test(tc, if_match_is_required_and_checked);
	tcase_add_test(tc, twenty_concurrent_transitions_one_wins);
	tcase_add_test(tc, offices_are_isolated);
	tcase_add_test(tc, roles_and_liaison_view);
	tcase_add_test(tc, lists_filter_sort_and_page);
	tcase_add_test(tc, audit_verify_names_the_edited_event);
	tcase_add_test(tc, deadline_overdue_and_neonatal_form);
	tcase_add_test(tc, patch_checks_against_the_stored_case);
	tcase_add_test(tc, a_list_of_200_is_one_statement);
	tcase_add_test(tc, reading_the_trail_and_notes_waits_for_no_writer);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
