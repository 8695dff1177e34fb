/*
 * The coroner referral document (issue 23): a case made through the API
 * up to its referral; the PDF read back with pdftotext (the deceased's
 * name, Welsh circumflex included, the categories in words, the ME's
 * reason, the coroner area set by the admin's PATCH); the printable
 * page; sending and the acknowledgement recorded and read back, in the
 * trail, and `medexctl audit verify` passing; the bad
 * requests (wrong role 403, no referral 422, not sent 422, stale
 * version 412, no If-Match 428, a bad method 422); and the "waiting for
 * the coroner's acknowledgement" list, which takes a referral sent
 * long enough ago and leaves out a fresh one and an acknowledged one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

#define TR_PASSWORD	"referral-tests-password-1"
#define TR_REASON	"An unwitnessed fall at home with bruising."

struct tr_user {
	const char	*name;
	const char	*role;
	char		 auth[4300];
};

static struct tr_user	users[] = {
	{ "rd.officer", "officer", "" },
	{ "rd.examiner", "medical_examiner", "" },
	{ "rd.liaison", "liaison_officer", "" },
	{ "rd.admin", "admin", "" },
};

enum { U_OFFICER, U_EXAMINER, U_LIAISON, U_ADMIN };

static void	tr_req(int, const char *, const char *, long, const char *,
		    struct t_resp *);
static long	tr_etag(const struct t_resp *);

/* The admin sets the office's coroner area (PATCH, issue 23). */
static void
tr_area(void)
{
	struct t_resp	r;
	long		v;

	tr_req(U_ADMIN, "GET", "/api/v1/offices/RD", 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	v = tr_etag(&r);
	t_resp_free(&r);
	tr_req(U_ADMIN, "PATCH", "/api/v1/offices/RD", v,
	    "{\"coroner_area\":7}", &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(
	    json_object_get(r.json, "error"), "fields"), "coroner_area"));
	t_resp_free(&r);
	tr_req(U_ADMIN, "PATCH", "/api/v1/offices/RD", v,
	    "{\"coroner_area\":\"Inner North London\"}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(t_json_str(&r, "coroner_area"),
	    "Inner North London");
	t_resp_free(&r);
}

static int	tr_ready;

static void
tr_setup(void)
{
	struct t_resp	 r;
	json_t		*b;
	char		 cmd[1024], *js;
	size_t		 i;

	if (tr_ready)
		return;
	snprintf(cmd, sizeof(cmd), "%s/medexctl office add RD 'Referral "
	    "Office' >/dev/null 2>&1", getenv("MEDEX_TEST_OUT"));
	(void)t_run(cmd);
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | "
		    "%s/medexctl user add %s --role %s --office RD "
		    "--name 'User %s' >/dev/null 2>&1", TR_PASSWORD,
		    getenv("MEDEX_TEST_OUT"), users[i].name, users[i].role,
		    users[i].name);
		(void)t_run(cmd);
		b = json_pack("{ss ss}", "username", users[i].name,
		    "password", TR_PASSWORD);
		js = json_dumps(b, JSON_COMPACT);
		t_post_json("/api/v1/auth/login", NULL, js, &r);
		free(js);
		json_decref(b);
		ck_assert_msg(r.status == 200, "login %s: %ld %s",
		    users[i].name, r.status, r.body);
		snprintf(users[i].auth, sizeof(users[i].auth),
		    "Authorization: Bearer %s", t_json_str(&r, "token"));
		t_resp_free(&r);
	}
	tr_area();
	tr_ready = 1;
}

