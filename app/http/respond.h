/*
 * Writing the answer (respond.c): the common headers and the one log
 * line of every request, the JSON error shape of API.md, and the error
 * pages in the NHS layout.  Everything above may use it; it uses only
 * the page frame (pages/page_frame.h) and app/core.
 */
#ifndef MEDEX_RESPOND_H
#define MEDEX_RESPOND_H

#include "medex.h"

/* "GET", "POST", ...: for the log line and Allow. */
const char	*medex_method_name(int);

/* Sends the answer: common headers, the log line, then the body. */
int	medex_respond(struct http_request *, struct medex_req *, int,
	    const char *, const void *, size_t);
void	medex_header(struct http_request *, const char *, const char *);
/* Retry-After, once per answer: mr->retry_after, else the default. */
void	medex_retry_after(struct http_request *, struct medex_req *);

/* sb as JSON (500 if building it ran out of memory). */
int	api_json(struct http_request *, struct medex_req *, int,
	    struct sbuf *);

/* An error: API.md's JSON, or a page when mr->is_page. */
int	api_error(struct http_request *, struct medex_req *, int,
	    const char *, const char *);
int	api_error_fields(struct http_request *, struct medex_req *, int,
	    const char *, const char *, const char *(*)[2], size_t);

/* An error page in the NHS layout; status and a sentence. */
int	pages_error(struct http_request *, struct medex_req *, int,
	    const char *);

#endif
