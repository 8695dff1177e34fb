/*
 * What the dispatcher asks of the pages before any handler runs: is
 * this route a page (its errors are then pages), and the form of a
 * page's POST, read before the token is checked because it carries the
 * CSRF token.  Serves no URL itself.
 */
#include <string.h>
#include <strings.h>

#include "medex.h"
#include "api.h"
#include "form.h"
#include "page_request.h"
#include "respond.h"

#define PAGE_FORM_MAX	(64 * 1024)

int
pages_route_is_page(enum route_id id)
{
	switch (id) {
	case R_PAGE_HOME:
	case R_PAGE_LOGIN_FORM:
	case R_PAGE_LOGIN:
	case R_PAGE_SSO_START:
	case R_PAGE_SSO_CALLBACK:
	case R_PAGE_LOGOUT:
	case R_PAGE_CASES:
	case R_PAGE_OFFICES:
	case R_PAGE_USERS:
	case R_ASSET:
	case R_ASSET_IMAGE:
	case R_PAGE_CASE_NEW:
	case R_PAGE_CASE_CREATE:
	case R_PAGE_CASE:
	case R_PAGE_CASE_PRINT:
	case R_PAGE_CASE_FORM:
	case R_PAGE_CASE_ACTION:
	case R_PAGE_EXPORTS:
	case R_PAGE_OFFICE:
	case R_PAGE_AUDIT:
	case R_PAGE_PASSWORD_FORM:
	case R_PAGE_PASSWORD:
	case R_PAGE_OTP:
	case R_PAGE_OTP_START:
	case R_PAGE_OTP_CONFIRM:
	case R_PAGE_OTP_DISABLE:
	case R_PAGE_ADMIN_USER:
	case R_PAGE_ADMIN_FORM:
	case R_PAGE_ADMIN_ACTION:
	case R_PAGE_CASE_WARNING_ACK:
	case R_PAGE_REFERRAL_DOC:
	case R_PAGE_REFERRAL_PDF:
	case R_PAGE_IMPORT:
	case R_PAGE_IMPORT_TEMPLATE:
	case R_PAGE_IMPORT_CHECK:
	case R_PAGE_IMPORT_CONFIRM:
		return (1);
	default:
		return (0);
	}
}

/*
 * The import page's form is multipart/form-data, for its file.  Kore
 * reads it (http_populate_multipart_form): the file stays among the
 * request's files for pages/import_page.c, and of the other fields Kore
 * keeps only those conf/medex.conf.in declares (params post ^/): the
 * csrf_token, checked by its validator.  Kore's http_body_max bounds
 * the whole body.
 */
static int
pages_read_upload(struct http_request *req, struct medex_req *mr)
{
	const char	*ct;
	char		*csrf;

	mr->form = kore_calloc(1, sizeof(*mr->form));
	form_init(mr->form);
	/* Not multipart: no file, which the page (after the role and
	 * the CSRF token are checked) answers by asking for one. */
	if (!http_request_header(req, "content-type", &ct) ||
	    strncasecmp(ct, "multipart/form-data", 19) != 0)
		return (1);
	http_populate_multipart_form(req);
	if (http_argument_get_string(req, "csrf_token", &csrf))
		kore_strlcpy(mr->form_csrf, csrf, sizeof(mr->form_csrf));
	return (1);
}

/*
 * Reads a form POST's body (at most 64 KiB) into mr->form and its
 * csrf_token into mr->form_csrf.  A body that is not a form leaves the
 * form empty.  A cross-site POST (Sec-Fetch-Site) is refused here, the
 * sign-in form included.  0 after answering.
 */
int
pages_read_form(struct http_request *req, struct medex_req *mr)
{
	const char	*ct, *site, *csrf;
	char		*buf;
	size_t		 len;
	int		 ok;

	if (http_request_header(req, "sec-fetch-site", &site) &&
	    strcasecmp(site, "cross-site") == 0)
		return (!pages_error(req, mr, 403,
		    "This form was sent from another site."));
	if (mr->route->id == R_PAGE_IMPORT_CHECK)
		return (pages_read_upload(req, mr));
	if (req->http_body_length > PAGE_FORM_MAX)
		return (!pages_error(req, mr, 413,
		    "What you sent is too large."));
	mr->form = kore_calloc(1, sizeof(*mr->form));
	form_init(mr->form);
	if (!http_request_header(req, "content-type", &ct) ||
	    strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return (1);
	ok = 0;
	if ((buf = api_body_read(req, PAGE_FORM_MAX, &len)) != NULL) {
		ok = form_parse(mr->form, buf, len) == 0;
		explicit_bzero(buf, len);
		kore_free(buf);
	}
	if (!ok)
		return (!pages_error(req, mr, 400,
		    "The form could not be read; go back and try again."));
	if ((csrf = form_get(mr->form, "csrf_token")) != NULL)
		kore_strlcpy(mr->form_csrf, csrf, sizeof(mr->form_csrf));
	return (1);
}
