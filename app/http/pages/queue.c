/*
 * GET /cases: the work lists (issue 18), their counts, search and
 * paging.  Each list is the API's list (api_case_list, sql/
 * cases_read.sql) with the parameters prepared by the same code
 * (case_list_prepare, api_cases.c), with the reader (api_me) and the
 * office's counts (api_case_summary) in the same round trip.
 *
 * The lists are open cases only (state=open); closed, withdrawn and
 * coroner_investigating cases are under "By state" and in search.
 * Paging follows the API's next_cursor; "Previous" is the history of
 * cursors carried in the URL (prev=, dot-separated), so that no case
 * is missed or repeated either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api_cases.h"
#include "case_parts.h"
#include "case_state.h"
#include "deadline_words.h"
#include "handlers.h"
#include "html_writer.h"
#include "london_time.h"
#include "page.h"
#include "page_call.h"
#include "query.h"
#include "respond.h"

#define QUEUE_PAGE	"25"
#define QUEUE_PREV_LEN	2048

static const char sql_summary[] =
    "SELECT * FROM api_case_summary($1, $2, $3, $4, $5, $6)";

/*
 * The work lists: the label, the page's query, the count in
 * api_case_summary and the API filters.  "My cases" is examiner= or
 * officer= for the user; need= is the API's awaiting= (the summary's
 * awaiting_* counts, filter for filter).
 */
static const struct queue {
	const char	*label;
	const char	*query;
	const char	*count;
} queues[] = {
	{ "Open cases", "", "open" },
	{ "My cases", "mine=true", "mine" },
	{ "Most urgent", "sort=urgency", "open" },
	{ "Due today", "need=today", "due_today" },
	{ "Overdue", "overdue=true", "overdue" },
	{ "Waiting for an examiner", "unassigned=true", "unassigned" },
	{ "Bereaved contact needed", "need=bereaved", "awaiting_bereaved" },
	{ "Waiting for the practitioner", "need=practitioner",
	    "awaiting_practitioner" },
	{ "Waiting for the MCCD", "need=mccd", "awaiting_mccd" },
	{ "Final actions", "need=final_actions",
	    "final_actions_outstanding" },
	/* Issue 23: a referral sent 2 working days ago, not acknowledged. */
	{ "Waiting for the coroner's acknowledgement",
	    "need=coroner_acknowledgement",
	    "awaiting_coroner_acknowledgement" },
};
#define QUEUE_COUNT	(sizeof(queues) / sizeof(queues[0]))

/* "Scrutiny — Dr Rao": the next step and who owns it. */
static void
waiting_for(json_t *k, char *buf, size_t len)
{
	const char	*w, *e, *o, *ap;

	w = cp_str(k, "waiting_for");
	e = cp_str(k, "examiner_name");
	o = cp_str(k, "officer_name");
	ap = cp_str(k, "ap_name");
	if (w == NULL)
		snprintf(buf, len, "Nothing");
	else if (strcmp(w, "scrutiny") == 0)
		snprintf(buf, len, "Scrutiny — %s", e != NULL ? e :
		    "no examiner yet");
	else if (strcmp(w, "bereaved") == 0)
		snprintf(buf, len, "Bereaved contact — %s", o != NULL ? o :
		    "officer");
	else if (strcmp(w, "mccd") == 0)
		snprintf(buf, len, "MCCD — attending practitioner%s%s%s",
		    ap != NULL ? " (" : "", ap != NULL ? ap : "",
		    ap != NULL ? ")" : "");
	else if (strcmp(w, "final_actions") == 0)
		snprintf(buf, len, "Final actions — %s", o != NULL ? o :
		    "officer");
	else if (strcmp(w, "coroner") == 0)
		snprintf(buf, len, "Coroner's decision");
	else
		snprintf(buf, len, "%s", w);
}

/* Whole years from date of birth to date of death ("YYYY-MM-DD"). */
static void
age_at_death(json_t *k, char *buf, size_t len)
{
	const char	*b, *d;
	int		 by, bm, bd, dy, dm, dd, age;

	b = cp_str(k, "date_of_birth");
	d = cp_str(k, "date_of_death");
	if (b == NULL || d == NULL ||
	    sscanf(b, "%4d-%2d-%2d", &by, &bm, &bd) != 3 ||
	    sscanf(d, "%4d-%2d-%2d", &dy, &dm, &dd) != 3) {
		snprintf(buf, len, "-");
		return;
	}
	age = dy - by;
	if (dm < bm || (dm == bm && dd < bd))
		age--;
	snprintf(buf, len, "%d", age);
}

