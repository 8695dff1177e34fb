/*
 * GET /cases: the work queue, its filters, search and sort.  Each is
 * the API's list (api_case_list) with the parameters prepared by the
 * same code (case_list_prepare, api_cases.c), with the reader (api_me)
 * and the office's counts (api_case_summary) in the same round trip.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api_cases.h"
#include "case_parts.h"
#include "case_state.h"
#include "handlers.h"
#include "html_writer.h"
#include "page.h"
#include "page_call.h"
#include "query.h"
#include "respond.h"

static const char sql_summary[] =
    "SELECT * FROM api_case_summary($1, $2, $3, $4, $5, $6)";

/*
 * The work queues.  The filters are API.md's (state,
 * unassigned, overdue, q, sort), passed through case_list_prepare()
 * as the API takes them; "my cases" is examiner= or officer= for the
 * user, "bereaved contact needed" awaiting=bereaved (api_case_summary's
 * awaiting_bereaved: in scrutiny, nobody reached, not exhausted).
 */
static const struct {
	const char	*label;
	const char	*query;
} queues[] = {
	{ "All cases", "" },
	{ "My cases", "mine=true" },
	{ "Waiting for an examiner", "unassigned=true" },
	{ "Bereaved contact needed", "need=bereaved" },
	{ "Overdue", "overdue=true" },
};

static void
render_list(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	static const char *const sorts[][2] = { { "newest", "Newest" },
	    { "oldest", "Oldest" }, { "urgency", "Most urgent" } };
	json_t		*items, *k;
	const char	*cur;
	char		 name[600], nhs[32], dl[64], href[256];
	size_t		 i;
	int		 s;
	enum case_state	 st;

	cur = pc->to;	/* the queue's query, set by the handler */
	pc_begin(mr, pc, sb, "Cases", 0);
	html_raw(sb, "<span class=\"nhsuk-caption-l\">");
	html_text(sb, mr->claims.office);
	html_raw(sb, "</span><h1 class=\"nhsuk-heading-l\">Cases</h1>");
	if (role_may(mr, R_CASES_CREATE))
		html_raw(sb, "<p class=\"nhsuk-body\">"
		    "<a class=\"nhsuk-button\" href=\"/cases/new\" "
		    "role=\"button\" draggable=\"false\">"
		    "Add a new case</a></p>");
	if (pc->summary != NULL) {
		snprintf(name, sizeof(name), "%lld open, %lld overdue, "
		    "%lld waiting for an examiner, %lld waiting for bereaved "
		    "contact.",
		    (long long)json_integer_value(json_object_get(pc->summary,
		    "open")),
		    (long long)json_integer_value(json_object_get(pc->summary,
		    "overdue")),
		    (long long)json_integer_value(json_object_get(pc->summary,
		    "unassigned")),
		    (long long)json_integer_value(json_object_get(pc->summary,
		    "awaiting_bereaved")));
		page_p(sb, name);
	}

	/* Search: GET ?q=, the office's cases only (api_case_list). */
	html_raw(sb, "<form action=\"/cases\" method=\"get\" "
	    "class=\"nhsuk-u-margin-bottom-4\" role=\"search\">"
	    "<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" "
	    "for=\"q\">Search by name or NHS number</label>");
	html_raw(sb, "<input class=\"nhsuk-input nhsuk-input--width-20\" "
	    "id=\"q\" name=\"q\" type=\"search\"");
	if (pc->errors != NULL && cp_str(pc->errors, "q") != NULL)
		html_attr(sb, "value", cp_str(pc->errors, "q"));
	html_raw(sb, "></div><button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Search</button>"
	    "</form>");

	html_raw(sb, "<nav aria-label=\"Work queues\"><ul "
	    "class=\"nhsuk-list\">");
	for (i = 0; i < sizeof(queues) / sizeof(queues[0]); i++) {
		snprintf(href, sizeof(href), "/cases%s%s",
		    queues[i].query[0] != '\0' ? "?" : "", queues[i].query);
		html_raw(sb, "<li>");
		cp_link(sb, href, queues[i].label,
		    strcmp(cur, queues[i].query) == 0);
		html_raw(sb, "</li>");
	}
	html_raw(sb, "</ul></nav><details class=\"nhsuk-details\">"
	    "<summary class=\"nhsuk-details__summary\"><span "
	    "class=\"nhsuk-details__summary-text\">By state</span>"
	    "</summary><div class=\"nhsuk-details__text\"><ul "
	    "class=\"nhsuk-list\">");
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		st = (enum case_state)s;
		snprintf(href, sizeof(href), "/cases?state=%s",
		    case_state_str(st));
		html_raw(sb, "<li>");
		cp_link(sb, href, case_state_label(st),
		    strcmp(cur, href + 7) == 0);
		html_raw(sb, "</li>");
	}
	html_raw(sb, "</ul></div></details>");

	html_raw(sb, "<p class=\"nhsuk-body\">Sort: ");
	for (s = 0; s < 3; s++) {
		snprintf(href, sizeof(href), "/cases?%s%ssort=%s", cur,
		    cur[0] != '\0' ? "&" : "", sorts[s][0]);
		if (s > 0)
			html_raw(sb, " | ");
		cp_link(sb, href, sorts[s][1], 0);
	}
	html_raw(sb, "</p>");

	items = json_object_get(pc->list, "items");
	if (json_array_size(items) == 0) {
		page_inset(sb, "There are no cases in this work queue.");
	} else {
		html_raw(sb, "<table class=\"nhsuk-table\"><caption "
		    "class=\"nhsuk-table__caption\">Cases</caption><thead "
		    "class=\"nhsuk-table__head\">"
		    "<tr class=\"nhsuk-table__row\">"
		    "<th scope=\"col\" class=\"nhsuk-table__header\">Name</th>"
		    "<th scope=\"col\" class=\"nhsuk-table__header\">NHS "
		    "number</th>"
		    "<th scope=\"col\" class=\"nhsuk-table__header\">"
		    "State</th><th scope=\"col\" class=\"nhsuk-table__header\">"
		    "Deadline</th><th scope=\"col\" "
		    "class=\"nhsuk-table__header\">Examiner</th></tr></thead>"
		    "<tbody class=\"nhsuk-table__body\">");
		json_array_foreach(items, i, k) {
			cp_name(k, name, sizeof(name));
			cp_nhs(cp_str(k, "nhs_number"), nhs, sizeof(nhs));
			cp_time(cp_str(k, "deadline"), dl, sizeof(dl));
			snprintf(href, sizeof(href), "/cases/%s",
			    cp_str(k, "id") != NULL ? cp_str(k, "id") : "0");
			html_raw(sb, "<tr class=\"nhsuk-table__row\"><th "
			    "scope=\"row\" class=\"nhsuk-table__cell\">");
			cp_link(sb, href, name, 0);
			html_raw(sb, "</th><td class=\"nhsuk-table__cell\">");
			html_text(sb, nhs);
			html_raw(sb, "</td><td class=\"nhsuk-table__cell\">");
			cp_state_tag(sb, cp_str(k, "state"));
			html_raw(sb, "</td><td class=\"nhsuk-table__cell\">");
			html_text(sb, dl);
			if (json_is_true(json_object_get(k, "overdue")))
				html_raw(sb, " <strong class=\"nhsuk-tag "
				    "nhsuk-tag--red\">Overdue</strong>");
			html_raw(sb, "</td><td class=\"nhsuk-table__cell\">");
			html_text(sb, cp_str(k, "examiner") != NULL ?
			    cp_str(k, "examiner") : "Not assigned");
			html_raw(sb, "</td></tr>");
		}
		html_raw(sb, "</tbody></table>");
	}
	page_end(sb);
}

