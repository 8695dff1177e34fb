/*
 * medexctl audit verify, the second half (issue 20): every record
 * against the event that created it.  A chain proves that the trail was
 * not rewritten; it says nothing of the records the trail describes.  A
 * note's text changed in place, a contact deleted, a record inserted
 * without its event, all leave every chain intact.  So each record of
 * the six kinds that are appended and never changed (notes, practitioner
 * discussions, representatives, contacts, contacts exhausted, governance
 * referrals) must have the event that created it (the record's id in
 * the event's changes), by the record's author, with every field the
 * event recorded equal to the record's; and every such event's record
 * must still exist.
 *
 * And the case's own row, which changes (its details corrected, its
 * state moved, its cause of death recorded) with an event naming each
 * column's old and new value: every column an event set must hold what
 * the last such event recorded, and every column no event set must
 * hold what a case is created with (NULL, false, "notified").
 *
 * And the referrals to the coroner, which are corrected until the
 * coroner decides, then sent and acknowledged, each by its own event:
 * as many as the events that made one; the latest with the categories
 * and reason of the last event that recorded them, and the decision of
 * the last decision event after it (none if there is none); each one's
 * sending and acknowledgement as the last event that named it recorded
 * (none if none did).
 *
 * The comparison is made with PostgreSQL's built-in operators only
 * (jsonb's, and the cast of `at` to timestamptz), never by a function
 * of the owner's, which the owner could replace.  A case purged for
 * retention (a retention_purged event) is skipped: the purge replaced
 * the records' text and the events' values, by design.  Not checked: a
 * referral's referred_at (the transition's time, not in its event) and
 * the author of a referral or a case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct record_kind {
	const char	*table;		/* the records */
	const char	*action;	/* the event that creates one */
	const char	*key;		/* its key in the event's changes */
	const char	*name;		/* in the report */
};

static const struct record_kind kinds[] = {
	{ "case_notes", "note_added", "note", "note" },
	{ "practitioner_discussions", "practitioner_discussion_added",
	    "discussion", "practitioner discussion" },
	{ "representatives", "representative_added", "representative",
	    "representative" },
	{ "contacts", "contact_added", "contact", "contact" },
	{ "contact_exhaustions", "contact_exhausted", "exhausted",
	    "contacts-exhausted record" },
	{ "governance_referrals", "governance_referral_added", "governance",
	    "governance referral" },
};

/*
 * The first record of a kind that disagrees with its event, or the
 * first event whose record is gone: case, record, event seq, what.
 * The identifiers come from the table above, never from input; the
 * case filter is $1.
 */
static const char sql_records[] =
    "WITH purged AS (SELECT DISTINCT case_id FROM public.case_events "
    " WHERE action = 'retention_purged' AND ($1::bigint IS NULL OR "
    " case_id = $1)), "
    "bad AS ("
    "SELECT r.case_id, r.id, e.seq, CASE WHEN e.seq IS NULL THEN "
    " 'no event created it' WHEN u.username IS DISTINCT FROM e.actor "
    " THEN 'its author is not the actor of event seq ' || e.seq "
    " ELSE 'its ' || d.key || ' is not what event seq ' || e.seq || "
    " ' recorded' END AS what "
    "FROM public.%1$s r "
    "LEFT JOIN public.case_events e ON e.case_id = r.case_id "
    " AND e.action = '%2$s' "
    " AND e.changes->'%3$s'->'new'->>'id' = r.id::text "
    "LEFT JOIN public.users u ON u.id = r.author_id "
    "LEFT JOIN LATERAL (SELECT kv.key "
    " FROM jsonb_each(e.changes->'%3$s'->'new') kv, "
    " (SELECT to_jsonb(r) AS j) t "
    " WHERE kv.key <> 'id' AND t.j ? kv.key AND CASE WHEN kv.key = 'at' "
    "  THEN (kv.value #>> '{}')::timestamptz IS DISTINCT FROM "
    "  (t.j->>'at')::timestamptz "
    "  ELSE (kv.value #>> '{}') IS DISTINCT FROM (t.j->>kv.key) END "
    " ORDER BY kv.key LIMIT 1) d ON true "
    "WHERE ($1::bigint IS NULL OR r.case_id = $1) "
    " AND r.case_id NOT IN (SELECT case_id FROM purged) "
    " AND (e.seq IS NULL OR u.username IS DISTINCT FROM e.actor "
    " OR d.key IS NOT NULL) "
    "UNION ALL "
    "SELECT e.case_id, (e.changes->'%3$s'->'new'->>'id')::bigint, e.seq, "
    " 'event seq ' || e.seq || ' created it and it is gone' "
    "FROM public.case_events e "
    "WHERE e.action = '%2$s' AND ($1::bigint IS NULL OR e.case_id = $1) "
    " AND e.case_id NOT IN (SELECT case_id FROM purged) "
    " AND NOT EXISTS (SELECT 1 FROM public.%1$s r "
    " WHERE r.case_id = e.case_id "
    " AND r.id::text = e.changes->'%3$s'->'new'->>'id')) "
    "SELECT case_id, id, seq, what FROM bad ORDER BY case_id, id LIMIT 1";

