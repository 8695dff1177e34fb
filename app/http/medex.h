/*
 * The types the Kore side of medex shares: one request's state (struct
 * medex_req), the settings read at start, the limits, and the shapes of
 * the callbacks.  No functions: each module's header says what it
 * offers (respond.h, db_async.h, api.h, auth.h, handlers.h, ...), so
 * that a file includes what it uses and the includes form no circle
 * (scripts/lint-includes.sh).
 *
 * The Kore side itself: one catch-all Kore route (dispatch.c) that looks
 * the request up in medex's own route table (routes.c), so that every
 * answer under /api/, errors included, has API.md's JSON shape and so
 * that the route x role table lives in one place.
 */
#ifndef MEDEX_HTTP_H
#define MEDEX_HTTP_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "config.h"
#include "reqbody.h"
#include "role.h"
#include "route_table.h"
#include "route_match.h"
#include "sbuf.h"
#include "token.h"

#define MEDEX_DB		"db"
#define MEDEX_DB_READ		"db_read"	/* the read replica, if any */
#define API_BODY_MAX		(64 * 1024)
#define RESPONSE_MAX		(8 * 1024 * 1024)
#define RETRY_AFTER_SECONDS	"2"
#define DB_PARAMS_MAX		24
#define DB_BATCH_MAX		16	/* reads in one statement (db_batch.c) */
#define AUTH_SKEW_SECONDS	60

struct medex_settings {
	struct config	cfg;
	char		issuer[64];
	long long	token_lifetime;
	long long	session_max;	/* seconds from the password check */
	long long	login_hashes_max; /* argon2 checks in flight, a worker */
	long long	target_days;
	/*
	 * 999 test-range NHS numbers: kept with a warning when set (make
	 * run, the tests), refused with 422 when not (production).
	 */
	int		allow_test_nhs_numbers;
	int		migrations_expected;
	char		*sql_expected;	/* migration_code_summary() of sql/ */
	/*
	 * A read-only replica for the exports (db_read, MEDEX_DB_READ_URL),
	 * and how many seconds behind the primary it may be.
	 */
	int		has_read_db;
	long long	read_max_lag;
	/*
	 * Keep verified tokens for the session's next requests
	 * (token_cache in medex.ini, MEDEX_TOKEN_CACHE; app/core/
	 * token_cache.h).  0 verifies every request's signature.
	 */
	int		token_cache;
	/* How often worker 1 chains the recorded views (view_chain.c). */
	long long	view_chain_ms;
	/*
	 * Prepare each statement once per connection (prepared in
	 * medex.ini, MEDEX_PREPARED; db_prepared.c).  0 sends every
	 * statement unprepared, for measuring.
	 */
	int		prepared;
	/*
	 * At most this many waiting reads of one kind in one statement
	 * (batch in medex.ini, MEDEX_BATCH; db_batch.c).  1 sends each
	 * read alone, for measuring.
	 */
	int		batch;
};

extern struct medex_settings	medex;

struct medex_req;
struct form;

typedef int	(*medex_handler)(struct http_request *, struct medex_req *);
typedef void	(*db_result_cb)(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);
typedef void	(*api_after_cb)(struct http_request *, struct medex_req *);

/* Requests waiting for a database connection, oldest first (db_async.c). */
TAILQ_HEAD(db_queue, medex_req);

struct medex_req {
	char			 reqid[17];
	u_int64_t		 start;
	int			 is_api;
	const struct route_def	*route;
	struct route_captures	 cap;

	/* The caller, once auth_verify() accepted the token. */
	struct token_claims	 claims;
	int			 from_cookie;
	const char		*auth_reason;
	char			 page_csrf[TOKEN_CSRF_LEN + 1];
	const char		*csrf;		/* NULL: no CSRF check */
	char			 csrf_buf[128];
	char			 form_csrf[128];
	char			 address[64];	/* auth_client_address() */
	int			 retry_after;	/* seconds; 0: RETRY_AFTER_SECONDS */
	int			 retry_after_sent;

	/* Pages (pages/): HTML errors, the form of a POST. */
	int			 is_page;
	struct form		*form;
	const char		*cache_control;	/* NULL: no-store */

	/* Where a woken request continues: db_resume, or a task's. */
	int			(*resume)(struct http_request *,
				    struct medex_req *);
	/* Called when a database call ends instead of answering. */
	int			(*on_complete)(struct http_request *,
				    struct medex_req *);
	/* Called when a database call fails instead of a 503/500. */
	int			(*on_fail)(struct http_request *,
				    struct medex_req *);

	/* Handlers with several steps keep their state here. */
	int			 step;
	void			*step_data;
	struct kore_task	*step_task;	/* in step_data, if any */
	void			(*step_free)(void *);
	api_after_cb		 on_api_result;

	/* One database call at a time, run by db_async.c. */
	struct kore_pgsql	 sql;
	int			 db_busy;
	struct http_request	*req;		/* for the wait queue */
	TAILQ_ENTRY(medex_req)	 db_wait;
	int			 db_queued;	/* in db_async.c's queue */
	int			 db_slot;	/* holds a connection slot */
	u_int64_t		 db_mark;	/* when the wait or query began */
	u_int64_t		 db_wait_ms;	/* for a connection, all calls */
	u_int64_t		 db_query_ms;	/* in the database, all calls */
	const char		*q_sql;
	int			 q_n;
	char			*q_vals[DB_PARAMS_MAX];
	db_result_cb		 on_result;
	const char		*q_db;		/* MEDEX_DB or MEDEX_DB_READ */
	int			 q_named;	/* sent as a prepared statement */
	int			 q_resent;	/* sent again once (stale) */
	int			 db_unavailable_only;
	/*
	 * The statement's batch form, if it has one (db_batch.c): the
	 * caller sets batch_next just before db_call(), which moves it to
	 * q_batch for that call only.
	 */
	const char		*batch_next;
	const char		*q_batch;

	/*
	 * Several reads in one statement (db_batch.c).  The leader, which
	 * holds the connection, keeps its riders and the batch's array
	 * parameters; a rider keeps its leader, then how the batch ended
	 * for it.
	 */
	struct medex_req	*b_leader;
	struct medex_req	*b_rider[DB_BATCH_MAX - 1];
	int			 b_n;		/* riders */
	char			*b_vals[DB_PARAMS_MAX];
	int			 b_end;		/* DB_BATCH_DONE, _FAILED */
	int			 b_size;	/* reads in its batch, for the log */
	char			 b_state[6];	/* the batch's SQLSTATE */

	/* The answer that on_result prepares; sent when the call ends. */
	int			 status;
	const char		*content_type;
	struct sbuf		 body;
};

#endif
