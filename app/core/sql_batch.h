/*
 * Several read-only calls of one page in one round trip (pages/page_call.c).
 * Each call is one of medex's own constant statements, "SELECT * FROM
 * api_x($1, ..., $6, $7, ...)": $1..$6 are the caller's context, shared
 * by every call, and $7 on are the call's own values.  The batch is one
 * statement that numbers each call's rows so they come back in order:
 *
 *	SELECT * FROM (SELECT 0 AS batch_call, s.* FROM (<call 0>) s
 *	    UNION ALL SELECT 1, s.* FROM (<call 1>) s ...) b
 *	ORDER BY batch_call
 *
 * with each call's own parameters renumbered to follow the previous
 * call's.  Only the text of constant statements is joined: values still
 * travel as parameters, never in the text.
 */
#ifndef MEDEX_SQL_BATCH_H
#define MEDEX_SQL_BATCH_H

#include <stddef.h>

#define SQL_BATCH_SHARED	6	/* $1..$6: the context */

struct sql_batch {
	char	*buf;
	size_t	 size;
	size_t	 len;
	int	 calls;
	int	 params;	/* own parameters so far, after the shared */
	int	 overflow;
};

void	sql_batch_init(struct sql_batch *, char *, size_t);
int	sql_batch_add(struct sql_batch *, const char *, int);
int	sql_batch_end(struct sql_batch *);
int	sql_renumber(char *, size_t, const char *, int, int);

#endif
