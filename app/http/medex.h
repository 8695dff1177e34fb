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

#include "config.h"
#include "route_match.h"
#include "sbuf.h"

#define MEDEX_DB		"db"
#define API_BODY_MAX		(64 * 1024)
#define RESPONSE_MAX		(8 * 1024 * 1024)
#define RETRY_AFTER_SECONDS	"2"
#define DB_PARAMS_MAX		16

struct medex_settings {
	struct config	cfg;
	char		issuer[64];
	long long	token_lifetime;
	long long	target_days;
	int		migrations_expected;
};

extern struct medex_settings	medex;

struct medex_req;

typedef int	(*medex_handler)(struct http_request *, struct medex_req *);
typedef void	(*db_result_cb)(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);

struct route {
	int		 methods;
	const char	*pattern;
	unsigned int	 roles;		/* 0: no login needed */
	medex_handler	 handler;
};

struct medex_req {
	char			 reqid[17];
	u_int64_t		 start;
	int			 is_api;
	const struct route	*route;
	struct route_captures	 cap;

	/* One database call at a time, run by db_async.c. */
	struct kore_pgsql	 sql;
	int			 db_busy;
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

/* routes.c */
extern const struct route	medex_routes[];
extern const size_t		medex_routes_count;

/* api_health.c */
int	api_healthz(struct http_request *, struct medex_req *);
int	api_readyz(struct http_request *, struct medex_req *);

#endif
