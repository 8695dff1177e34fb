/*
 * The case page shows the whole case (issue 17): a case built through
 * the API with every kind of record, then its page read as the officer
 * and as the liaison officer (who must not get the notes, practitioner
 * discussions or governance in the HTML at all), the banners and the
 * implants warning exactly when their conditions hold, display names
 * in the timeline, the success banner of ?saved=, and the print view,
 * which says where and when it was printed and by whom, and records one
 * `printed` event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define NOTE_SUMMARY	"Officer summary: found at home by her daughter"
#define NOTE_ADMISSION	"Admitted 30 Oct with shortness of breath"
#define NOTE_HISTORY	"COPD since 2010; type 2 diabetes"
#define NOTE_REVIEW	"Records reviewed: decline expected, no concerns"
#define NOTE_OTHER	"Other: the GP surgery called back"
#define NOTE_AMENDED	"Other (amended): the GP surgery called back twice"
#define DISC_CAUSE	"Proposed by Dr Prakash: pneumonia due to COPD"
#define GOV_REASON	"Daughter worried about the delay in antibiotics"
#define COD_1A		"Community-acquired pneumonia"
#define COD_1B		"Chronic obstructive pulmonary disease"
#define COD_2		"Type 2 diabetes mellitus"
#define QUESTIONS	"Why was she not given antibiotics sooner?"
#define CONCERNS	"The ward did not call us until the morning"
#define COR_REASON	"Possible delay in treatment to be reviewed"
#define FUNERAL		"Hill and Sons Funeral Directors"
#define WITHDRAWN_WHY	"Notified twice: the same death as case 12"

static int	pc_nhs_seq;

static void
user(const char *username, const char *role, const char *name)
{
	char	cmd[1024];

	t_office("PC");
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | %s/medexctl user "
	    "add %s --role %s --office PC --name '%s' >/dev/null 2>&1",
	    T_PASSWORD, getenv("MEDEX_TEST_OUT"), username, role, name);
	(void)t_run(cmd);
}

static void
setup(void)
{
	t_forget_failures();
	user("pc.lead", "lead_medical_examiner", "Dr Lena Lead");
	user("pc.me", "medical_examiner", "Dr Asha Rao");
	user("pc.officer", "officer", "Olu Officer");
	user("pc.liaison", "liaison_officer", "Lia Liaison");
}

static void
api(const struct t_session *s, const char *method, const char *path,
    long ifm, const char *body, struct t_resp *r)
{
	const char	*h[4];
	char		 im[64];
	int		 n;

	n = 0;
	h[n++] = s->bearer;
	if (body != NULL)
		h[n++] = "Content-Type: application/json";
	if (ifm > 0) {
		snprintf(im, sizeof(im), "If-Match: \"%ld\"", ifm);
		h[n++] = im;
	}
	h[n] = NULL;
	t_request(method, path, h, body, body != NULL ? strlen(body) : 0, r);
}

static long
version_of(const struct t_session *s, const char *id)
{
	struct t_resp	 r;
	char		 path[96], *e;
	long		 v;

	snprintf(path, sizeof(path), "/api/v1/cases/%s", id);
	api(s, "GET", path, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	e = t_header(&r, "etag");
	ck_assert_ptr_nonnull(e);
	v = strtol(e + 1, NULL, 10);
	free(e);
	t_resp_free(&r);
	return (v);
}

/* A write to the case: POST appends, PUT with the version. */
static void
write_ok(const struct t_session *s, const char *method, const char *id,
    const char *what, const char *body, struct t_resp *out)
{
	struct t_resp	r;
	char		path[128];

	snprintf(path, sizeof(path), "/api/v1/cases/%s%s", id, what);
	api(s, method, path, strcmp(method, "POST") == 0 &&
	    strcmp(what, "/transitions") != 0 ? 0 : version_of(s, id), body,
	    &r);
	ck_assert_msg(r.status == 200 || r.status == 201, "%s %s: %ld %s",
	    method, what, r.status, r.body);
	if (out != NULL)
		*out = r;
	else
		t_resp_free(&r);
}

static void
nhs(char out[11])
{
	t_nhs_number("402", 200000, &pc_nhs_seq, out);
}

