/*
 * GET /admin/offices  the offices (admin)
 * GET /admin/users    the users (admin: all; lead ME: their office)
 */
#include <stdio.h>

#include <jansson.h>

#include "medex.h"
#include "handlers.h"
#include "page.h"
#include "signed_in.h"

static const char sql_office_list[] =
    "SELECT * FROM api_office_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";
static const char sql_user_list[] =
    "SELECT * FROM api_user_list($1, $2, $3, $4, $5, $6, $7::integer, $8)";

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