/*
 * The case's own row: each of its columns that an event set (the
 * event's changes name it, with a "new" value) holds what the last such
 * event recorded; the examiner and the officer by username, as the
 * events name them.  Values are compared as jsonb, or as text, or,
 * for a column of a time type, as that type (an event holds what the
 * client sent, "...Z"; to_jsonb() writes "+00:00").  The first that
 * does not: case, column, event seq.
 */
static const char sql_case_row[] =
    "WITH purged AS (SELECT DISTINCT case_id FROM public.case_events "
    " WHERE action = 'retention_purged' AND ($1::bigint IS NULL OR "
    " case_id = $1)), "
    "last AS (SELECT DISTINCT ON (e.case_id, kv.key) e.case_id, kv.key, "
    " e.seq, kv.value->'new' AS v "
    " FROM public.case_events e, jsonb_each(e.changes) kv "
    " WHERE ($1::bigint IS NULL OR e.case_id = $1) "
    " AND e.action <> 'viewed' AND jsonb_typeof(e.changes) = 'object' "
    " AND jsonb_typeof(kv.value) = 'object' AND kv.value ? 'new' "
    " ORDER BY e.case_id, kv.key, e.seq DESC) "
    "SELECT l.case_id, l.key, l.seq "
    "FROM last l JOIN public.cases k ON k.id = l.case_id "
    "LEFT JOIN public.users x ON x.id = k.examiner_id "
    "LEFT JOIN public.users o ON o.id = k.officer_id "
    "CROSS JOIN LATERAL (SELECT to_jsonb(k) - 'examiner_id' - "
    " 'officer_id' || jsonb_build_object('examiner', x.username, "
    " 'officer', o.username) AS j, "
    " (SELECT a.atttypid FROM pg_catalog.pg_attribute a "
    " WHERE a.attrelid = 'public.cases'::regclass AND a.attname = l.key "
    " AND NOT a.attisdropped) AS ty) t "
    "WHERE l.case_id NOT IN (SELECT case_id FROM purged) AND t.j ? l.key "
    " AND NOT CASE "
    " WHEN jsonb_typeof(l.v) IN ('object', 'array') OR "
    "  jsonb_typeof(t.j->l.key) IN ('object', 'array') "
    "  THEN l.v = t.j->l.key "
    " WHEN t.ty = 'timestamptz'::regtype THEN (l.v #>> '{}')::timestamptz "
    "  IS NOT DISTINCT FROM (t.j->>l.key)::timestamptz "
    " WHEN t.ty = 'time'::regtype THEN (l.v #>> '{}')::time "
    "  IS NOT DISTINCT FROM (t.j->>l.key)::time "
    " ELSE (l.v #>> '{}') IS NOT DISTINCT FROM (t.j->>l.key) END "
    "ORDER BY 1, 2 LIMIT 1";

