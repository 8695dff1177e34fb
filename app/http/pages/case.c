/*
 * GET /cases/{id}: the case page, and GET /cases/{id}/print, the same
 * without actions for printing.  The banners (a save just made, why a
 * case was withdrawn, closed or reopened, an urgent release waiting;
 * case_story.c), the deceased and the notification, the priority and
 * urgent release flags, the bereaved people to contact (case_record.c),
 * the scrutiny task list and what the reader can do now (case_tasks.c), the
 * records of the case (case_record.c) and the timeline (case_story.c).
 * One SQL call (api_page_case, or api_page_case_print, which records a
 * `printed` event instead of `viewed`; sql/pages.sql): the reader, the
 * case, its latest changes and the display names of the people named.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "medex.h"
#include "api_cases.h"
#include "case_actions.h"
#include "case_fields.h"
#include "case_parts.h"
#include "case_record.h"
#include "case_state.h"
#include "case_story.h"
#include "case_warnings.h"
#include "case_tasks.h"
#include "handlers.h"
#include "html_writer.h"
#include "page.h"
#include "page_call.h"
#include "query.h"

#define TIMELINE_MAX	"200"	/* changes on the case page */

/* Who, the case and its latest changes, checked once (sql/pages.sql). */
static const char sql_page_case[] =
    "SELECT * FROM api_page_case($1, $2, $3, $4, $5, $6, $7, $8::boolean, "
    "$9::boolean, $10::integer)";
/* Waiting pages' reads together (app/http/db_batch.c). */
static const char sql_page_case_batch[] =
    "SELECT * FROM api_page_case_batch($1::text[], $2::text[], $3::text[], "
    "$4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], "
    "$9::boolean[], $10::integer[])";
static const char sql_page_case_print[] =
    "SELECT * FROM api_page_case_print($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::boolean, $10::integer)";

/* The heading of the case, its state and deadline, and the banners. */
static void
case_top(struct medex_req *mr, struct pc *pc, struct sbuf *sb, int print)
{
	json_t	*k = pc->kase;
	const char	*st;
	char	 name[600], when[64], href[128];

	cp_name(k, name, sizeof(name));
	pc_begin(mr, pc, sb, print ? "Print: case" : name, 0);
	if (print) {
		snprintf(href, sizeof(href), "/cases/%s", pc->id);
		html_raw(sb, "<a class=\"nhsuk-back-link medex-no-print\"");
		html_attr(sb, "href", href);
		html_raw(sb, ">Back to the case</a>");
	} else
		html_raw(sb, "<a class=\"nhsuk-back-link\" href=\"/cases\">"
		    "Back to cases</a>");
	html_raw(sb, "<span class=\"nhsuk-caption-l\">Case ");
	html_text(sb, cp_str(k, "id"));
	html_raw(sb, "</span><h1 class=\"nhsuk-heading-l\">");
	html_text(sb, name);
	html_raw(sb, "</h1><p class=\"nhsuk-body\">");
	cp_state_tag(sb, cp_str(k, "state"));
	/*
	 * The deadline is the scrutiny target: shown while scrutiny is to
	 * come or under way, as the queue shows it, not once it has ended.
	 */
	st = cp_str(k, "state");
	if (st != NULL && (strcmp(st, "notified") == 0 ||
	    strcmp(st, "in_scrutiny") == 0)) {
		cp_time(cp_str(k, "deadline"), when, sizeof(when));
		html_raw(sb, " Scrutiny deadline: ");
		html_text(sb, when);
	}
	if (json_is_true(json_object_get(k, "overdue")))
		html_raw(sb, " <strong class=\"nhsuk-tag nhsuk-tag--red\">"
		    "Overdue</strong>");
	html_raw(sb, "</p>");
	cs_banners(sb, pc->page, print ? NULL : pc->banner);
	cw_callout(mr, sb, pc->kase, pc->id, !print &&
	    role_may(mr, R_CASES_WARNING_ACK));
	if (!print) {
		snprintf(href, sizeof(href), "/cases/%s/print", pc->id);
		html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
		html_start(sb, "a");
		html_attr(sb, "href", href);
		html_attr(sb, "id", "print-link");
		html_end(sb);
		html_raw(sb, "Print this case</a></p>");
	}
}

/* The officer, ME and lead ME change the details of an open case. */
static int
may_change(struct medex_req *mr, json_t *k)
{
	enum case_state	st;
	enum role	r = pc_role(mr);

	if (r != ROLE_OFFICER && r != ROLE_MEDICAL_EXAMINER &&
	    r != ROLE_LEAD_MEDICAL_EXAMINER)
		return (0);
	return (case_state_from_str(cp_str(k, "state"), &st) == 0 &&
	    !case_state_is_final(st));
}

/* GET /cases/{id}/print */
static void
render_print(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	json_t	*k = pc->kase, *names;

	names = json_object_get(pc->page, "names");
	case_top(mr, pc, sb, 1);
	cr_details(sb, k, names, NULL);
	cr_flags(sb, k);
	cr_people(sb, json_object_get(k, "representatives"));
	ct_tasks(mr, sb, k, NULL);
	cr_records(sb, k, names, NULL);
	cs_timeline(sb, pc->events, names);
	page_end(sb);
}

/* GET /cases/{id} */
static void
render_case(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	const struct act	*gov;
	json_t			*k = pc->kase, *names;
	char			 href[256];

	names = json_object_get(pc->page, "names");
	case_top(mr, pc, sb, 0);
	snprintf(href, sizeof(href), "/cases/%s/details", pc->id);
	cr_details(sb, k, names, may_change(mr, k) ? href : NULL);
	cr_flags(sb, k);
	cr_people(sb, json_object_get(k, "representatives"));

	ct_tasks(mr, sb, k, pc->id);
	ct_moves(mr, sb, k, pc->id);

	snprintf(href, sizeof(href), "/cases/%s/governance", pc->id);
	gov = act_of_slug("governance");
	cr_records(sb, k, names, gov != NULL && act_offered(mr, gov, k) ?
	    href : NULL);
	cs_timeline(sb, pc->events, names);
	page_end(sb);
}

static int
case_page(struct http_request *req, struct medex_req *mr, int print)
{
	struct pc	*pc;
	const char	*p[4];
	char		 slug[32];

	pc = pc_new(mr);
	pc->render = print ? render_print : render_case;
	/* ?saved=<action>: the success banner of a form's redirect. */
	if (!print && query_get(req->query_string, "saved", slug,
	    sizeof(slug)) == QUERY_FOUND)
		pc->banner = cs_saved_message(slug);
	p[0] = pc->id;
	p[1] = case_role_ok(mr->claims.role, R_CASES_GET);
	p[2] = role_may(mr, R_CASES_EVENTS) ? "true" : "false";
	p[3] = TIMELINE_MAX;
	pc_add(pc, print ? sql_page_case_print : sql_page_case, 4, p,
	    &pc->page, 0);
	if (!print)
		pc->call[0].batch = sql_page_case_batch;
	return (pc_run(req, mr));
}

int
pages_case(struct http_request *req, struct medex_req *mr)
{
	return (case_page(req, mr, 0));
}

int
pages_case_print(struct http_request *req, struct medex_req *mr)
{
	return (case_page(req, mr, 1));
}
