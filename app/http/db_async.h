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

#endif
