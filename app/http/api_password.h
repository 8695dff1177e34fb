/*
 * Changing one's own password (api_password.c): the steps that
 * POST /api/v1/me/password and the /account/password page share.
 */
#ifndef MEDEX_API_PASSWORD_H
#define MEDEX_API_PASSWORD_H

#include "medex.h"

/*
 * The session check, then argon2id in a task (the current password
 * verified, the new one hashed), then the change: 204, or the error
 * in mr (done, NULL for the API, may turn it into a page).
 */
int	password_change_start(struct http_request *, struct medex_req *,
	    const char *, const char *, api_after_cb);

#endif
