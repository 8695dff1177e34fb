/*
 * The frame of every page that the layers below the pages need too:
 * the signed-in user in the header, the error page in the NHS layout,
 * the 303 redirect, and a refusal in words (pages_refused).  It writes
 * into mr->body and sends nothing, so that respond.c (which sends) can
 * use it and stay below everything else.  Serves no URL itself.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "cookie.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_frame.h"
#include "return_to.h"

/* The signed-in user for the header, once auth_verify() accepted. */
int
pages_user(struct medex_req *mr, const char *display_name,
    struct page_user *u)
{
	if (mr->claims.sub[0] == '\0' ||
	    role_from_str(mr->claims.role, &u->role) != 0)
		return (0);
	u->username = mr->claims.sub;
	u->display_name = display_name;
	u->office = mr->claims.office;
	u->csrf = mr->page_csrf;
	return (1);
}

static const char *
page_status_title(int status)
{
	switch (status) {
	case 400:
		return ("The request could not be read");
	case 403:
		return ("You cannot do this");
	case 404:
		return ("Page not found");
	case 405:
		return ("Method not allowed");
	case 409:
		return ("This cannot be done now");
	case 412:
		return ("Someone else changed this first");
	case 413:
		return ("Too large");
	case 503:
		return ("Sorry, the service is unavailable");
	default:
		return (status >= 500 ? "Sorry, there is a problem with the "
		    "service" : "There is a problem");
	}
}

/* Fills mr->body with an error page; the answer is sent by the caller. */
void
page_error_body(struct medex_req *mr, int status, const char *message)
{
	struct page_user	 u;
	const char		*title;
	int			 signed_in;

	title = page_status_title(status);
	signed_in = pages_user(mr, NULL, &u);
	sbuf_reset(&mr->body);
	page_begin(&mr->body, title, 0, signed_in ? &u : NULL, NAV_NONE);
	page_h1(&mr->body, NULL, title);
	if (message != NULL)
		page_p(&mr->body, message);
	html_raw(&mr->body, "<p class=\"nhsuk-body\"><a href=\"/\">"
	    "Go to the start page</a></p>");
	page_end(&mr->body);
	mr->status = status;
	mr->content_type = HTML_TYPE;
}

void
pages_redirect(struct http_request *req, struct medex_req *mr,
    const char *location)
{
	http_response_header(req, "location", location);
	sbuf_reset(&mr->body);
	html_raw(&mr->body, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>Redirecting - medex</title>"
	    "</head><body><p>");
	html_start(&mr->body, "a");
	html_attr(&mr->body, "href", location);
	html_end(&mr->body);
	html_raw(&mr->body, "Continue</a></p></body></html>\n");
	mr->status = 303;
	mr->content_type = HTML_TYPE;
}

/*
 * The sign-in page, with the page asked for (a GET's path and query) to
 * come back to after signing in (return_to.h); a POST, or a path too
 * long to carry, goes to the start page after sign-in.
 */
static const char *
login_location(struct http_request *req, char *out, size_t len)
{
	char	path[RETURN_TO_MAX + 1];
	int	n;

	if (req->method != HTTP_METHOD_GET)
		return ("/login");
	n = snprintf(path, sizeof(path), "%s%s%s", req->path,
	    req->query_string != NULL && *req->query_string != '\0' ? "?" : "",
	    req->query_string != NULL ? req->query_string : "");
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    strcmp(path, "/") == 0 || len < 13 ||
	    !return_to_encode(path, out + 12, len - 12))
		return ("/login");
	memcpy(out, "/login?next=", 12);
	return (out);
}

/*
 * on_api_result of a refused call (status and JSON error in mr->body):
 * a session that is over goes to the sign-in page; anything else is a
 * page that says what happened in words.
 */
void
pages_refused(struct http_request *req, struct medex_req *mr)
{
	json_t		*j;
	const char	*code, *message;
	char		 msg[512], where[RETURN_TO_MAX * 3 + 16];
	int		 status;

	status = mr->status;
	if (status == 401) {
		cookie_set(req, "", 0);
		pages_redirect(req, mr, login_location(req, where,
		    sizeof(where)));
		return;
	}
	code = message = NULL;
	msg[0] = '\0';
	if ((j = jr_load(mr->body.data, mr->body.len)) != NULL) {
		code = json_string_value(json_object_get(json_object_get(j,
		    "error"), "code"));
		message = json_string_value(json_object_get(json_object_get(j,
		    "error"), "message"));
		if (message != NULL)
			kore_strlcpy(msg, message, sizeof(msg));
		if (code != NULL && strcmp(code, "csrf_failed") == 0)
			kore_strlcpy(msg, "This form had expired. Go back, "
			    "reload the page and try again.", sizeof(msg));
		/* A one-time password: nothing but its change until then. */
		if (code != NULL && status == 403 &&
		    strcmp(code, "password_change_required") == 0) {
			json_decref(j);
			pages_redirect(req, mr, "/account/password");
			return;
		}
		/* A role that must use two-step sign-in, without it. */
		if (code != NULL && status == 403 &&
		    strcmp(code, "otp_enrolment_required") == 0) {
			json_decref(j);
			pages_redirect(req, mr, "/account/two-step");
			return;
		}
		json_decref(j);
	}
	page_error_body(mr, status, msg[0] != '\0' ? msg : NULL);
}