static void
cell(struct sbuf *sb, const char *heading)
{
	html_raw(sb, "<td class=\"nhsuk-table__cell\"><span "
	    "class=\"nhsuk-table-responsive__heading\" aria-hidden=\"true\">");
	html_text(sb, heading);
	html_raw(sb, " </span>");
}

static void
render_rows(struct sbuf *sb, json_t *items)
{
	static const char *const heads[] = { "Name", "NHS number",
	    "Date of death", "Age", "Waiting for", "Deadline", "Priority",
	    "Examiner", "Officer" };
	json_t		*k, *ur, *pr;
	const char	*st;
	char		 name[600], nhs[32], dod[64], age[16], wf[600];
	char		 dl[64], href[256];
	size_t		 i, h;
	time_t		 now;

	now = time(NULL);
	html_raw(sb, "<table class=\"nhsuk-table-responsive\" role=\"table\">"
	    "<caption class=\"nhsuk-table__caption\">Cases</caption><thead "
	    "class=\"nhsuk-table__head\" role=\"rowgroup\"><tr "
	    "class=\"nhsuk-table__row\" role=\"row\">");
	for (h = 0; h < sizeof(heads) / sizeof(heads[0]); h++) {
		html_raw(sb, "<th scope=\"col\" class=\"nhsuk-table__header\" "
		    "role=\"columnheader\">");
		html_text(sb, heads[h]);
		html_raw(sb, "</th>");
	}
	html_raw(sb, "</tr></thead><tbody class=\"nhsuk-table__body\">");
	json_array_foreach(items, i, k) {
		cp_name(k, name, sizeof(name));
		cp_nhs(cp_str(k, "nhs_number"), nhs, sizeof(nhs));
		cp_time(cp_str(k, "date_of_death"), dod, sizeof(dod));
		age_at_death(k, age, sizeof(age));
		waiting_for(k, wf, sizeof(wf));
		st = cp_str(k, "state");
		if (st != NULL && (strcmp(st, "notified") == 0 ||
		    strcmp(st, "in_scrutiny") == 0))
			deadline_words_str(cp_str(k, "deadline"), now, dl,
			    sizeof(dl));
		else
			snprintf(dl, sizeof(dl), "-");
		snprintf(href, sizeof(href), "/cases/%s",
		    cp_str(k, "id") != NULL ? cp_str(k, "id") : "0");
		html_raw(sb, "<tr class=\"nhsuk-table__row\" role=\"row\">");
		cell(sb, heads[0]);
		cp_link(sb, href, name, 0);
		html_raw(sb, " ");
		cp_state_tag(sb, st);
		html_raw(sb, "</td>");
		cell(sb, heads[1]);
		html_raw(sb, "<span class=\"medex-nowrap\">");
		html_text(sb, nhs);
		html_raw(sb, "</span></td>");
		cell(sb, heads[2]);
		html_text(sb, dod);
		html_raw(sb, "</td>");
		cell(sb, heads[3]);
		html_text(sb, age);
		html_raw(sb, "</td>");
		cell(sb, heads[4]);
		html_text(sb, wf);
		html_raw(sb, "</td>");
		cell(sb, heads[5]);
		html_text(sb, dl);
		if (json_is_true(json_object_get(k, "overdue")))
			html_raw(sb, " <strong class=\"nhsuk-tag "
			    "nhsuk-tag--red\">Overdue</strong>");
		html_raw(sb, "</td>");
		cell(sb, heads[6]);
		ur = json_object_get(k, "urgent_release");
		if (json_is_true(json_object_get(ur, "requested")) &&
		    json_is_null(json_object_get(ur, "outcome")))
			html_raw(sb, "<strong class=\"nhsuk-tag "
			    "nhsuk-tag--red\">Urgent release</strong> ");
		pr = json_object_get(k, "priority");
		if (json_is_true(json_object_get(pr, "child")) ||
		    json_is_true(json_object_get(pr, "faith")) ||
		    json_is_true(json_object_get(pr, "cultural")) ||
		    json_is_true(json_object_get(pr, "coroner")) ||
		    json_is_true(json_object_get(pr, "other")))
			html_raw(sb, "<strong class=\"nhsuk-tag "
			    "nhsuk-tag--orange\">Priority</strong>");
		html_raw(sb, "</td>");
		cell(sb, heads[7]);
		html_text(sb, cp_str(k, "examiner_name") != NULL ?
		    cp_str(k, "examiner_name") : "Not assigned");
		html_raw(sb, "</td>");
		cell(sb, heads[8]);
		html_text(sb, cp_str(k, "officer_name") != NULL ?
		    cp_str(k, "officer_name") : "Not assigned");
		html_raw(sb, "</td></tr>");
	}
	html_raw(sb, "</tbody></table>");
}

