/*
 * Simple signed-in pages (pages/signed_in.c): api_me, then one call,
 * then the page's render function with that call's JSON.
 */
#ifndef MEDEX_SIGNED_IN_H
#define MEDEX_SIGNED_IN_H

#include <jansson.h>

#include "medex.h"
#include "page.h"

typedef void	(*page_render)(struct http_request *, struct medex_req *,
		    json_t *, struct sbuf *);

/* api_me, then sql with its n (at most 4) parameters or none if NULL. */
int		 page_signed_in(struct http_request *, struct medex_req *,
		    const char *, int, const char **, page_render);
/* For render: the layout's start with the signed-in user. */
void		 page_open(struct medex_req *, struct sbuf *, const char *,
		    enum page_nav);
const char	*page_display_name(struct medex_req *);
/* Is the user's password one-time (set by an admin)? */
int		 page_must_change_password(struct medex_req *);

#endif
