/*
 * The pages' part of dispatching (pages/page_request.c).
 */
#ifndef MEDEX_PAGE_REQUEST_H
#define MEDEX_PAGE_REQUEST_H

#include "medex.h"

/* The routes that answer HTML (errors included). */
int	pages_route_is_page(enum route_id);

/* For a POST to a page: read the form body, fill mr->form_csrf. */
int	pages_read_form(struct http_request *, struct medex_req *);

#endif