/* The first case that no event created (or imported). */
static const char sql_case_created[] =
    "SELECT k.id FROM public.cases k "
    "WHERE ($1::bigint IS NULL OR k.id = $1) AND NOT EXISTS (SELECT 1 "
    " FROM public.case_events e WHERE e.case_id = k.id "
    " AND e.action IN ('created', 'imported')) "
    "ORDER BY 1 LIMIT 1";

/*
 * The case's columns that no event named: each must hold what a new
 * case holds.  The first that does not: case, column.
 */
static const char sql_case_unset[] =
    "WITH purged AS (SELECT DISTINCT case_id FROM public.case_events "
    " WHERE action = 'retention_purged' AND ($1::bigint IS NULL OR "
    " case_id = $1)), "
    "named AS (SELECT DISTINCT e.case_id, kv.key "
    " FROM public.case_events e, jsonb_each(e.changes) kv "
    " WHERE ($1::bigint IS NULL OR e.case_id = $1) "
    " AND e.action <> 'viewed' AND jsonb_typeof(e.changes) = 'object' "
    " AND jsonb_typeof(kv.value) = 'object' AND kv.value ? 'new'), "
    "unset (key, v) AS (VALUES ('state', '\"notified\"'::jsonb), "
    " ('nhs_number', 'null'), ('date_of_birth', 'null'), "
    " ('time_of_death', 'null'), ('place_detail', 'null'), "
    " ('ethnicity', 'null'), ('prio_child', 'false'), "
    " ('prio_faith', 'false'), ('prio_cultural', 'false'), "
    " ('prio_coroner', 'false'), ('prio_other', 'false'), "
    " ('prio_detail', 'null'), ('urgent_requested', 'false'), "
    " ('urgent_reason', 'null'), ('urgent_outcome', 'null'), "
    " ('examiner', 'null'), ('officer', 'null'), "
    " ('independent', 'false'), ('cause_of_death', 'null'), "
    " ('final_actions', 'null'), ('mccd_issued_on', 'null'), "
    " ('learning_disability_or_autism', 'false'), "
    " ('severe_mental_illness', 'false'), "
    " ('leder_notified_at', 'null')) "
    "SELECT k.id, u.key FROM public.cases k CROSS JOIN unset u "
    "LEFT JOIN public.users x ON x.id = k.examiner_id "
    "LEFT JOIN public.users o ON o.id = k.officer_id "
    "CROSS JOIN LATERAL (SELECT to_jsonb(k) - 'examiner_id' - "
    " 'officer_id' || jsonb_build_object('examiner', x.username, "
    " 'officer', o.username) AS j) t "
    "WHERE ($1::bigint IS NULL OR k.id = $1) "
    " AND k.id NOT IN (SELECT case_id FROM purged) "
    " AND NOT EXISTS (SELECT 1 FROM named n WHERE n.case_id = k.id "
    " AND n.key = u.key) AND coalesce(t.j->u.key, 'null') <> u.v "
    "ORDER BY 1, 2 LIMIT 1";

/*
 * The referrals to the coroner against their events (see the top):
 * the first that disagrees, as case, referral (NULL for the count),
 * what.
 */
