/*
 * The work lists (issue 18) over HTTP: open cases by default, "Most
 * urgent" with a closed urgent case present, the lists' counts, the
 * selected list in the heading and <title>, paging through 120 cases
 * with no case missed or repeated (API and page), the handover list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct t_session	off, lead;
static int		ready;
static int		nhs_seq;
static char		closed_id[32], urgent_id[32], withdrawn_id[32];

static void
nhs_next(char out[11])
{
	t_nhs_number("403", 300000, &nhs_seq, out);
}

static void
create(const char *family, const char *extra, char id[32])
{
	const char	*h[3];
	struct t_resp	 r;
	char		 body[1024], nhs[11];

	nhs_next(nhs);
	snprintf(body, sizeof(body), "{\"given_name\":\"Queue\","
	    "\"family_name\":\"%s\",\"nhs_number\":\"%s\","
	    "\"date_of_birth\":\"1940-03-01\",\"sex\":\"female\","
	    "\"date_of_death\":\"2026-11-01\",\"place_of_death\":\"hospital\","
	    "\"attending_practitioner\":{\"name\":\"Dr A Jones\","
	    "\"gmc_number\":\"1234567\"}%s}", family, nhs, extra);
	h[0] = off.bearer;
	h[1] = "Content-Type: application/json";
	h[2] = NULL;
	t_request("POST", "/api/v1/cases", h, body, strlen(body), &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	if (id != NULL)
		snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

/* Moves a case to a final state directly (the journey is test_cases'). */
static void
set_state(const char *id, const char *state)
{
	t_case_force_state("QU", id, state);
}

/* Two London days overdue: the deadline at noon two days ago. */
static void
set_overdue(const char *id)
{
	PGconn		*db;
	const char	*p[1];

	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'QU')::text, false)", NULL,
	    0), 0);
	p[0] = id;
	ck_assert_int_eq(t_db_exec_p(db, "UPDATE cases SET deadline = "
	    "((now() AT TIME ZONE 'Europe/London')::date - 2 + time '12:00') "
	    "AT TIME ZONE 'Europe/London' WHERE id = $1", 1, p), 0);
	PQfinish(db);
}

static void
setup(void)
{
	char	name[64];
	int	i;

	if (ready)
		return;
	t_forget_failures();
	t_user("qu.officer", "officer", "QU");
	t_user("qu.lead", "lead_medical_examiner", "QU");
	t_login_ok("qu.officer", &off);
	t_login_ok("qu.lead", &lead);
	/* 120 open cases, then an urgent one, a closed urgent one and a
	 * withdrawn one. */
	for (i = 0; i < 120; i++) {
		snprintf(name, sizeof(name), "Paging%03d", i);
		create(name, "", NULL);
	}
	create("UrgentOpen", ",\"urgent_release\":{\"requested\":true,"
	    "\"reason\":\"faith\"}", urgent_id);
	set_overdue(urgent_id);
	create("UrgentClosed", ",\"urgent_release\":{\"requested\":true,"
	    "\"reason\":\"faith\"}", closed_id);
	set_state(closed_id, "closed");
	create("Withdrawn", "", withdrawn_id);
	set_state(withdrawn_id, "withdrawn");
	ready = 1;
}

static void
api(const char *path, struct t_resp *r)
{
	const char	*h[2] = { off.bearer, NULL };

	t_request("GET", path, h, NULL, 0, r);
	ck_assert_msg(r->status == 200, "%s: %ld %s", path, r->status,
	    r->body);
}

static void
page(const char *path, struct t_resp *r)
{
	const char	*h[2] = { off.cookie, NULL };

	t_request("GET", path, h, NULL, 0, r);
	ck_assert_msg(r->status == 200, "%s: %ld", path, r->status);
}

static int
has_id(const struct t_resp *r, const char *id)
{
	json_t	*k;
	size_t	 i;

	json_array_foreach(json_object_get(r->json, "items"), i, k) {
		if (strcmp(json_string_value(json_object_get(k, "id")), id) == 0)
			return (1);
	}
	return (0);
}

