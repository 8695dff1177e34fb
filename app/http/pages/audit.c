/*
 * GET /audit (lead ME): the office's audit, read with the API's own
 * call (api_audit, sql/audit.sql) and the query string prepared the
 * same way (audit_prepare, api_audit.c).  A filter form (case, user,
 * kind, searched text, from, to) answers "who looked at this case"
 * (case and kind viewed) and "who searched for this name" (kind search
 * and the name).  Each event is a row of a responsive table, newest
 * first, with "Older events" for the next page.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api_audit.h"
#include "case_parts.h"
#include "handlers.h"
#include "html_writer.h"
#include "page.h"
#include "page_frame.h"
#include "query.h"
#include "respond.h"
#include "signed_in.h"

/* The kinds offered in the form; any other can still be typed in the URL. */
static const char *const kinds[][2] = {
	{ "", "Any" },
	{ "viewed", "Case viewed" },
	{ "printed", "Case printed" },
	{ "created", "Case created" },
	{ "updated", "Case details changed" },
	{ "transition", "Case state changed" },
	{ "search", "Search" },
	{ "login", "Signed in" },
	{ "login_failed", "Sign-in failed" },
	{ "login_throttled", "Sign-in throttled" },
	{ "refused", "Refused" },
	{ "password_changed", "Password changed" },
	{ "export", "Figures exported" },
};

static const char *
kind_label(const char *k)
{
	size_t	i;

	if (k == NULL)
		return ("");
	for (i = 1; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i][0], k) == 0)
			return (kinds[i][1]);
	}
	return (k);
}

static void
filter_input(struct sbuf *sb, struct http_request *req, const char *id,
    const char *label, const char *hint, const char *width)
{
	struct page_input	in;
	char			v[400];

	if (query_get(req->query_string, id, v, sizeof(v)) != QUERY_FOUND)
		v[0] = '\0';
	memset(&in, 0, sizeof(in));
	in.id = id;
	in.label = label;
	in.hint = hint;
	in.value = v;
	in.width = width;
	page_field(sb, &in);
}

static void
filter_form(struct sbuf *sb, struct http_request *req)
{
	char	cur[48];
	size_t	i;

	if (query_get(req->query_string, "kind", cur, sizeof(cur)) !=
	    QUERY_FOUND)
		cur[0] = '\0';
	html_raw(sb, "<form action=\"/audit\" method=\"get\" novalidate>"
	    "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-"
	    "fieldset__legend nhsuk-fieldset__legend--s\">Filter the events"
	    "</legend>");
	filter_input(sb, req, "case", "Case number", NULL, "10");
	filter_input(sb, req, "user", "Username", "Who did it", "20");
	html_raw(sb, "<div class=\"nhsuk-form-group\"><label class=\"nhsuk-"
	    "label\" for=\"kind\">What happened</label><select class=\"nhsuk-"
	    "select\" id=\"kind\" name=\"kind\">");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		html_start(sb, "option");
		html_attr(sb, "value", kinds[i][0]);
		if (strcmp(cur, kinds[i][0]) == 0)
			html_raw(sb, " selected");
		html_end(sb);
		html_text(sb, kinds[i][1]);
		html_raw(sb, "</option>");
	}
	html_raw(sb, "</select></div>");
	filter_input(sb, req, "q", "Searched for",
	    "A name or NHS number that someone searched for", "20");
	filter_input(sb, req, "from", "From", "A date, for example "
	    "2026-12-01", "10");
	filter_input(sb, req, "to", "To", "A date, for example 2026-12-04",
	    "10");
	html_raw(sb, "</fieldset>");
	page_button(sb, "Show events");
	html_raw(sb, "</form>");
}

/* One cell of the responsive table, with its heading for small screens. */
static void
cell(struct sbuf *sb, const char *head, const char *text, const char *href)
{
	html_raw(sb, "<td role=\"cell\" class=\"nhsuk-table__cell\">"
	    "<span class=\"nhsuk-table-responsive__heading\" "
	    "aria-hidden=\"true\">");
	html_text(sb, head);
	html_raw(sb, " </span>");
	if (href != NULL) {
		html_start(sb, "a");
		html_attr(sb, "href", href);
		html_end(sb);
	}
	html_text(sb, text != NULL ? text : "");
	if (href != NULL)
		html_raw(sb, "</a>");
	html_raw(sb, "</td>");
}

