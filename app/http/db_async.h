/*
 * One asynchronous database call per step of a request (db_async.c):
 * first come, first served on Kore's pgsql pool.
 */
#ifndef MEDEX_DB_ASYNC_H
#define MEDEX_DB_ASYNC_H

#include "medex.h"

/* Runs sql with its n values; cb reads the result into mr. */
int	db_call(struct http_request *, struct medex_req *, const char *,
	    int, const char **, db_result_cb);
/* db_call() on another registered database (MEDEX_DB_READ). */
int	db_call_on(struct http_request *, struct medex_req *, const char *,
	    const char *, int, const char **, db_result_cb);
/* Where a request woken by Kore's pgsql layer continues. */
int	db_resume(struct http_request *, struct medex_req *);
/* Gives the connection (or the place in the queue) back. */
void	db_release(struct medex_req *);

/*
 * For the worker's own calls, bound to a callback rather than a request
 * (view_chain.c): a slot if one is free and no request waits for one,
 * and the same care of Kore's connections as a request's calls get.
 */
int	db_bg_slot_take(void);
void	db_bg_slot_give(void);
/* Reconnects a connection just taken if it is broken; 0 if it cannot. */
int	db_revive(struct pgsql_conn *);
/* Before kore_pgsql_cleanup() of a call whose connection was lost. */
void	db_forget_lost_socket(struct kore_pgsql *);

#endif