static const char sql_referrals[] =
    "WITH purged AS (SELECT DISTINCT case_id FROM public.case_events "
    " WHERE action = 'retention_purged' AND ($1::bigint IS NULL OR "
    " case_id = $1)), "
    "rec AS (SELECT e.case_id, e.seq, e.changes->'coroner_referral' AS ch "
    " FROM public.case_events e WHERE e.action = "
    " 'coroner_referral_recorded' AND ($1::bigint IS NULL OR "
    " e.case_id = $1)), "
    "dec AS (SELECT e.case_id, e.seq, e.changes AS ch "
    " FROM public.case_events e WHERE e.action = "
    " 'coroner_decision_recorded' AND ($1::bigint IS NULL OR "
    " e.case_id = $1)), "
    "refs AS (SELECT * FROM public.coroner_referrals r "
    " WHERE ($1::bigint IS NULL OR r.case_id = $1)), "
    "latest AS (SELECT DISTINCT ON (case_id) * FROM refs "
    " ORDER BY case_id, id DESC), "
    "made AS (SELECT case_id, count(*) AS n FROM rec "
    " WHERE jsonb_typeof(ch->'old') = 'null' "
    " OR ch->'old'->>'decision' IS NOT NULL GROUP BY 1), "
    "have AS (SELECT case_id, count(*) AS n FROM refs GROUP BY 1), "
    "bad AS ("
    "SELECT coalesce(h.case_id, m.case_id) AS case_id, NULL::bigint AS id, "
    " 'there are ' || coalesce(h.n, 0) || ' and events made ' || "
    " coalesce(m.n, 0) AS what "
    "FROM have h FULL JOIN made m ON m.case_id = h.case_id "
    "WHERE h.n IS DISTINCT FROM m.n "
    "UNION ALL "
    "SELECT l.case_id, l.id, 'its categories or reason are not what "
    "event seq ' || r.seq || ' recorded' "
    "FROM latest l CROSS JOIN LATERAL (SELECT seq, ch FROM rec "
    " WHERE rec.case_id = l.case_id ORDER BY seq DESC LIMIT 1) r "
    "WHERE ARRAY(SELECT x FROM unnest(l.categories) x ORDER BY 1) IS "
    " DISTINCT FROM ARRAY(SELECT x FROM jsonb_array_elements_text("
    " r.ch->'new'->'categories') x ORDER BY 1) "
    " OR l.reason IS DISTINCT FROM r.ch->'new'->>'reason' "
    "UNION ALL "
    "SELECT l.case_id, l.id, CASE WHEN d.seq IS NULL THEN 'it holds a "
    "decision no event recorded' ELSE 'its decision is not what event "
    "seq ' || d.seq || ' recorded' END "
    "FROM latest l LEFT JOIN LATERAL (SELECT dec.seq, dec.ch FROM dec "
    " WHERE dec.case_id = l.case_id AND dec.seq > coalesce((SELECT "
    " max(seq) FROM rec WHERE rec.case_id = l.case_id), 0) "
    " ORDER BY dec.seq DESC LIMIT 1) d ON true "
    "WHERE CASE WHEN d.seq IS NULL THEN l.decision IS NOT NULL OR "
    " l.decided_at IS NOT NULL OR l.coroner_reference IS NOT NULL "
    " ELSE l.decision IS DISTINCT FROM d.ch->'decision'->>'new' OR "
    " l.decided_at IS DISTINCT FROM (d.ch->'decided_at'->>'new')"
    "::timestamptz OR l.coroner_reference IS DISTINCT FROM "
    " d.ch->'coroner_reference'->>'new' END "
    "UNION ALL "
    "SELECT r.case_id, r.id, CASE WHEN s.seq IS NULL THEN 'it was sent "
    "with no event' ELSE 'its sending is not what event seq ' || s.seq "
    " || ' recorded' END "
    "FROM refs r LEFT JOIN LATERAL (SELECT e.seq, e.changes AS ch "
    " FROM public.case_events e WHERE e.case_id = r.case_id "
    " AND e.action = 'coroner_referral_sent' "
    " AND e.changes->'referral'->>'new' = r.id::text "
    " ORDER BY e.seq DESC LIMIT 1) s ON true "
    "WHERE CASE WHEN s.seq IS NULL THEN r.sent_at IS NOT NULL OR "
    " r.sent_method IS NOT NULL ELSE r.sent_at IS DISTINCT FROM "
    " (s.ch->'sent_at'->>'new')::timestamptz OR r.sent_method IS "
    " DISTINCT FROM s.ch->'method'->>'new' END "
    "UNION ALL "
    "SELECT r.case_id, r.id, CASE WHEN a.seq IS NULL THEN 'it was "
    "acknowledged with no event' ELSE 'its acknowledgement is not what "
    "event seq ' || a.seq || ' recorded' END "
    "FROM refs r LEFT JOIN LATERAL (SELECT e.seq, e.changes AS ch "
    " FROM public.case_events e WHERE e.case_id = r.case_id "
    " AND e.action = 'coroner_referral_acknowledged' "
    " AND e.changes->'referral'->>'new' = r.id::text "
    " ORDER BY e.seq DESC LIMIT 1) a ON true "
    "WHERE CASE WHEN a.seq IS NULL THEN r.acknowledged_at IS NOT NULL OR "
    " r.acknowledgement_reference IS NOT NULL ELSE r.acknowledged_at IS "
    " DISTINCT FROM (a.ch->'acknowledged_at'->>'new')::timestamptz OR "
    " r.acknowledgement_reference IS DISTINCT FROM "
    " a.ch->'reference'->>'new' END) "
    "SELECT case_id, id, what FROM bad "
    "WHERE case_id NOT IN (SELECT case_id FROM purged) "
    "ORDER BY 1, 2 NULLS FIRST LIMIT 1";

