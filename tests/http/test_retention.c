/*
 * Retention (issue 19, acceptance 5): an office's retention_years
 * (PATCH /api/v1/offices/{code}), and `medexctl retention purge --before
 * DATE [--dry-run]`: a dry run lists and changes nothing; a real run
 * removes the identifiable fields of old closed cases only (not a case
 * closed recently, not an open one, not another office's without a
 * retention period), records the purge in the trail without the
 * values, `medexctl audit verify` still passes, and the month's
 * published figures are byte-identical before and after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define TR_PASSWORD	"retention-tests-password-1"

struct tr_user {
	const char	*name;
	const char	*role;
	const char	*office;
	char		 auth[4300];
};

static struct tr_user	users[] = {
	{ "ra.officer", "officer", "RA", "" },
	{ "ra.me", "medical_examiner", "RA", "" },
	{ "ra.lead", "lead_medical_examiner", "RA", "" },
	{ "ra.admin", "admin", "RA", "" },
	{ "rb.officer", "officer", "RB", "" },
	{ "rb.me", "medical_examiner", "RB", "" },
};

enum { U_OFFICER, U_ME, U_LEAD, U_ADMIN, U_B_OFFICER, U_B_ME };

static void
tr_setup(void)
{
	struct t_resp	 r;
	json_t		*b;
	char		 cmd[1024], *js;
	size_t		 i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s/medexctl office add %s "
		    "'Office %s' >/dev/null 2>&1", getenv("MEDEX_TEST_OUT"),
		    users[i].office, users[i].office);
		(void)t_run(cmd);
		snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | "
		    "%s/medexctl user add %s --role %s --office %s "
		    ">/dev/null 2>&1", TR_PASSWORD, getenv("MEDEX_TEST_OUT"),
		    users[i].name, users[i].role, users[i].office);
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
}

static void
tr_req(int u, const char *method, const char *path, long ifm,
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

/* A write that must succeed; *v is the new version. */
static void
tr_write(int u, const char *method, const char *id, const char *tail,
    long *v, const char *body)
{
	struct t_resp	r;
	char		p[160];

	snprintf(p, sizeof(p), "/api/v1/cases/%s%s", id, tail);
	tr_req(u, method, p, strcmp(method, "POST") == 0 &&
	    strcmp(tail, "/transitions") != 0 ? 0 : *v, body, &r);
	ck_assert_msg(r.status == 200 || r.status == 201, "%s %s: %ld %s",
	    method, tail, r.status, r.body);
	*v = tr_etag(&r);
	t_resp_free(&r);
}

