/*
 * The browser pages; see pages.h.
 *
 * A signed-in page makes two calls, each one api_* SQL function that
 * the API uses too: api_me (for the name in the header, and the
 * session check) and then the page's own (api_office_list, ...).  The
 * JSON body each answers is parsed with jansson and written out as HTML
 * through page.h.  Refusals become pages too: a session that is over
 * goes back to /login, a role that may not see the page gets a 403 page.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "medex.h"
#include "form.h"
#include "html_writer.h"
#include "page.h"
#include "pages.h"

#define PAGE_FORM_MAX	(64 * 1024)
#define ASSETS_MAX	64
#define ASSET_SIZE_MAX	(1024 * 1024)
#define HTML_TYPE	"text/html; charset=utf-8"

static const char sql_me[] = "SELECT * FROM api_me($1, $2, $3, $4, $5, $6)";
static const char sql_logout[] =
    "SELECT * FROM api_logout($1, $2, $3, $4, $5, $6)";
static const char sql_office_list[] =
    "SELECT * FROM api_office_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";
static const char sql_user_list[] =
    "SELECT * FROM api_user_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";

typedef void	(*page_render)(struct http_request *, struct medex_req *,
		    json_t *, struct sbuf *);

/* A signed-in page between its two calls. */
struct page_state {
	char		 display_name[256];
	const char	*sql;
	int		 n;
	char		*params[4];
	page_render	 render;
};

struct asset {
	char		 name[sizeof(((struct route_captures *)0)->value[0]) + 8];
	char		*data;
	size_t		 len;
	const char	*type;
};

static struct asset	assets[ASSETS_MAX];
static size_t		assets_n;

static void	page_state_free(void *);
static int	page_user_of(struct medex_req *, const char *,
		    struct page_user *);
static void	page_body_error(struct http_request *, struct medex_req *,
		    int, const char *, const char *);
static void	page_redirect(struct http_request *, struct medex_req *,
		    const char *);
static int	page_signed_in(struct http_request *, struct medex_req *,
		    const char *, int, const char **, page_render);
static void	page_me_cb(struct http_request *, struct medex_req *);
static int	page_second_call(struct http_request *, struct medex_req *);
static void	page_render_cb(struct http_request *, struct medex_req *);