static void
create(const struct t_session *s, const char *family, int urgent,
    char id[32])
{
	struct t_resp	r;
	char		body[1024], n[11];

	nhs(n);
	snprintf(body, sizeof(body), "{\"given_name\":\"Edith\","
	    "\"family_name\":\"%s\",\"nhs_number\":\"%s\","
	    "\"date_of_birth\":\"1941-03-15\",\"sex\":\"female\","
	    "\"ethnicity\":\"N\",\"date_of_death\":\"2026-11-01\","
	    "\"time_of_death\":\"04:30\",\"place_of_death\":\"hospital\","
	    "\"place_detail\":\"Ward 7, City Hospital\","
	    "\"notified_at\":\"2026-11-01T09:15:00Z\","
	    "\"priority\":{\"child\":false,\"faith\":true,\"cultural\":false,"
	    "\"coroner\":false,\"other\":false},"
	    "\"urgent_release\":{\"requested\":%s%s},"
	    "\"attending_practitioner\":{\"name\":\"Dr Prakash\","
	    "\"gmc_number\":\"7654321\"}}", family, n,
	    urgent ? "true" : "false", urgent ? ",\"reason\":\"faith\"" : "");
	api(s, "POST", "/api/v1/cases", 0, body, &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body);
	snprintf(id, 32, "%s", t_json_str(&r, "id"));
	t_resp_free(&r);
}

static void
get_page(const char *path, const struct t_session *s, struct t_resp *r)
{
	const char	*h[2] = { s->cookie, NULL };

	t_request("GET", path, h, NULL, 0, r);
	ck_assert_msg(r->status == 200, "%s: %ld %s", path, r->status,
	    r->body);
}

static void
case_page(const char *id, const char *suffix, const struct t_session *s,
    struct t_resp *r)
{
	char	path[128];

	snprintf(path, sizeof(path), "/cases/%s%s", id, suffix);
	get_page(path, s, r);
}

static void
has(const struct t_resp *r, const char *text)
{
	ck_assert_msg(strstr(r->body, text) != NULL, "no \"%s\" on the page",
	    text);
}

static void
hasnt(const struct t_resp *r, const char *text)
{
	ck_assert_msg(strstr(r->body, text) == NULL, "\"%s\" on the page",
	    text);
}