/* The NHS pagination component over next_cursor and the prev history. */
static void
render_paging(struct sbuf *sb, json_t *st, json_t *list)
{
	const char	*base, *cur, *prev, *next, *dot;
	char		*href, *hist;
	size_t		 n;

	base = cp_str(st, "base");
	cur = cp_str(st, "cursor");
	prev = cp_str(st, "prev");
	next = cp_str(list, "next_cursor");
	if (cur == NULL && next == NULL)
		return;
	n = strlen(base) + QUEUE_PREV_LEN * 2 + 64;
	href = calloc(1, n);
	hist = calloc(1, QUEUE_PREV_LEN * 2);
	if (href == NULL || hist == NULL)
		goto cleanup;
	html_raw(sb, "<nav class=\"nhsuk-pagination\" role=\"navigation\" "
	    "aria-label=\"Pages of cases\"><ul class=\"nhsuk-list "
	    "nhsuk-pagination__list\">");
	if (cur != NULL) {
		/* Back: the last cursor of the history, the rest as it. */
		if (prev == NULL || *prev == '\0') {
			snprintf(href, n, "/cases%s%s", *base != '\0' ? "?" : "",
			    base);
		} else if ((dot = strrchr(prev, '.')) == NULL) {
			snprintf(href, n, "/cases?%s%scursor=%s", base,
			    *base != '\0' ? "&" : "", prev);
		} else {
			snprintf(href, n, "/cases?%s%scursor=%s&prev=%.*s",
			    base, *base != '\0' ? "&" : "", dot + 1,
			    (int)(dot - prev), prev);
		}
		html_raw(sb, "<li class=\"nhsuk-pagination-item--previous\">"
		    "<a class=\"nhsuk-pagination__link "
		    "nhsuk-pagination__link--prev\" rel=\"prev\"");
		html_attr(sb, "href", href);
		html_raw(sb, "><span class=\"nhsuk-pagination__title\">"
		    "Previous</span><span class=\"nhsuk-u-visually-hidden\">"
		    ":</span><span class=\"nhsuk-pagination__page\">Previous "
		    "page of cases</span></a></li>");
	}
	if (next != NULL) {
		if (cur == NULL)
			snprintf(hist, QUEUE_PREV_LEN * 2, "%s", "");
		else if (prev == NULL || *prev == '\0')
			snprintf(hist, QUEUE_PREV_LEN * 2, "%s", cur);
		else
			snprintf(hist, QUEUE_PREV_LEN * 2, "%s.%s", prev, cur);
		/* A history too long for the URL restarts from page one. */
		if (strlen(hist) >= QUEUE_PREV_LEN)
			hist[0] = '\0';
		snprintf(href, n, "/cases?%s%scursor=%s%s%s", base,
		    *base != '\0' ? "&" : "", next, cur != NULL ? "&prev=" :
		    "", cur != NULL ? (*hist != '\0' ? hist : "") : "");
		html_raw(sb, "<li class=\"nhsuk-pagination-item--next\">"
		    "<a class=\"nhsuk-pagination__link "
		    "nhsuk-pagination__link--next\" rel=\"next\"");
		html_attr(sb, "href", href);
		html_raw(sb, "><span class=\"nhsuk-pagination__title\">Next"
		    "</span><span class=\"nhsuk-u-visually-hidden\">:</span>"
		    "<span class=\"nhsuk-pagination__page\">Next page of "
		    "cases</span></a></li>");
	}
	html_raw(sb, "</ul></nav>");
cleanup:
	free(href);
	free(hist);
}

/*
 * The handover list: every open case, most urgent first, with its
 * owner, what it waits for and the deadline; one page for printing
 * (medex.css's print rules hide the rest).
 */
