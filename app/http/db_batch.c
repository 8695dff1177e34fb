/*
 * Several waiting reads of one kind in one statement (issue 21).
 *
 * A case read records its view, so it is a write: a transaction, a
 * commit and a flush of the WAL, each its own.  At 8 connections
 * pgbench of the read answered 1,967-1,989 calls a second, of the same
 * read recording no view 3,254-3,441, and of eight reads in one
 * statement 3,450 reads a second (docs/benchmark.md).  So when a
 * request that reads one case gets a connection and others of the same
 * kind wait behind it in this worker's queue (db_async.c), it takes up
 * to medex.batch - 1 of them along: one statement of the read's batch
 * form (api_case_get_batch, api_page_case_batch), whose arrays hold
 * each read's parameters and whose rows say which read they answer.
 * Each read keeps its own checks and its own recorded view, in the
 * database, and its own callback here; one commit serves them all, and
 * none is answered before it (a view is durable before the case is
 * sent, as for one read alone).  A batch forms only from reads that
 * already wait, so an idle server sends each read alone, at once.
 *
 * The request that holds the connection leads; the others ride.  A
 * rider holds no slot: it sleeps until the leader's batch ends, when
 * db_batch_end() wakes it with the outcome, and db_resume() answers it
 * as if its own call had ended.  If the leader is freed first (its
 * client went away), its riders go back to the front of the queue and
 * each goes alone; if the batch had committed by then, those reads
 * record a second view, which is the safe side of losing one.
 */
#include <stdlib.h>
#include <string.h>

#include "medex.h"
#include "db_batch.h"
#include "pg_array.h"

/* Room for one array parameter: 16 tokens of a few hundred bytes. */
#define DB_BATCH_ARRAY_MAX	(256 * 1024)

/* The columns of an api_result row, as a read's callback sees them. */
static PGresAttDesc	db_batch_cols[4] = {
	{ "status", 0, 0, 0, 0, -1, -1 },
	{ "body", 0, 0, 0, 0, -1, -1 },
	{ "etag", 0, 0, 0, 0, -1, -1 },
	{ "location", 0, 0, 0, 0, -1, -1 },
};

static int	db_batch_params(struct medex_req *);
static void	db_batch_row(struct http_request *, struct medex_req *,
		    struct kore_pgsql *, int);
static void	db_batch_requeue(struct medex_req *, struct db_queue *);

int
db_batch_gather(struct medex_req *mr, struct db_queue *q)
{
	struct medex_req	*r, *next;
	u_int64_t		 now;
	int			 k;

	if (mr->q_batch == NULL || medex.batch < 2 || mr->b_n > 0)
		return (0);
	now = kore_time_ms();
	for (r = TAILQ_FIRST(q); r != NULL &&
	    mr->b_n < medex.batch - 1; r = next) {
		next = TAILQ_NEXT(r, db_wait);
		if (r->q_sql != mr->q_sql || r->q_db != mr->q_db ||
		    r->q_n != mr->q_n || r->q_resent)
			continue;
		TAILQ_REMOVE(q, r, db_wait);
		r->db_queued = 0;
		r->b_leader = mr;
		r->b_end = 0;
		r->db_wait_ms += now - r->db_mark;
		r->db_mark = now;
		mr->b_rider[mr->b_n++] = r;
	}
	if (mr->b_n == 0)
		return (0);
	if (!db_batch_params(mr)) {
		db_batch_requeue(mr, q);
		return (0);
	}
	mr->b_size = mr->b_n + 1;
	for (k = 0; k < mr->b_n; k++)
		mr->b_rider[k]->b_size = mr->b_size;
	return (mr->b_n);
}

/* Parameter p of the batch: the array of every read's parameter p. */
static int
db_batch_params(struct medex_req *mr)
{
	const char	*vals[DB_BATCH_MAX];
	struct sbuf	 b;
	int		 p, k, ok;

	ok = 1;
	sbuf_init(&b, DB_BATCH_ARRAY_MAX);
	for (p = 0; p < mr->q_n && ok; p++) {
		vals[0] = mr->q_vals[p];
		for (k = 0; k < mr->b_n; k++)
			vals[k + 1] = mr->b_rider[k]->q_vals[p];
		sbuf_reset(&b);
		if (pg_array_text(&b, vals, (size_t)mr->b_n + 1) != 0)
			ok = 0;
		else
			mr->b_vals[p] = kore_strdup(b.data);
	}
	sbuf_free(&b);
	if (!ok)
		db_batch_free(mr);
	return (ok);
}

