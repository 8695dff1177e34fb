/*
 * The admin's user pages (pages/admin_users.c): what admin_offices.c
 * uses of them, the answer of a write.
 */
#ifndef MEDEX_ADMIN_USERS_H
#define MEDEX_ADMIN_USERS_H

#include <jansson.h>

#include "medex.h"

/* The form again with errors (field -> message), answered with status. */
int	admin_again(struct http_request *, struct medex_req *, json_t *,
	    int);
/* on_api_result of an admin write: the next page, or the form again. */
void	admin_written(struct http_request *, struct medex_req *);

#endif
