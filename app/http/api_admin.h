/*
 * The user writes of api_admin.c, for the API and the admin pages
 * (pages/admin_users.c): the password is hashed in a Kore task, after a
 * cheap session check, before the one api_* call.
 */
#ifndef MEDEX_API_ADMIN_H
#define MEDEX_API_ADMIN_H

#include "medex.h"

/* api_user_create; done is a page's on_api_result, or NULL. */
int	admin_user_create(struct http_request *, struct medex_req *,
	    const char *, const char *, const char *, const char *,
	    const char *, const char *, const char *, api_after_cb);
/* api_user_patch(username, if_match, role, office, disabled, password). */
int	admin_user_patch(struct http_request *, struct medex_req *,
	    const char *, const char *, const char *, const char *,
	    const char *, const char *, const char *, api_after_cb);

#endif