/* A request as user u; ifm > 0 sends If-Match. */
static void
tr_req(int u, const char *method, const char *path, long ifm,
    const char *body, struct t_resp *r)
{
	const char	*h[5];
	char		 im[64];
	int		 n = 0;

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
tr_etag(const struct t_resp *r)
{
	char	*e;
	long	 v;

	e = t_header(r, "etag");
	ck_assert_msg(e != NULL, "no ETag: %ld %s", r->status, r->body);
	v = strtol(e + 1, NULL, 10);
	free(e);
	return (v);
}

/* RFC 3339 UTC of now - days. */
static const char *
tr_ago(int days, char *buf, size_t len)
{
	time_t		t = time(NULL) - (time_t)days * 86400;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return (buf);
}

/* A case of the officer, its id into id; its version. */
static long
tr_case(const char *family, char *id, size_t len)
{
	struct t_resp	 r;
	char		 body[1024], dod[32];
	long		 v;

	tr_ago(20, dod, sizeof(dod));
	dod[10] = '\0';
	snprintf(body, sizeof(body), "{\"given_name\":\"Si\xc3\xa2n\","
	    "\"family_name\":\"%s\",\"date_of_birth\":\"1941-03-04\","
	    "\"sex\":\"female\",\"date_of_death\":\"%s\","
	    "\"place_of_death\":\"home\",\"attending_practitioner\":"
	    "{\"name\":\"Dr A Jones\",\"gmc_number\":\"1234567\"}}", family,
	    dod);
	tr_req(U_OFFICER, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, len, "%s", t_json_str(&r, "id"));
	v = tr_etag(&r);
	t_resp_free(&r);
	return (v);
}

static long
tr_refer(const char *id, long v)
{
	struct t_resp	r;
	char		path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral", id);
	tr_req(U_EXAMINER, "PUT", path, v, "{\"categories\":"
	    "[\"trauma_or_injury\",\"neglect\"],\"reason\":\"" TR_REASON "\"}",
	    &r);
	ck_assert_msg(r.status == 200, "refer: %ld %s", r.status, r.body);
	v = tr_etag(&r);
	t_resp_free(&r);
	return (v);
}

static long
tr_sent(const char *id, long v, int days_ago)
{
	struct t_resp	r;
	char		path[128], body[256], at[32];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral/sent",
	    id);
	snprintf(body, sizeof(body), "{\"sent_at\":\"%s\",\"method\":"
	    "\"secure_email\"}", tr_ago(days_ago, at, sizeof(at)));
	tr_req(U_OFFICER, "PUT", path, v, body, &r);
	ck_assert_msg(r.status == 200, "sent: %ld %s", r.status, r.body);
	v = tr_etag(&r);
	t_resp_free(&r);
	return (v);
}

