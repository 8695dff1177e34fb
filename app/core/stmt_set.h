/*
 * Which statements one database connection has prepared (issue 21: each
 * distinct SQL text is prepared once per connection and then executed by
 * name, as pgx and pgbench -M prepared do, instead of being parsed and
 * planned again on every call).
 *
 * Pure C, no Kore, no libpq.  A statement is named after a 64-bit FNV-1a
 * hash of its text and its length ("medex_<hash>_<length>"), so the same
 * text gets the same name in every worker and on every connection, and
 * two texts share a name only if both their hashes and lengths collide.
 * A set holds at most STMT_SET_MAX names: past that the caller sends the
 * statement unprepared, so SQL built at run time cannot grow it without
 * bound.
 */
#ifndef MEDEX_STMT_SET_H
#define MEDEX_STMT_SET_H

#include <stddef.h>
#include <stdint.h>

#define STMT_SET_MAX		512
/* "medex_" + 16 hex digits + "_" + a length + NUL, under NAMEDATALEN. */
#define STMT_NAME_LEN		48

struct stmt_set {
	uint64_t	key[STMT_SET_MAX];
	size_t		n;
};

uint64_t	stmt_hash(const char *);
void		stmt_name(const char *, char [STMT_NAME_LEN]);
void		stmt_set_clear(struct stmt_set *);
int		stmt_set_has(const struct stmt_set *, uint64_t);
int		stmt_set_add(struct stmt_set *, uint64_t);

#endif
