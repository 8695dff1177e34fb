/*
 * The browser pages (issue 6): server-rendered HTML in the NHS.UK design
 * system, on the same route table, dispatcher and SQL functions as the
 * API.  Every action is a plain form POST answered by a redirect;
 * JavaScript only enhances.  Pages are written through app/core/page.h
 * (and so html_writer.h): no text reaches a page unescaped.
 */
#ifndef MEDEX_PAGES_H
#define MEDEX_PAGES_H

#include "medex.h"

/* The routes that answer HTML (errors included). */
int	pages_route_is_page(enum route_id);

/* For a POST to a page: read the form body, fill mr->form_csrf. */
int	pages_read_form(struct http_request *, struct medex_req *);

/* An error page in the NHS layout; status and a sentence. */
int	pages_error(struct http_request *, struct medex_req *, int,
	    const char *);

/* on_api_result for refusals: 401 goes to /login, others a page. */
void	pages_refused(struct http_request *, struct medex_req *);

/* Loads assets/vendor/ into memory, in the parent before the fork. */
void	pages_assets_load(const char *);

int	pages_home(struct http_request *, struct medex_req *);
int	pages_login_form(struct http_request *, struct medex_req *);
int	pages_login(struct http_request *, struct medex_req *);
int	pages_logout(struct http_request *, struct medex_req *);
int	pages_cases(struct http_request *, struct medex_req *);
int	pages_offices(struct http_request *, struct medex_req *);
int	pages_users(struct http_request *, struct medex_req *);
int	pages_asset(struct http_request *, struct medex_req *);

/* Shared with pages_cases.c. */
struct page_user;
void	pages_redirect(struct http_request *, struct medex_req *,
	    const char *);
int	pages_user(struct medex_req *, const char *, struct page_user *);

/* pages_cases.c: the work queue, a case, its forms. */
int	pages_case_list(struct http_request *, struct medex_req *);
int	pages_case_new(struct http_request *, struct medex_req *);
int	pages_case_create(struct http_request *, struct medex_req *);
int	pages_case(struct http_request *, struct medex_req *);
int	pages_case_form(struct http_request *, struct medex_req *);
int	pages_case_action(struct http_request *, struct medex_req *);

/* pages_exports.c: the published figures of a month, and 12 months. */
int	pages_exports(struct http_request *, struct medex_req *);

/* pages_office.c: the lead ME's office overview. */
int	pages_office(struct http_request *, struct medex_req *);

#endif