/* A case of office a (0) or b (1) with a bereaved person; id in id. */
static long
tr_create(int b, char id[32])
{
	static int	 seq;
	struct t_resp	 r;
	char		 nhs[11], body[1024];
	long		 v;

	t_nhs_number("401", 420000, &seq, nhs);
	snprintf(body, sizeof(body), "{\"given_name\":\"Ifan\","
	    "\"family_name\":\"Retainable\",\"nhs_number\":\"%s\","
	    "\"date_of_birth\":\"1938-04-05\",\"sex\":\"male\","
	    "\"date_of_death\":\"2026-11-01\",\"place_of_death\":\"home\","
	    "\"place_detail\":\"12 Heol y Bryn, Llandeilo\","
	    "\"attending_practitioner\":{\"name\":\"Dr A Jones\","
	    "\"gmc_number\":\"1234567\"}}", nhs);
	tr_req(b ? U_B_OFFICER : U_OFFICER, "POST", "/api/v1/cases", 0, body,
	    &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	v = tr_etag(&r);
	t_resp_free(&r);
	tr_write(b ? U_B_OFFICER : U_OFFICER, "POST", id, "/representatives",
	    &v, "{\"name\":\"Nia Retainable\",\"relationship\":\"daughter\","
	    "\"phone\":\"07700 900123\"}");
	return (v);
}

/* From notified to closed, every step through the API. */
static void
tr_close(int b, const char *id, long *v)
{
	int	me = b ? U_B_ME : U_ME, off = b ? U_B_OFFICER : U_OFFICER;

	tr_write(me, "POST", id, "/transitions", v, "{\"to\":\"in_scrutiny\","
	    "\"independent\":true}");
	tr_write(me, "POST", id, "/notes", v, "{\"kind\":\"record_review\","
	    "\"text\":\"Reviewed the notes of Ifan Retainable.\","
	    "\"circumstances\":\"expected\",\"proposed_outcome\":\"mccd\"}");
	tr_write(me, "POST", id, "/practitioner-discussions", v,
	    "{\"practitioner\":{\"name\":\"Dr A Jones\",\"gmc_number\":"
	    "\"1234567\"},\"at\":\"2026-11-02T10:00:00Z\",\"happened\":true,"
	    "\"outcome\":\"agreed\"}");
	tr_write(me, "PUT", id, "/cause-of-death", v, "{\"form\":"
	    "\"standard\",\"part1a\":\"Pneumonia\",\"part2\":\"Frailty\","
	    "\"agreed_with_attending_practitioner\":true}");
	tr_write(off, "POST", id, "/contacts", v, "{\"person_name\":"
	    "\"Nia Retainable\",\"relationship\":\"daughter\",\"method\":"
	    "\"phone\",\"outcome\":\"reached\",\"at\":\"2026-11-02T12:00:00Z\","
	    "\"questions\":\"Why so long?\",\"concerns_raised\":false}");
	tr_write(me, "POST", id, "/transitions", v, "{\"to\":"
	    "\"awaiting_mccd\"}");
	tr_write(off, "POST", id, "/transitions", v, "{\"to\":\"mccd_issued\","
	    "\"mccd_issued_on\":\"2026-11-03\"}");
	tr_write(off, "PUT", id, "/final-actions", v, "{\"disposal\":"
	    "\"burial\",\"funeral_director\":\"Hill and Sons\",\"implants\":"
	    "\"none\",\"gp_notified\":\"notified\"}");
	tr_write(off, "POST", id, "/transitions", v, "{\"to\":\"closed\"}");
}

/*
 * Moves a case's whole trail three years back, its chain recomputed as
 * case_event_add would have made it then: a case closed long ago.  Its
 * first nv1 events become hash version 1 (no salts), as if the case
 * had begun before migration event_digest and ended after it.
 */
static void
tr_age(PGconn *db, const char *office, const char *id, int nv1)
{
	static const char sql[] =
	    "DO $$ DECLARE e case_events; v_prev text := ''; v_h text; "
	    "v_case bigint := %s; BEGIN "
	    "PERFORM set_config('medex.office_id', (SELECT id::text "
	    "FROM offices WHERE code = '%s'), true); "
	    "FOR e IN SELECT * FROM case_events WHERE case_id = v_case "
	    "ORDER BY seq LOOP "
	    "e.at := e.at - interval '3 years'; "
	    "IF e.seq <= %d THEN e.hash_version := 1; e.salts := '{}'; "
	    "END IF; "
	    "v_h := case_event_hash(v_prev, case_event_canonical_of(e)); "
	    "UPDATE case_events SET at = e.at, hash_version = e.hash_version, "
	    "salts = e.salts, prev_hash = v_prev, hash = v_h WHERE id = e.id; "
	    "v_prev := v_h; END LOOP; "
	    "UPDATE cases SET event_hash = v_prev WHERE id = v_case; END $$";
	char		 buf[2048], err[256];

	snprintf(buf, sizeof(buf), sql, id, office, nv1);
	ck_assert_msg(t_db_exec(db, buf, err, sizeof(err)) == 0, "%s", err);
}

/* A command's standard output into out (NUL-terminated); its status. */
static int
tr_cmd(const char *cmd, char *out, size_t len)
{
	FILE	*f;
	size_t	 n;

	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return (pclose(f));
}

static void
tr_medexctl(const char *args, char *out, size_t len, int want)
{
	char	cmd[512];
	int	st;

	snprintf(cmd, sizeof(cmd), "%s/medexctl %s 2>&1",
	    getenv("MEDEX_TEST_OUT"), args);
	st = tr_cmd(cmd, out, len);
	ck_assert_msg((st == 0) == (want == 0), "medexctl %s: %d %s", args,
	    st, out);
}

/* A column of a case, read as the owner under the case's office. */
static char *
tr_col(PGconn *db, const char *office, const char *expr)
{
	char	sql[768];

	snprintf(sql, sizeof(sql), "SELECT set_config('medex.office_id', "
	    "(SELECT id::text FROM offices WHERE code = '%s'), false)",
	    office);
	ck_assert_int_eq(t_db_exec(db, sql, NULL, 0), 0);
	snprintf(sql, sizeof(sql), "SELECT '|' || coalesce((%s), '<null>')",
	    expr);
	return (t_db_value(db, sql));
}

/* One statement as the owner, under office RA, with $1 = the case. */
static void
tr_owner_exec(PGconn *db, const char *sql, const char *id, const char *v2)
{
	const char	*p[2];

	p[0] = id;
	p[1] = v2;
	ck_assert_msg(t_db_exec_p(db, sql, v2 != NULL ? 2 : 1, p) == 0,
	    "%.1500s: %.500s", sql, PQerrorMessage(db));
}

/* `medexctl audit verify --case id` fails at seq 1 of the case, saying why. */
static void
tr_verify_fails(const char *id, const char *why)
{
	char	args[128], out[4096], want[96];

	snprintf(args, sizeof(args), "audit verify --case %s", id);
	tr_medexctl(args, out, sizeof(out), 1);
	snprintf(want, sizeof(want), "broken link: case %s, event ", id);
	ck_assert_msg(strstr(out, want) != NULL && strstr(out, "(seq 1): ") !=
	    NULL && strstr(out, why) != NULL, "%.1500s", out);
}

/*
 * A purged event of case id (its created event, seq 1) changed where
 * the purge left it: its stored digest, a value it kept, a purged
 * value put back.  Each fails verify; each is put back.
 */
static void
tr_tamper_purged(PGconn *db, const char *id)
{
	static const char sql_set[] =
	    "UPDATE case_events SET changes = $2::jsonb "
	    "WHERE case_id = $1::bigint AND seq = 1";
	char	*changes, *purged, sql[256], args[128], out[4096];

	snprintf(sql, sizeof(sql), "SELECT changes::text FROM case_events "
	    "WHERE case_id = %s AND seq = 1", id);
	changes = t_db_value(db, sql);
	snprintf(sql, sizeof(sql), "SELECT purged::text FROM case_events "
	    "WHERE case_id = %s AND seq = 1", id);
	purged = t_db_value(db, sql);
	ck_assert_msg(strstr(purged, "\"family_name\": \"") != NULL, "%s",
	    purged);

	tr_owner_exec(db, "UPDATE case_events SET purged = jsonb_set(purged, "
	    "'{family_name}', to_jsonb(repeat('0', 64))) "
	    "WHERE case_id = $1::bigint AND seq = 1", id, NULL);
	tr_verify_fails(id, "its hash does not match its content");
	tr_owner_exec(db, "UPDATE case_events SET purged = $2::jsonb "
	    "WHERE case_id = $1::bigint AND seq = 1", id, purged);

	tr_owner_exec(db, "UPDATE case_events SET changes = jsonb_set("
	    "changes, '{sex,new}', '\"female\"') "
	    "WHERE case_id = $1::bigint AND seq = 1", id, NULL);
	tr_verify_fails(id, "its hash does not match its content");
	tr_owner_exec(db, sql_set, id, changes);

	tr_owner_exec(db, "UPDATE case_events SET changes = jsonb_set("
	    "changes, '{family_name}', '{\"new\": \"Someone\"}') "
	    "WHERE case_id = $1::bigint AND seq = 1", id, NULL);
	tr_verify_fails(id, "a purged value still there");
	tr_owner_exec(db, sql_set, id, changes);

	snprintf(args, sizeof(args), "audit verify --case %s", id);
	tr_medexctl(args, out, sizeof(out), 0);
	free(changes);
	free(purged);
}

/*
 * The server's role cannot say that a value was purged: no UPDATE of
 * the trail, no INSERT of purged or hash_version, and the purge itself
 * fails under it (and changes nothing).
 */
static void
tr_app_cannot_purge(PGconn *owner, const char *id)
{
	static const char *bad[] = {
		"UPDATE case_events SET purged = '{}' WHERE case_id = %s",
		"UPDATE case_events SET salts = '{}' WHERE case_id = %s",
		"INSERT INTO case_events (case_id, office_id, seq, at, actor, "
		"actor_role, action, changes, prev_hash, hash, purged) SELECT "
		"id, office_id, event_seq + 1, now(), 'x', 'officer', 'x', "
		"'{}', event_hash, event_hash, '{}' FROM cases WHERE id = %s",
		"INSERT INTO case_events (case_id, office_id, seq, at, actor, "
		"actor_role, action, changes, prev_hash, hash, hash_version) "
		"SELECT id, office_id, event_seq + 1, now(), 'x', 'officer', "
		"'x', '{}', event_hash, event_hash, 1 FROM cases WHERE id = %s",
		"SELECT retention_purge_case(%s, 'x', '2099-01-01')",
	};
	PGconn	*db;
	char	 sql[512], state[8], *s;
	size_t	 i;

	/* medex_app has no privilege on any table (migration 0025): each
	 * is refused whatever office it claims. */
	db = t_db("db_app");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(sql, sizeof(sql), bad[i], id);
		state[0] = '\0';
		ck_assert_msg(t_db_exec(db, sql, state, sizeof(state)) == -1 &&
		    strcmp(state, "42501") == 0, "%s: %s", sql, state);
	}
	PQfinish(db);
	snprintf(sql, sizeof(sql), "SELECT family_name || (SELECT count(*) "
	    "FROM case_events WHERE case_id = %s AND purged <> '{}') FROM "
	    "cases WHERE id = %s", id, id);
	s = tr_col(owner, "RA", sql);
	ck_assert_str_eq(s, "|Retainable0");
	free(s);
}

