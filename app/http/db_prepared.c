/*
 * Prepared statements per connection (issue 21).  medex sent every
 * statement as an unnamed extended-protocol query, so PostgreSQL parsed
 * and planned it on every call; pgx and pgbench -M prepared prepare once
 * per connection.  Here each distinct SQL text is prepared on a
 * connection the first time that connection runs it (PQprepare, named
 * by app/core/stmt_set.h), and from then on sent by name with
 * PQsendQueryPrepared, on Kore's own connection, so that Kore's
 * asynchronous read (kore_pgsql_handle, kore_pgsql_continue) is
 * unchanged.
 *
 * The PREPARE itself is synchronous: a connection prepares each text
 * once in its life, so a worker blocks for one round trip per
 * (connection, statement) while it warms up, as db_revive() blocks for a
 * reconnect.  Sending PREPARE asynchronously would need libpq's pipeline
 * mode, whose extra results Kore's read loop does not know.
 *
 * What a connection has prepared is kept by its PGconn.  A session can
 * be replaced under medex in two ways, and neither may leave medex
 * believing a statement exists that does not:
 * - db_revive() resets a broken connection (PQreset: same PGconn, new
 *   session): it calls db_prepared_forget().
 * - Kore drops a connection on a socket error and opens a new PGconn,
 *   which malloc may place where the old one was.  A new PGconn has
 *   libpq's own notice processor; medex installs its own on each
 *   connection it tracks, so a PGconn without it is new and whatever
 *   was recorded under its address is dropped.
 * And if medex forgets a statement that still exists (a forgotten
 * record), PREPARE answers 42P05 (duplicate): the statement of that
 * name has the same text, so it is used.
 *
 * A migration that replaces a function keeps its prepared calls working
 * (PostgreSQL replans them); one that changes a result type makes them
 * fail with "cached plan must not change result type" (0A000) before
 * they run.  db_prepared_stale() then has the connection's statements
 * deallocated before its next use, and db_async.c sends the call again.
 */
#include <stdio.h>
#include <string.h>

#include "medex.h"
#include "db_prepared.h"
#include "stmt_set.h"

/* Connections tracked at most per worker; the oldest record goes first. */
#define DB_PREP_CONNS_MAX	64

struct db_prep_conn {
	PGconn				*db;
	int				 deallocate;
	struct stmt_set			 set;
	TAILQ_ENTRY(db_prep_conn)	 list;
};

static TAILQ_HEAD(db_prep_conn_head, db_prep_conn)	prep_conns =
    TAILQ_HEAD_INITIALIZER(prep_conns);
static size_t				prep_nconns;

/* As libpq's default: notices go to stderr (Kore's log). */
static void
db_prep_notice(void *arg, const char *message)
{
	(void)arg;
	fprintf(stderr, "%s", message);
}

static struct db_prep_conn *
db_prep_find(PGconn *db)
{
	struct db_prep_conn	*pc;

	TAILQ_FOREACH(pc, &prep_conns, list)
		if (pc->db == db)
			return (pc);
	return (NULL);
}

/* The record of this PGconn's session, new if the PGconn is new. */
static struct db_prep_conn *
db_prep_conn_get(PGconn *db)
{
	struct db_prep_conn	*pc;

	pc = db_prep_find(db);
	if (PQsetNoticeProcessor(db, NULL, NULL) != db_prep_notice) {
		(void)PQsetNoticeProcessor(db, db_prep_notice, NULL);
		if (pc != NULL) {
			stmt_set_clear(&pc->set);
			pc->deallocate = 0;
		}
	}
	if (pc != NULL) {
		/* Most recently used first. */
		TAILQ_REMOVE(&prep_conns, pc, list);
		TAILQ_INSERT_HEAD(&prep_conns, pc, list);
		return (pc);
	}
	if (prep_nconns >= DB_PREP_CONNS_MAX) {
		pc = TAILQ_LAST(&prep_conns, db_prep_conn_head);
		TAILQ_REMOVE(&prep_conns, pc, list);
	} else {
		pc = kore_malloc(sizeof(*pc));
		prep_nconns++;
	}
	pc->db = db;
	pc->deallocate = 0;
	stmt_set_clear(&pc->set);
	TAILQ_INSERT_HEAD(&prep_conns, pc, list);
	return (pc);
}