/* The whole case: every kind of record.  The contact's id in cid. */
static void
build(struct t_session *officer, struct t_session *me, char id[32],
    char cid[32])
{
	struct t_resp	r;
	json_t		*x;
	char		body[1024], nid[32];

	create(officer, "Okafor", 1, id);
	write_ok(me, "POST", id, "/transitions",
	    "{\"to\":\"in_scrutiny\",\"independent\":true}", NULL);
	write_ok(officer, "PUT", id, "/assignment",
	    "{\"officer\":\"pc.officer\"}", NULL);
	write_ok(officer, "POST", id, "/representatives",
	    "{\"name\":\"Mary Smith\",\"relationship\":\"daughter\","
	    "\"phone\":\"07700 900123\",\"is_informant\":true}", NULL);
	write_ok(officer, "POST", id, "/contacts",
	    "{\"person_name\":\"Mary Smith\",\"relationship\":\"daughter\","
	    "\"method\":\"phone\",\"outcome\":\"reached\","
	    "\"at\":\"2026-11-02T10:00:00Z\",\"questions\":\"" QUESTIONS "\","
	    "\"concerns_raised\":true,\"concerns\":\"" CONCERNS "\"}", &r);
	x = json_array_get(json_object_get(r.json, "contacts"), 0);
	snprintf(cid, 32, "%s", json_string_value(json_object_get(x, "id")));
	t_resp_free(&r);
	write_ok(officer, "POST", id, "/notes", "{\"kind\":\"officer_summary\","
	    "\"text\":\"" NOTE_SUMMARY "\"}", NULL);
	write_ok(officer, "POST", id, "/notes", "{\"kind\":\"admission\","
	    "\"text\":\"" NOTE_ADMISSION "\"}", NULL);
	write_ok(officer, "POST", id, "/notes", "{\"kind\":\"medical_history\","
	    "\"text\":\"" NOTE_HISTORY "\"}", NULL);
	write_ok(officer, "POST", id, "/notes", "{\"kind\":\"other\","
	    "\"text\":\"" NOTE_OTHER "\"}", &r);
	x = json_object_get(r.json, "notes");
	x = json_array_get(x, json_array_size(x) - 1);
	snprintf(nid, sizeof(nid), "%s",
	    json_string_value(json_object_get(x, "id")));
	t_resp_free(&r);
	snprintf(body, sizeof(body), "{\"kind\":\"other\",\"text\":\""
	    NOTE_AMENDED "\",\"amends\":\"%s\"}", nid);
	write_ok(officer, "POST", id, "/notes", body, NULL);
	write_ok(me, "POST", id, "/notes", "{\"kind\":\"record_review\","
	    "\"text\":\"" NOTE_REVIEW "\",\"circumstances\":\"expected\","
	    "\"proposed_outcome\":\"mccd\"}", NULL);
	write_ok(me, "POST", id, "/practitioner-discussions",
	    "{\"practitioner\":{\"name\":\"Dr Prakash\","
	    "\"gmc_number\":\"7654321\"},\"at\":\"2026-11-02T12:00:00Z\","
	    "\"happened\":true,\"proposed_cause\":\"" DISC_CAUSE "\","
	    "\"outcome\":\"agreed\"}", NULL);
	write_ok(me, "PUT", id, "/cause-of-death", "{\"form\":\"standard\","
	    "\"part1a\":\"" COD_1A "\",\"part1b\":\"" COD_1B "\","
	    "\"part2\":\"" COD_2 "\","
	    "\"agreed_with_attending_practitioner\":true}", NULL);
	snprintf(body, sizeof(body), "{\"kind\":\"patient_safety\","
	    "\"reason\":\"" GOV_REASON "\",\"contact_id\":\"%s\"}", cid);
	write_ok(me, "POST", id, "/governance-referrals", body, NULL);
	write_ok(officer, "PUT", id, "/coroner-referral",
	    "{\"categories\":[\"treatment_or_procedure\"],"
	    "\"reason\":\"" COR_REASON "\"}", NULL);
	write_ok(officer, "PUT", id, "/coroner-decision",
	    "{\"decision\":\"not_investigating\","
	    "\"decided_at\":\"2026-11-03T15:00:00Z\","
	    "\"coroner_reference\":\"COR/2026/0815\"}", NULL);
	write_ok(officer, "PUT", id, "/final-actions",
	    "{\"disposal\":\"cremation\",\"funeral_director\":\"" FUNERAL "\","
	    "\"implants\":\"present_not_removed\","
	    "\"implant_detail\":\"Pacemaker\",\"gp_notified\":\"notified\"}",
	    NULL);
}

START_TEST(the_page_shows_every_record_with_display_names)
{
	struct t_session	officer, me;
	struct t_resp		r;
	char			id[32], cid[32], anchor[64];

	t_login_ok("pc.officer", &officer);
	t_login_ok("pc.me", &me);
	build(&officer, &me, id, cid);
	case_page(id, "", &officer, &r);
	/* Details and notification, in words. */
	has(&r, "Black or Black British: African");
	has(&r, "Female");
	has(&r, "Ward 7, City Hospital");
	has(&r, "1 Nov 2026 09:15 GMT");
	has(&r, "Faith");
	/* The people and the contact. */
	has(&r, "Mary Smith");
	has(&r, "07700 900123");
	has(&r, QUESTIONS);
	has(&r, CONCERNS);
	/* Notes by kind, the amended one shown as such. */
	has(&r, NOTE_SUMMARY);
	has(&r, NOTE_ADMISSION);
	has(&r, NOTE_HISTORY);
	has(&r, NOTE_REVIEW);
	has(&r, NOTE_OTHER);
	has(&r, NOTE_AMENDED);
	has(&r, "Amended</strong>");
	has(&r, "Superseded</strong>");
	has(&r, "Expected");
	has(&r, DISC_CAUSE);
	/* The cause of death exactly as recorded. */
	has(&r, COD_1A);
	has(&r, COD_1B);
	has(&r, COD_2);
	/* Coroner, governance linked to its contact, final actions. */
	has(&r, "Treatment or procedure");
	has(&r, COR_REASON);
	has(&r, "COR/2026/0815");
	has(&r, "Not investigating");
	has(&r, GOV_REASON);
	snprintf(anchor, sizeof(anchor), "href=\"#contact-%s\"", cid);
	has(&r, anchor);
	snprintf(anchor, sizeof(anchor), "id=\"contact-%s\"", cid);
	has(&r, anchor);
	has(&r, FUNERAL);
	has(&r, "Present, not removed");
	/* Display names, not usernames. */
	has(&r, "Moved from Notified to In scrutiny by Dr Asha Rao");
	has(&r, "Contact with Mary Smith (daughter): reached by Olu Officer");
	has(&r, "Assigned to Olu Officer as officer by Olu Officer");
	has(&r, "Note added (Record review) by Dr Asha Rao");
	has(&r, "Cause of death recorded by Dr Asha Rao");
	hasnt(&r, "by pc.");
	hasnt(&r, ">pc.me<");
	/* The officer may change the details. */
	snprintf(anchor, sizeof(anchor), "href=\"/cases/%s/details\"", id);
	has(&r, anchor);
	t_resp_free(&r);
}
END_TEST

