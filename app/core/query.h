/*
 * Query-string parameters.  Kore 4.1 only hands a handler the parameters
 * declared for its route in the conf; medex has one catch-all route, so
 * it reads the query string itself.  Values are percent-decoded ('+' is a
 * space), must decode to UTF-8 text without control characters, and must
 * fit the caller's buffer.
 */
#ifndef MEDEX_QUERY_H
#define MEDEX_QUERY_H

#include <stddef.h>

#define QUERY_FOUND	1
#define QUERY_ABSENT	0
#define QUERY_BAD	(-1)

int	query_get(const char *, const char *, char *, size_t);

#endif