void
db_prepared_forget(PGconn *db)
{
	struct db_prep_conn	*pc;

	if ((pc = db_prep_find(db)) == NULL)
		return;
	stmt_set_clear(&pc->set);
	pc->deallocate = 0;
}

/*
 * Prepares sql on the connection unless it has it already.  1: send it
 * by name; 0: send it unprepared (the set is full, or PREPARE failed on
 * the SQL itself, whose error the unprepared call then reports as
 * usual); -1: the connection failed.
 */
static int
db_prep_ensure(PGconn *db, const char *sql, int n, const char *name)
{
	struct db_prep_conn	*pc;
	PGresult		*res;
	const char		*state;
	uint64_t		 key;
	int			 ok;

	pc = db_prep_conn_get(db);
	key = stmt_hash(sql);
	if (pc->deallocate) {
		res = PQexec(db, "DEALLOCATE ALL");
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
		if (!ok)
			return (PQstatus(db) == CONNECTION_OK ? 0 : -1);
		pc->deallocate = 0;
		stmt_set_clear(&pc->set);
	}
	if (stmt_set_has(&pc->set, key))
		return (1);
	if (pc->set.n >= STMT_SET_MAX)
		return (0);
	res = PQprepare(db, name, sql, n, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	/* Prepared by this session before medex lost its record of it. */
	if (!ok && state != NULL && strcmp(state, "42P05") == 0)
		ok = 1;
	PQclear(res);
	if (!ok)
		return (PQstatus(db) == CONNECTION_OK ? 0 : -1);
	return (stmt_set_add(&pc->set, key));
}

/* What kore_pgsql_query_param_fields() does after sending (pgsql.c). */
static void
db_prep_schedule(struct kore_pgsql *sql)
{
	int	fd;

	fd = PQsocket(sql->conn->db);
	if (fd < 0)
		fatal("db_prepared: PQsocket returned < 0 on an open "
		    "connection");
	kore_platform_schedule_read(fd, sql->conn);
	sql->state = KORE_PGSQL_STATE_WAIT;
	sql->flags |= KORE_PGSQL_SCHEDULED;
	if (sql->req != NULL)
		http_request_sleep(sql->req);
	if (sql->cb != NULL)
		sql->cb(sql, sql->arg);
}

int
db_prepared_send(struct kore_pgsql *sql, const char *q, int n,
    const char **vals, int *named)
{
	char	name[STMT_NAME_LEN];
	int	lengths[DB_PARAMS_MAX], formats[DB_PARAMS_MAX], i, r;

	*named = 0;
	for (i = 0; i < n; i++) {
		lengths[i] = vals[i] == NULL ? 0 : (int)strlen(vals[i]);
		formats[i] = 0;
	}
	r = 0;
	if (medex.prepared) {
		stmt_name(q, name);
		r = db_prep_ensure(sql->conn->db, q, n, name);
	}
	if (r < 0) {
		sql->state = KORE_PGSQL_STATE_ERROR;
		return (KORE_RESULT_ERROR);
	}
	if (r == 0)
		return (kore_pgsql_query_param_fields(sql, q, 0, n, vals,
		    lengths, formats));
	if (!PQsendQueryPrepared(sql->conn->db, name, n, vals, lengths,
	    formats, 0))
		return (KORE_RESULT_ERROR);
	*named = 1;
	db_prep_schedule(sql);
	return (KORE_RESULT_OK);
}

int
db_prepared_stale(struct kore_pgsql *sql)
{
	struct db_prep_conn	*pc;
	const char		*state, *msg;
	int			 stale;

	if (sql->result == NULL || sql->conn == NULL)
		return (0);
	state = PQresultErrorField(sql->result, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(sql->result, PG_DIAG_MESSAGE_PRIMARY);
	if (state == NULL)
		return (0);
	/* 26000: no such prepared statement; 0A000: its result changed. */
	stale = strcmp(state, "26000") == 0 || (strcmp(state, "0A000") == 0 &&
	    msg != NULL && strstr(msg, "cached plan") != NULL);
	if (!stale)
		return (0);
	if ((pc = db_prep_find(sql->conn->db)) != NULL) {
		stmt_set_clear(&pc->set);
		pc->deallocate = 1;
	}
	return (1);
}