/*
 * Nothing identifiable is left in the purged case's trail: not in its
 * events' changes, salts or purged digests.
 */
static void
tr_trail_clean(PGconn *db, const char *id, const char *nhs)
{
	const char	*gone[] = { "Ifan", "Retainable", nhs, "1938-04-05",
	    "Heol y Bryn", "Dr A Jones", "07700", "Why so long",
	    "Hill and Sons", "Reviewed the notes", "Pneumonia" };
	char		 sql[512], *s;
	size_t		 i;

	snprintf(sql, sizeof(sql), "SELECT string_agg(changes::text || ' ' "
	    "|| salts::text || ' ' || purged::text, ' ' ORDER BY seq) FROM "
	    "case_events WHERE case_id = %s", id);
	s = tr_col(db, "RA", sql);
	for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		ck_assert_msg(strstr(s, gone[i]) == NULL, "%s in: %.1500s",
		    gone[i], strstr(s, gone[i]));
	free(s);
	/*
	 * The created event: the names null, their digests kept, their
	 * salts gone; what is not identifiable is still there.
	 */
	snprintf(sql, sizeof(sql), "SELECT concat_ws(',', changes->>"
	    "'family_name', purged->>'family_name' ~ '^[0-9a-f]{64}$', "
	    "salts ? 'family_name', changes->'sex'->>'new', salts ? 'sex', "
	    "hash_version) FROM case_events WHERE case_id = %s AND seq = 1",
	    id);
	s = tr_col(db, "RA", sql);
	ck_assert_str_eq(s, "|t,f,male,t,2");
	free(s);
}

