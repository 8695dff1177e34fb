/*
 * The page frame (pages/page_frame.c): what every page, and the error
 * answers of respond.c, write around their content.  Pages are written
 * through app/core/page.h (and so html_writer.h): no text reaches a page
 * unescaped.
 */
#ifndef MEDEX_PAGE_FRAME_H
#define MEDEX_PAGE_FRAME_H

#include "medex.h"

#define HTML_TYPE	"text/html; charset=utf-8"

struct page_user;

/* The signed-in user for the header, once auth_verify() accepted. */
int	pages_user(struct medex_req *, const char *, struct page_user *);

/* mr->body as the error page of this status, with a sentence or NULL. */
void	page_error_body(struct medex_req *, int, const char *);

/* mr->body as a 303 to location (the caller sends it). */
void	pages_redirect(struct http_request *, struct medex_req *,
	    const char *);

/* on_api_result for refusals: 401 goes to /login, others a page. */
void	pages_refused(struct http_request *, struct medex_req *);

#endif
