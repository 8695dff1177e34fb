/*
 * Signed audit checkpoints (issue 20, "an audit that catches its owner"):
 * the database's owner rewrites a case's history and recomputes every
 * hash, so that `medexctl audit verify` alone passes; verified against a
 * checkpoint taken before, it fails, naming the case and the event.
 * And an owner who rewrites an event and replaces the database's
 * canonical-text function to vouch for it: verify builds that text in C
 * and names the event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char	priv[256], pub[256], other[256], ctl[256];

static void
keys(void)
{
	char	cmd[4096];

	snprintf(ctl, sizeof(ctl), "%s/medexctl", getenv("MEDEX_TEST_OUT"));
	snprintf(priv, sizeof(priv), "%s/ck-checkpoint.pem",
	    getenv("MEDEX_DATA"));
	snprintf(pub, sizeof(pub), "%s/ck-checkpoint.pub",
	    getenv("MEDEX_DATA"));
	snprintf(other, sizeof(other), "%s/ck-other.pem", getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out %s 2>/dev/null && openssl pkey -in "
	    "%s -pubout -out %s && openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out %s 2>/dev/null", priv, priv, pub,
	    other);
	ck_assert_int_eq(t_run(cmd), 0);
}

static void
make_case(struct t_session *s, const char *family, char *id, size_t len)
{
	struct t_resp	r;
	char		body[1024];

	snprintf(body, sizeof(body), "{\"given_name\":\"Chain\","
	    "\"family_name\":\"%s\",\"date_of_birth\":\"1941-03-04\","
	    "\"sex\":\"female\",\"date_of_death\":\"2026-11-20\","
	    "\"place_of_death\":\"hospital\",\"notified_at\":"
	    "\"2026-11-20T10:00:00Z\",\"attending_practitioner\":{\"name\":"
	    "\"Dr C\",\"gmc_number\":\"1234567\"}}", family);
	t_post_json("/api/v1/cases", s->bearer, body, &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(id, len, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static void
add_note(struct t_session *s, const char *id, const char *text)
{
	struct t_resp	r;
	char		path[96], body[256];

	snprintf(path, sizeof(path), "/api/v1/cases/%s/notes", id);
	snprintf(body, sizeof(body), "{\"kind\":\"officer_summary\","
	    "\"text\":\"%s\"}", text);
	t_post_json(path, s->bearer, body, &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	t_resp_free(&r);
}

/* Runs a medexctl command; its exit status, its output in out. */
static int
ctl_run(const char *args, char *out, size_t len)
{
	char	 cmd[2048], path[256];
	char	*text;
	int	 rc;

	snprintf(path, sizeof(path), "%s/ck.out", getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "%s %s >%s 2>&1", ctl, args, path);
	rc = t_run(cmd);
	text = t_file(path);
	snprintf(out, len, "%s", text != NULL ? text : "");
	free(text);
	return (rc);
}

/*
 * Runs sql as the database's owner, in office's cases (row-level
 * security) with the case id as the setting ck.case.
 */
static void
owner_exec(const char *office, const char *id, const char *sql)
{
	PGconn		*db;
	const char	*p[2];

	db = t_db("db_owner");
	p[0] = office;
	p[1] = id;
	ck_assert_int_eq(t_db_exec_p(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = $1)::text, false), "
	    "set_config('ck.case', $2::text, false)", 2, p), 0);
	ck_assert_int_eq(t_db_exec(db, sql, NULL, 0), 0);
	PQfinish(db);
}

/*
 * What an owner with a motive does: change the first event of the case
 * (its actor) and recompute every hash after it with the database's own
 * functions, and the case's head, so that the chain is consistent again.
 */
static void
rewrite_history(const char *id)
{
	owner_exec("CK", id, "DO $$\n"
	    "DECLARE r case_events; prev text := '';\n"
	    "BEGIN\n"
	    "UPDATE case_events SET actor = 'someone' WHERE case_id = "
	    "current_setting('ck.case')::bigint AND seq = 1;\n"
	    "FOR r IN SELECT * FROM case_events WHERE case_id = "
	    "current_setting('ck.case')::bigint ORDER BY seq LOOP\n"
	    "UPDATE case_events SET prev_hash = prev, hash = case_event_hash("
	    "prev, case_event_canonical_of(r)) WHERE id = r.id "
	    "RETURNING hash INTO prev;\n"
	    "END LOOP;\n"
	    "UPDATE cases SET event_hash = prev WHERE id = "
	    "current_setting('ck.case')::bigint;\n"
	    "END $$");
}