START_TEST(the_liaison_officer_gets_no_notes_discussions_or_governance)
{
	struct t_session	officer, me, liaison;
	struct t_resp		r;
	char			id[32], cid[32];

	t_login_ok("pc.officer", &officer);
	t_login_ok("pc.me", &me);
	t_login_ok("pc.liaison", &liaison);
	build(&officer, &me, id, cid);
	case_page(id, "", &liaison, &r);
	has(&r, COD_1A);
	has(&r, COD_2);
	has(&r, QUESTIONS);
	has(&r, CONCERNS);
	has(&r, "Mary Smith");
	hasnt(&r, NOTE_SUMMARY);
	hasnt(&r, NOTE_ADMISSION);
	hasnt(&r, NOTE_HISTORY);
	hasnt(&r, NOTE_REVIEW);
	hasnt(&r, NOTE_OTHER);
	hasnt(&r, NOTE_AMENDED);
	hasnt(&r, DISC_CAUSE);
	hasnt(&r, GOV_REASON);
	hasnt(&r, "Patient safety");
	hasnt(&r, "/details\"");
	t_resp_free(&r);
	/* Nor in the print view. */
	case_page(id, "/print", &liaison, &r);
	has(&r, COD_1A);
	hasnt(&r, NOTE_REVIEW);
	hasnt(&r, DISC_CAUSE);
	hasnt(&r, GOV_REASON);
	t_resp_free(&r);
}
END_TEST

START_TEST(urgent_release_banner_and_implants_warning_when_they_hold)
{
	struct t_session	officer, me;
	struct t_resp		r;
	char			id[32], plain[32], cid[32];

	t_login_ok("pc.officer", &officer);
	t_login_ok("pc.me", &me);
	build(&officer, &me, id, cid);
	case_page(id, "", &officer, &r);
	has(&r, "id=\"urgent-banner\"");
	has(&r, "Urgent release of the body has been requested");
	has(&r, "id=\"implants-warning\"");
	t_resp_free(&r);

	/* The outcome recorded: no banner; implants removed: no warning. */
	write_ok(&officer, "PUT", id, "/urgent-release",
	    "{\"requested\":true,\"reason\":\"faith\","
	    "\"outcome\":\"achieved\"}", NULL);
	write_ok(&officer, "PUT", id, "/final-actions",
	    "{\"disposal\":\"cremation\",\"implants\":\"present_removed\","
	    "\"gp_notified\":\"notified\"}", NULL);
	case_page(id, "", &officer, &r);
	hasnt(&r, "id=\"urgent-banner\"");
	hasnt(&r, "id=\"implants-warning\"");
	has(&r, "Achieved");
	t_resp_free(&r);

	/* Implants left in, but a burial: no warning. */
	write_ok(&officer, "PUT", id, "/final-actions",
	    "{\"disposal\":\"burial\",\"implants\":\"present_not_removed\","
	    "\"gp_notified\":\"notified\"}", NULL);
	case_page(id, "", &officer, &r);
	hasnt(&r, "id=\"implants-warning\"");
	t_resp_free(&r);

	/* A case without an urgent release and without final actions. */
	create(&officer, "Plain", 0, plain);
	case_page(plain, "", &officer, &r);
	hasnt(&r, "id=\"urgent-banner\"");
	hasnt(&r, "id=\"implants-warning\"");
	t_resp_free(&r);
}
END_TEST

