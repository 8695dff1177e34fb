/*
 * medexctl audit verify [--case ID] [--checkpoint FILE --key KEY.pem]
 *
 * (checkpoints: cli_checkpoint.c)
 * Recomputes every case's event chain (sql/cases_common.sql): each
 * event's hash must be the SHA-256 of its prev_hash and its canonical
 * content, its prev_hash the hash of the event before it, its sequence
 * number the next one, and the case's recorded head the last event.
 * The canonical text and the hash are computed here from the raw
 * columns (app/core/audit_event.c), not by case_event_canonical() or
 * any other database function, so that a function the owner replaced
 * cannot vouch for a rewritten event.  `at` comes as its epoch (the
 * built-in EXTRACT), `changes`, `salts` and `purged` in jsonb's own
 * text output, each event by its hash_version (audit_event.h).
 * `medexctl retention purge` verifies each case it purges with
 * cli_audit_case(), before and after.
 *
 * Case data is under row-level security even for the owner, so the
 * chains are read office by office with medex.office_id set.  Events
 * stream through a cursor: the trail may hold hundreds of millions.
 *
 * Views of a case recorded but not yet chained (case_views, issue 21:
 * the server chains them a moment after the read) are not part of any
 * chain yet, so they cannot break one; they are counted and reported,
 * in the same snapshot as the chains.
 *
 * Then every record against the event that created it, in the same
 * snapshot (cli_audit_records.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_event.h"
#include "cli.h"

#define AUDIT_FETCH	"FETCH 5000 FROM audit_events"

static const char sql_declare[] =
    "DECLARE audit_events NO SCROLL CURSOR FOR "
    "SELECT e.case_id, e.seq, e.id, e.prev_hash, e.hash, "
    "EXTRACT(epoch FROM e.at), e.actor, e.actor_role, e.action, e.changes, "
    "e.hash_version, e.salts, e.purged "
    "FROM case_events e WHERE ($1::bigint IS NULL OR e.case_id = $1) "
    "ORDER BY e.case_id, e.seq";
static const char sql_heads[] =
    "SELECT k.id, k.event_seq, k.event_hash, "
    "coalesce((SELECT max(seq) FROM case_events e WHERE e.case_id = k.id), 0), "
    "coalesce((SELECT hash FROM case_events e WHERE e.case_id = k.id "
    "ORDER BY seq DESC LIMIT 1), '') "
    "FROM cases k WHERE ($1::bigint IS NULL OR k.id = $1) ORDER BY k.id";
static const char sql_pending[] =
    "SELECT count(*) FROM case_views v "
    "WHERE ($1::bigint IS NULL OR v.case_id = $1)";

struct audit {
	char		case_id[24];
	long long	seq;
	char		hash[65];
	long long	events;
	long long	cases;
	long long	pending;	/* views not yet chained */
	long long	records;	/* matched with their events */
};

static int
audit_usage(void)
{
	fprintf(stderr, "usage: medexctl audit verify [--case ID] "
	    "[--checkpoint FILE --key KEY.pem]\n"
	    "       medexctl audit checkpoint --key PRIVATE.pem "
	    "[--out FILE]\n");
	return (2);
}

static int
audit_broken(const char *case_id, const char *seq, const char *event_id,
    const char *why)
{
	printf("audit: broken link: case %s, event %s (seq %s): %s\n",
	    case_id, event_id, seq, why);
	return (1);
}

/* The event of row i; 0, or -1 when a column cannot be read. */
static int
audit_event_row(PGresult *res, int i, struct audit_event *e)
{
	char	*end;

	e->case_id = strtoll(PQgetvalue(res, i, 0), &end, 10);
	if (*end != '\0')
		return (-1);
	e->seq = strtoll(PQgetvalue(res, i, 1), &end, 10);
	if (*end != '\0')
		return (-1);
	if (audit_epoch_us(PQgetvalue(res, i, 5), &e->at_us) != 0)
		return (-1);
	e->actor = PQgetvalue(res, i, 6);
	e->role = PQgetvalue(res, i, 7);
	e->action = PQgetvalue(res, i, 8);
	e->changes = PQgetvalue(res, i, 9);
	e->version = (int)strtol(PQgetvalue(res, i, 10), &end, 10);
	if (*end != '\0')
		return (-1);
	e->salts = PQgetvalue(res, i, 11);
	e->purged = PQgetvalue(res, i, 12);
	return (0);
}

/* 0 when the rows continue the chain, 1 at the first broken link. */
static int
audit_rows(PGresult *res, struct audit *a)
{
	struct audit_event	 e;
	const char		*cid, *seq, *eid, *prev, *hash;
	char			 want[AUDIT_HASH_HEX];
	int			 i;

	for (i = 0; i < PQntuples(res); i++) {
		cid = PQgetvalue(res, i, 0);
		seq = PQgetvalue(res, i, 1);
		eid = PQgetvalue(res, i, 2);
		prev = PQgetvalue(res, i, 3);
		hash = PQgetvalue(res, i, 4);
		if (strcmp(cid, a->case_id) != 0) {
			snprintf(a->case_id, sizeof(a->case_id), "%s", cid);
			a->seq = 0;
			a->hash[0] = '\0';
			a->cases++;
		}
		if (strtoll(seq, NULL, 10) != a->seq + 1)
			return (audit_broken(cid, seq, eid,
			    "an event is missing before this one"));
		if (strcmp(prev, a->hash) != 0)
			return (audit_broken(cid, seq, eid, "prev_hash is not "
			    "the hash of the event before it"));
		if (audit_event_row(res, i, &e) != 0 ||
		    audit_event_hash(prev, &e, want) != 0)
			return (audit_broken(cid, seq, eid, "its columns "
			    "cannot be read, or are not as medex writes them "
			    "(a time out of range, an unknown hash version, "
			    "a purged value still there, a salt missing)"));
		if (strcmp(want, hash) != 0)
			return (audit_broken(cid, seq, eid, "its hash does not "
			    "match its content (the event was changed)"));
		a->seq++;
		snprintf(a->hash, sizeof(a->hash), "%s", hash);
		a->events++;
	}
	return (0);
}