START_TEST(a_rewritten_chain_fails_against_a_checkpoint)
{
	struct t_session	 s;
	char			 a[32], b[32], args[1024], out[4096], want[128];
	char			 file[256], bad[256], cmd[2048];

	keys();
	t_user("ck.officer", "officer", "CK");
	t_login_ok("ck.officer", &s);
	make_case(&s, "Checkpointa", a, sizeof(a));
	make_case(&s, "Checkpointb", b, sizeof(b));
	add_note(&s, a, "before the checkpoint");

	/* The checkpoint: signed, refused over an existing file. */
	snprintf(file, sizeof(file), "%s/ck-1.txt", getenv("MEDEX_DATA"));
	snprintf(args, sizeof(args), "audit checkpoint --key %s --out %s",
	    priv, file);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "audit: checkpoint of ") != NULL, "%s", out);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 1);
	/* Only the public half is needed to verify. */
	snprintf(args, sizeof(args), "audit verify --checkpoint %s --key %s",
	    file, pub);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "chains match the checkpoint") != NULL, "%s",
	    out);

	/* Chains that grew since still match: the heads are still there. */
	add_note(&s, a, "after the checkpoint");
	add_note(&s, b, "after the checkpoint too");
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);

	/* Another key, or a changed file: the checkpoint is refused. */
	snprintf(args, sizeof(args), "audit verify --checkpoint %s --key %s",
	    file, other);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "refused") != NULL, "%s", out);
	snprintf(bad, sizeof(bad), "%s/ck-bad.txt", getenv("MEDEX_DATA"));
	snprintf(cmd, sizeof(cmd), "sed 's/^head \\([0-9]*\\) %s 2 /head \\1 "
	    "%s 1 /' %s > %s && ! cmp -s %s %s", a, a, file, bad, file, bad);
	ck_assert_int_eq(t_run(cmd), 0);
	snprintf(args, sizeof(args), "audit verify --checkpoint %s --key %s",
	    bad, pub);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "refused") != NULL, "%s", out);

	/* The owner's rewrite: consistent on its own, caught by the file. */
	rewrite_history(a);
	ck_assert_msg(ctl_run("audit verify", out, sizeof(out)) == 0, "%s",
	    out);
	snprintf(args, sizeof(args), "audit verify --checkpoint %s --key %s",
	    file, pub);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "case %s: event seq 2 is not the event "
	    "checkpointed", a);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	snprintf(want, sizeof(want), "case %s:", b);
	ck_assert_msg(strstr(out, want) == NULL, "%s", out);

	/* Usage: a checkpoint needs its key. */
	snprintf(args, sizeof(args), "audit verify --checkpoint %s", file);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 2);
}
END_TEST


/*
 * The owner changes an event in place and replaces case_event_canonical_v2()
 * (the event is of hash version 2) with one that gives the old text
 * back, so the stored hash still "matches" by the database's own
 * account.  Undone by undo = 1.
 */
static void
forge_event(const char *id, int undo)
{
	owner_exec("CF", id, undo ?
	    "UPDATE case_events SET actor = 'cf.officer' WHERE case_id = "
	    "current_setting('ck.case')::bigint AND seq = 1" :
	    "UPDATE case_events SET actor = 'forger' WHERE case_id = "
	    "current_setting('ck.case')::bigint AND seq = 1");
	if (!undo)
		owner_exec("CF", id, "CREATE OR REPLACE FUNCTION "
		    "case_event_canonical_v2(p_case_id bigint, p_seq integer, "
		    "p_at timestamptz, p_actor text, p_role text, p_action text, "
		    "p_changes jsonb, p_salts jsonb, p_purged jsonb) RETURNS "
		    "text LANGUAGE sql STABLE AS $f$ "
		    "SELECT 'v2|' || p_case_id || '|' || p_seq || '|' || "
		    "to_char(p_at AT TIME ZONE 'UTC', "
		    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || "
		    "'|' || replace(p_actor, 'forger', 'cf.officer') || '|' || "
		    "p_role || '|' || p_action || '|' || case_event_digests("
		    "p_changes, p_salts, p_purged) $f$");
}