static void
render_audit(struct http_request *req, struct medex_req *mr, json_t *j,
    struct sbuf *sb)
{
	static const char *const heads[] = { "When", "Who", "What", "Case",
	    "Detail" };
	json_t		*items, *e, *d;
	const char	*next, *name, *q, *to, *target;
	char		 when[64], who[400], href[64], detail[600], more[900];
	char		 qs[600];
	size_t		 i;

	page_open(mr, sb, "Audit", NAV_AUDIT);
	page_h1(sb, mr->claims.office, "Audit");
	page_p(sb, "Who looked at a case, who searched for a name, and "
	    "sign-ins and refusals of this office's users, newest first.");
	filter_form(sb, req);
	items = json_object_get(j, "items");
	if (json_array_size(items) == 0) {
		page_inset(sb, "No events match these filters.");
		page_end(sb);
		return;
	}
	html_raw(sb, "<table role=\"table\" class=\"nhsuk-table-responsive\">"
	    "<caption class=\"nhsuk-table__caption\">Events</caption>"
	    "<thead role=\"rowgroup\" class=\"nhsuk-table__head\">"
	    "<tr role=\"row\">");
	for (i = 0; i < 5; i++) {
		html_raw(sb, "<th role=\"columnheader\" scope=\"col\">");
		html_text(sb, heads[i]);
		html_raw(sb, "</th>");
	}
	html_raw(sb, "</tr></thead><tbody class=\"nhsuk-table__body\">");
	json_array_foreach(items, i, e) {
		cp_time(cp_str(e, "at"), when, sizeof(when));
		name = cp_str(e, "actor_display_name");
		if (name != NULL)
			snprintf(who, sizeof(who), "%s (%s)", name,
			    cp_str(e, "actor") != NULL ? cp_str(e, "actor") :
			    "");
		else
			snprintf(who, sizeof(who), "%s", cp_str(e, "actor") !=
			    NULL ? cp_str(e, "actor") : "Unknown");
		d = json_object_get(e, "detail");
		detail[0] = '\0';
		if ((q = json_string_value(json_object_get(d, "q"))) != NULL)
			snprintf(detail, sizeof(detail), "Searched for \"%s\"",
			    q);
		else if ((to = json_string_value(json_object_get(d,
		    "to"))) != NULL)
			snprintf(detail, sizeof(detail), "To %s", to);
		else if ((target = json_string_value(json_object_get(d,
		    "target"))) != NULL)
			snprintf(detail, sizeof(detail), "%s", target);
		html_raw(sb, "<tr role=\"row\" class=\"nhsuk-table__row\">");
		cell(sb, heads[0], when, NULL);
		cell(sb, heads[1], who, NULL);
		cell(sb, heads[2], kind_label(cp_str(e, "kind")), NULL);
		if (cp_str(e, "case_id") != NULL) {
			snprintf(href, sizeof(href), "/cases/%s",
			    cp_str(e, "case_id"));
			cell(sb, heads[3], cp_str(e, "case_id"), href);
		} else
			cell(sb, heads[3], "", NULL);
		cell(sb, heads[4], detail, NULL);
		html_raw(sb, "</tr>");
	}
	html_raw(sb, "</tbody></table>");
	if ((next = json_string_value(json_object_get(j, "next_cursor"))) !=
	    NULL) {
		/* The same filters, the next page. */
		snprintf(qs, sizeof(qs), "%s", req->query_string != NULL ?
		    req->query_string : "");
		if (strstr(qs, "cursor=") != NULL)
			*strstr(qs, "cursor=") = '\0';
		snprintf(more, sizeof(more), "/audit?%s%scursor=%s", qs,
		    qs[0] != '\0' && qs[strlen(qs) - 1] != '&' ? "&" : "",
		    next);
		html_raw(sb, "<p class=\"nhsuk-body\">");
		html_start(sb, "a");
		html_attr(sb, "href", more);
		html_end(sb);
		html_raw(sb, "Older events</a></p>");
	}
	page_end(sb);
}

int
pages_audit(struct http_request *req, struct medex_req *mr)
{
	struct audit_q	 q;
	const char	*why;
	int		 ret;

	if ((why = audit_prepare(req, &q)) != NULL)
		return (pages_error(req, mr, 400, why));
	ret = page_signed_in(req, mr, AUDIT_SQL, 3, q.params, render_audit);
	audit_q_free(&q);
	return (ret);
}
