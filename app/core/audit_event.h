/*
 * The canonical text and hash of one case event, built in C from the
 * event's raw columns, for `medexctl audit verify`.
 *
 * The database computes the same text with case_event_canonical()
 * (sql/cases_common.sql) when it appends an event:
 *
 *   case_id|seq|YYYY-MM-DDTHH:MM:SS.ffffffZ|actor|role|action|changes
 *
 * with `at` in UTC to the microsecond and `changes` in jsonb's own text
 * form (keys sorted, PostgreSQL's built-in output), and the hash is the
 * hex SHA-256 of "prev_hash|canonical".  Verify must not ask the
 * database for that text: the owner could replace the function with
 * one that vouches for a rewritten event.
 */
#ifndef MEDEX_AUDIT_EVENT_H
#define MEDEX_AUDIT_EVENT_H

#include <stddef.h>

#include "sbuf.h"

/* "2026-12-05T12:00:00.000000Z" and its NUL. */
#define AUDIT_TIME_LEN		28
#define AUDIT_HASH_HEX		65

struct audit_event {
	long long	 case_id;
	long long	 seq;
	long long	 at_us;		/* microseconds since the epoch, UTC */
	const char	*actor;
	const char	*role;
	const char	*action;
	const char	*changes;	/* jsonb's text output */
};

/*
 * PostgreSQL's `extract(epoch FROM at)` of a timestamptz ("1782863998.
 * 000120", "-0.500000") -> microseconds.  0, or -1 when s is not such
 * a number (more than 6 decimals, no digits, out of range).
 */
int	audit_epoch_us(const char *s, long long *us);

/* Microseconds since the epoch as the SQL formats them; -1 outside the
 * years 1 to 9999. */
int	audit_time_str(long long us, char out[AUDIT_TIME_LEN]);

/* Appends the canonical text; 0, or -1 (bad time, or sb full). */
int	audit_canonical(struct sbuf *sb, const struct audit_event *e);

/* The hex SHA-256 of "prev|canonical"; 0, or -1. */
int	audit_event_hash(const char *prev, const struct audit_event *e,
	    char out[AUDIT_HASH_HEX]);

#endif