START_TEST(a_forging_canonical_function_does_not_fool_verify)
{
	struct t_session	 s;
	PGconn			*db;
	char			 a[32], args[64], out[4096], want[128];
	char			*canon;

	snprintf(ctl, sizeof(ctl), "%s/medexctl", getenv("MEDEX_TEST_OUT"));
	t_user("cf.officer", "officer", "CF");
	t_login_ok("cf.officer", &s);
	make_case(&s, "Forgery", a, sizeof(a));
	add_note(&s, a, "a note after the forged event");
	snprintf(args, sizeof(args), "audit verify --case %s", a);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);

	forge_event(a, 0);
	/* By the database's own (replaced) account, the event is intact. */
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CF')::text, false)", NULL,
	    0), 0);
	canon = t_db_value(db, "SELECT count(*) FROM case_events e WHERE "
	    "e.actor = 'forger' AND e.hash = case_event_hash(e.prev_hash, "
	    "case_event_canonical_v2(e.case_id, e.seq, e.at, e.actor, "
	    "e.actor_role, e.action, e.changes, e.salts, e.purged))");
	ck_assert_str_eq(canon, "1");
	free(canon);
	PQfinish(db);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 1);
	snprintf(want, sizeof(want), "broken link: case %s, event ", a);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	ck_assert_msg(strstr(out, "(seq 1): its hash does not match its "
	    "content") != NULL, "%s", out);

	/* Undone: the event back, the function back from sql/. */
	forge_event(a, 1);
	ck_assert_msg(ctl_run("migrate", out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);
}
END_TEST

/*
 * Records against their events (cli_audit_records.c): an owner who
 * rewrites a note in place, gives it another author, inserts one with
 * no event or deletes one leaves every chain intact; verify names the
 * case, the record and the event.
 */
/*
 * One tampering as the owner in office CR: verify (args) fails and its
 * output holds want and want2 (when given); then undo, and verify
 * passes again (when undo is given).
 */
static void
tamper_named(const char *id, const char *args, const char *tamper,
    const char *want, const char *want2, const char *undo)
{
	char	out[4096];

	owner_exec("CR", id, tamper);
	ck_assert_int_eq(ctl_run(args, out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, want) != NULL && (want2 == NULL ||
	    strstr(out, want2) != NULL), "%s", out);
	if (undo == NULL)
		return;
	owner_exec("CR", id, undo);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);
}

START_TEST(a_record_changed_under_its_event_fails_verify)
{
	struct t_session	 s;
	char			 a[32], args[64], out[4096], want[256];

	snprintf(ctl, sizeof(ctl), "%s/medexctl", getenv("MEDEX_TEST_OUT"));
	t_user("cr.officer", "officer", "CR");
	t_user("cr.other", "officer", "CR");
	t_login_ok("cr.officer", &s);
	make_case(&s, "Records", a, sizeof(a));
	add_note(&s, a, "what the officer wrote");
	add_note(&s, a, "a second note");
	snprintf(args, sizeof(args), "audit verify --case %s", a);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0 && strstr(out,
	    " 2 records match the events") != NULL, "%s", out);

	/* The case's own row changed with no event. */
	snprintf(want, sizeof(want), "record does not match the trail: case "
	    "%s, its family_name: not what event seq 1 recorded", a);
	tamper_named(a, args, "UPDATE cases SET family_name = 'Forged' "
	    "WHERE id = current_setting('ck.case')::bigint", want, NULL,
	    "UPDATE cases SET family_name = 'Records' "
	    "WHERE id = current_setting('ck.case')::bigint");

	/* The text rewritten in place. */
	snprintf(want, sizeof(want), "record does not match the trail: case "
	    "%s, note ", a);
	tamper_named(a, args, "UPDATE case_notes SET text = 'what the owner "
	    "wanted' WHERE case_id = current_setting('ck.case')::bigint AND "
	    "text = 'what the officer wrote'", want, ": its text is not what "
	    "event seq 2 recorded", "UPDATE case_notes SET text = 'what the "
	    "officer wrote' WHERE case_id = current_setting('ck.case')::bigint "
	    "AND text = 'what the owner wanted'");

	/* Another author. */
	tamper_named(a, args, "UPDATE case_notes SET author_id = (SELECT id "
	    "FROM users WHERE username = 'cr.other') WHERE case_id = "
	    "current_setting('ck.case')::bigint AND text = 'a second note'",
	    ": its author is not the actor of event seq 3", NULL,
	    "UPDATE case_notes SET author_id = (SELECT id FROM users WHERE "
	    "username = 'cr.officer') WHERE case_id = "
	    "current_setting('ck.case')::bigint");

	/* A note with no event. */
	tamper_named(a, args, "INSERT INTO case_notes (case_id, office_id, "
	    "kind, text, author_id) SELECT id, office_id, 'officer_summary', "
	    "'slipped in', (SELECT id FROM users WHERE username = "
	    "'cr.officer') FROM cases WHERE id = "
	    "current_setting('ck.case')::bigint", ": no event created it",
	    NULL, NULL);

	/* That one and an evented one gone. */
	tamper_named(a, args, "DELETE FROM case_notes WHERE case_id = "
	    "current_setting('ck.case')::bigint AND text IN ('slipped in', "
	    "'a second note')", ": event seq 3 created it and it is gone",
	    NULL, NULL);

	/* Put back from its event (the suites share a database, and the
	 * others verify all of it). */
	owner_exec("CR", a, "INSERT INTO case_notes (id, case_id, office_id, "
	    "kind, text, author_id) SELECT (e.changes->'note'->'new'->>'id')::bigint, "
	    "e.case_id, e.office_id, e.changes->'note'->'new'->>'kind', "
	    "e.changes->'note'->'new'->>'text', (SELECT id FROM users WHERE "
	    "username = e.actor) FROM case_events e WHERE e.case_id = "
	    "current_setting('ck.case')::bigint AND e.seq = 3");
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0, "%s", out);
}
END_TEST

