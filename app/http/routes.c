/*
 * Every route medex serves, in one table: method, path pattern, the roles
 * that may use it, handler.  A path that is not here is 404, a method that
 * is not here is 405, and a route with no roles is open to anyone: keep
 * that list short.
 */
#include "medex.h"

const struct route	medex_routes[] = {
	{ HTTP_METHOD_GET, "/healthz", 0, api_healthz },
	{ HTTP_METHOD_GET, "/readyz", 0, api_readyz },
};

const size_t	medex_routes_count = sizeof(medex_routes) /
		    sizeof(medex_routes[0]);