START_TEST(withdrawn_case_says_why_and_saved_says_what)
{
	struct t_session	officer, lead;
	struct t_resp		r;
	char			id[32], body[256];

	t_login_ok("pc.officer", &officer);
	t_login_ok("pc.lead", &lead);
	create(&officer, "Withdrawn", 0, id);
	case_page(id, "?saved=contact", &officer, &r);
	has(&r, "id=\"saved-banner\"");
	has(&r, "Contact saved");
	hasnt(&r, "id=\"state-banner\"");
	t_resp_free(&r);
	/* A slug it does not know shows nothing of it. */
	case_page(id, "?saved=%3Cscript%3E", &officer, &r);
	hasnt(&r, "id=\"saved-banner\"");
	hasnt(&r, "<script>");
	t_resp_free(&r);

	snprintf(body, sizeof(body), "{\"to\":\"withdrawn\",\"reason\":\""
	    WITHDRAWN_WHY "\"}");
	write_ok(&lead, "POST", id, "/transitions", body, NULL);
	case_page(id, "", &officer, &r);
	has(&r, "id=\"state-banner\"");
	has(&r, "This case was withdrawn");
	has(&r, WITHDRAWN_WHY);
	has(&r, "Moved from Notified to Withdrawn by Dr Lena Lead (reason: "
	    WITHDRAWN_WHY ")");
	t_resp_free(&r);
}
END_TEST

START_TEST(print_view_says_where_when_and_who_and_records_one_printed_event)
{
	struct t_session	 officer, me;
	struct t_resp		 r;
	PGconn			*db;
	const char		*p[1];
	char			 id[32], cid[32], cmd[512], *v, *views;

	t_login_ok("pc.officer", &officer);
	t_login_ok("pc.me", &me);
	build(&officer, &me, id, cid);
	db = t_db("db_owner");
	ck_assert_int_eq(t_db_exec(db, "SELECT set_config('medex.office_id', "
	    "(SELECT id FROM offices WHERE code = 'PC')::text, false)", NULL,
	    0), 0);
	p[0] = id;
	/* Views and prints are in the trail once chained (case_views). */
	(void)t_chain_views();
	views = t_db_value_p(db, "SELECT count(*) FROM case_events WHERE "
	    "case_id = $1::bigint AND action = 'viewed'", 1, p);
	ck_assert_msg(strtol(views, NULL, 10) > 0, "no views: %s", views);
	case_page(id, "/print", &me, &r);
	has(&r, "id=\"print-footer\"");
	has(&r, "Office PC (PC). Printed ");
	has(&r, " by Dr Asha Rao.</p>");
	has(&r, COD_1A);
	has(&r, NOTE_REVIEW);
	hasnt(&r, "id=\"actions\"");
	hasnt(&r, "/details\"");
	hasnt(&r, "medex-print-only\" ");
	t_resp_free(&r);
	(void)t_chain_views();
	v = t_db_value_p(db, "SELECT count(*) FROM case_events WHERE "
	    "case_id = $1::bigint AND action = 'printed'", 1, p);
	ck_assert_str_eq(v, "1");
	free(v);
	v = t_db_value_p(db, "SELECT count(*) FROM case_events WHERE "
	    "case_id = $1::bigint AND action = 'viewed'", 1, p);
	ck_assert_str_eq(v, views);
	free(v);
	free(views);
	PQfinish(db);
	/* The print is not in the timeline; the chain still verifies. */
	case_page(id, "", &me, &r);
	hasnt(&r, "Printed by");
	t_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "%s/medexctl audit verify >/dev/null",
	    getenv("MEDEX_TEST_OUT"));
	ck_assert_int_eq(t_run(cmd), 0);
}
END_TEST

/*
 * The task list links to the forms the reader may use; a move whose
 * requirements are unmet says what is missing, who must act and links
 * the form; withdraw sits behind a warning button and a page that says
 * what will happen; the next step follows the case.
 */
