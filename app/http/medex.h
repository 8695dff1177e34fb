/*
 * The Kore side of medex: one catch-all Kore route (medex_dispatch) that
 * looks the request up in medex's own route table (routes.c), so that
 * every answer under /api/, errors included, has API.md's JSON shape and
 * so that the route x role table lives in one place.
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
#define API_BODY_MAX		(64 * 1024)
#define RESPONSE_MAX		(8 * 1024 * 1024)
#define RETRY_AFTER_SECONDS	"2"
#define DB_PARAMS_MAX		24
#define AUTH_SKEW_SECONDS	60



struct medex_settings {
	struct config	cfg;
	char		issuer[64];
	long long	token_lifetime;
	long long	target_days;
	int		migrations_expected;
	char		*sql_expected;	/* migration_code_summary() of sql/ */
};

extern struct medex_settings	medex;

struct medex_req;
struct form;

typedef int	(*medex_handler)(struct http_request *, struct medex_req *);
typedef void	(*db_result_cb)(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);
typedef void	(*api_after_cb)(struct http_request *, struct medex_req *);

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
	char			 address[64];

	/* Pages (pages.c): HTML errors, the form of a POST. */
	int			 is_page;
	struct form		*form;
	const char		*cache_control;	/* NULL: no-store */

	/* Where a woken request continues: db_resume, or a task's. */
	int			(*resume)(struct http_request *,
				    struct medex_req *);
	/* Called when a database call ends instead of answering. */
	int			(*on_complete)(struct http_request *,
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
	int			 db_unavailable_only;

	/* The answer that on_result prepares; sent when the call ends. */
	int			 status;
	const char		*content_type;
	struct sbuf		 body;
};

/* dispatch.c */
int	medex_dispatch(struct http_request *);
int	medex_respond(struct http_request *, struct medex_req *, int,
	    const char *, const void *, size_t);
int	api_error(struct http_request *, struct medex_req *, int,
	    const char *, const char *);
int	api_error_fields(struct http_request *, struct medex_req *, int,
	    const char *, const char *, const char *(*)[2], size_t);
int	api_json(struct http_request *, struct medex_req *, int,
	    struct sbuf *);
void	medex_header(struct http_request *, const char *, const char *);

/* db_async.c */
int	db_call(struct http_request *, struct medex_req *, const char *,
	    int, const char **, db_result_cb);
int	db_resume(struct http_request *, struct medex_req *);
void	db_release(struct medex_req *);

/* api.c */
void		 api_result_cb(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);
int		 api_call(struct http_request *, struct medex_req *,
		    const char *, int, const char **);
int		 api_validation(struct http_request *, struct medex_req *,
		    struct ferrs *);
json_t		*api_body(struct http_request *, struct medex_req *, int *);
long long	 api_if_match(struct http_request *);
int		 api_page(struct http_request *, char *, size_t, char *,
		    size_t, int *);
void		 api_request_hash(struct http_request *, const char *,
		    char [65]);
int		 api_idem_key(struct http_request *, const char **);

/* auth.c */
extern struct token_ring	*medex_ring;
void	 auth_load_keys(const struct config *);
char	*auth_read_pem(const char *, size_t *);
int	 auth_add_verify_key(const char *, const char *, size_t);
void	 auth_client_address(struct http_request *, char *, size_t);
int	 auth_verify(struct http_request *, struct medex_req *);
int	 auth_refuse(struct http_request *, struct medex_req *);
void	 auth_refused_body(struct http_request *, struct medex_req *);
void	 auth_set_cookie(struct http_request *, const char *, long long);

/* api_auth.c */
int	auth_login_start(struct http_request *, struct medex_req *,
	    const char *, const char *, api_after_cb);
int	api_auth_login(struct http_request *, struct medex_req *);
int	api_auth_logout(struct http_request *, struct medex_req *);
int	api_auth_refresh(struct http_request *, struct medex_req *);
int	api_auth_me(struct http_request *, struct medex_req *);
int	api_jwks(struct http_request *, struct medex_req *);

/* api_admin.c */
int	api_offices_create(struct http_request *, struct medex_req *);
int	api_offices_list(struct http_request *, struct medex_req *);
int	api_users_create(struct http_request *, struct medex_req *);
int	api_users_list(struct http_request *, struct medex_req *);
int	api_users_get(struct http_request *, struct medex_req *);
int	api_users_patch(struct http_request *, struct medex_req *);

/* api_exports.c */
int	api_exports_monthly(struct http_request *, struct medex_req *);

/* routes.c */
medex_handler	route_handler(enum route_id);
void		routes_check(void);

/* api_health.c */
int	api_healthz(struct http_request *, struct medex_req *);
int	api_readyz(struct http_request *, struct medex_req *);

/* api_cases.c */
int	api_cases_create(struct http_request *, struct medex_req *);
int	api_cases_list(struct http_request *, struct medex_req *);
int	api_cases_summary(struct http_request *, struct medex_req *);
int	api_reference(struct http_request *, struct medex_req *);
int	api_cases_get(struct http_request *, struct medex_req *);
int	api_cases_patch(struct http_request *, struct medex_req *);
int	api_cases_transition(struct http_request *, struct medex_req *);
int	api_cases_events(struct http_request *, struct medex_req *);
int	api_cases_notes_list(struct http_request *, struct medex_req *);
int	api_cases_notes_add(struct http_request *, struct medex_req *);
int	api_cases_discussions(struct http_request *, struct medex_req *);
int	api_cases_cause(struct http_request *, struct medex_req *);
int	api_cases_representatives(struct http_request *, struct medex_req *);
int	api_cases_contacts(struct http_request *, struct medex_req *);
int	api_cases_exhausted(struct http_request *, struct medex_req *);
int	api_cases_coroner_referral(struct http_request *, struct medex_req *);
int	api_cases_coroner_decision(struct http_request *, struct medex_req *);
int	api_cases_governance(struct http_request *, struct medex_req *);
int	api_cases_final_actions(struct http_request *, struct medex_req *);
int	api_cases_assignment(struct http_request *, struct medex_req *);
int	api_cases_urgent_release(struct http_request *, struct medex_req *);

/* api_openapi.c */
int	api_openapi(struct http_request *, struct medex_req *);

#endif