/* pdftotext's words of the PDF, on one line, spaces collapsed. */
static char *
tr_pdf_text(const struct t_resp *r)
{
	FILE	*f;
	char	 pdf[512], txt[512], cmd[1200], *s, *p, *q;

	snprintf(pdf, sizeof(pdf), "%s/referral.pdf", getenv("MEDEX_DATA"));
	snprintf(txt, sizeof(txt), "%s/referral.txt", getenv("MEDEX_DATA"));
	ck_assert_ptr_nonnull(f = fopen(pdf, "w"));
	ck_assert_uint_eq(fwrite(r->body, 1, r->len, f), r->len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s %s", pdf, txt);
	ck_assert_int_eq(t_run(cmd), 0);
	s = t_file(txt);
	for (p = q = s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\f' || *p == '\t')
			*p = ' ';
		if (*p == ' ' && q > s && q[-1] == ' ')
			continue;
		*q++ = *p;
	}
	*q = '\0';
	return (s);
}

START_TEST(document_sent_and_acknowledged)
{
	struct t_resp	 r;
	json_t		*cr, *it;
	char		 id[32], path[160], body[256], at[32], *ct, *txt;
	long		 v, stale;
	size_t		 i;
	int		 seen_sent = 0, seen_ack = 0;

	tr_setup();
	v = tr_case("Prydderch", id, sizeof(id));

	/* No referral: no document (409), nothing to send (422). */
	snprintf(path, sizeof(path), "/cases/%s/referral-document/pdf", id);
	tr_req(U_OFFICER, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 409, "%ld", r.status);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral/sent",
	    id);
	snprintf(body, sizeof(body), "{\"sent_at\":\"%s\",\"method\":"
	    "\"email\"}", tr_ago(0, at, sizeof(at)));
	tr_req(U_OFFICER, "PUT", path, v, body, &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(
	    json_object_get(r.json, "error"), "fields"), "coroner_referral"));
	t_resp_free(&r);

	stale = v;
	v = tr_refer(id, v);

	/* The PDF holds the case's facts, the categories and the reason. */
	snprintf(path, sizeof(path), "/cases/%s/referral-document/pdf", id);
	tr_req(U_OFFICER, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "pdf: %ld %s", r.status, r.body);
	ct = t_header(&r, "content-type");
	ck_assert_msg(ct != NULL && strstr(ct, "application/pdf") != NULL,
	    "%s", ct);
	free(ct);
	ck_assert(r.len > 4 && memcmp(r.body, "%PDF", 4) == 0);
	txt = tr_pdf_text(&r);
	t_resp_free(&r);
	ck_assert_msg(strstr(txt, "Si\xc3\xa2n Prydderch") != NULL, "%s", txt);
	ck_assert_msg(strstr(txt, "Referral of a death to the coroner") !=
	    NULL, "%s", txt);
	ck_assert_msg(strstr(txt, "due to trauma or injury") != NULL, "%s",
	    txt);
	ck_assert_msg(strstr(txt, "neglect, including self-neglect") != NULL,
	    "%s", txt);
	ck_assert_msg(strstr(txt, TR_REASON) != NULL, "%s", txt);
	ck_assert_msg(strstr(txt, "Inner North London") != NULL, "%s", txt);
	ck_assert_msg(strstr(txt, "Dr A Jones") != NULL, "%s", txt);
	ck_assert_msg(strstr(txt, "Not held by medex") != NULL, "%s", txt);
	free(txt);

	/* The page says the same, as HTML. */
	snprintf(path, sizeof(path), "/cases/%s/referral-document", id);
	tr_req(U_EXAMINER, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "page: %ld", r.status);
	ck_assert(strstr(r.body, "The death may have been due to trauma or "
	    "injury.") != NULL);
	ck_assert(strstr(r.body, "Inner North London") != NULL);
	t_resp_free(&r);
	/* Not for the liaison officer. */
	tr_req(U_LIAISON, "GET", path, 0, NULL, &r);
	ck_assert_msg(r.status == 403, "liaison page: %ld", r.status);
	t_resp_free(&r);

	/* Bad requests change nothing. */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral/sent",
	    id);
	tr_req(U_LIAISON, "PUT", path, v, body, &r);
	t_assert_error(&r, 403, "forbidden");
	t_resp_free(&r);
	tr_req(U_OFFICER, "PUT", path, stale, body, &r);
	t_assert_error(&r, 412, "version_mismatch");
	t_resp_free(&r);
	tr_req(U_OFFICER, "PUT", path, 0, body, &r);
	t_assert_error(&r, 428, "precondition_required");
	t_resp_free(&r);
	tr_req(U_OFFICER, "PUT", path, v, "{\"sent_at\":\"2020-01-01T00:00:00Z"
	    "\",\"method\":\"pigeon\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(
	    json_object_get(r.json, "error"), "fields"), "method"));
	t_resp_free(&r);
	/* The acknowledgement of a referral not sent. */
	snprintf(path, sizeof(path),
	    "/api/v1/cases/%s/coroner-referral/acknowledgement", id);
	snprintf(body, sizeof(body), "{\"acknowledged_at\":\"%s\"}",
	    tr_ago(0, at, sizeof(at)));
	tr_req(U_OFFICER, "PUT", path, v, body, &r);
	t_assert_error(&r, 422, "validation_failed");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(
	    json_object_get(r.json, "error"), "fields"), "coroner_referral"));
	t_resp_free(&r);

	/* Sent, then acknowledged, read back. */
	v = tr_sent(id, v, 1);
	tr_req(U_OFFICER, "PUT", path, v, "{\"acknowledged_at\":"
	    "\"2000-01-01T00:00:00Z\"}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	snprintf(body, sizeof(body), "{\"acknowledged_at\":\"%s\","
	    "\"reference\":\"INL/2026/123\"}", tr_ago(0, at, sizeof(at)));
	tr_req(U_EXAMINER, "PUT", path, v, body, &r);
	ck_assert_msg(r.status == 200, "ack: %ld %s", r.status, r.body);
	t_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	tr_req(U_OFFICER, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	cr = json_object_get(r.json, "coroner_referral");
	ck_assert_str_eq(json_string_value(json_object_get(cr,
	    "sent_method")), "secure_email");
	ck_assert_str_eq(json_string_value(json_object_get(cr, "sent_by")),
	    "rd.officer");
	ck_assert_str_eq(json_string_value(json_object_get(cr,
	    "acknowledged_by")), "rd.examiner");
	ck_assert_str_eq(json_string_value(json_object_get(cr,
	    "acknowledgement_reference")), "INL/2026/123");
	ck_assert_ptr_nonnull(json_string_value(json_object_get(cr,
	    "acknowledged_at")));
	t_resp_free(&r);

	/* In the trail, which still verifies. */
	snprintf(path, sizeof(path), "/api/v1/cases/%s/events?limit=200", id);
	tr_req(U_OFFICER, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		const char *a = json_string_value(json_object_get(it,
		    "action"));
		seen_sent += strcmp(a, "coroner_referral_sent") == 0;
		seen_ack += strcmp(a, "coroner_referral_acknowledged") == 0;
	}
	ck_assert_int_eq(seen_sent, 1);
	ck_assert_int_eq(seen_ack, 1);
	t_resp_free(&r);
	snprintf(body, sizeof(body), "%s/medexctl audit verify --case %s "
	    ">/dev/null", getenv("MEDEX_TEST_OUT"), id);
	ck_assert_int_eq(t_run(body), 0);

	/* The case page shows both. */
	snprintf(path, sizeof(path), "/cases/%s", id);
	tr_req(U_OFFICER, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(strstr(r.body, "Sent to the coroner") != NULL);
	ck_assert(strstr(r.body, "INL/2026/123") != NULL);
	ck_assert(strstr(r.body, "Referral acknowledged by the coroner") !=
	    NULL);
	t_resp_free(&r);
}
END_TEST

/* Whether the list of awaiting=coroner_acknowledgement holds id. */
static int
tr_waiting(const char *id)
{
	struct t_resp	 r;
	json_t		*it;
	size_t		 i;
	int		 found = 0;

	tr_req(U_OFFICER, "GET", "/api/v1/cases?awaiting="
	    "coroner_acknowledgement&limit=200", 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "id")),
		    id) == 0)
			found = 1;
	}
	t_resp_free(&r);
	return (found);
}

