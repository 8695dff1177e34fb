/*
 * Prepared statements on Kore's pgsql connections (db_prepared.c): each
 * distinct SQL text is prepared once per PostgreSQL session, then sent by
 * name (issue 21).  prepared = 0 in medex.ini (MEDEX_PREPARED=0) sends
 * every statement unprepared, as before.
 */
#ifndef MEDEX_DB_PREPARED_H
#define MEDEX_DB_PREPARED_H

#include "medex.h"

/*
 * Sends sql with its n text values on sql->conn, prepared when it can
 * be, and schedules the read as Kore's own query functions do.  *named
 * says whether it went by name (for db_prepared_stale()).  KORE_RESULT_OK
 * or KORE_RESULT_ERROR (the connection failed).
 */
int	db_prepared_send(struct kore_pgsql *, const char *, int,
	    const char **, int *);
/* The session of this connection is new (PQreset): nothing prepared. */
void	db_prepared_forget(PGconn *);
/*
 * After a statement sent by name failed: 1 if the failure was that the
 * session's prepared statement is missing or out of date, in which case
 * the connection's statements are dropped before its next use and the
 * call can be sent again (it did not run).
 */
int	db_prepared_stale(struct kore_pgsql *);

#endif
