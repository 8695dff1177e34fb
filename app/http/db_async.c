/*
 * One asynchronous database call per step of a request, on Kore's pgsql
 * pool.  The handler calls db_call() with the SQL and its $n parameters
 * and a callback that reads the result into mr->status / mr->body; Kore
 * wakes the request as the call progresses and medex_dispatch() comes
 * back here through db_resume() until the connection is given back, and
 * only then is the answer sent.
 *
 * Kore gives the connection back to the pool after each call, so nothing
 * may span two calls (KORE.md): what must be atomic is one statement.
 */
#include <poll.h>
#include <string.h>

#include "medex.h"
#include "db_async.h"
#include "db_batch.h"
#include "db_prepared.h"
#include "respond.h"

static int	db_failed(struct http_request *, struct medex_req *);
static int	db_complete(struct http_request *, struct medex_req *);

/*
 * First come, first served.  Kore 4.1 queues a request that finds every
 * connection busy and, when one is given back, wakes the first waiter;
 * but the woken request only runs on a later turn of the event loop, and
 * a request that arrives in between (Kore runs new requests first) takes
 * the free connection, so the woken one is queued again, at the tail
 * (pgsql.c: pgsql_queue_wakeup, pgsql_conn_next; http.c: http_process).
 * Under load some requests lost that race again and again.  Measured
 * with the wait logged apart from the query (bench/, 10k cases, overdue
 * queue, 64 connections): p50 13 ms, p99 7,050 ms, and of the slowest
 * request's 10 s all but 9 ms was waiting for a connection.  So medex
 * counts the calls in flight in this worker itself and hands a
 * connection given back to the oldest waiting request; a newcomer waits
 * behind it.  With it: p50 120 ms, p99 231 ms, max 260 ms, everyone
 * waiting their turn.  Kore's own queue is then only used if its pool is
 * short (a broken connection dropped).
 */
static struct db_queue	db_waiting = TAILQ_HEAD_INITIALIZER(db_waiting);
static u_int32_t		db_inflight;

static int
db_slot_free(void)
{
	return (pgsql_conn_max == 0 || db_inflight < pgsql_conn_max);
}

/* A slot for this request now, or a place at the back of the queue. */
static int
db_slot_take(struct http_request *req, struct medex_req *mr)
{
	if (mr->db_slot)
		return (1);
	if (!mr->db_queued && TAILQ_EMPTY(&db_waiting) && db_slot_free()) {
		db_inflight++;
		mr->db_slot = 1;
		return (1);
	}
	if (!mr->db_queued) {
		mr->req = req;
		TAILQ_INSERT_TAIL(&db_waiting, mr, db_wait);
		mr->db_queued = 1;
	}
	http_request_sleep(req);
	return (0);
}

/* Hand free slots to the oldest waiters. */
static void
db_slot_hand_out(void)
{
	struct medex_req	*next;

	while (db_slot_free() && (next = TAILQ_FIRST(&db_waiting)) != NULL) {
		TAILQ_REMOVE(&db_waiting, next, db_wait);
		next->db_queued = 0;
		next->db_slot = 1;
		db_inflight++;
		http_request_wakeup(next->req);
	}
}

/* Give the slot back and hand free slots to the oldest waiters. */
static void
db_slot_give(struct medex_req *mr)
{
	if (mr->db_queued) {
		TAILQ_REMOVE(&db_waiting, mr, db_wait);
		mr->db_queued = 0;
	}
	if (mr->db_slot) {
		mr->db_slot = 0;
		db_inflight--;
	}
	db_slot_hand_out();
}

/*
 * The worker's own calls (view_chain.c) count against the same slots,
 * but never queue: they take a slot only when one is free and no
 * request waits, and otherwise try again on their next round.
 */
int
db_bg_slot_take(void)
{
	if (!TAILQ_EMPTY(&db_waiting) || !db_slot_free())
		return (0);
	db_inflight++;
	return (1);
}

void
db_bg_slot_give(void)
{
	db_inflight--;
	db_slot_hand_out();
}

