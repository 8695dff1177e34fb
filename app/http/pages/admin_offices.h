/*
 * The admin's office forms (pages/admin_offices.c).
 */
#ifndef MEDEX_ADMIN_OFFICES_H
#define MEDEX_ADMIN_OFFICES_H

#include <jansson.h>

#include "medex.h"
#include "page_call.h"

/*
 * The writes take the user pages' answers (pages/admin_users.c): the
 * form again with errors, and the write's on_api_result.
 */
typedef int	(*admin_again_fn)(struct http_request *, struct medex_req *,
		    json_t *, int);

void	admin_office_add_render(struct medex_req *, struct pc *,
	    struct sbuf *);
void	admin_office_render(struct medex_req *, struct pc *, struct sbuf *);
int	admin_office_add_post(struct http_request *, struct medex_req *,
	    admin_again_fn, api_after_cb);
int	admin_office_post(struct http_request *, struct medex_req *,
	    admin_again_fn, api_after_cb);

#endif
