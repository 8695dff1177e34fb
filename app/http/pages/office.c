/*
 * GET /office: the lead medical examiner's office overview (issue 6):
 * the office's cases by state, how many are open and overdue, and per
 * examiner the open and overdue cases, each a link to the work queue
 * filtered the same way.
 *
 * One database call: api_office_overview (sql/pages.sql)
 * checks the session and the role (lead ME only, 403 otherwise) and
 * answers the counts of the caller's own office, with the display name
 * for the header.  The page is written through page.h only.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "handlers.h"
#include "case_state.h"
#include "html_writer.h"
#include "json_reader.h"
#include "page.h"
#include "page_frame.h"


static const char sql_overview[] =
    "SELECT * FROM api_office_overview($1, $2, $3, $4, $5, $6)";

static void	office_render(struct http_request *, struct medex_req *);

static const char *
ov_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static void
ov_count(json_t *o, const char *key, char *buf, size_t len)
{
	snprintf(buf, len, "%lld",
	    (long long)json_integer_value(json_object_get(o, key)));
}

/* The table of states: each a link to its queue. */
static void
office_states(struct sbuf *sb, json_t *states)
{
	static const char *const heads[] = { "State", "Cases" };
	const char	*cells[2], *links[2], *s;
	char		 n[32], href[64];
	enum case_state	 st;
	json_t		*x;
	size_t		 i;

	page_table_begin(sb, "Cases by state", heads, 2);
	json_array_foreach(states, i, x) {
		s = ov_str(x, "state");
		if (s == NULL || case_state_from_str(s, &st) != 0)
			continue;
		ov_count(x, "count", n, sizeof(n));
		snprintf(href, sizeof(href), "/cases?state=%s",
		    case_state_str(st));
		cells[0] = case_state_label(st);
		cells[1] = n;
		links[0] = href;
		links[1] = NULL;
		page_table_row(sb, cells, links, 2);
	}
	page_table_end(sb);
}

/* Open and overdue cases per examiner, and those with no examiner. */
static void
office_examiners(struct sbuf *sb, json_t *j)
{
	static const char *const heads[] = { "Examiner", "Open cases",
	    "Overdue" };
	const char	*cells[3], *links[3], *name;
	char		 open[32], overdue[32], label[300], href[128];
	json_t		*x;
	size_t		 i;

	page_table_begin(sb, "Open cases by medical examiner", heads, 3);
	links[1] = links[2] = NULL;
	json_array_foreach(json_object_get(j, "examiners"), i, x) {
		if (ov_str(x, "username") == NULL)
			continue;
		name = ov_str(x, "display_name") != NULL ?
		    ov_str(x, "display_name") : ov_str(x, "username");
		snprintf(label, sizeof(label), "%s%s", name,
		    json_is_true(json_object_get(x, "disabled")) ?
		    " (disabled)" : "");
		snprintf(href, sizeof(href), "/cases?examiner=%s",
		    ov_str(x, "username"));
		ov_count(x, "open", open, sizeof(open));
		ov_count(x, "overdue", overdue, sizeof(overdue));
		cells[0] = label;
		cells[1] = open;
		cells[2] = overdue;
		links[0] = href;
		page_table_row(sb, cells, links, 3);
	}
	ov_count(j, "unassigned", open, sizeof(open));
	ov_count(j, "unassigned_overdue", overdue, sizeof(overdue));
	cells[0] = "Not assigned";
	cells[1] = open;
	cells[2] = overdue;
	links[0] = "/cases?unassigned=true";
	page_table_row(sb, cells, links, 3);
	page_table_end(sb);
}

static void
office_body(struct medex_req *mr, json_t *j, struct sbuf *sb)
{
	struct page_user	 u;
	char			 line[256], open[32], overdue[32];

	memset(&u, 0, sizeof(u));
	u.username = mr->claims.sub;
	u.display_name = ov_str(j, "display_name");
	u.office = mr->claims.office;
	u.csrf = mr->page_csrf;
	u.role = ROLE_LEAD_MEDICAL_EXAMINER;
	page_begin(sb, "Office overview", 0, &u, NAV_OFFICE);
	page_h1(sb, ov_str(j, "office_name") != NULL ?
	    ov_str(j, "office_name") : mr->claims.office, "Office overview");
	ov_count(j, "open", open, sizeof(open));
	ov_count(j, "overdue", overdue, sizeof(overdue));
	snprintf(line, sizeof(line), "%s open cases, %s overdue (past the "
	    "deadline and not yet through scrutiny).", open, overdue);
	page_p(sb, line);
	html_raw(sb, "<p class=\"nhsuk-body\"><a href=\"/cases?overdue=true\">"
	    "See the overdue cases</a></p>");
	html_raw(sb, "<p class=\"nhsuk-body\"><a href=\"/office/import\">"
	    "Import cases from a spreadsheet</a></p>");
	office_examiners(sb, j);
	office_states(sb, json_object_get(j, "states"));
	page_end(sb);
}

static void
office_render(struct http_request *req, struct medex_req *mr)
{
	json_t	*j;

	if (mr->status != 200) {
		pages_refused(req, mr);
		return;
	}
	j = jr_load(mr->body.data, mr->body.len);
	if (j == NULL || !json_is_array(json_object_get(j, "examiners"))) {
		if (j != NULL)
			json_decref(j);
		mr->status = 500;
		pages_refused(req, mr);
		return;
	}
	sbuf_reset(&mr->body);
	office_body(mr, j, &mr->body);
	json_decref(j);
	mr->status = mr->body.oom ? 500 : 200;
	mr->content_type = HTML_TYPE;
}

int
pages_office(struct http_request *req, struct medex_req *mr)
{
	mr->on_api_result = office_render;
	return (api_call(req, mr, sql_overview, 0, NULL));
}