/* The case rows' recorded heads must be their chains' last events:
 * 0, 1 (said on stdout) or -1 (the database failed). */
static int
audit_heads(PGconn *db, const char *case_id)
{
	PGresult	*res;
	const char	*params[1];
	int		 i, broken;

	params[0] = case_id;
	res = PQexecParams(db, sql_heads, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	broken = 0;
	for (i = 0; i < PQntuples(res) && !broken; i++) {
		if (strcmp(PQgetvalue(res, i, 1), PQgetvalue(res, i, 3)) != 0 ||
		    strcmp(PQgetvalue(res, i, 2), PQgetvalue(res, i, 4)) != 0) {
			printf("audit: broken link: case %s: its last event is "
			    "not seq %s (events were removed or added)\n",
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
			broken = 1;
		}
	}
	PQclear(res);
	return (broken);
}

/* Adds the office's views waiting to be chained to a->pending. */
static int
audit_pending(PGconn *db, const char *case_id, struct audit *a)
{
	PGresult	*res;
	const char	*params[1];

	params[0] = case_id;
	res = PQexecParams(db, sql_pending, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (1);
	}
	a->pending += strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return (0);
}

/*
 * The chains of the cases the office setting shows (or case_id's), in
 * the caller's transaction: 0 intact, 1 at the first broken link (said
 * on stdout), -1 when the database failed (said on stderr).
 */
static int
audit_chains(PGconn *db, const char *case_id, struct audit *a)
{
	PGresult	*res;
	const char	*params[1];
	int		 n, broken;

	params[0] = case_id;
	res = PQexecParams(db, sql_declare, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	a->case_id[0] = '\0';
	broken = 0;
	do {
		res = PQexec(db, AUDIT_FETCH);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
			PQclear(res);
			return (-1);
		}
		n = PQntuples(res);
		broken = audit_rows(res, a);
		PQclear(res);
	} while (n > 0 && !broken);
	if (!cli_exec_ok(db, "CLOSE audit_events"))
		return (-1);
	if (broken)
		return (1);
	return (audit_heads(db, case_id));
}

int
cli_audit_case(PGconn *db, const char *case_id)
{
	struct audit	a;

	memset(&a, 0, sizeof(a));
	return (audit_chains(db, case_id, &a));
}

static int
audit_office(PGconn *db, const char *office_id, const char *case_id,
    struct audit *a)
{
	int	ret;

	ret = 1;
	if (!cli_exec_ok(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return (1);
	if (cli_office_set(db, office_id) && audit_chains(db, case_id, a) == 0 &&
	    cli_audit_records(db, case_id, &a->records) == 0 &&
	    audit_pending(db, case_id, a) == 0)
		ret = 0;
	(void)cli_exec_ok(db, "ROLLBACK");
	return (ret);
}

static int
audit_verify(int argc, char **argv)
{
	PGconn		*db;
	PGresult	*offices;
	struct audit	 a;
	const char	*case_id, *checkpoint, *key;
	int		 i, ret;

	case_id = checkpoint = key = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--case") == 0 && i + 1 < argc &&
		    argv[i + 1][0] != '\0' &&
		    strspn(argv[i + 1], "0123456789") == strlen(argv[i + 1]) &&
		    strlen(argv[i + 1]) <= 18)
			case_id = argv[++i];
		else if (strcmp(argv[i], "--checkpoint") == 0 && i + 1 < argc)
			checkpoint = argv[++i];
		else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else
			return (audit_usage());
	}
	if ((checkpoint == NULL) != (key == NULL))
		return (audit_usage());
	if ((db = cli_db_connect_reader()) == NULL)
		return (2);
	offices = PQexec(db, "SELECT id FROM offices ORDER BY id");
	if (PQresultStatus(offices) != PGRES_TUPLES_OK) {
		fprintf(stderr, "medexctl: %s", PQerrorMessage(db));
		PQclear(offices);
		PQfinish(db);
		return (2);
	}
	memset(&a, 0, sizeof(a));
	ret = 0;
	for (i = 0; i < PQntuples(offices) && ret == 0; i++)
		ret = audit_office(db, PQgetvalue(offices, i, 0), case_id, &a);
	PQclear(offices);
	if (ret == 0)
		printf("audit: %lld events of %lld cases verified; every chain "
		    "is intact; %lld records match the events that created "
		    "them; %lld %s to be chained\n", a.events, a.cases,
		    a.records, a.pending, a.pending == 1 ? "view waits" :
		    "views wait");
	if (ret == 0 && checkpoint != NULL)
		ret = cli_checkpoint_verify(db, checkpoint, key);
	PQfinish(db);
	return (ret);
}

int
cli_audit(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return (audit_verify(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "checkpoint") == 0)
		return (cli_audit_checkpoint(argc - 1, argv + 1));
	return (audit_usage());
}
