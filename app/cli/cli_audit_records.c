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
 * the last such event recorded.
 *
 * The comparison is made with PostgreSQL's built-in operators only
 * (jsonb's, and the cast of `at` to timestamptz), never by a function
 * of the owner's, which the owner could replace.  A case purged for
 * retention (a retention_purged event) is skipped: the purge replaced
 * the records' text and the events' values, by design.  Coroner
 * referrals are not checked: their acknowledgement is written on the
 * referral later, by its own event.
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