static int
db_failed(struct http_request *req, struct medex_req *mr)
{
	const char	*state;
	int		 unavailable, cancelled;
	int		(*cb_fail)(struct http_request *, struct medex_req *);

	state = NULL;
	if (mr->b_end == DB_BATCH_FAILED)
		state = mr->b_state[0] != '\0' ? mr->b_state : NULL;
	else if (mr->sql.result != NULL)
		state = PQresultErrorField(mr->sql.result, PG_DIAG_SQLSTATE);
	mr->b_end = 0;
	/* A batch's riders fail with it (db_batch.c), each with its 503/500. */
	if (mr->b_n > 0)
		db_batch_end(mr, state != NULL ? state : "");
	/*
	 * Class 08 (connection), 57P0x (shutdown) or no result at all: the
	 * database is away, which is 503, not a bug.  57014: cancelled, by
	 * the statement_timeout of the medex_app connections
	 * (scripts/configure.sh) or by an operator; the transaction rolled
	 * back, so nothing changed: 503 too, to be retried.  Only the
	 * SQLSTATE is logged: messages may quote values from the request.
	 * A broken connection goes back to the pool as it is: db_revive()
	 * reconnects it before its next query.
	 */
	cancelled = state != NULL && strcmp(state, "57014") == 0;
	/* 40001 also: a replica's query cancelled by a conflict with
	 * recovery (medex runs no serializable transactions). */
	unavailable = state == NULL || strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P", 3) == 0 || strcmp(state, "40001") == 0 ||
	    mr->db_unavailable_only;
	if (cancelled)
		kore_log(LOG_WARNING, "req=%s database statement cancelled "
		    "sqlstate=%s (statement_timeout)", mr->reqid, state);
	else if (!unavailable)
		kore_log(LOG_ERR, "req=%s database error sqlstate=%s",
		    mr->reqid, state);
	db_release(mr);
	if (mr->on_fail != NULL) {
		cb_fail = mr->on_fail;
		mr->on_fail = NULL;
		mr->on_complete = NULL;
		return (cb_fail(req, mr));
	}
	if (cancelled)
		return (api_error(req, mr, 503, "unavailable",
		    "The database took too long to answer; nothing was "
		    "changed. Try again shortly."));
	if (unavailable)
		return (api_error(req, mr, 503, "unavailable",
		    "The database cannot be reached; try again shortly."));
	return (api_error(req, mr, 500, "internal_error",
	    "Something went wrong on our side; it has been logged."));
}

static void
db_params_free(struct medex_req *mr)
{
	int	i;

	for (i = 0; i < mr->q_n; i++) {
		kore_free(mr->q_vals[i]);
		mr->q_vals[i] = NULL;
	}
	mr->q_n = 0;
}

/*
 * Kore keeps broken connections in its pool, and one that PostgreSQL
 * closed while it sat idle (a restart, an administrator) still says
 * CONNECTION_OK: the server's goodbye, or the end of the stream, waits
 * on its socket, where an idle connection has nothing.  Sending on it
 * would fail the request with no answer (test_outage saw 503s after
 * PostgreSQL was back), and then it could not be told whether the
 * statement ran (KORE.md).  So a connection just taken from the pool is
 * reconnected first if it is broken or anything waits on it; libpq's
 * connect_timeout in the conninfo bounds the wait.  Only here, with no
 * query in flight: a reset gives it a new socket, and Kore, giving back
 * a connection whose query was in flight, takes the socket out of its
 * event set, which fails for a socket it never had and kills the worker
 * (linux.c: kore_platform_disable_read).  pgsql_schedule() adds whatever
 * socket the connection has when the query goes.
 */
int
db_revive(struct pgsql_conn *conn)
{
	struct pollfd	pfd;

	if (conn == NULL || conn->db == NULL)
		return (0);
	pfd.fd = PQsocket(conn->db);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (PQstatus(conn->db) == CONNECTION_OK && pfd.fd >= 0 &&
	    poll(&pfd, 1, 0) == 0)
		return (1);
	/* Anything at all: medex uses no LISTEN, so a reconnect costs little. */
	PQreset(conn->db);
	/* A new session: it has prepared nothing. */
	db_prepared_forget(conn->db);
	if (PQstatus(conn->db) != CONNECTION_OK)
		return (0);
	kore_log(LOG_NOTICE, "database connection closed by the server while "
	    "idle; reconnected");
	return (1);
}