int
pages_case_list(struct http_request *req, struct medex_req *mr)
{
	struct case_list_q	 l;
	struct pc		*pc;
	const char		*err;
	char			 buf[16], q[400];
	enum role		 role;

	if ((err = case_list_prepare(req, &l)) != NULL)
		return (pages_error(req, mr, 400, err));
	pc = pc_new(mr);
	role = pc_role(mr);
	pc->to[0] = '\0';
	if (query_get(req->query_string, "mine", buf, sizeof(buf)) ==
	    QUERY_FOUND && strcmp(buf, "true") == 0) {
		if (role == ROLE_MEDICAL_EXAMINER ||
		    role == ROLE_LEAD_MEDICAL_EXAMINER)
			l.params[3] = mr->claims.sub;
		else
			l.params[4] = mr->claims.sub;
		kore_strlcpy(pc->to, "mine=true", sizeof(pc->to));
	} else if (query_get(req->query_string, "need", buf, sizeof(buf)) ==
	    QUERY_FOUND && strcmp(buf, "bereaved") == 0) {
		l.params[10] = "bereaved";
		kore_strlcpy(pc->to, "need=bereaved", sizeof(pc->to));
	} else if (l.params[5] != NULL && strcmp(l.params[5], "true") == 0) {
		kore_strlcpy(pc->to, "unassigned=true", sizeof(pc->to));
	} else if (l.params[6] != NULL && strcmp(l.params[6], "true") == 0) {
		kore_strlcpy(pc->to, "overdue=true", sizeof(pc->to));
	} else if (l.params[2] != NULL) {
		snprintf(pc->to, sizeof(pc->to), "state=%s", l.params[2]);
	}
	if (l.params[8] != NULL) {
		kore_strlcpy(q, l.params[8], sizeof(q));
		pc->errors = json_pack("{ss}", "q", q);
	}
	pc->render = render_list;
	pc_add_me(pc);
	pc_add(pc, sql_case_list, 11, l.params, &pc->list, 0);
	pc_add(pc, sql_summary, 0, NULL, &pc->summary, 1);
	return (pc_run(req, mr));
}
