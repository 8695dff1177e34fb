/*
 * PostgreSQL array literals of text values (pg_array.c), for the
 * batched reads' parameters (app/http/db_batch.c): element i of each
 * array is the i-th read's value, and the array travels as one $n
 * parameter, never in a statement's text.
 *
 * Every value is written double-quoted, with `"` and `\` escaped by a
 * backslash, so that no value can be read as NULL, as a separator or as
 * a nested array whatever it holds; a NULL pointer is written as the
 * unquoted NULL.  The same literal reads as text[], boolean[] or
 * integer[] when the values are of those types ("t", "200").
 */
#ifndef MEDEX_PG_ARRAY_H
#define MEDEX_PG_ARRAY_H

#include <stddef.h>

#include "sbuf.h"

/* Appends {"v0","v1",NULL,...}; 0, or -1 when b ran out of room. */
int	pg_array_text(struct sbuf *, const char *const *, size_t);

#endif