/* Take a connection and send the query; RETRY while Kore works on it. */
static int
db_start(struct http_request *req, struct medex_req *mr)
{
	u_int64_t	now;
	int		ok;

	/* Waiting for our turn: db_slot_give() wakes us. */
	if (!db_slot_take(req, mr))
		return (KORE_RESULT_RETRY);
	if (!kore_pgsql_setup(&mr->sql, mr->q_db, KORE_PGSQL_ASYNC)) {
		/* Queued for a free connection: Kore wakes us. */
		if (mr->sql.state == KORE_PGSQL_STATE_INIT)
			return (KORE_RESULT_RETRY);
		return (db_failed(req, mr));
	}
	if (!db_revive(mr->sql.conn))
		return (db_failed(req, mr));
	/* From here the time is the query's, not the wait's. */
	now = kore_time_ms();
	mr->db_wait_ms += now - mr->db_mark;
	mr->db_mark = now;
	/* Reads of the same kind waiting behind it go along (db_batch.c). */
	if (mr->b_n > 0 || db_batch_gather(mr, &db_waiting) > 0)
		ok = db_prepared_send(&mr->sql, mr->q_batch, mr->q_n,
		    (const char **)mr->b_vals, &mr->q_named);
	else
		ok = db_prepared_send(&mr->sql, mr->q_sql, mr->q_n,
		    (const char **)mr->q_vals, &mr->q_named);
	if (!ok)
		return (db_failed(req, mr));
	return (KORE_RESULT_RETRY);
}

/*
 * The call went by name and the session's statement was missing or out
 * of date (db_prepared.c): it did not run, so it is sent again, once, on
 * a connection whose statements are then prepared afresh.  The slot is
 * kept: the request goes first, as it was.
 */
static int
db_resend(struct http_request *req, struct medex_req *mr)
{
	mr->q_resent = 1;
	db_forget_lost_socket(&mr->sql);
	kore_pgsql_cleanup(&mr->sql);
	kore_pgsql_init(&mr->sql);
	kore_pgsql_bind_request(&mr->sql, req);
	mr->db_mark = kore_time_ms();
	return (db_start(req, mr));
}

int
db_call(struct http_request *req, struct medex_req *mr, const char *sql,
    int nparams, const char **values, db_result_cb cb)
{
	return (db_call_on(req, mr, MEDEX_DB, sql, nparams, values, cb));
}

/*
 * db_call() on another of the databases registered in main.c (the read
 * replica).  Its calls share the worker's slots with the primary's: the
 * replica serves a few exports, not enough to need its own count.
 */
int
db_call_on(struct http_request *req, struct medex_req *mr, const char *db,
    const char *sql, int nparams, const char **values, db_result_cb cb)
{
	int	i;

	if (nparams > DB_PARAMS_MAX)
		fatal("db_call: too many parameters");
	db_params_free(mr);
	kore_pgsql_init(&mr->sql);
	kore_pgsql_bind_request(&mr->sql, req);
	mr->db_busy = 1;
	mr->on_result = cb;
	mr->resume = db_resume;
	mr->q_sql = sql;
	mr->q_db = db;
	mr->q_n = nparams;
	mr->q_named = 0;
	mr->q_resent = 0;
	mr->q_batch = mr->batch_next;
	mr->batch_next = NULL;
	mr->b_end = 0;
	mr->db_mark = kore_time_ms();
	for (i = 0; i < nparams; i++)
		mr->q_vals[i] = values[i] == NULL ? NULL :
		    kore_strdup(values[i]);
	return (db_start(req, mr));
}