static void
render_handover(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	json_t		*items, *k;
	const char	*st, *e, *o;
	char		 name[600], wf[600], dl[64], own[600], line[200];
	size_t		 i;
	time_t		 now;
	struct tm	 tm;

	now = time(NULL);
	pc_begin(mr, pc, sb, "Handover list — Cases", 0);
	html_raw(sb, "<span class=\"nhsuk-caption-l\">");
	html_text(sb, mr->claims.office);
	html_raw(sb, "</span><h1 class=\"nhsuk-heading-l\">Handover list"
	    "</h1>");
	london_from_utc(now, &tm);
	strftime(line, sizeof(line), "Open cases at %d %b %Y %H:%M, most "
	    "urgent first.", &tm);
	page_p(sb, line);
	html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
	cp_link(sb, "/cases", "Back to the work lists", 0);
	html_raw(sb, "</p>");
	items = json_object_get(pc->list, "items");
	if (json_array_size(items) == 0) {
		page_inset(sb, "There are no open cases.");
		page_end(sb);
		return;
	}
	html_raw(sb, "<table class=\"nhsuk-table-responsive medex-handover\" "
	    "role=\"table\"><caption class=\"nhsuk-table__caption\">Open "
	    "cases</caption><thead class=\"nhsuk-table__head\" "
	    "role=\"rowgroup\"><tr class=\"nhsuk-table__row\" role=\"row\">"
	    "<th scope=\"col\" class=\"nhsuk-table__header\" "
	    "role=\"columnheader\">Name</th><th scope=\"col\" "
	    "class=\"nhsuk-table__header\" role=\"columnheader\">Owner</th>"
	    "<th scope=\"col\" class=\"nhsuk-table__header\" "
	    "role=\"columnheader\">Waiting for</th><th scope=\"col\" "
	    "class=\"nhsuk-table__header\" role=\"columnheader\">Deadline"
	    "</th></tr></thead><tbody class=\"nhsuk-table__body\">");
	json_array_foreach(items, i, k) {
		cp_name(k, name, sizeof(name));
		waiting_for(k, wf, sizeof(wf));
		e = cp_str(k, "examiner_name");
		o = cp_str(k, "officer_name");
		snprintf(own, sizeof(own), "%s / %s", e != NULL ? e :
		    "no examiner", o != NULL ? o : "no officer");
		st = cp_str(k, "state");
		if (st != NULL && (strcmp(st, "notified") == 0 ||
		    strcmp(st, "in_scrutiny") == 0))
			deadline_words_str(cp_str(k, "deadline"), now, dl,
			    sizeof(dl));
		else
			snprintf(dl, sizeof(dl), "-");
		html_raw(sb, "<tr class=\"nhsuk-table__row\" role=\"row\">");
		cell(sb, "Name");
		html_text(sb, name);
		html_raw(sb, "</td>");
		cell(sb, "Owner");
		html_text(sb, own);
		html_raw(sb, "</td>");
		cell(sb, "Waiting for");
		html_text(sb, wf);
		html_raw(sb, "</td>");
		cell(sb, "Deadline");
		html_text(sb, dl);
		html_raw(sb, "</td></tr>");
	}
	html_raw(sb, "</tbody></table>");
	if (json_string_value(json_object_get(pc->list, "next_cursor")) !=
	    NULL)
		page_p(sb, "More than 200 open cases: the list shows the 200 "
		    "most urgent.");
	page_end(sb);
}