static const char sql_count[] =
    "SELECT count(*) FROM public.%s WHERE ($1::bigint IS NULL OR "
    "case_id = $1)";

/* Runs sql with the case filter as $1: the result, or NULL (said). */
static PGresult *
records_exec(PGconn *db, const char *sql, const char *case_id)
{
	PGresult	*res;
	const char	*params[1];

	params[0] = case_id;
	res = PQexecParams(db, sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (NULL);
	}
	return (res);
}

/* One of the statements above made for a kind, run: as records_exec. */
static PGresult *
records_query(PGconn *db, const char *fmt, const struct record_kind *k,
    const char *case_id)
{
	char	sql[sizeof(sql_records) + 1024];
	int	n;

	n = snprintf(sql, sizeof(sql), fmt, k->table, k->action, k->key);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return (NULL);
	return (records_exec(db, sql, case_id));
}

/*
 * The records of the cases the office setting shows (or case_id's), in
 * the caller's transaction: 0 all agree (their number added to
 * *checked), 1 at the first that does not (said on stdout), -1 when the
 * database failed (said on stderr).
 */
int
cli_audit_records(PGconn *db, const char *case_id, long long *checked)
{
	PGresult	*res;
	size_t		 i;

	if ((res = records_exec(db, sql_case_row, case_id)) == NULL)
		return (-1);
	if (PQntuples(res) > 0) {
		printf("audit: record does not match the trail: case %s, its "
		    "%s: not what event seq %s recorded\n",
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2));
		PQclear(res);
		return (1);
	}
	PQclear(res);
	if ((res = records_exec(db, sql_case_created, case_id)) == NULL)
		return (-1);
	if (PQntuples(res) > 0) {
		printf("audit: record does not match the trail: case %s: no "
		    "event created it\n", PQgetvalue(res, 0, 0));
		PQclear(res);
		return (1);
	}
	PQclear(res);
	if ((res = records_exec(db, sql_case_unset, case_id)) == NULL)
		return (-1);
	if (PQntuples(res) > 0) {
		printf("audit: record does not match the trail: case %s, its "
		    "%s: set, and no event set it\n", PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1));
		PQclear(res);
		return (1);
	}
	PQclear(res);
	if ((res = records_exec(db, sql_referrals, case_id)) == NULL)
		return (-1);
	if (PQntuples(res) > 0) {
		printf("audit: record does not match the trail: case %s, "
		    "coroner referral%s%s: %s\n", PQgetvalue(res, 0, 0),
		    PQgetisnull(res, 0, 1) ? "s" : " ", PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2));
		PQclear(res);
		return (1);
	}
	PQclear(res);
	if ((res = records_exec(db, "SELECT count(*) FROM "
	    "public.coroner_referrals WHERE ($1::bigint IS NULL OR "
	    "case_id = $1)", case_id)) == NULL)
		return (-1);
	*checked += strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if ((res = records_query(db, sql_records, &kinds[i],
		    case_id)) == NULL)
			return (-1);
		if (PQntuples(res) > 0) {
			printf("audit: record does not match the trail: case "
			    "%s, %s %s: %s\n", PQgetvalue(res, 0, 0),
			    kinds[i].name, PQgetvalue(res, 0, 1),
			    PQgetvalue(res, 0, 3));
			PQclear(res);
			return (1);
		}
		PQclear(res);
		if ((res = records_query(db, sql_count, &kinds[i],
		    case_id)) == NULL)
			return (-1);
		*checked += strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
	}
	return (0);
}