START_TEST(open_cases_by_default)
{
	struct t_resp	r;

	setup();
	page("/cases", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Open cases"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "<h1 class=\"nhsuk-heading-l\">Open cases</h1>"));
	ck_assert_ptr_null(strstr(r.body, "UrgentClosed"));
	ck_assert_ptr_null(strstr(r.body, ">Queue Withdrawn<"));
	t_resp_free(&r);
	/* "By state" and search still find them. */
	page("/cases?state=closed", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "UrgentClosed"));
	ck_assert_ptr_nonnull(strstr(r.body, "By state: Closed"));
	t_resp_free(&r);
	page("/cases?q=withdrawn", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Withdrawn"));
	t_resp_free(&r);
	api("/api/v1/cases?state=open&limit=200", &r);
	ck_assert(!has_id(&r, closed_id));
	ck_assert(!has_id(&r, withdrawn_id));
	ck_assert(has_id(&r, urgent_id));
	t_resp_free(&r);
}
END_TEST

START_TEST(most_urgent_never_ranks_a_closed_case)
{
	struct t_resp	 r;
	json_t		*first;

	setup();
	api("/api/v1/cases?sort=urgency&limit=200", &r);
	first = json_array_get(json_object_get(r.json, "items"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(first, "id")),
	    urgent_id);
	ck_assert(!has_id(&r, closed_id));
	ck_assert(!has_id(&r, withdrawn_id));
	t_resp_free(&r);
	page("/cases?sort=urgency", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Most urgent"));
	ck_assert_ptr_null(strstr(r.body, "UrgentClosed"));
	ck_assert_ptr_nonnull(strstr(r.body, "Urgent release</strong>"));
	/* The first row is the open urgent release. */
	ck_assert_ptr_nonnull(strstr(r.body, "UrgentOpen"));
	ck_assert(strstr(r.body, "UrgentOpen") < strstr(r.body, "Paging"));
	t_resp_free(&r);
}
END_TEST

START_TEST(counts_are_the_lists)
{
	struct t_resp	r;

	setup();
	api("/api/v1/cases/summary", &r);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "open")),
	    121);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json,
	    "unassigned")), 121);
	ck_assert_int_eq(json_integer_value(json_object_get(r.json,
	    "mine")), 0);
	t_resp_free(&r);
	page("/cases", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Open cases</a> (121)"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "Waiting for an examiner</a> (121)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Final actions</a> (0)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Overdue</a> (1)"));
	ck_assert_ptr_nonnull(strstr(r.body, "Waiting for the MCCD</a> (0)"));
	ck_assert_ptr_nonnull(strstr(r.body, "aria-current=\"page\">Open "
	    "cases</a> (121)"));
	t_resp_free(&r);
	page("/cases?need=mccd", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Waiting for the MCCD"));
	ck_assert_ptr_nonnull(strstr(r.body, "There are no cases in this "
	    "list."));
	t_resp_free(&r);
}
END_TEST

START_TEST(new_filters_are_checked)
{
	const char	*h[2] = { off.bearer, NULL };
	struct t_resp	 r;

	setup();
	t_request("GET", "/api/v1/cases?awaiting=coroner", h, NULL, 0, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	t_request("GET", "/api/v1/cases?state=opened", h, NULL, 0, &r);
	t_assert_error(&r, 400, "bad_request");
	t_resp_free(&r);
	api("/api/v1/cases?awaiting=final_actions", &r);
	ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")),
	    0);
	t_resp_free(&r);
}
END_TEST

/* Every case once, whatever the sort, through next_cursor. */
static void
walk_api(const char *sort)
{
	struct t_resp	 r;
	json_t		*k;
	char		 path[512], *cursor, seen[200];
	size_t		 i;
	int		 n, family;

	memset(seen, 0, sizeof(seen));
	cursor = NULL;
	n = 0;
	do {
		snprintf(path, sizeof(path), "/api/v1/cases?state=open&limit=7"
		    "&sort=%s%s%s", sort, cursor ? "&cursor=" : "",
		    cursor ? cursor : "");
		free(cursor);
		cursor = NULL;
		api(path, &r);
		json_array_foreach(json_object_get(r.json, "items"), i, k) {
			if (sscanf(json_string_value(json_object_get(k,
			    "family_name")), "Paging%d", &family) == 1) {
				ck_assert_msg(seen[family] == 0, "%s: %d twice",
				    sort, family);
				seen[family] = 1;
			}
			n++;
		}
		if (t_json_str(&r, "next_cursor") != NULL)
			cursor = strdup(t_json_str(&r, "next_cursor"));
		t_resp_free(&r);
	} while (cursor != NULL);
	ck_assert_int_eq(n, 121);
	for (i = 0; i < 120; i++)
		ck_assert_msg(seen[i] == 1, "%s: %zu missed", sort, i);
}

START_TEST(paging_the_api_misses_and_repeats_nothing)
{
	setup();
	walk_api("newest");
	walk_api("oldest");
	walk_api("urgency");
}
END_TEST

/* The href of the link with rel (amp-decoded) from the page, or NULL. */
static char *
link_rel(const char *body, const char *rel)
{
	char		 pat[64], *out;
	const char	*p, *h, *e;
	size_t		 i, j;

	snprintf(pat, sizeof(pat), "rel=\"%s\" href=\"", rel);
	if ((p = strstr(body, pat)) == NULL)
		return (NULL);
	h = p + strlen(pat);
	e = strchr(h, '"');
	out = calloc(1, (size_t)(e - h) + 1);
	for (i = j = 0; h + i < e; i++) {
		if (strncmp(h + i, "&amp;", 5) == 0) {
			out[j++] = '&';
			i += 4;
		} else
			out[j++] = h[i];
	}
	return (out);
}

static int
page_count(const char *body, char seen[200], int mark)
{
	const char	*p;
	int		 f, n;

	n = 0;
	for (p = body; (p = strstr(p, ">Queue Paging")) != NULL; p++) {
		if (sscanf(p, ">Queue Paging%d", &f) != 1)
			continue;
		if (mark) {
			ck_assert_msg(seen[f] == 0, "page: %d twice", f);
			seen[f] = 1;
		}
		n++;
	}
	return (n);
}

START_TEST(paging_the_page_forward_and_back)
{
	struct t_resp	 r;
	char		 seen[200], *next, *prev, *hist[10], first[64];
	int		 pages, i, n;

	setup();
	memset(seen, 0, sizeof(seen));
	page("/cases?sort=oldest", &r);
	ck_assert_ptr_null(link_rel(r.body, "prev"));
	pages = 0;
	for (;;) {
		page_count(r.body, seen, 1);
		next = link_rel(r.body, "next");
		t_resp_free(&r);
		if (next == NULL)
			break;
		ck_assert_int_lt(pages, 9);
		hist[pages++] = next;
		page(next, &r);
	}
	ck_assert_int_eq(pages, 4);	/* 121 cases, 25 a page: 5 pages */
	for (i = 0; i < 120; i++)
		ck_assert_msg(seen[i] == 1, "page: %d missed", i);
	/* Back from the last page, one page at a time, to the first. */
	page(hist[pages - 1], &r);
	for (i = pages - 1; i >= 0; i--) {
		prev = link_rel(r.body, "prev");
		ck_assert_ptr_nonnull(prev);
		t_resp_free(&r);
		page(prev, &r);
		free(prev);
		if (i > 0) {
			next = link_rel(r.body, "next");
			ck_assert_str_eq(next, hist[i]);
			free(next);
		}
	}
	memset(seen, 0, sizeof(seen));
	n = page_count(r.body, seen, 1);
	ck_assert_int_eq(n, 25);
	snprintf(first, sizeof(first), "%s", seen[0] ? "yes" : "no");
	ck_assert_str_eq(first, "yes");
	ck_assert_ptr_null(link_rel(r.body, "prev"));
	t_resp_free(&r);
	for (i = 0; i < pages; i++)
		free(hist[i]);
}
END_TEST

START_TEST(handover_lists_open_cases_with_owner_and_deadline)
{
	struct t_resp	r;

	setup();
	page("/cases?view=handover", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "<title>Handover list"));
	ck_assert_ptr_nonnull(strstr(r.body, "Queue UrgentOpen"));
	ck_assert_ptr_null(strstr(r.body, "UrgentClosed"));
	ck_assert_ptr_nonnull(strstr(r.body, "Scrutiny — no examiner yet"));
	ck_assert_ptr_nonnull(strstr(r.body, "no examiner / no officer"));
	ck_assert_ptr_nonnull(strstr(r.body, "2 days overdue"));
	ck_assert_ptr_nonnull(strstr(r.body, "due in "));
	ck_assert(strstr(r.body, "UrgentOpen") < strstr(r.body, "Paging"));
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("queue");
	tc = tcase_create("queue");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, open_cases_by_default);
	tcase_add_test(tc, most_urgent_never_ranks_a_closed_case);
	tcase_add_test(tc, counts_are_the_lists);
	tcase_add_test(tc, new_filters_are_checked);
	tcase_add_test(tc, paging_the_api_misses_and_repeats_nothing);
	tcase_add_test(tc, paging_the_page_forward_and_back);
	tcase_add_test(tc, handover_lists_open_cases_with_owner_and_deadline);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