/* A PUT of a case's sub-resource with If-Match; its answer's ETag. */
static long
put_v(const struct t_session *s, const char *path, long v, const char *body)
{
	struct t_resp	 r;
	char		 ifm[32], *etag;
	const char	*h[4];
	long		 nv;

	snprintf(ifm, sizeof(ifm), "If-Match: \"%ld\"", v);
	h[0] = s->bearer;
	h[1] = ifm;
	h[2] = "Content-Type: application/json";
	h[3] = NULL;
	t_request("PUT", path, h, body, strlen(body), &r);
	ck_assert_msg(r.status == 200, "PUT %s: %ld %s", path, r.status,
	    r.body);
	etag = t_header(&r, "etag");
	ck_assert_ptr_nonnull(etag);
	nv = atol(etag + 1);
	free(etag);
	t_resp_free(&r);
	return (nv);
}

/*
 * The case's own columns that no event set, a case no event created,
 * and the referral to the coroner (recorded, corrected, sent): each
 * changed under its events fails verify, naming what.
 */
START_TEST(a_referral_or_an_unset_column_changed_fails_verify)
{
	struct t_session	 off, me;
	char			 a[32], b[32], args[64], out[4096], want[256];
	char			 path[128];
	PGconn			*db;
	char			*v;
	long			 ver;

	snprintf(ctl, sizeof(ctl), "%s/medexctl", getenv("MEDEX_TEST_OUT"));
	t_user("cr.officer", "officer", "CR");
	t_user("cr.me", "medical_examiner", "CR");
	t_login_ok("cr.officer", &off);
	t_login_ok("cr.me", &me);
	make_case(&off, "Referral", a, sizeof(a));
	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral", a);
	ver = put_v(&me, path, 1, "{\"categories\":[\"neglect\"],\"reason\":"
	    "\"Fell at home\"}");
	ver = put_v(&me, path, ver, "{\"categories\":[\"neglect\","
	    "\"trauma_or_injury\"],\"reason\":\"Fell at home; a fracture\"}");
	snprintf(path, sizeof(path), "/api/v1/cases/%s/coroner-referral/sent",
	    a);
	(void)put_v(&off, path, ver, "{\"sent_at\":\"2026-11-21T09:00:00Z\","
	    "\"method\":\"email\"}");
	snprintf(args, sizeof(args), "audit verify --case %s", a);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 0 && strstr(out,
	    " 1 records match the events") != NULL, "%s", out);

	/* A column no event set: the state moved with no event. */
	snprintf(want, sizeof(want), "record does not match the trail: case "
	    "%s, its state: set, and no event set it", a);
	tamper_named(a, args, "UPDATE cases SET state = 'withdrawn' WHERE id = "
	    "current_setting('ck.case')::bigint", want, NULL, "UPDATE cases "
	    "SET state = 'notified' WHERE id = "
	    "current_setting('ck.case')::bigint");

	/* The referral's categories, corrected with no event. */
	snprintf(want, sizeof(want), "record does not match the trail: case "
	    "%s, coroner referral ", a);
	tamper_named(a, args, "UPDATE coroner_referrals SET categories = "
	    "ARRAY['violence'] WHERE case_id = "
	    "current_setting('ck.case')::bigint", want, ": its categories or "
	    "reason are not what event seq 3 recorded", "UPDATE "
	    "coroner_referrals SET categories = ARRAY['neglect', "
	    "'trauma_or_injury'] WHERE case_id = "
	    "current_setting('ck.case')::bigint");
	/* A decision no event recorded. */
	tamper_named(a, args, "UPDATE coroner_referrals SET decision = "
	    "'not_investigating', decided_at = now() WHERE case_id = "
	    "current_setting('ck.case')::bigint", want, ": it holds a "
	    "decision no event recorded", "UPDATE coroner_referrals SET "
	    "decision = NULL, decided_at = NULL WHERE case_id = "
	    "current_setting('ck.case')::bigint");
	/* Sent another way than the event says. */
	tamper_named(a, args, "UPDATE coroner_referrals SET sent_method = "
	    "'post' WHERE case_id = current_setting('ck.case')::bigint", want,
	    ": its sending is not what event seq 4 recorded", "UPDATE "
	    "coroner_referrals SET sent_method = 'email' WHERE case_id = "
	    "current_setting('ck.case')::bigint");
	/* Acknowledged with no event. */
	tamper_named(a, args, "UPDATE coroner_referrals SET acknowledged_at = "
	    "now(), acknowledged_by = author_id, acknowledgement_reference = "
	    "'X1' WHERE case_id = current_setting('ck.case')::bigint", want,
	    ": it was acknowledged with no event", "UPDATE coroner_referrals "
	    "SET acknowledged_at = NULL, acknowledged_by = NULL, "
	    "acknowledgement_reference = NULL WHERE case_id = "
	    "current_setting('ck.case')::bigint");
	/* A second referral no event made. */
	snprintf(want, sizeof(want), "record does not match the trail: case "
	    "%s, coroner referrals: there are 2 and events made 1", a);
	tamper_named(a, args, "INSERT INTO coroner_referrals (case_id, "
	    "office_id, categories, reason, author_id) SELECT case_id, "
	    "office_id, categories, reason, author_id FROM coroner_referrals "
	    "WHERE case_id = current_setting('ck.case')::bigint", want, NULL,
	    "DELETE FROM coroner_referrals WHERE id = (SELECT max(id) FROM "
	    "coroner_referrals WHERE case_id = "
	    "current_setting('ck.case')::bigint)");

	/* A case no event created (a copy of the row). */
	owner_exec("CR", a, "INSERT INTO cases (office_id, given_name, "
	    "family_name, date_of_birth, sex, date_of_death, place_of_death, "
	    "ap_name, ap_gmc, notified_at, deadline) SELECT office_id, "
	    "given_name, 'Slipped', date_of_birth, sex, date_of_death, "
	    "place_of_death, ap_name, ap_gmc, notified_at, deadline FROM "
	    "cases WHERE id = current_setting('ck.case')::bigint");
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'CR')::text, false)", NULL,
	    0), 0);
	v = t_db_value(db, "SELECT max(id) FROM cases WHERE family_name = "
	    "'Slipped'");
	snprintf(b, sizeof(b), "%s", v);
	free(v);
	PQfinish(db);
	snprintf(args, sizeof(args), "audit verify --case %s", b);
	ck_assert_msg(ctl_run(args, out, sizeof(out)) == 1, "%s", out);
	snprintf(want, sizeof(want), "record does not match the trail: case "
	    "%s: no event created it", b);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	owner_exec("CR", b, "DELETE FROM cases WHERE id = "
	    "current_setting('ck.case')::bigint");
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("audit_checkpoint");
	tc = tcase_create("checkpoint");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_rewritten_chain_fails_against_a_checkpoint);
	tcase_add_test(tc, a_forging_canonical_function_does_not_fool_verify);
	tcase_add_test(tc, a_record_changed_under_its_event_fails_verify);
	tcase_add_test(tc, a_referral_or_an_unset_column_changed_fails_verify);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