int
pages_route_is_page(enum route_id id)
{
	switch (id) {
	case R_PAGE_HOME:
	case R_PAGE_LOGIN_FORM:
	case R_PAGE_LOGIN:
	case R_PAGE_LOGOUT:
	case R_PAGE_CASES:
	case R_PAGE_OFFICES:
	case R_PAGE_USERS:
	case R_ASSET:
	case R_ASSET_IMAGE:
	case R_PAGE_CASE_NEW:
	case R_PAGE_CASE_CREATE:
	case R_PAGE_CASE:
	case R_PAGE_CASE_FORM:
	case R_PAGE_CASE_ACTION:
	case R_PAGE_EXPORTS:
	case R_PAGE_OFFICE:
		return (1);
	default:
		return (0);
	}
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
	ssize_t		 r;
	size_t		 len;
	int		 ok;

	if (http_request_header(req, "sec-fetch-site", &site) &&
	    strcasecmp(site, "cross-site") == 0)
		return (!pages_error(req, mr, 403,
		    "This form was sent from another site."));
	if (req->http_body_length > PAGE_FORM_MAX)
		return (!pages_error(req, mr, 413,
		    "What you sent is too large."));
	mr->form = kore_calloc(1, sizeof(*mr->form));
	form_init(mr->form);
	if (!http_request_header(req, "content-type", &ct) ||
	    strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return (1);
	buf = kore_malloc(PAGE_FORM_MAX + 1);
	len = 0;
	for (;;) {
		r = http_body_read(req, buf + len, PAGE_FORM_MAX + 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len > PAGE_FORM_MAX)
			break;
	}
	ok = r >= 0 && len <= PAGE_FORM_MAX &&
	    form_parse(mr->form, buf, len) == 0;
	explicit_bzero(buf, len);
	kore_free(buf);
	if (!ok)
		return (!pages_error(req, mr, 400,
		    "The form could not be read; go back and try again."));
	if ((csrf = form_get(mr->form, "csrf_token")) != NULL)
		kore_strlcpy(mr->form_csrf, csrf, sizeof(mr->form_csrf));
	return (1);
}

/* The signed-in user for the header, once auth_verify() accepted. */
static int
page_user_of(struct medex_req *mr, const char *display_name,
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
static void
page_body_error(struct http_request *req, struct medex_req *mr, int status,
    const char *title, const char *message)
{
	struct page_user	u;
	int			signed_in;

	(void)req;
	signed_in = page_user_of(mr, NULL, &u);
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

int
pages_error(struct http_request *req, struct medex_req *mr, int status,
    const char *message)
{
	if (status == 503 || status == 429)
		http_response_header(req, "retry-after", RETRY_AFTER_SECONDS);
	page_body_error(req, mr, status, page_status_title(status), message);
	return (medex_respond(req, mr, mr->status, mr->content_type,
	    mr->body.data, mr->body.len));
}

static void
page_redirect(struct http_request *req, struct medex_req *mr,
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
 * on_api_result of a refused call (status and JSON error in mr->body):
 * a session that is over goes to the sign-in page; anything else is a
 * page that says what happened in words.
 */
void
pages_refused(struct http_request *req, struct medex_req *mr)
{
	json_t		*j;
	const char	*code, *message;
	char		 msg[512];
	int		 status;

	status = mr->status;
	if (status == 401) {
		auth_set_cookie(req, "", 0);
		page_redirect(req, mr, "/login");
		return;
	}
	code = message = NULL;
	msg[0] = '\0';
	if ((j = json_loadb(mr->body.data, mr->body.len, 0, NULL)) != NULL) {
		code = json_string_value(json_object_get(json_object_get(j,
		    "error"), "code"));
		message = json_string_value(json_object_get(json_object_get(j,
		    "error"), "message"));
		if (message != NULL)
			kore_strlcpy(msg, message, sizeof(msg));
		if (code != NULL && strcmp(code, "csrf_failed") == 0)
			kore_strlcpy(msg, "This form had expired. Go back, "
			    "reload the page and try again.", sizeof(msg));
		json_decref(j);
	}
	page_body_error(req, mr, status, page_status_title(status),
	    msg[0] != '\0' ? msg : NULL);
}

static void
page_state_free(void *arg)
{
	struct page_state	*ps = arg;
	int			 i;

	for (i = 0; i < ps->n; i++)
		kore_free(ps->params[i]);
	kore_free(ps);
}

/*
 * A signed-in page: api_me, then sql with its n extra parameters (or
 * nothing when sql is NULL), then render() with the JSON of the last
 * call and the body to write the page into.
 */
static int
page_signed_in(struct http_request *req, struct medex_req *mr,
    const char *sql, int n, const char **params, page_render render)
{
	struct page_state	*ps;
	int			 i;

	ps = kore_calloc(1, sizeof(*ps));
	ps->sql = sql;
	ps->n = n;
	for (i = 0; i < n && i < 4; i++)
		ps->params[i] = params[i] != NULL ? kore_strdup(params[i]) :
		    NULL;
	ps->render = render;
	mr->step_data = ps;
	mr->step_free = page_state_free;
	mr->on_api_result = page_me_cb;
	mr->on_complete = page_second_call;
	return (api_call(req, mr, sql_me, 0, NULL));
}

static void
page_me_cb(struct http_request *req, struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;
	json_t			*j;
	const char		*name;

	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	if ((j = json_loadb(mr->body.data, mr->body.len, 0, NULL)) != NULL) {
		if ((name = json_string_value(json_object_get(j,
		    "display_name"))) != NULL)
			kore_strlcpy(ps->display_name, name,
			    sizeof(ps->display_name));
		json_decref(j);
	}
}

static int
page_second_call(struct http_request *req, struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;

	if (mr->status != 200)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	if (ps->sql == NULL) {
		page_render_cb(req, mr);
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	mr->status = 0;
	mr->on_api_result = page_render_cb;
	return (api_call(req, mr, ps->sql, ps->n,
	    (const char **)ps->params));
}

static void
page_render_cb(struct http_request *req, struct medex_req *mr)
{
	struct page_state	*ps = mr->step_data;
	json_t			*j;

	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	j = json_loadb(mr->body.data, mr->body.len, 0, NULL);
	sbuf_reset(&mr->body);
	ps->render(req, mr, j, &mr->body);
	if (j != NULL)
		json_decref(j);
	mr->status = 200;
	mr->content_type = HTML_TYPE;
}

/* The header's user for a page of page_signed_in(). */
static void
page_open(struct medex_req *mr, struct sbuf *sb, const char *title,
    enum page_nav nav)
{
	struct page_state	*ps = mr->step_data;
	struct page_user	 u;

	if (page_user_of(mr, ps->display_name, &u))
		page_begin(sb, title, 0, &u, nav);
	else
		page_begin(sb, title, 0, NULL, nav);
}

/* GET /: each role's first page. */
static void
render_home(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	struct page_state	*ps = mr->step_data;

	(void)req;
	(void)j;
	page_open(mr, sb, "Your account", NAV_NONE);
	page_h1(sb, mr->claims.office, "Your account");
	html_raw(sb, "<dl class=\"nhsuk-summary-list\">"
	    "<div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">Name</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, ps->display_name);
	html_raw(sb, "</dd></div><div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">Username</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, mr->claims.sub);
	html_raw(sb, "</dd></div><div class=\"nhsuk-summary-list__row\">"
	    "<dt class=\"nhsuk-summary-list__key\">Office</dt>"
	    "<dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, mr->claims.office);
	html_raw(sb, "</dd></div></dl>");
	page_p(sb, "Monthly figures for your office are published as "
	    "exports; they hold no identifiable case data.");
	page_end(sb);
}

int
pages_home(struct http_request *req, struct medex_req *mr)
{
	enum role	role;

	if (role_from_str(mr->claims.role, &role) != 0)
		return (pages_error(req, mr, 403, NULL));
	if (role_in(RB_CASE_READERS, role)) {
		page_redirect(req, mr, "/cases");
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	if (role == ROLE_ADMIN) {
		page_redirect(req, mr, "/admin/users");
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	return (page_signed_in(req, mr, NULL, 0, NULL, render_home));
}

/* The sign-in form, with what was typed (never the password). */
static void
login_page_body(struct medex_req *mr, const char *username,
    const struct page_error *errs, size_t nerrs)
{
	struct page_input	in;
	const char		*uerr, *perr;
	size_t			 i;

	uerr = perr = NULL;
	for (i = 0; i < nerrs; i++) {
		if (strcmp(errs[i].field, "username") == 0)
			uerr = errs[i].message;
		if (strcmp(errs[i].field, "password") == 0)
			perr = errs[i].message;
	}
	sbuf_reset(&mr->body);
	page_begin(&mr->body, "Sign in", nerrs > 0, NULL, NAV_NONE);
	html_raw(&mr->body, "<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-two-thirds\">");
	page_error_summary(&mr->body, errs, nerrs);
	page_h1(&mr->body, NULL, "Sign in to medex");
	html_raw(&mr->body, "<form action=\"/login\" method=\"post\" "
	    "novalidate>");
	memset(&in, 0, sizeof(in));
	in.id = "username";
	in.label = "Username";
	in.value = username;
	in.autocomplete = "username";
	in.error = uerr;
	in.width = "20";
	page_field(&mr->body, &in);
	memset(&in, 0, sizeof(in));
	in.id = "password";
	in.label = "Password";
	in.type = "password";
	in.autocomplete = "current-password";
	in.error = perr;
	in.width = "20";
	page_field(&mr->body, &in);
	page_button(&mr->body, "Sign in");
	html_raw(&mr->body, "</form></div></div>");
	page_end(&mr->body);
	mr->content_type = HTML_TYPE;
}

int
pages_login_form(struct http_request *req, struct medex_req *mr)
{
	login_page_body(mr, NULL, NULL, 0);
	return (medex_respond(req, mr, 200, HTML_TYPE, mr->body.data,
	    mr->body.len));
}

/*
 * After login_finish (or the throttle check): 200 is signed in, with
 * the cookie set, and goes to the start page; 401 and 429 show the form
 * again.  Only prepares the answer: the login steps send it.
 */
static void
login_done(struct http_request *req, struct medex_req *mr)
{
	static const struct page_error	bad[] = { { "username",
		"The username or password is not right" } };
	static const struct page_error	slow[] = { { "username",
		"Too many failed sign-ins: wait 15 minutes, then try again" } };

	if (mr->status == 200) {
		page_redirect(req, mr, "/");
		return;
	}
	login_page_body(mr, form_get(mr->form, "username"),
	    mr->status == 429 ? slow : bad, 1);
}

int
pages_login(struct http_request *req, struct medex_req *mr)
{
	struct page_error	 errs[2];
	size_t			 n;
	const char		*u, *p;

	u = form_get(mr->form, "username");
	p = form_get(mr->form, "password");
	n = 0;
	if (u == NULL || *u == '\0') {
		errs[n].field = "username";
		errs[n++].message = "Enter your username";
	}
	if (p == NULL || *p == '\0') {
		errs[n].field = "password";
		errs[n++].message = "Enter your password";
	}
	if (n > 0) {
		login_page_body(mr, u, errs, n);
		return (medex_respond(req, mr, 422, HTML_TYPE, mr->body.data,
		    mr->body.len));
	}
	return (auth_login_start(req, mr, u, p, login_done));
}

/* POST /logout: the session ends (CSRF checked by api_logout). */
static void
logout_done(struct http_request *req, struct medex_req *mr)
{
	if (mr->status != 204) {
		pages_refused(req, mr);
		return;
	}
	auth_set_cookie(req, "", 0);
	page_redirect(req, mr, "/login");
}

int
pages_logout(struct http_request *req, struct medex_req *mr)
{
	mr->on_api_result = logout_done;
	return (api_call(req, mr, sql_logout, 0, NULL));
}

/* GET /cases: the office's work queue (pages_cases.c). */
int
pages_cases(struct http_request *req, struct medex_req *mr)
{
	return (pages_case_list(req, mr));
}

/* GET /admin/offices (admin). */
static void
render_offices(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	static const char *const heads[] = { "Code", "Name", "Target (days)" };
	const char	*cells[3];
	char		 days[24];
	json_t		*items, *o;
	size_t		 i;

	(void)req;
	page_open(mr, sb, "Offices", NAV_OFFICES);
	page_h1(sb, NULL, "Offices");
	items = json_object_get(j, "items");
	if (json_array_size(items) == 0) {
		page_inset(sb, "There are no offices yet.");
	} else {
		page_table_begin(sb, "Medical examiner offices", heads, 3);
		json_array_foreach(items, i, o) {
			snprintf(days, sizeof(days), "%lld", (long long)
			    json_integer_value(json_object_get(o,
			    "target_days")));
			cells[0] = json_string_value(json_object_get(o, "code"));
			cells[1] = json_string_value(json_object_get(o, "name"));
			cells[2] = days;
			page_table_row(sb, cells, NULL, 3);
		}
		page_table_end(sb);
	}
	page_end(sb);
}

int
pages_offices(struct http_request *req, struct medex_req *mr)
{
	const char	*params[2] = { "200", NULL };

	return (page_signed_in(req, mr, sql_office_list, 2, params,
	    render_offices));
}

/* GET /admin/users (admin: all; lead ME: their office). */
static void
render_users(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	static const char *const heads[] = { "Username", "Name", "Role",
	    "Office", "Status" };
	const char	*cells[5], *r;
	json_t		*items, *o;
	enum role	 role;
	size_t		 i;

	(void)req;
	page_open(mr, sb, "Users", NAV_USERS);
	page_h1(sb, NULL, "Users");
	items = json_object_get(j, "items");
	if (json_array_size(items) == 0) {
		page_inset(sb, "There are no users yet.");
	} else {
		page_table_begin(sb, "Users and their roles", heads, 5);
		json_array_foreach(items, i, o) {
			r = json_string_value(json_object_get(o, "role"));
			cells[0] = json_string_value(json_object_get(o,
			    "username"));
			cells[1] = json_string_value(json_object_get(o,
			    "display_name"));
			cells[2] = r != NULL && role_from_str(r, &role) == 0 ?
			    role_label(role) : r;
			cells[3] = json_string_value(json_object_get(o,
			    "office"));
			cells[4] = json_is_true(json_object_get(o,
			    "disabled")) ? "Disabled" : "Active";
			page_table_row(sb, cells, NULL, 5);
		}
		page_table_end(sb);
	}
	page_end(sb);
}

int
pages_users(struct http_request *req, struct medex_req *mr)
{
	const char	*params[2] = { "200", NULL };

	return (page_signed_in(req, mr, sql_user_list, 2, params,
	    render_users));
}

/*
 * Static files: every file of assets/vendor/ (and its images/) with a
 * known type is read once, in the parent, so that workers serve from
 * memory and never open a path that a request named.
 */
static const char *
asset_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
	};
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(name, '.')) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(dot, types[i][0]) == 0)
			return (types[i][1]);
	}
	return (NULL);
}

static void
assets_load_dir(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	struct asset	*a;
	char		 path[1024];
	const char	*type;
	ssize_t		 r;
	int		 fd;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && assets_n < ASSETS_MAX) {
		/* Longer names could never be asked for (route_match.h). */
		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= ROUTE_CAPTURE_LEN ||
		    (type = asset_type(de->d_name)) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
			continue;
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_size <= 0 || st.st_size > ASSET_SIZE_MAX) {
			close(fd);
			continue;
		}
		a = &assets[assets_n];
		if ((size_t)snprintf(a->name, sizeof(a->name), "%s%.*s", prefix,
		    ROUTE_CAPTURE_LEN - 1, de->d_name) >= sizeof(a->name)) {
			close(fd);
			continue;
		}
		a->type = type;
		a->len = (size_t)st.st_size;
		a->data = kore_malloc(a->len);
		r = read(fd, a->data, a->len);
		close(fd);
		if (r != (ssize_t)a->len) {
			kore_free(a->data);
			continue;
		}
		assets_n++;
	}
	closedir(d);
}

void
pages_assets_load(const char *dir)
{
	char	images[1024];

	if (dir == NULL) {
		kore_log(LOG_NOTICE, "medex: no assets_dir; pages unstyled");
		return;
	}
	assets_load_dir(dir, "");
	snprintf(images, sizeof(images), "%s/images", dir);
	assets_load_dir(images, "images/");
	if (assets_n == 0)
		kore_log(LOG_NOTICE, "medex: no assets in %s (make builds "
		    "them)", dir);
}

int
pages_asset(struct http_request *req, struct medex_req *mr)
{
	char	name[sizeof(mr->cap.value[0]) + 8];
	size_t	i;

	snprintf(name, sizeof(name), "%s%s",
	    mr->route->id == R_ASSET_IMAGE ? "images/" : "", mr->cap.value[0]);
	for (i = 0; i < assets_n; i++) {
		if (strcmp(assets[i].name, name) != 0)
			continue;
		mr->cache_control = "public, max-age=300";
		return (medex_respond(req, mr, 200, assets[i].type,
		    assets[i].data, assets[i].len));
	}
	return (pages_error(req, mr, 404, NULL));
}

/* For pages_cases.c: the same redirect and header user as here. */
void
pages_redirect(struct http_request *req, struct medex_req *mr,
    const char *location)
{
	page_redirect(req, mr, location);
}

int
pages_user(struct medex_req *mr, const char *display_name,
    struct page_user *u)
{
	return (page_user_of(mr, display_name, u));
}
