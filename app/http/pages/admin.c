/*
 * GET /admin/offices  the offices (admin), each linking to its form
 *                     (pages/admin_offices.c)
 * GET /admin/users    the users (admin: all; lead ME: their office),
 *                     each linking to its page (pages/admin_users.c)
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "handlers.h"
#include "html_writer.h"
#include "validate.h"
#include "page.h"
#include "query.h"
#include "role.h"
#include "signed_in.h"

static const char sql_office_list[] =
    "SELECT * FROM api_office_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";
static const char sql_user_list[] =
    "SELECT * FROM api_user_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";

static void
admin_list_banner(struct sbuf *sb, const char *text)
{
	html_raw(sb, "<div class=\"nhsuk-notification-banner "
	    "nhsuk-notification-banner--success\" role=\"alert\" "
	    "aria-labelledby=\"done-title\"><div class="
	    "\"nhsuk-notification-banner__header\"><h2 class="
	    "\"nhsuk-notification-banner__title\" id=\"done-title\">Success"
	    "</h2></div><div class=\"nhsuk-notification-banner__content\">"
	    "<p class=\"nhsuk-notification-banner__heading\">");
	html_text(sb, text);
	html_raw(sb, "</p></div></div>");
}

/* GET /admin/offices (admin). */
static void
render_offices(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	static const char *const heads[] = { "Code", "Name", "Target (days)" };
	const char	*cells[3], *links[3];
	char		 days[24], href[64], done[24], msg[80];
	json_t		*items, *o;
	size_t		 i;

	page_open(mr, sb, "Offices", NAV_OFFICES);
	if (query_get(req->query_string, "done", done, sizeof(done)) ==
	    QUERY_FOUND && validate_office_code(done)) {
		snprintf(msg, sizeof(msg), "Office %s saved.", done);
		admin_list_banner(sb, msg);
	}
	page_h1(sb, NULL, "Offices");
	html_raw(sb, "<a class=\"nhsuk-button\" href=\"/admin/add-office\" "
	    "role=\"button\" draggable=\"false\">Add an office</a>");
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
			snprintf(href, sizeof(href), "/admin/offices/%s",
			    cells[0] != NULL ? cells[0] : "");
			links[0] = href;
			links[1] = links[2] = NULL;
			page_table_row(sb, cells, links, 3);
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
	const char	*cells[5], *links[5], *r;
	char		 href[96];
	json_t		*items, *o;
	enum role	 role;
	size_t		 i;

	(void)req;
	page_open(mr, sb, "Users", NAV_USERS);
	page_h1(sb, NULL, "Users");
	if (strcmp(mr->claims.role, "admin") == 0)
		html_raw(sb, "<a class=\"nhsuk-button\" "
		    "href=\"/admin/add-user\" role=\"button\" "
		    "draggable=\"false\">Add a user</a>");
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
			snprintf(href, sizeof(href), "/admin/users/%s",
			    cells[0] != NULL ? cells[0] : "");
			links[0] = href;
			links[1] = links[2] = links[3] = links[4] = NULL;
			page_table_row(sb, cells, links, 5);
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
