/*
 * Several waiting reads of one kind in one statement (db_batch.c), so
 * that one transaction, one commit and one flush of the WAL serve all
 * their recorded views.
 */
#ifndef MEDEX_DB_BATCH_H
#define MEDEX_DB_BATCH_H

#include "medex.h"

#define DB_BATCH_DONE	1
#define DB_BATCH_FAILED	2

/*
 * mr holds a connection for its read: takes the reads of the same
 * statement waiting in the queue onto it and builds the batch's parameters; how many
 * it took (0: mr goes alone).
 */
int	db_batch_gather(struct medex_req *, struct db_queue *);
/* The batch's rows, each to its own read's callback. */
void	db_batch_deliver(struct http_request *, struct medex_req *,
	    struct kore_pgsql *);
/* The batch ended, with its SQLSTATE if it failed: wakes the riders. */
void	db_batch_end(struct medex_req *, const char *);
/*
 * A read freed before its batch ended: a rider leaves it; a leader's
 * riders go back to the front of the queue, to go alone.
 */
void	db_batch_leave(struct medex_req *, struct db_queue *);
/* The batch's array parameters, freed. */
void	db_batch_free(struct medex_req *);

#endif