/*
 * A connection lost in the middle of a query (its backend killed, the
 * network cut) has no socket any more: libpq closed it on reading the end
 * of the stream, and PQsocket() says -1.  Giving it back, Kore would take
 * that -1 out of its event set, which fails, and fatal() ends the worker
 * with every request it holds (pgsql.c: pgsql_conn_release; linux.c:
 * kore_platform_disable_read).  Under ASan that exit hung in libp11-kit's
 * destructor with the accept lock held, and the whole server stopped
 * answering.  Closing the socket took it out of the event set already,
 * and there is no query left to cancel, so Kore is told it was never
 * scheduled; db_revive() reconnects the connection before its next use.
 */
void
db_forget_lost_socket(struct kore_pgsql *sql)
{
	if (!(sql->flags & KORE_PGSQL_SCHEDULED) || sql->conn == NULL ||
	    sql->conn->db == NULL)
		return;
	if (PQsocket(sql->conn->db) >= 0)
		return;
	kore_log(LOG_WARNING, "database connection lost during a query");
	sql->flags &= ~KORE_PGSQL_SCHEDULED;
}

void
db_release(struct medex_req *mr)
{
	db_batch_leave(mr, &db_waiting);
	if (mr->db_busy) {
		db_forget_lost_socket(&mr->sql);
		kore_pgsql_cleanup(&mr->sql);
	}
	mr->db_busy = 0;
	db_slot_give(mr);
	db_params_free(mr);
}

/* The call ended: give the connection back and answer. */
static int
db_complete(struct http_request *req, struct medex_req *mr)
{
	int	(*cb_complete)(struct http_request *, struct medex_req *);

	db_release(mr);
	/*
	 * An answer that did not fit in RESPONSE_MAX is never sent cut
	 * short or empty with the database's 200.
	 */
	if (mr->body.oom) {
		kore_log(LOG_ERR, "req=%s the answer is larger than %d bytes",
		    mr->reqid, RESPONSE_MAX);
		mr->on_complete = NULL;
		sbuf_reset(&mr->body);
		return (api_error(req, mr, 500, "internal_error",
		    "The answer could not be built."));
	}
	if (mr->on_complete != NULL) {
		cb_complete = mr->on_complete;
		mr->on_complete = NULL;
		return (cb_complete(req, mr));
	}
	if (mr->status == 0)
		return (api_error(req, mr, 500, "internal_error",
		    "No answer was built."));
	return (medex_respond(req, mr, mr->status, mr->content_type,
	    mr->body.data, mr->body.len));
}

int
db_resume(struct http_request *req, struct medex_req *mr)
{
	/* A rider of another read's batch (db_batch.c) until it ends. */
	if (mr->b_leader != NULL) {
		http_request_sleep(req);
		return (KORE_RESULT_RETRY);
	}
	if (mr->b_end == DB_BATCH_DONE) {
		mr->b_end = 0;
		return (db_complete(req, mr));
	}
	if (mr->b_end == DB_BATCH_FAILED)
		return (db_failed(req, mr));
	for (;;) {
		switch (mr->sql.state) {
		case KORE_PGSQL_STATE_INIT:
			/* It was queued; a connection is free now. */
			return (db_start(req, mr));
		case KORE_PGSQL_STATE_WAIT:
			return (KORE_RESULT_RETRY);
		case KORE_PGSQL_STATE_ERROR:
			if (mr->q_named && !mr->q_resent &&
			    db_prepared_stale(&mr->sql))
				return (db_resend(req, mr));
			/* Its time in the log too: a statement_timeout's 4 s. */
			mr->db_query_ms += kore_time_ms() - mr->db_mark;
			return (db_failed(req, mr));
		case KORE_PGSQL_STATE_RESULT:
			if (mr->b_n > 0)
				db_batch_deliver(req, mr, &mr->sql);
			else
				mr->on_result(req, mr, &mr->sql);
			kore_pgsql_continue(&mr->sql);
			break;
		case KORE_PGSQL_STATE_COMPLETE:
			mr->db_query_ms += kore_time_ms() - mr->db_mark;
			if (mr->b_n > 0)
				db_batch_end(mr, NULL);
			return (db_complete(req, mr));
		default:
			kore_pgsql_continue(&mr->sql);
			break;
		}
	}
}