START_TEST(unacknowledged_referral_waits)
{
	struct t_resp	 r;
	char		 old[32], fresh[32], unsent[32], path[128];
	char		 body[128], at[32], *wd;
	PGconn		*db;
	long		 v;

	tr_setup();
	v = tr_refer(old, tr_case("Oldsent", old, sizeof(old)));
	/* Ten calendar days hold at least six working days. */
	(void)tr_sent(old, v, 10);
	v = tr_refer(fresh, tr_case("Freshsent", fresh, sizeof(fresh)));
	(void)tr_sent(fresh, v, 0);
	(void)tr_refer(unsent, tr_case("Notsent", unsent, sizeof(unsent)));

	ck_assert(tr_waiting(old));
	ck_assert(!tr_waiting(fresh));
	/* Working days: Monday to Thursday has two (Tuesday, Wednesday);
	 * Friday to Tuesday one (Monday); weekends never count. */
	db = t_db("db_owner");
	wd = t_db_value(db, "SELECT working_days_between('2026-12-07', "
	    "'2026-12-10') || ' ' || working_days_between('2026-12-04', "
	    "'2026-12-08') || ' ' || working_days_between('2026-12-05', "
	    "'2026-12-07') || ' ' || working_days_between('2026-12-01', "
	    "'2026-12-31')");
	ck_assert_str_eq(wd, "2 1 0 21");
	free(wd);
	PQfinish(db);
	ck_assert(!tr_waiting(unsent));

	tr_req(U_OFFICER, "GET", "/api/v1/cases/summary", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_ge(json_integer_value(json_object_get(r.json,
	    "awaiting_coroner_acknowledgement")), 1);
	t_resp_free(&r);
	tr_req(U_OFFICER, "GET", "/api/v1/cases?awaiting=nonsense", 0, NULL,
	    &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);

	/* The officer's page list. */
	tr_req(U_OFFICER, "GET", "/cases?need=coroner_acknowledgement", 0,
	    NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(strstr(r.body, "Oldsent") != NULL);
	ck_assert(strstr(r.body, "Freshsent") == NULL);
	t_resp_free(&r);

	/* Acknowledged: off the list. */
	snprintf(path, sizeof(path), "/api/v1/cases/%s", old);
	tr_req(U_OFFICER, "GET", path, 0, NULL, &r);
	v = tr_etag(&r);
	t_resp_free(&r);
	snprintf(path, sizeof(path),
	    "/api/v1/cases/%s/coroner-referral/acknowledgement", old);
	snprintf(body, sizeof(body), "{\"acknowledged_at\":\"%s\"}",
	    tr_ago(0, at, sizeof(at)));
	tr_req(U_OFFICER, "PUT", path, v, body, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	t_resp_free(&r);
	ck_assert(!tr_waiting(old));
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("referral_document");
	tc = tcase_create("referral");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, document_sent_and_acknowledged);
	tcase_add_test(tc, unacknowledged_referral_waits);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