START_TEST(tasks_link_forms_and_unmet_moves_say_what_is_missing)
{
	struct t_session	officer, me, lead;
	struct t_resp		r;
	char			id[32], want[256];

	t_login_ok("pc.officer", &officer);
	t_login_ok("pc.me", &me);
	t_login_ok("pc.lead", &lead);
	create(&officer, "Tasks", 0, id);
	write_ok(&me, "POST", id, "/transitions",
	    "{\"to\":\"in_scrutiny\",\"independent\":true}", NULL);

	case_page(id, "", &me, &r);
	snprintf(want, sizeof(want), "class=\"nhsuk-link nhsuk-task-list__link"
	    "\" href=\"/cases/%s/record-review\"", id);
	has(&r, want);
	snprintf(want, sizeof(want), "href=\"/cases/%s/record-review\" "
	    "id=\"next-step\" role=\"button\"", id);
	has(&r, want);
	has(&r, "Awaiting the MCCD: not yet possible");
	has(&r, "The cause of death is not agreed with the attending "
	    "practitioner. The medical examiner must record the cause of "
	    "death.");
	snprintf(want, sizeof(want), "<a href=\"/cases/%s/cause-of-death\">"
	    "Cause of death form</a>", id);
	has(&r, want);
	hasnt(&r, "Move to: Awaiting the MCCD");
	hasnt(&r, "Withdraw the case");
	t_resp_free(&r);

	/* The officer reads the scrutiny tasks but may not do them. */
	case_page(id, "", &officer, &r);
	snprintf(want, sizeof(want), "href=\"/cases/%s/record-review\"", id);
	hasnt(&r, want);
	has(&r, "<span>Review the medical records</span>");
	snprintf(want, sizeof(want), "href=\"/cases/%s/contact\" "
	    "id=\"next-step\"", id);
	has(&r, want);
	t_resp_free(&r);

	/* Withdrawal: a warning button, then a page that says what. */
	case_page(id, "", &lead, &r);
	hasnt(&r, "Move to: Withdrawn");
	snprintf(want, sizeof(want), "class=\"nhsuk-button "
	    "nhsuk-button--warning\" href=\"/cases/%s/transition?to=withdrawn"
	    "\"", id);
	has(&r, want);
	t_resp_free(&r);
	case_page(id, "/transition?to=withdrawn", &lead, &r);
	has(&r, "Withdraw the case");
	has(&r, "What will happen");
	has(&r, "The case leaves every working list");
	has(&r, "nhsuk-button nhsuk-button--warning\" data-module");
	has(&r, "name=\"reason\"");
	t_resp_free(&r);

	/* Scrutiny done: the move is offered, as the next step too. */
	write_ok(&me, "POST", id, "/notes", "{\"kind\":\"record_review\","
	    "\"text\":\"" NOTE_REVIEW "\",\"circumstances\":\"expected\","
	    "\"proposed_outcome\":\"mccd\"}", NULL);
	write_ok(&me, "POST", id, "/practitioner-discussions",
	    "{\"practitioner\":{\"name\":\"Dr Prakash\","
	    "\"gmc_number\":\"7654321\"},\"at\":\"2026-11-02T12:00:00Z\","
	    "\"happened\":true,\"outcome\":\"agreed\"}", NULL);
	write_ok(&me, "PUT", id, "/cause-of-death", "{\"form\":\"standard\","
	    "\"part1a\":\"" COD_1A "\","
	    "\"agreed_with_attending_practitioner\":true}", NULL);
	write_ok(&officer, "POST", id, "/contacts",
	    "{\"person_name\":\"Mary Smith\",\"relationship\":\"daughter\","
	    "\"method\":\"phone\",\"outcome\":\"reached\","
	    "\"at\":\"2026-11-02T10:00:00Z\",\"concerns_raised\":false}", NULL);
	case_page(id, "", &me, &r);
	has(&r, "Move to: Awaiting the MCCD");
	hasnt(&r, "Awaiting the MCCD: not yet possible");
	snprintf(want, sizeof(want), "href=\"/cases/%s/transition?"
	    "to=awaiting_mccd\" id=\"next-step\" role=\"button\" "
	    "draggable=\"false\">Record the outcome of scrutiny</a>", id);
	has(&r, want);
	t_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("page_case");
	tc = tcase_create("case page");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, the_page_shows_every_record_with_display_names);
	tcase_add_test(tc,
	    the_liaison_officer_gets_no_notes_discussions_or_governance);
	tcase_add_test(tc,
	    urgent_release_banner_and_implants_warning_when_they_hold);
	tcase_add_test(tc, withdrawn_case_says_why_and_saved_says_what);
	tcase_add_test(tc,
	    tasks_link_forms_and_unmet_moves_say_what_is_missing);
	tcase_add_test(tc,
	    print_view_says_where_when_and_who_and_records_one_printed_event);
	suite_add_tcase(s, tc);
	return (t_main(s));
}