static void
render_list(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	json_t		*items, *st;
	const char	*q, *label, *base;
	char		 title[300], name[600], href[256];
	size_t		 i;
	int		 s, cur;
	enum case_state	 cs;

	st = pc->errors;	/* the page's state, set by the handler */
	cur = (int)json_integer_value(json_object_get(st, "list"));
	q = cp_str(st, "q");
	label = cp_str(st, "label");
	base = cp_str(st, "base");
	snprintf(title, sizeof(title), "%s — Cases", label);
	pc_begin(mr, pc, sb, title, 0);
	html_raw(sb, "<span class=\"nhsuk-caption-l\">");
	html_text(sb, mr->claims.office);
	html_raw(sb, "</span><h1 class=\"nhsuk-heading-l\">");
	html_text(sb, label);
	html_raw(sb, "</h1>");
	if (role_may(mr, R_CASES_CREATE))
		html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">"
		    "<a class=\"nhsuk-button\" href=\"/cases/new\" "
		    "role=\"button\" draggable=\"false\">"
		    "Add a new case</a></p>");

	/* Search: GET ?q=, the office's cases only (api_case_list). */
	html_raw(sb, "<form action=\"/cases\" method=\"get\" "
	    "class=\"nhsuk-u-margin-bottom-4 medex-no-print\" role=\"search\">"
	    "<div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" "
	    "for=\"q\">Search by name or NHS number</label>");
	html_raw(sb, "<input class=\"nhsuk-input nhsuk-u-width-full\" "
	    "id=\"q\" name=\"q\" type=\"search\"");
	if (q != NULL)
		html_attr(sb, "value", q);
	html_raw(sb, "></div><button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Search</button>"
	    "</form>");

	html_raw(sb, "<nav aria-label=\"Work lists\" class=\"medex-no-print\">"
	    "<ul class=\"nhsuk-list\">");
	for (i = 0; i < QUEUE_COUNT; i++) {
		snprintf(href, sizeof(href), "/cases%s%s",
		    queues[i].query[0] != '\0' ? "?" : "", queues[i].query);
		/* The count beside the link: the link's name is the list's. */
		snprintf(name, sizeof(name), " (%lld)",
		    (long long)json_integer_value(json_object_get(pc->summary,
		    queues[i].count)));
		html_raw(sb, "<li>");
		cp_link(sb, href, queues[i].label, cur == (int)i);
		html_text(sb, name);
		html_raw(sb, "</li>");
	}
	html_raw(sb, "</ul></nav><details class=\"nhsuk-details "
	    "medex-no-print\"><summary class=\"nhsuk-details__summary\">"
	    "<span class=\"nhsuk-details__summary-text\">By state</span>"
	    "</summary><div class=\"nhsuk-details__text\"><ul "
	    "class=\"nhsuk-list\">");
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		cs = (enum case_state)s;
		snprintf(href, sizeof(href), "/cases?state=%s",
		    case_state_str(cs));
		html_raw(sb, "<li>");
		cp_link(sb, href, case_state_label(cs),
		    strcmp(base, href + 7) == 0);
		html_raw(sb, "</li>");
	}
	html_raw(sb, "</ul></div></details>");

	html_raw(sb, "<p class=\"nhsuk-body medex-no-print\">");
	cp_link(sb, "/cases?view=handover", "Printable handover list", 0);
	if (cur >= 0) {
		/* From "Most urgent" (a sort itself) to the open cases. */
		i = cur == 2 ? 0 : (size_t)cur;
		html_raw(sb, " | Sort: ");
		snprintf(href, sizeof(href), "/cases?%s%ssort=newest",
		    queues[i].query, i > 0 ? "&" : "");
		cp_link(sb, href, "Newest", 0);
		html_raw(sb, " | ");
		snprintf(href, sizeof(href), "/cases?%s%ssort=oldest",
		    queues[i].query, i > 0 ? "&" : "");
		cp_link(sb, href, "Oldest", 0);
	}
	html_raw(sb, "</p>");

	items = json_object_get(pc->list, "items");
	if (json_array_size(items) == 0)
		page_inset(sb, "There are no cases in this list.");
	else
		render_rows(sb, items);
	render_paging(sb, st, pc->list);
	page_end(sb);
}

/* "q=" and the search percent-encoded, for the paging links. */
static void
url_q(char *buf, size_t len, const char *q)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	size_t			 n;

	n = (size_t)snprintf(buf, len, "q=");
	for (p = (const unsigned char *)q; *p != '\0' && n + 4 < len; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_') {
			buf[n++] = (char)*p;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
	}
	buf[n] = '\0';
}

/*
 * Which list the query asks for: the index in queues[], or -1 for a
 * search or a state.  The page's own keys (mine=, need=) are read
 * here; the rest are the API's, through case_list_prepare().
 */
static int
which_list(struct http_request *req, struct case_list_q *l)
{
	char	buf[32];
	size_t	i;

	if (l->params[8] != NULL || l->params[2] != NULL)
		return (-1);
	if (query_get(req->query_string, "mine", buf, sizeof(buf)) ==
	    QUERY_FOUND && strcmp(buf, "true") == 0)
		return (1);
	if (query_get(req->query_string, "need", buf, sizeof(buf)) ==
	    QUERY_FOUND) {
		for (i = 0; i < QUEUE_COUNT; i++) {
			if (strncmp(queues[i].query, "need=", 5) == 0 &&
			    strcmp(queues[i].query + 5, buf) == 0)
				return ((int)i);
		}
		return (-2);
	}
	if (l->params[5] != NULL && strcmp(l->params[5], "true") == 0)
		return (5);
	if (l->params[6] != NULL && strcmp(l->params[6], "true") == 0)
		return (4);
	if (strcmp(l->params[9], "urgency") == 0)
		return (2);
	return (0);
}

