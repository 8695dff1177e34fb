/*
 * The canonical text and hash of one case event, built in C from the
 * event's raw columns, for `medexctl audit verify`.
 *
 * The database computes the same text when it appends an event, with
 * case_event_canonical() (hash version 1, every event before migration
 * event_digest) or case_event_canonical_v2() (version 2, every event
 * since; sql/cases_common.sql):
 *
 *   v1: case_id|seq|YYYY-MM-DDTHH:MM:SS.ffffffZ|actor|role|action|changes
 *   v2: v2|case_id|seq|YYYY-MM-DDTHH:MM:SS.ffffffZ|actor|role|action|
 *       "key":digest,"key2":digest2
 *
 * with `at` in UTC to the microsecond and `changes` in jsonb's own text
 * form (keys in jsonb's order, PostgreSQL's built-in output).  In v2
 * each top-level key of `changes` (an object) is followed by the hex
 * SHA-256 of "salt|value", salt being the key's in `salts` (32 hex
 * digits) and value the value's jsonb text; a key in `purged` instead
 * has its value null and its digest stored there (the retention purge
 * removed the value and its salt).  The hash is the hex SHA-256 of
 * "prev_hash|canonical".  Verify must not ask the database for that
 * text: the owner could replace the function with one that vouches for
 * a rewritten event.
 */
#ifndef MEDEX_AUDIT_EVENT_H
#define MEDEX_AUDIT_EVENT_H

#include <stddef.h>

#include "sbuf.h"

/* "2026-12-05T12:00:00.000000Z" and its NUL. */
#define AUDIT_TIME_LEN		28
#define AUDIT_HASH_HEX		65
/* A v2 salt: 32 hex digits (a random UUID's, without its dashes). */
#define AUDIT_SALT_HEX		32

struct audit_event {
	long long	 case_id;
	long long	 seq;
	long long	 at_us;		/* microseconds since the epoch, UTC */
	const char	*actor;
	const char	*role;
	const char	*action;
	const char	*changes;	/* jsonb's text output */
	int		 version;	/* hash_version: 1 or 2 */
	const char	*salts;		/* v2: {"key": "32 hex"}, jsonb text */
	const char	*purged;	/* v2: {"key": "64 hex"}, jsonb text */
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

/*
 * Appends the canonical text; 0, or -1: a bad time or version, sb full,
 * or (v2) changes, salts or purged not as the database writes them (a
 * key without its salt, a purged key whose value is not null, a salt
 * or digest that is not lower-case hex of its length).
 */
int	audit_canonical(struct sbuf *sb, const struct audit_event *e);

/*
 * The v2 digest of one value: the hex SHA-256 of "salt|value" (value
 * in jsonb's text form, len bytes); 0, or -1.
 */
int	audit_value_digest(const char *salt, size_t saltlen,
	    const char *value, size_t len, char out[AUDIT_HASH_HEX]);

/* The hex SHA-256 of "prev|canonical"; 0, or -1. */
int	audit_event_hash(const char *prev, const struct audit_event *e,
	    char out[AUDIT_HASH_HEX]);

#endif