START_TEST(purge_removes_old_closed_cases_only)
{
	struct t_resp	 r;
	PGconn		*db;
	char		 old[32], recent[32], open[32], other[32], p[256];
	char		 mixed[32], broken[32], nhs[16], *actor;
	char		 out[8192], months[2][16], before[2][2][65536];
	char		 after[65536], *s, *m;
	json_t		*e;
	struct t_session sess;
	const char	*hs[2];
	long		 v, vo;
	int		 i, f;

	tr_setup();
	db = t_db("db_owner");
	v = tr_create(0, old);
	tr_close(0, old, &v);
	vo = v;
	v = tr_create(0, recent);
	tr_close(0, recent, &v);
	(void)tr_create(0, open);
	v = tr_create(1, other);
	tr_close(1, other, &v);
	v = tr_create(0, mixed);
	tr_close(0, mixed, &v);
	v = tr_create(0, broken);
	tr_close(0, broken, &v);
	tr_age(db, "RA", old, 0);
	tr_age(db, "RA", open, 0);
	tr_age(db, "RB", other, 0);
	/* Created and its first record before the upgrade to version 2. */
	tr_age(db, "RA", mixed, 2);
	tr_age(db, "RA", broken, 0);
	/* The broken one: an event changed, its chain no longer verifies. */
	snprintf(p, sizeof(p), "SELECT actor FROM case_events WHERE case_id = "
	    "%s AND seq = 1", broken);
	actor = tr_col(db, "RA", p);
	tr_owner_exec(db, "UPDATE case_events SET actor = 'someone' "
	    "WHERE case_id = $1::bigint AND seq = 1", broken, NULL);

	/* No office has a retention period yet: nothing is due. */
	tr_medexctl("retention purge --before 2099-01-01 --dry-run", out,
	    sizeof(out), 0);
	ck_assert_msg(strstr(out, "would purge case") == NULL, "%s", out);

	/* The admin sets RA's period; its office JSON says so. */
	tr_req(U_ADMIN, "GET", "/api/v1/offices/RA", 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_is_null(json_object_get(r.json, "retention_years")));
	v = tr_etag(&r);
	t_resp_free(&r);
	tr_req(U_ADMIN, "PATCH", "/api/v1/offices/RA", v,
	    "{\"retention_years\":0}", &r);
	t_assert_error(&r, 422, "validation_failed");
	t_resp_free(&r);
	tr_req(U_ADMIN, "PATCH", "/api/v1/offices/RA", v,
	    "{\"retention_years\":2}", &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json,
	    "retention_years")), 2);
	t_resp_free(&r);

	/*
	 * The published figures, before: this month's (the cases were
	 * notified in it) and the month before.  Not the months the aged
	 * trails moved to, whose figures (closures before notification)
	 * the export rightly will not publish.
	 */
	s = t_db_value(db, "SELECT to_char(now() - interval '1 month', "
	    "'YYYY-MM')");
	snprintf(months[0], sizeof(months[0]), "%s", s);
	free(s);
	s = t_db_value(db, "SELECT to_char(now(), 'YYYY-MM')");
	snprintf(months[1], sizeof(months[1]), "%s", s);
	free(s);
	for (i = 0; i < 2; i++)
		for (f = 0; f < 2; f++) {
			snprintf(p, sizeof(p), "export --month %s --format %s",
			    months[i], f ? "json" : "csv");
			tr_medexctl(p, before[i][f], sizeof(before[i][f]), 0);
		}

	/* Closed before a date earlier than the closure: nothing. */
	tr_medexctl("retention purge --before 2020-01-01 --dry-run", out,
	    sizeof(out), 0);
	ck_assert_msg(strstr(out, "would purge case") == NULL, "%s", out);

	/*
	 * The dry run lists the old closed cases of RA only, changes
	 * nothing; the one whose chain is broken it would refuse (exit 1).
	 */
	tr_medexctl("retention purge --before 2099-01-01 --dry-run", out,
	    sizeof(out), 1);
	snprintf(p, sizeof(p), "would purge case %s (office RA", old);
	ck_assert_msg(strstr(out, p) != NULL, "%.1500s", out);
	snprintf(p, sizeof(p), "would purge case %s (office RA", mixed);
	ck_assert_msg(strstr(out, p) != NULL, "%.1500s", out);
	snprintf(p, sizeof(p), "would refuse case %s (office RA): its trail "
	    "does not verify", broken);
	ck_assert_msg(strstr(out, p) != NULL, "%.1500s", out);
	ck_assert_msg(strstr(out, "2 case(s) would be purged") != NULL &&
	    strstr(out, "1 case(s) refused") != NULL, "%.1500s", out);
	snprintf(p, sizeof(p), "SELECT family_name || nhs_number FROM cases "
	    "WHERE id = %s", old);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "Retainable401") != NULL, "%s", s);
	snprintf(nhs, sizeof(nhs), "%.10s", s + strlen("|Retainable"));
	free(s);

	/* The real run: the broken case is refused, the others purged. */
	tr_medexctl("retention purge --before 2099-01-01", out, sizeof(out),
	    1);
	snprintf(p, sizeof(p), "purged case %s (office RA", old);
	ck_assert_msg(strstr(out, p) != NULL, "%.1500s", out);
	snprintf(p, sizeof(p), "refused case %s (office RA)", broken);
	ck_assert_msg(strstr(out, p) != NULL, "%.1500s", out);
	ck_assert_msg(strstr(out, "2 case(s) purged") != NULL, "%.1500s",
	    out);
	snprintf(p, sizeof(p), "SELECT family_name || (SELECT count(*) FROM "
	    "case_events WHERE case_id = %s AND purged <> '{}') FROM cases "
	    "WHERE id = %s", broken, broken);
	s = tr_col(db, "RA", p);
	ck_assert_str_eq(s, "|Retainable0");
	free(s);

	snprintf(p, sizeof(p), "SELECT given_name || family_name || "
	    "coalesce(nhs_number, '-') || coalesce(date_of_birth::text, '-') "
	    "|| coalesce(place_detail, '-') || ap_name FROM cases "
	    "WHERE id = %s", old);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "|RemovedRemoved---Removed") != NULL, "%s",
	    s);
	free(s);
	snprintf(p, sizeof(p), "SELECT string_agg(name || coalesce(phone, "
	    "'-'), ',') FROM representatives WHERE case_id = %s", old);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "|Removed-") != NULL, "%s", s);
	free(s);
	snprintf(p, sizeof(p), "SELECT string_agg(text, ',') FROM case_notes "
	    "WHERE case_id = %s", old);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "Ifan") == NULL, "%s", s);
	free(s);
	snprintf(p, sizeof(p), "SELECT (cause_of_death->>'part1a') || "
	    "(cause_of_death->>'part2') || (cause_of_death->>'form') || "
	    "(final_actions ? 'funeral_director')::text || "
	    "(final_actions->>'disposal') FROM cases WHERE id = %s", old);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "|Removed.Removed.standardfalseburial") !=
	    NULL, "%s", s);
	free(s);
	/* The others keep everything. */
	snprintf(p, sizeof(p), "SELECT string_agg(family_name || "
	    "coalesce(date_of_birth::text, '-'), ',') FROM cases WHERE id IN "
	    "(%s, %s)", recent, open);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "|Retainable1938-04-05,Retainable1938-04-05")
	    != NULL, "%s", s);
	free(s);
	snprintf(p, sizeof(p), "SELECT family_name FROM cases WHERE id = %s",
	    other);
	s = tr_col(db, "RB", p);
	ck_assert_msg(strstr(s, "|Retainable") != NULL, "%s", s);
	free(s);

	/* The trail says what was removed, not the values; it verifies. */
	snprintf(p, sizeof(p), "/api/v1/cases/%s/events?limit=200", old);
	tr_req(U_LEAD, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	m = strstr(r.body, "\"retention_purged\"");
	ck_assert_msg(m != NULL, "%.1500s", r.body);
	/* The created event names its purged keys; their values are null. */
	e = json_array_get(json_object_get(r.json, "items"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(e, "action")),
	    "created");
	m = json_dumps(json_object_get(e, "purged"), JSON_COMPACT);
	ck_assert_msg(m != NULL && strstr(m, "\"family_name\"") != NULL &&
	    strstr(m, "\"nhs_number\"") != NULL, "%s", m ? m : "no purged");
	free(m);
	ck_assert(json_is_null(json_object_get(json_object_get(e, "changes"),
	    "family_name")));
	e = json_array_get(json_object_get(r.json, "items"), 2);
	ck_assert_ptr_null(json_object_get(e, "purged"));
	t_resp_free(&r);
	snprintf(p, sizeof(p), "SELECT changes::text FROM case_events WHERE "
	    "case_id = %s AND action = 'retention_purged'", old);
	s = tr_col(db, "RA", p);
	ck_assert_msg(strstr(s, "family_name") != NULL &&
	    strstr(s, "Retainable") == NULL && strstr(s, "07700") == NULL &&
	    strstr(s, "\"trail_events\": 7") != NULL, "%s", s);
	free(s);
	tr_trail_clean(db, old, nhs);
	/*
	 * The case begun before the upgrade: its version 1 events keep
	 * their values (the residual risk operations.md states), its
	 * version 2 events do not.
	 */
	snprintf(p, sizeof(p), "SELECT string_agg(hash_version || ':' || "
	    "(changes::text LIKE '%%Retainable%%'), ',' ORDER BY seq) FROM "
	    "case_events WHERE case_id = %s AND seq <= 4", mixed);
	s = tr_col(db, "RA", p);
	ck_assert_str_eq(s, "|1:true,1:true,2:false,2:false");
	free(s);
	/* The broken case put right, every chain verifies. */
	tr_owner_exec(db, "UPDATE case_events SET actor = $2 "
	    "WHERE case_id = $1::bigint AND seq = 1", broken, actor + 1);
	tr_medexctl("audit verify", out, sizeof(out), 0);
	ck_assert_msg(strstr(out, "every chain is intact") != NULL, "%.1500s",
	    out);
	tr_tamper_purged(db, old);
	tr_app_cannot_purge(db, recent);

	/* The case still reads (the page and the API), without the values. */
	snprintf(p, sizeof(p), "/api/v1/cases/%s", old);
	tr_req(U_LEAD, "GET", p, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(t_json_str(&r, "family_name"), "Removed");
	ck_assert(json_is_null(json_object_get(r.json, "date_of_birth")));
	ck_assert_int_eq(tr_etag(&r), vo + 1);
	t_resp_free(&r);
	/*
	 * The case page's timeline says a purged record was added, not
	 * whose it was (it showed the bereaved person's name from the
	 * trail).
	 */
	ck_assert_int_eq(t_login("ra.lead", TR_PASSWORD, &sess), 200);
	hs[0] = sess.cookie;
	hs[1] = NULL;
	snprintf(p, sizeof(p), "/cases/%s", old);
	t_request("GET", p, hs, NULL, 0, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body, "Bereaved person added (details removed "
	    "after the retention period)") != NULL && strstr(r.body,
	    "Nia Retainable") == NULL && strstr(r.body, "Why so long") ==
	    NULL, "%.1500s", strstr(r.body, "timeline") ? strstr(r.body,
	    "timeline") : r.body);
	t_resp_free(&r);

	/* The published figures are the same bytes. */
	for (i = 0; i < 2; i++)
		for (f = 0; f < 2; f++) {
			snprintf(p, sizeof(p), "export --month %s --format %s",
			    months[i], f ? "json" : "csv");
			tr_medexctl(p, after, sizeof(after), 0);
			ck_assert_msg(strcmp(after, before[i][f]) == 0,
			    "%s changed:\n%s\n---\n%s", p, before[i][f],
			    after);
		}

	/* Run again: the case put right is purged; then nothing is left. */
	tr_medexctl("retention purge --before 2099-01-01", out, sizeof(out),
	    0);
	snprintf(p, sizeof(p), "purged case %s (office RA", broken);
	ck_assert_msg(strstr(out, p) != NULL, "%.1500s", out);
	ck_assert_msg(strstr(out, "1 case(s) purged") != NULL, "%.1500s", out);
	tr_medexctl("retention purge --before 2099-01-01", out, sizeof(out),
	    0);
	ck_assert_msg(strstr(out, "0 case(s) purged") != NULL, "%s", out);
	tr_medexctl("audit verify", out, sizeof(out), 0);
	free(actor);
	PQfinish(db);
}
END_TEST

START_TEST(bad_arguments_change_nothing)
{
	char	out[4096];

	tr_medexctl("retention purge", out, sizeof(out), 2);
	tr_medexctl("retention purge --before 2026-02-30", out, sizeof(out),
	    2);
	tr_medexctl("retention purge --before 2026-01-01 --force", out,
	    sizeof(out), 2);
	tr_medexctl("retention sweep --before 2026-01-01", out, sizeof(out),
	    2);
	ck_assert_ptr_nonnull(strstr(out, "usage"));
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("retention");
	tc = tcase_create("retention");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, purge_removes_old_closed_cases_only);
	tcase_add_test(tc, bad_arguments_change_nothing);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
