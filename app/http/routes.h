/*
 * The handler of each row of the route table (routes.c).
 */
#ifndef MEDEX_ROUTES_H
#define MEDEX_ROUTES_H

#include "medex.h"

medex_handler	route_handler(enum route_id);
/* At start: a row without a handler stops the server. */
void		routes_check(void);

#endif
