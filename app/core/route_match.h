/*
 * Matching a request path against a route pattern such as
 * "/api/v1/cases/{id}/notes".  A `{name}` segment matches one path
 * segment of 1-64 characters from [A-Za-z0-9._-] and is captured; every
 * other segment must match exactly.  Nothing else (no regex) so that the
 * route table stays easy to read and to test.
 */
#ifndef MEDEX_ROUTE_MATCH_H
#define MEDEX_ROUTE_MATCH_H

#define ROUTE_CAPTURES_MAX	4
#define ROUTE_CAPTURE_LEN	65

struct route_captures {
	int	count;
	char	value[ROUTE_CAPTURES_MAX][ROUTE_CAPTURE_LEN];
};

int	route_match(const char *, const char *, struct route_captures *);

#endif