void
db_batch_free(struct medex_req *mr)
{
	int	p;

	for (p = 0; p < DB_PARAMS_MAX; p++) {
		kore_free(mr->b_vals[p]);
		mr->b_vals[p] = NULL;
	}
}

/*
 * Rows of (i, status, body, etag, location): i = 1 is the leader's
 * read, i = k + 2 its k-th rider's.  A read whose row is missing keeps
 * no answer, and db_resume() says so with a 500.
 */
void
db_batch_deliver(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct medex_req	*m;
	int			 row, n, i;

	if (kore_pgsql_nfields(sql) != 5)
		return;
	n = kore_pgsql_ntuples(sql);
	for (row = 0; row < n; row++) {
		i = atoi(kore_pgsql_getvalue(sql, row, 0));
		if (i == 1) {
			db_batch_row(req, mr, sql, row);
			continue;
		}
		if (i < 2 || i - 2 >= mr->b_n ||
		    (m = mr->b_rider[i - 2]) == NULL)
			continue;
		db_batch_row(m->req, m, sql, row);
	}
}

/* One row of the batch, as the read's own one-row result. */
static void
db_batch_row(struct http_request *req, struct medex_req *m,
    struct kore_pgsql *sql, int row)
{
	struct kore_pgsql	 one;
	PGresult		*res;
	int			 c, ok;

	res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	if (res == NULL || !PQsetResultAttrs(res, 4, db_batch_cols))
		goto cleanup;
	for (c = 0; c < 4; c++) {
		if (PQgetisnull(sql->result, row, c + 1))
			ok = PQsetvalue(res, 0, c, NULL, -1);
		else
			ok = PQsetvalue(res, 0, c,
			    PQgetvalue(sql->result, row, c + 1),
			    PQgetlength(sql->result, row, c + 1));
		if (!ok)
			goto cleanup;
	}
	memset(&one, 0, sizeof(one));
	one.state = KORE_PGSQL_STATE_RESULT;
	one.result = res;
	m->on_result(req, m, &one);

cleanup:
	if (res != NULL)
		PQclear(res);
}

void
db_batch_end(struct medex_req *mr, const char *state)
{
	struct medex_req	*r;
	int			 k;

	for (k = 0; k < mr->b_n; k++) {
		if ((r = mr->b_rider[k]) == NULL)
			continue;
		r->b_leader = NULL;
		r->db_query_ms += kore_time_ms() - r->db_mark;
		r->b_end = state == NULL ? DB_BATCH_DONE : DB_BATCH_FAILED;
		(void)kore_strlcpy(r->b_state, state != NULL ? state : "",
		    sizeof(r->b_state));
		mr->b_rider[k] = NULL;
		http_request_wakeup(r->req);
	}
	mr->b_n = 0;
	db_batch_free(mr);
}

/* The riders to the front of the queue, in their order, to go alone. */
static void
db_batch_requeue(struct medex_req *mr, struct db_queue *q)
{
	struct medex_req	*r;
	int			 k;

	for (k = mr->b_n - 1; k >= 0; k--) {
		if ((r = mr->b_rider[k]) == NULL)
			continue;
		r->b_leader = NULL;
		TAILQ_INSERT_HEAD(q, r, db_wait);
		r->db_queued = 1;
		mr->b_rider[k] = NULL;
	}
	mr->b_n = 0;
}

void
db_batch_leave(struct medex_req *mr, struct db_queue *q)
{
	struct medex_req	*l;
	int			 k;

	if ((l = mr->b_leader) != NULL) {
		for (k = 0; k < l->b_n; k++) {
			if (l->b_rider[k] == mr)
				l->b_rider[k] = NULL;
		}
		mr->b_leader = NULL;
	}
	if (mr->b_n > 0) {
		db_batch_requeue(mr, q);
		db_batch_free(mr);
	}
}
