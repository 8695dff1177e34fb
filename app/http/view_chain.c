/*
 * Chaining the views (issue 21).  A read of a case records the view in
 * case_views without touching the case's chain (sql/case_views.sql);
 * this timer, in the first worker, calls case_views_chain() every
 * view_chain_ms (MEDEX_VIEW_CHAIN_MS, 1000 by default) so that the views
 * reach the trail within a round or two.  A round that chained as many
 * views as it may at once starts the next straight away, so a backlog
 * (a busy minute, the database away for a while) is worked off without
 * waiting for the timer.
 *
 * One worker, not all: case_views_chain() lets one caller at a time
 * chain and the others return at once (an advisory lock, which also
 * keeps two instances of the server in order), so more workers would
 * only take connections.  The call is asynchronous on Kore's pool, like
 * a request's, and counts against the same slots (db_async.c); when
 * every slot is busy or requests wait for one, the round is skipped, as
 * requests come first.
 *
 * Kore calls back on each change of the call's state, and a call can
 * also end without a callback (its connection dropped: pgsql.c,
 * kore_pgsql_handle); so the same function runs from the callback and
 * from every tick, and goes as far as the call's state lets it.
 */
#include <stdlib.h>

#include "medex.h"
#include "db_async.h"
#include "view_chain.h"

/* Views chained in one call, for each office (case_views_chain). */
#define VIEW_CHAIN_LIMIT	"1000"
#define VIEW_CHAIN_SQL		"SELECT case_views_chain(" VIEW_CHAIN_LIMIT ")"

static struct kore_pgsql	view_sql;
static int			view_busy;	/* a call holds a slot */
static int			view_running;	/* in view_chain_run() */
static int			view_full;	/* the last call was full */

static void	view_chain_run(void);
static void	view_chain_begin(void);

static void
view_chain_finish(void)
{
	db_forget_lost_socket(&view_sql);
	kore_pgsql_cleanup(&view_sql);
	view_busy = 0;
	db_bg_slot_give();
}

/* Send the call on a connection just taken; 0 if it could not go. */
static int
view_chain_send(void)
{
	if (!db_revive(view_sql.conn) ||
	    !kore_pgsql_query(&view_sql, VIEW_CHAIN_SQL)) {
		kore_log(LOG_WARNING, "view chain: the call could not be "
		    "sent; next round");
		return (0);
	}
	return (1);
}

static void
view_chain_result(void)
{
	const char	*v;

	if (kore_pgsql_ntuples(&view_sql) != 1)
		return;
	v = kore_pgsql_getvalue(&view_sql, 0, 0);
	view_full = strtol(v, NULL, 10) >= strtol(VIEW_CHAIN_LIMIT, NULL, 10);
}

static void
view_chain_cb(struct kore_pgsql *sql, void *arg)
{
	(void)sql;
	(void)arg;
	view_chain_run();
}

/* Takes the call as far as its state allows; see the top of the file. */
static void
view_chain_run(void)
{
	const char	*state;

	if (view_running || !view_busy)
		return;
	view_running = 1;
	for (;;) {
		switch (view_sql.state) {
		case KORE_PGSQL_STATE_INIT:
			/* Queued by Kore for a connection: try again. */
			if (!kore_pgsql_setup(&view_sql, MEDEX_DB,
			    KORE_PGSQL_ASYNC)) {
				if (view_sql.state == KORE_PGSQL_STATE_INIT)
					goto out;
				continue;
			}
			if (!view_chain_send())
				view_chain_finish();
			goto out;
		case KORE_PGSQL_STATE_WAIT:
			goto out;
		case KORE_PGSQL_STATE_RESULT:
			view_chain_result();
			kore_pgsql_continue(&view_sql);
			break;
		case KORE_PGSQL_STATE_ERROR:
			/* Only the SQLSTATE: a message may quote values. */
			state = view_sql.result == NULL ? NULL :
			    PQresultErrorField(view_sql.result,
			    PG_DIAG_SQLSTATE);
			kore_log(LOG_WARNING, "view chain: the call failed "
			    "sqlstate=%s; next round",
			    state != NULL ? state : "none");
			view_full = 0;
			view_chain_finish();
			goto out;
		case KORE_PGSQL_STATE_COMPLETE:
			view_chain_finish();
			goto out;
		default:
			kore_pgsql_continue(&view_sql);
			break;
		}
	}
out:
	view_running = 0;
	if (!view_busy && view_full)
		view_chain_begin();
}

/* A new call, if none is in flight and a slot is free. */
static void
view_chain_begin(void)
{
	if (view_busy || !db_bg_slot_take())
		return;
	view_busy = 1;
	view_full = 0;
	kore_pgsql_init(&view_sql);
	kore_pgsql_bind_callback(&view_sql, view_chain_cb, NULL);
	view_chain_run();
}

static void
view_chain_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	if (view_busy) {
		view_chain_run();
		return;
	}
	view_chain_begin();
}

void
view_chain_start(void)
{
	if (worker == NULL || worker->id != 1)
		return;
	(void)kore_timer_add(view_chain_tick,
	    (u_int64_t)medex.view_chain_ms, NULL, 0);
}