int
pages_case_list(struct http_request *req, struct medex_req *mr)
{
	struct case_list_q	 l;
	struct pc		*pc;
	const char		*err, *label;
	char			 prev[QUEUE_PREV_LEN], cursor[400];
	char			 base[700], lbl[300];
	json_t			*st;
	enum role		 role;
	enum case_state		 cs;
	int			 list, qs;

	if ((err = case_list_prepare(req, &l)) != NULL)
		return (pages_error(req, mr, 400, err));
	if (query_get(req->query_string, "view", base, sizeof(base)) ==
	    QUERY_FOUND && strcmp(base, "handover") == 0) {
		pc = pc_new(mr);
		l.params[1] = NULL;
		l.params[2] = "open";
		l.params[9] = "urgency";
		kore_strlcpy(l.limit, "200", sizeof(l.limit));
		pc->render = render_handover;
		pc_add_me(pc);
		pc_add(pc, sql_case_list, 11, l.params, &pc->list, 0);
		return (pc_run(req, mr));
	}
	if ((list = which_list(req, &l)) == -2)
		return (pages_error(req, mr, 400, "need must be today, "
		    "bereaved, practitioner, mccd, final_actions or "
		    "coroner_acknowledgement."));
	qs = query_get(req->query_string, "prev", prev, sizeof(prev));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    prev[strspn(prev, "0123456789abcdef.")] != '\0'))
		return (pages_error(req, mr, 400, "prev must be cursors given "
		    "by previous pages."));
	if (query_get(req->query_string, "cursor", cursor, sizeof(cursor)) !=
	    QUERY_FOUND || cursor[0] == '\0')
		cursor[0] = '\0';
	if (query_get(req->query_string, "limit", base, sizeof(base)) ==
	    QUERY_ABSENT)
		kore_strlcpy(l.limit, QUEUE_PAGE, sizeof(l.limit));
	pc = pc_new(mr);
	role = pc_role(mr);
	base[0] = '\0';
	if (list == 1) {
		if (role == ROLE_MEDICAL_EXAMINER ||
		    role == ROLE_LEAD_MEDICAL_EXAMINER)
			l.params[3] = mr->claims.sub;
		else
			l.params[4] = mr->claims.sub;
	} else if (list >= 3 && strncmp(queues[list].query, "need=", 5) == 0) {
		l.params[10] = queues[list].query + 5;
	}
	if (list >= 0) {
		/* The working lists are open cases only. */
		l.params[2] = "open";
		label = queues[list].label;
		snprintf(base, sizeof(base), "%s", queues[list].query);
		if (list != 2 && strcmp(l.params[9], "newest") != 0)
			snprintf(base + strlen(base), sizeof(base) -
			    strlen(base), "%ssort=%s", base[0] != '\0' ? "&" :
			    "", l.params[9]);
	} else if (l.params[8] != NULL) {
		snprintf(lbl, sizeof(lbl), "Search results for ‘%s’",
		    l.params[8]);
		label = lbl;
		url_q(base, sizeof(base), l.params[8]);
	} else {
		label = "Cases";
		if (case_state_from_str(l.params[2], &cs) == 0) {
			snprintf(lbl, sizeof(lbl), "By state: %s",
			    case_state_label(cs));
			label = lbl;
		}
		snprintf(base, sizeof(base), "state=%s", l.params[2]);
	}
	st = json_pack("{si ss ss}", "list", list, "label", label,
	    "base", base);
	if (l.params[8] != NULL)
		json_object_set_new(st, "q", json_string(l.params[8]));
	if (cursor[0] != '\0')
		json_object_set_new(st, "cursor", json_string(cursor));
	if (qs == QUERY_FOUND && prev[0] != '\0')
		json_object_set_new(st, "prev", json_string(prev));
	pc->errors = st;
	pc->render = render_list;
	pc_add_me(pc);
	pc_add(pc, sql_case_list, 11, l.params, &pc->list, 0);
	pc_add(pc, sql_summary, 0, NULL, &pc->summary, 1);
	return (pc_run(req, mr));
}
