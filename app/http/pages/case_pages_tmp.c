/*
 * The case pages (issue 6): the work queue, the new-case form, the case
 * page and a form for each action on a case.
 *
 * Each page calls the same api_* SQL function as its API route, with
 * the parameters prepared by the same code (api_cases.h), and writes
 * the JSON answer out as HTML through html_writer.h only.  A form POST
 * is turned into the JSON body the API would take, checked by the same
 * case_body_check(), and answered by a 303 to the case page; what the
 * checks or the database refuse comes back as the form with an error
 * summary (422), a stale version as the form with the conflict in
 * words (412).  The actions a page offers come from case_state.h's
 * table and the route table's roles: what the API would refuse is not
 * shown, and posting it anyway is refused by the same SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "medex.h"
#include "api.h"
#include "api_cases.h"
#include "db_async.h"
#include "handlers.h"
#include "page_frame.h"
#include "respond.h"
#include "case_body.h"
#include "case_state.h"
#include "form.h"
#include "html_writer.h"
#include "london_time.h"
#include "page.h"
#include "query.h"
#include "sql_batch.h"

#define PC_CALLS	4
#define PC_PARAMS	16
#define TIMELINE_MAX	"200"	/* changes on the case page */

static const char sql_me[] = "SELECT * FROM api_me($1, $2, $3, $4, $5, $6)";
/* Who, the case and its latest changes, checked once (0013_page_case.sql). */
static const char sql_page_case[] =
    "SELECT * FROM api_page_case($1, $2, $3, $4, $5, $6, $7, $8::boolean, "
    "$9::boolean, $10::integer)";
static const char sql_summary[] =
    "SELECT * FROM api_case_summary($1, $2, $3, $4, $5, $6)";
/* The API's writes behind the form's key (migrations/0007_pages.sql). */
static const char sql_page_case_write[] =
    "SELECT * FROM api_page_case_write($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9, $10::integer, $11, $12, $13::jsonb, $14::jsonb)";
static const char sql_page_case_transition[] =
    "SELECT * FROM api_page_case_transition($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10::jsonb, $11, $12::jsonb, $13::jsonb, "
    "$14, $15::boolean, $16::date, $17, $18)";
#define KEY_BAD_MSG	"This form is not one that medex gave out. Go back, " \
			"reload the page and try again."

enum ftype {
	F_TEXT = 0,
	F_AREA,
	F_DATE,		/* day, month, year -> YYYY-MM-DD */
	F_AT,		/* a London date and time -> RFC 3339 (UTC) */
	F_RADIOS,
	F_YESNO,	/* radios -> true / false */
	F_CHECK,	/* one checkbox -> true / false */
	F_CHECKS,	/* checkboxes -> a list */
	F_HIDDEN
};

struct fspec {
	const char		*name;	/* the input's name and id */
	const char		*key;	/* JSON key; "a.b" nests */
	const char		*label;
	enum ftype		 type;
	const char *const	*codes;	/* choices; F_HIDDEN's value */
	const char		*hint;
	const char		*width;
};

struct act {
	const char		*slug;
	const char		*title;
	const char		*button;
	enum route_id		 api;
	enum case_body_kind	 body;
	const char		*kind;
	int			 put;	/* sends the version */
	unsigned int		 roles;	/* who is offered it */
	const struct fspec	*fields;
};

struct pc;
typedef void	(*pc_render)(struct medex_req *, struct pc *,
		    struct sbuf *);

struct pc_call {
	const char	*sql;
	int		 n;
	char		*p[PC_PARAMS];
	json_t		**out;
	int		 optional;
};

struct pc {
	char			 id[ROUTE_CAPTURE_LEN];
	const struct act	*act;
	char			 to[32];
	char			 display_name[256];
	json_t			*me, *kase, *events, *list, *summary;
	json_t			*page;	/* one call's {me, case, timeline} */
	json_t			*errors;	/* field -> message */
	const char		*banner;	/* above the form, in words */
	int			 status;
	int			 ncalls, cur, failed;
	struct pc_call		 call[PC_CALLS];
	pc_render		 render;
	char			 batch_sql[2048];	/* see pc_run() */
	const char		*redirect_to;	/* after a write */
	char			 location[128];
};

static const char *const yes_no[] = { "yes", "no", NULL };
static const char *const kind_record_review[] = { "record_review", NULL };
static const char *const form_standard[] = { "standard", NULL };
static const char *const form_neonatal[] = { "neonatal", NULL };

static const struct fspec f_create[] = {
	{ "given_name", "given_name", "Given names", F_TEXT, NULL, NULL,
	    "20" },
	{ "family_name", "family_name", "Family name", F_TEXT, NULL, NULL,
	    "20" },
	{ "nhs_number", "nhs_number", "NHS number (optional)", F_TEXT, NULL,
	    "A 10 digit number, for example 485 777 3456", "10" },
	{ "date_of_birth", "date_of_birth", "Date of birth", F_DATE, NULL,
	    "For example, 15 3 1984", NULL },
	{ "sex", "sex", "Sex", F_RADIOS, case_sex_codes, NULL, NULL },
	{ "date_of_death", "date_of_death", "Date of death", F_DATE, NULL,
	    "For example, 27 10 2026", NULL },
	{ "time_of_death", "time_of_death", "Time of death (optional)",
	    F_TEXT, NULL, "24-hour clock, for example 14:30", "5" },
	{ "place_of_death", "place_of_death", "Place of death", F_RADIOS,
	    case_place_codes, NULL, NULL },
	{ "place_detail", "place_detail", "Place details (optional)", F_TEXT,
	    NULL, "For example, the ward or the address", NULL },
	{ "ap_name", "attending_practitioner.name",
	    "Attending practitioner's name", F_TEXT, NULL, NULL, "20" },
	{ "ap_gmc", "attending_practitioner.gmc_number",
	    "Attending practitioner's GMC number", F_TEXT, NULL,
	    "7 digits", "10" },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_record_review[] = {
	{ "kind", "kind", NULL, F_HIDDEN, kind_record_review, NULL, NULL },
	{ "text", "text", "Your review of the medical records", F_AREA, NULL,
	    NULL, NULL },
	{ "circumstances", "circumstances", "Circumstances of the death",
	    F_RADIOS, case_circumstances, NULL, NULL },
	{ "proposed_outcome", "proposed_outcome", "Proposed outcome",
	    F_RADIOS, case_proposed_outcomes, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_discussion[] = {
	{ "pr_name", "practitioner.name", "Practitioner's name", F_TEXT, NULL,
	    NULL, "20" },
	{ "pr_gmc", "practitioner.gmc_number", "Practitioner's GMC number",
	    F_TEXT, NULL, "7 digits", "10" },
	{ "at", "at", "When was it", F_AT, NULL, NULL, NULL },
	{ "happened", "happened", "Did the discussion take place", F_YESNO,
	    yes_no, NULL, NULL },
	{ "reason_not", "reason_not", "If not, why not", F_AREA, NULL, NULL,
	    NULL },
	{ "proposed_cause", "proposed_cause",
	    "Cause of death the practitioner proposed (optional)", F_AREA,
	    NULL, NULL, NULL },
	{ "outcome", "outcome", "Outcome", F_RADIOS, case_discussion_outcomes,
	    NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_cause[] = {
	{ "form", "form", NULL, F_HIDDEN, form_standard, NULL, NULL },
	{ "part1a", "part1a", "Part I (a) Disease or condition leading "
	    "directly to death", F_TEXT, NULL, NULL, NULL },
	{ "part1b", "part1b", "Part I (b) due to (optional)", F_TEXT, NULL,
	    NULL, NULL },
	{ "part1c", "part1c", "Part I (c) due to (optional)", F_TEXT, NULL,
	    NULL, NULL },
	{ "part1d", "part1d", "Part I (d) due to (optional)", F_TEXT, NULL,
	    NULL, NULL },
	{ "part2", "part2", "Part II Other significant conditions (optional)",
	    F_TEXT, NULL, NULL, NULL },
	{ "agreed", "agreed_with_attending_practitioner",
	    "Agreed with the attending practitioner", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_cause_neonatal[] = {
	{ "form", "form", NULL, F_HIDDEN, form_neonatal, NULL, NULL },
	{ "infant_main", "infant_main", "Main disease or condition in the "
	    "infant", F_TEXT, NULL, NULL, NULL },
	{ "infant_other", "infant_other", "Other diseases or conditions in "
	    "the infant (optional)", F_TEXT, NULL, NULL, NULL },
	{ "maternal_main", "maternal_main", "Main maternal disease or "
	    "condition affecting the infant (optional)", F_TEXT, NULL, NULL,
	    NULL },
	{ "maternal_other", "maternal_other", "Other maternal diseases or "
	    "conditions (optional)", F_TEXT, NULL, NULL, NULL },
	{ "other_relevant", "other_relevant", "Other relevant causes "
	    "(optional)", F_TEXT, NULL, NULL, NULL },
	{ "agreed", "agreed_with_attending_practitioner",
	    "Agreed with the attending practitioner", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_contact[] = {
	{ "person_name", "person_name", "Name of the person", F_TEXT, NULL,
	    NULL, "20" },
	{ "relationship", "relationship", "Relationship to the deceased",
	    F_TEXT, NULL, NULL, "20" },
	{ "method", "method", "How", F_RADIOS, case_contact_methods, NULL,
	    NULL },
	{ "outcome", "outcome", "Outcome", F_RADIOS, case_contact_outcomes,
	    NULL, NULL },
	{ "at", "at", "When", F_AT, NULL, NULL, NULL },
	{ "questions", "questions", "Their questions (optional)", F_AREA,
	    NULL, NULL, NULL },
	{ "concerns_raised", "concerns_raised", "Did they raise concerns",
	    F_YESNO, yes_no, NULL, NULL },
	{ "concerns", "concerns", "Their concerns (optional)", F_AREA, NULL,
	    NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_exhausted[] = {
	{ "reason", "reason", "Why no one could be given the chance to ask "
	    "questions", F_RADIOS, case_exhausted_reasons, NULL, NULL },
	{ "detail", "detail", "Details (optional)", F_AREA, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_coroner_referral[] = {
	{ "categories", "categories", "Reasons under the Notification of "
	    "Deaths Regulations 2019", F_CHECKS, case_referral_categories,
	    "Select all that apply", NULL },
	{ "reason", "reason", "Reason for the referral", F_AREA, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_coroner_decision[] = {
	{ "decision", "decision", "The coroner's decision", F_RADIOS,
	    case_coroner_decisions, NULL, NULL },
	{ "decided_at", "decided_at", "When was it made", F_AT, NULL, NULL,
	    NULL },
	{ "coroner_reference", "coroner_reference", "Coroner's reference "
	    "(optional)", F_TEXT, NULL, NULL, "20" },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_governance[] = {
	{ "kind", "kind", "Referral", F_RADIOS, case_governance_kinds,
	    "Choose none for a concern that needs no referral", NULL },
	{ "reason", "reason", "Reason", F_AREA, NULL, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_final[] = {
	{ "disposal", "disposal", "Disposal", F_RADIOS, case_disposals, NULL,
	    NULL },
	{ "funeral_director", "funeral_director", "Funeral director "
	    "(optional)", F_TEXT, NULL, NULL, "20" },
	{ "implants", "implants", "Implants", F_RADIOS, case_implants, NULL,
	    NULL },
	{ "implant_detail", "implant_detail", "Implant details (optional)",
	    F_TEXT, NULL, NULL, NULL },
	{ "gp_notified", "gp_notified", "GP notified", F_RADIOS,
	    case_gp_notified, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_urgent[] = {
	{ "requested", "requested", "Urgent release requested", F_YESNO,
	    yes_no, NULL, NULL },
	{ "reason", "reason", "Reason (if requested)", F_RADIOS,
	    case_urgent_reasons, NULL, NULL },
	{ "outcome", "outcome", "Outcome (optional)", F_RADIOS,
	    case_urgent_outcomes, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct fspec f_representative[] = {
	{ "name", "name", "Name", F_TEXT, NULL, NULL, "20" },
	{ "relationship", "relationship", "Relationship to the deceased",
	    F_TEXT, NULL, NULL, "20" },
	{ "phone", "phone", "Phone number (optional)", F_TEXT, NULL, NULL,
	    "20" },
	{ "email", "email", "Email address (optional)", F_TEXT, NULL, NULL,
	    NULL },
	{ "present_at_death", "present_at_death", "Were they present at the "
	    "death (optional)", F_YESNO, yes_no, NULL, NULL },
	{ "is_informant", "is_informant", "Are they the informant who will "
	    "register the death (optional)", F_YESNO, yes_no, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* An ME claims the case (their username is filled in), or assigns. */
static const struct fspec f_assign[] = {
	{ "examiner", "examiner", "Medical examiner (username)", F_TEXT, NULL,
	    "Yours is filled in: keep it to take the case yourself", "20" },
	{ "officer", "officer", "Medical examiner officer (username, "
	    "optional)", F_TEXT, NULL, NULL, "20" },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* An officer assigns the case's officer (API.md: not the examiner). */
static const struct fspec f_assign_officer[] = {
	{ "officer", "officer", "Medical examiner officer (username)", F_TEXT,
	    NULL, "Yours is filled in: keep it to take the case yourself",
	    "20" },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

/* The transition's inputs; which are shown depends on the row's guards. */
static const struct fspec f_tr_independent[] = {
	{ "independent", "independent", "I had no part in the care of the "
	    "deceased and have no conflict of interest", F_CHECK, NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};
static const struct fspec f_tr_reason[] = {
	{ "reason", "reason", "Reason", F_AREA, NULL, NULL, NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};
static const struct fspec f_tr_mccd[] = {
	{ "mccd_issued_on", "mccd_issued_on", "Date the MCCD was issued",
	    F_DATE, NULL, "For example, 27 10 2026", NULL },
	{ NULL, NULL, NULL, F_TEXT, NULL, NULL, NULL }
};

static const struct act acts[] = {
	{ "record-review", "Record review", "Save the review",
	    R_CASES_NOTES_ADD, CASE_BODY_NOTE, "note", 0, RB_EXAMINERS,
	    f_record_review },
	{ "discussion", "Discussion with the attending practitioner",
	    "Save the discussion", R_CASES_DISCUSSIONS, CASE_BODY_DISCUSSION,
	    "discussion", 0, RB_EXAMINERS, f_discussion },
	{ "cause-of-death", "Cause of death", "Save the cause of death",
	    R_CASES_CAUSE, CASE_BODY_CAUSE_OF_DEATH, "cause_of_death", 1,
	    RB_EXAMINERS, f_cause },
	{ "cause-of-death-neonatal", "Cause of death (neonatal)",
	    "Save the cause of death", R_CASES_CAUSE,
	    CASE_BODY_CAUSE_OF_DEATH, "cause_of_death", 1, RB_EXAMINERS,
	    f_cause_neonatal },
	{ "contact", "Contact with the bereaved", "Save the contact",
	    R_CASES_CONTACTS, CASE_BODY_CONTACT, "contact", 0,
	    RB_CASE_READERS, f_contact },
	{ "contact-exhausted", "No bereaved contact possible",
	    "Save", R_CASES_EXHAUSTED, CASE_BODY_EXHAUSTED, "exhausted", 0,
	    RB_CASE_READERS, f_exhausted },
	{ "coroner-referral", "Coroner referral", "Save the referral",
	    R_CASES_CORONER_REFERRAL, CASE_BODY_CORONER_REFERRAL,
	    "coroner_referral", 1, RB_CASEWORKERS, f_coroner_referral },
	{ "coroner-decision", "Coroner's decision", "Save the decision",
	    R_CASES_CORONER_DECISION, CASE_BODY_CORONER_DECISION,
	    "coroner_decision", 1, RB_CASEWORKERS, f_coroner_decision },
	{ "governance", "Governance referral", "Save", R_CASES_GOVERNANCE,
	    CASE_BODY_GOVERNANCE, "governance", 0, RB_EXAMINERS,
	    f_governance },
	{ "final-actions", "Final actions", "Save the final actions",
	    R_CASES_FINAL_ACTIONS, CASE_BODY_FINAL_ACTIONS, "final_actions", 1,
	    RB_CASEWORKERS, f_final },
	{ "urgent-release", "Urgent release", "Save", R_CASES_URGENT_RELEASE,
	    CASE_BODY_URGENT_RELEASE, "urgent_release", 1, RB_CASEWORKERS,
	    f_urgent },
	{ "representative", "Add a bereaved person to contact",
	    "Save the person", R_CASES_REPRESENTATIVES,
	    CASE_BODY_REPRESENTATIVE, "representative", 0, RB_CASE_READERS,
	    f_representative },
	{ "assignment", "Assign the case", "Save the assignment",
	    R_CASES_ASSIGNMENT, CASE_BODY_ASSIGNMENT, "assignment", 1,
	    RB_EXAMINERS, f_assign },
	{ "assign-officer", "Assign the case's officer", "Save the assignment",
	    R_CASES_ASSIGNMENT, CASE_BODY_ASSIGNMENT, "assignment", 1,
	    RB_OFFICER, f_assign_officer },
	{ "transition", "Change the state", "Continue", R_CASES_TRANSITION,
	    CASE_BODY_TRANSITION, NULL, 1, RB_CASEWORKERS, NULL },
};

/*
 * Conditional reveals (NHS.UK's radios pattern): the inner field is
 * written inside the choice's nhsuk-radios__conditional block.  Without
 * JavaScript it is simply shown; with it, NHS.UK frontend's radios
 * script hides it until the choice is made.
 */
static const struct reveal {
	const struct fspec	*set;
	const char		*field;
	const char		*code;
	const char		*inner;
} reveals[] = {
	{ f_discussion, "happened", "no", "reason_not" },
	{ f_contact, "concerns_raised", "yes", "concerns" },
	{ f_exhausted, "reason", "other", "detail" },
	{ f_coroner_decision, "decision", "investigating",
	    "coroner_reference" },
	{ f_urgent, "requested", "yes", "reason" },
	{ f_urgent, "requested", "yes", "outcome" },
};

static void	pc_free(void *);
static const struct act	*act_find(const char *);
static int	pc_next(struct http_request *, struct medex_req *);
static void	pc_batch_cb(struct http_request *, struct medex_req *,
		    struct kore_pgsql *);

/* "care_home" -> "Care home". */
static void
code_label(const char *code, char *buf, size_t len)
{
	size_t	i;

	snprintf(buf, len, "%s", code != NULL ? code : "");
	for (i = 0; buf[i] != '\0'; i++) {
		if (buf[i] == '_')
			buf[i] = ' ';
	}
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

static const char *
jstr(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

static struct pc *
pc_new(struct medex_req *mr)
{
	struct pc	*pc;

	pc = kore_calloc(1, sizeof(*pc));
	pc->status = 200;
	if (mr->cap.count > 0)
		kore_strlcpy(pc->id, mr->cap.value[0], sizeof(pc->id));
	mr->step_data = pc;
	mr->step_free = pc_free;
	return (pc);
}

static void
pc_free(void *arg)
{
	struct pc	*pc = arg;
	int		 i, k;

	for (i = 0; i < pc->ncalls; i++) {
		for (k = 0; k < PC_PARAMS; k++)
			kore_free(pc->call[i].p[k]);
	}
	json_decref(pc->page);
	json_decref(pc->me);
	json_decref(pc->kase);
	json_decref(pc->events);
	json_decref(pc->list);
	json_decref(pc->summary);
	json_decref(pc->errors);
	kore_free(pc);
}

static void
pc_add(struct pc *pc, const char *sql, int n, const char **params,
    json_t **out, int optional)
{
	struct pc_call	*c;
	int		 i;

	if (pc->ncalls >= PC_CALLS || n > PC_PARAMS)
		fatal("pc_add: too many");
	c = &pc->call[pc->ncalls++];
	c->sql = sql;
	c->n = n;
	for (i = 0; i < n; i++)
		c->p[i] = params[i] != NULL ? kore_strdup(params[i]) : NULL;
	c->out = out;
	c->optional = optional;
}

/* The api_result row, without the API's ETag and Location headers. */
static void
pc_row(struct medex_req *mr, struct kore_pgsql *sql)
{
	mr->status = 500;
	sbuf_reset(&mr->body);
	if (kore_pgsql_ntuples(sql) != 1 || kore_pgsql_nfields(sql) < 4)
		return;
	mr->status = atoi(kore_pgsql_getvalue(sql, 0, 0));
	sbuf_appends(&mr->body, kore_pgsql_getvalue(sql, 0, 1));
	mr->content_type = "application/json; charset=utf-8";
}

static void
pc_read_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;
	struct pc_call	*c = &pc->call[pc->cur - 1];

	pc_row(mr, sql);
	if (mr->status >= 200 && mr->status < 300) {
		*c->out = json_loadb(mr->body.data, mr->body.len, 0, NULL);
		return;
	}
	if (c->optional)
		return;
	pc->failed = 1;
	pages_refused(req, mr);
}

/* A call with the caller's six context parameters in front. */
static int
pc_db(struct http_request *req, struct medex_req *mr, const char *sql,
    int n, const char **extra, db_result_cb cb)
{
	const char	*params[DB_PARAMS_MAX];
	int		 i;

	params[0] = mr->claims.jti;
	params[1] = mr->claims.sub;
	params[2] = mr->claims.role;
	params[3] = mr->claims.office;
	params[4] = mr->csrf;
	params[5] = mr->address;
	for (i = 0; i < n && i + 6 < DB_PARAMS_MAX; i++)
		params[6 + i] = extra[i];
	mr->on_complete = pc_next;
	return (db_call(req, mr, sql, n + 6, params, cb));
}

static int
pc_run(struct http_request *req, struct medex_req *mr)
{
	struct pc		*pc = mr->step_data;
	struct sql_batch	 b;
	const char		*params[DB_PARAMS_MAX - SQL_BATCH_SHARED];
	int			 i, j, n;

	pc->cur = 0;
	pc->failed = 0;
	if (pc->ncalls < 2)
		return (pc_next(req, mr));
	/*
	 * A page's reads in one round trip (app/core/sql_batch.h): one
	 * statement, one pass through the pool.  Too many parameters for
	 * one statement: one call at a time, as before.
	 */
	sql_batch_init(&b, pc->batch_sql, sizeof(pc->batch_sql));
	n = 0;
	for (i = 0; i < pc->ncalls; i++) {
		if (n + pc->call[i].n > (int)(sizeof(params) / sizeof(params[0])) ||
		    !sql_batch_add(&b, pc->call[i].sql, pc->call[i].n))
			return (pc_next(req, mr));
		for (j = 0; j < pc->call[i].n; j++)
			params[n++] = pc->call[i].p[j];
	}
	if (!sql_batch_end(&b))
		return (pc_next(req, mr));
	pc->cur = pc->ncalls;
	return (pc_db(req, mr, pc->batch_sql, n, params, pc_batch_cb));
}

/* The rows of a batch, numbered by call: each read as pc_read_cb would. */
static void
pc_batch_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;
	struct pc_call	*c;
	int		 i;

	if (kore_pgsql_ntuples(sql) != pc->ncalls ||
	    kore_pgsql_nfields(sql) < 5) {
		mr->status = 500;
		sbuf_reset(&mr->body);
		pc->failed = 1;
		pages_refused(req, mr);
		return;
	}
	for (i = 0; i < pc->ncalls; i++) {
		c = &pc->call[atoi(kore_pgsql_getvalue(sql, i, 0)) %
		    pc->ncalls];
		sbuf_reset(&mr->body);
		mr->status = atoi(kore_pgsql_getvalue(sql, i, 1));
		sbuf_appends(&mr->body, kore_pgsql_getvalue(sql, i, 2));
		mr->content_type = "application/json; charset=utf-8";
		if (mr->status >= 200 && mr->status < 300) {
			*c->out = json_loadb(mr->body.data, mr->body.len, 0,
			    NULL);
			continue;
		}
		if (c->optional)
			continue;
		pc->failed = 1;
		pages_refused(req, mr);
		return;
	}
}

/* A page read in one call: its parts where the renderers look for them. */
static void
pc_split(struct pc *pc)
{
	json_t	*v;

	if (pc->me == NULL && json_is_object(v = json_object_get(pc->page,
	    "me")))
		pc->me = json_incref(v);
	if (pc->kase == NULL && json_is_object(v = json_object_get(pc->page,
	    "case")))
		pc->kase = json_incref(v);
	if (pc->events == NULL && json_is_object(v = json_object_get(pc->page,
	    "timeline")))
		pc->events = json_incref(v);
}

static int
pc_next(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc = mr->step_data;
	struct pc_call	*c;

	if (pc->failed || pc->redirect_to != NULL)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	if (pc->cur < pc->ncalls) {
		c = &pc->call[pc->cur++];
		return (pc_db(req, mr, c->sql, c->n, (const char **)c->p,
		    pc_read_cb));
	}
	if (pc->page != NULL)
		pc_split(pc);
	if (pc->me != NULL && jstr(pc->me, "display_name") != NULL)
		kore_strlcpy(pc->display_name, jstr(pc->me, "display_name"),
		    sizeof(pc->display_name));
	sbuf_reset(&mr->body);
	pc->render(mr, pc, &mr->body);
	if (mr->body.oom)
		return (pages_error(req, mr, 500, NULL));
	return (medex_respond(req, mr, pc->status, HTML_TYPE, mr->body.data,
	    mr->body.len));
}

/* The layout's start, with the signed-in user in the header. */
static void
pc_begin(struct medex_req *mr, struct pc *pc, struct sbuf *sb,
    const char *title, int errors)
{
	struct page_user	u;

	if (pages_user(mr, pc->display_name[0] != '\0' ? pc->display_name :
	    NULL, &u))
		page_begin(sb, title, errors, &u, NAV_CASES);
	else
		page_begin(sb, title, errors, NULL, NAV_CASES);
}

static enum role
pc_role(struct medex_req *mr)
{
	enum role	r;

	if (role_from_str(mr->claims.role, &r) != 0)
		return (ROLE_ADMIN);
	return (r);
}

/*
 * For the SQL: may this role use this page's row of the route table?
 * "false" lets the database answer 404 (another office) before 403.
 */
static const char *
page_role_ok(struct medex_req *mr)
{
	enum role	r;

	if (role_from_str(mr->claims.role, &r) != 0 || mr->route == NULL)
		return ("false");
	return (role_in(mr->route->roles, r) ? "true" : "false");
}

/* May this role use the API route (the route table's roles)? */
static int
role_may(struct medex_req *mr, enum route_id id)
{
	return (strcmp(case_role_ok(mr->claims.role, id), "true") == 0);
}

static void
state_tag(struct sbuf *sb, const char *state)
{
	enum case_state	 st;
	const char	*colour, *label;

	colour = "nhsuk-tag nhsuk-tag--grey";
	label = state;
	if (state != NULL && case_state_from_str(state, &st) == 0) {
		label = case_state_label(st);
		switch (st) {
		case CASE_NOTIFIED:
			colour = "nhsuk-tag nhsuk-tag--blue";
			break;
		case CASE_IN_SCRUTINY:
			colour = "nhsuk-tag nhsuk-tag--purple";
			break;
		case CASE_REFERRED_TO_CORONER:
		case CASE_CORONER_INVESTIGATING:
			colour = "nhsuk-tag nhsuk-tag--orange";
			break;
		case CASE_AWAITING_MCCD:
		case CASE_MCCD_ISSUED:
			colour = "nhsuk-tag nhsuk-tag--aqua-green";
			break;
		case CASE_CLOSED:
			colour = "nhsuk-tag nhsuk-tag--green";
			break;
		default:
			break;
		}
	}
	html_start(sb, "strong");
	html_attr(sb, "class", colour);
	html_end(sb);
	html_text(sb, label);
	html_raw(sb, "</strong>");
}

/* "2026-07-01T13:00:00Z" -> "1 Jul 2026 14:00 BST"; dates alone too. */
static void
fmt_time(const char *s, char *buf, size_t len)
{
	london_format(s, buf, len);
}

/* 4857773456 -> "485 777 3456". */
static void
fmt_nhs(const char *s, char *buf, size_t len)
{
	if (s == NULL || strlen(s) != 10) {
		snprintf(buf, len, "%s", s != NULL ? s : "Not known");
		return;
	}
	snprintf(buf, len, "%.3s %.3s %.4s", s, s + 3, s + 6);
}

static void
name_of(json_t *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", jstr(k, "given_name") != NULL ?
	    jstr(k, "given_name") : "", jstr(k, "family_name") != NULL ?
	    jstr(k, "family_name") : "");
}

static void
a_link(struct sbuf *sb, const char *href, const char *text, int current)
{
	html_start(sb, "a");
	html_attr(sb, "href", href);
	if (current)
		html_attr(sb, "aria-current", "page");
	html_end(sb);
	html_text(sb, text);
	html_raw(sb, "</a>");
}

/*
 * GET /cases: the work queue.  The filters are API.md's (state,
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
	if (pc->errors != NULL && jstr(pc->errors, "q") != NULL)
		html_attr(sb, "value", jstr(pc->errors, "q"));
	html_raw(sb, "></div><button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Search</button>"
	    "</form>");

	html_raw(sb, "<nav aria-label=\"Work queues\"><ul "
	    "class=\"nhsuk-list\">");
	for (i = 0; i < sizeof(queues) / sizeof(queues[0]); i++) {
		snprintf(href, sizeof(href), "/cases%s%s",
		    queues[i].query[0] != '\0' ? "?" : "", queues[i].query);
		html_raw(sb, "<li>");
		a_link(sb, href, queues[i].label,
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
		a_link(sb, href, case_state_label(st),
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
		a_link(sb, href, sorts[s][1], 0);
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
			name_of(k, name, sizeof(name));
			fmt_nhs(jstr(k, "nhs_number"), nhs, sizeof(nhs));
			fmt_time(jstr(k, "deadline"), dl, sizeof(dl));
			snprintf(href, sizeof(href), "/cases/%s",
			    jstr(k, "id") != NULL ? jstr(k, "id") : "0");
			html_raw(sb, "<tr class=\"nhsuk-table__row\"><th "
			    "scope=\"row\" class=\"nhsuk-table__cell\">");
			a_link(sb, href, name, 0);
			html_raw(sb, "</th><td class=\"nhsuk-table__cell\">");
			html_text(sb, nhs);
			html_raw(sb, "</td><td class=\"nhsuk-table__cell\">");
			state_tag(sb, jstr(k, "state"));
			html_raw(sb, "</td><td class=\"nhsuk-table__cell\">");
			html_text(sb, dl);
			if (json_is_true(json_object_get(k, "overdue")))
				html_raw(sb, " <strong class=\"nhsuk-tag "
				    "nhsuk-tag--red\">Overdue</strong>");
			html_raw(sb, "</td><td class=\"nhsuk-table__cell\">");
			html_text(sb, jstr(k, "examiner") != NULL ?
			    jstr(k, "examiner") : "Not assigned");
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
	pc_add(pc, sql_me, 0, NULL, &pc->me, 0);
	pc_add(pc, sql_case_list, 11, l.params, &pc->list, 0);
	pc_add(pc, sql_summary, 0, NULL, &pc->summary, 1);
	return (pc_run(req, mr));
}

/* The error for a field (by its JSON key), or NULL. */
static const char *
field_error(struct pc *pc, const struct fspec *f)
{
	return (pc->errors != NULL ? jstr(pc->errors, f->key) : NULL);
}

static const char *
form_val(struct medex_req *mr, const char *name)
{
	return (mr->form != NULL ? form_get(mr->form, name) : NULL);
}

static void
field_label_hint_error(struct sbuf *sb, const struct fspec *f,
    const char *err, int legend)
{
	char	id[96];

	if (legend) {
		html_raw(sb, "<legend class=\"nhsuk-fieldset__legend "
		    "nhsuk-fieldset__legend--s\">");
		html_text(sb, f->label);
		html_raw(sb, "</legend>");
	} else {
		html_start(sb, "label");
		html_attr(sb, "class", "nhsuk-label");
		html_attr(sb, "for", f->name);
		html_end(sb);
		html_text(sb, f->label);
		html_raw(sb, "</label>");
	}
	if (f->hint != NULL) {
		snprintf(id, sizeof(id), "%s-hint", f->name);
		html_start(sb, "div");
		html_attr(sb, "class", "nhsuk-hint");
		html_attr(sb, "id", id);
		html_end(sb);
		html_text(sb, f->hint);
		html_raw(sb, "</div>");
	}
	if (err != NULL) {
		snprintf(id, sizeof(id), "%s-error", f->name);
		html_start(sb, "span");
		html_attr(sb, "class", "nhsuk-error-message");
		html_attr(sb, "id", id);
		html_end(sb);
		html_raw(sb, "<span class=\"nhsuk-u-visually-hidden\">Error: "
		    "</span>");
		html_text(sb, err);
		html_raw(sb, "</span>");
	}
}

static void
describedby(const struct fspec *f, const char *err, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f->hint != NULL)
		snprintf(buf, len, "%s-hint", f->name);
	if (err != NULL)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s-error",
		    buf[0] != '\0' ? " " : "", f->name);
}

static void
date_part(struct sbuf *sb, const char *base, const char *part,
    const char *label, const char *value, const char *width, int err)
{
	char	id[96], cls[128];

	snprintf(id, sizeof(id), "%s-%s", base, part);
	snprintf(cls, sizeof(cls), "nhsuk-input nhsuk-date-input__input "
	    "nhsuk-input--width-%s%s", width, err ? " nhsuk-input--error" : "");
	html_raw(sb, "<div class=\"nhsuk-date-input__item\"><div "
	    "class=\"nhsuk-form-group\">");
	html_start(sb, "label");
	html_attr(sb, "class", "nhsuk-label nhsuk-date-input__label");
	html_attr(sb, "for", id);
	html_end(sb);
	html_text(sb, label);
	html_raw(sb, "</label>");
	html_start(sb, "input");
	html_attr(sb, "class", cls);
	html_attr(sb, "id", id);
	html_attr(sb, "name", id);
	html_attr(sb, "type", "text");
	html_attr(sb, "inputmode", "numeric");
	if (value != NULL)
		html_attr(sb, "value", value);
	html_raw(sb, "></div></div>");
}

static void
group_open(struct sbuf *sb, int err)
{
	if (err)
		html_raw(sb, "<div class=\"nhsuk-form-group "
		    "nhsuk-form-group--error\">");
	else
		html_raw(sb, "<div class=\"nhsuk-form-group\">");
}

/* The reveal of this choice of the field, or NULL. */
static const struct reveal *
reveal_of(const struct fspec *set, const char *field, const char *code)
{
	size_t	i;

	for (i = 0; i < sizeof(reveals) / sizeof(reveals[0]); i++) {
		if (reveals[i].set == set &&
		    strcmp(reveals[i].field, field) == 0 &&
		    (code == NULL || strcmp(reveals[i].code, code) == 0))
			return (&reveals[i]);
	}
	return (NULL);
}

/* Is this field written inside another's reveal? */
static int
revealed(const struct fspec *set, const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(reveals) / sizeof(reveals[0]); i++) {
		if (reveals[i].set == set &&
		    strcmp(reveals[i].inner, name) == 0)
			return (1);
	}
	return (0);
}

static const struct fspec *
fspec_find(const struct fspec *set, const char *name)
{
	for (; set->name != NULL; set++) {
		if (strcmp(set->name, name) == 0)
			return (set);
	}
	return (NULL);
}

static void	render_field(struct medex_req *, struct pc *, struct sbuf *,
		    const struct fspec *, const struct fspec *);

/* The block a choice reveals, after the choice's item. */
static void
render_reveal(struct medex_req *mr, struct pc *pc, struct sbuf *sb,
    const struct fspec *set, const struct reveal *rv, const char *cid,
    int checked)
{
	const struct fspec	*inner;
	size_t			 i;

	html_start(sb, "div");
	html_attr(sb, "class", checked ? "nhsuk-radios__conditional" :
	    "nhsuk-radios__conditional nhsuk-radios__conditional--hidden");
	html_attr(sb, "id", cid);
	html_end(sb);
	/* Every field this choice reveals, in the table's order. */
	for (i = 0; i < sizeof(reveals) / sizeof(reveals[0]); i++) {
		if (reveals[i].set != set ||
		    strcmp(reveals[i].field, rv->field) != 0 ||
		    strcmp(reveals[i].code, rv->code) != 0 ||
		    (inner = fspec_find(set, reveals[i].inner)) == NULL)
			continue;
		render_field(mr, pc, sb, set, inner);
	}
	html_raw(sb, "</div>");
}

/* One field of a form (of the set), in its NHS.UK component. */
static void
render_field(struct medex_req *mr, struct pc *pc, struct sbuf *sb,
    const struct fspec *set, const struct fspec *f)
{
	const struct reveal	*rv;
	char			 cid[128];
	struct page_input	 in;
	const char		*err, *v;
	char			 id[96], db[200], label[96], now_d[3][16];
	char			 now_t[16], cls[64];
	size_t			 i, k, n;
	time_t			 now;
	struct tm		 tm;
	int			 checked;

	err = field_error(pc, f);
	switch (f->type) {
	case F_HIDDEN:
		html_raw(sb, "<input type=\"hidden\"");
		html_attr(sb, "name", f->name);
		html_attr(sb, "value", f->codes[0]);
		html_raw(sb, ">");
		return;
	case F_TEXT:
		memset(&in, 0, sizeof(in));
		in.id = f->name;
		in.label = f->label;
		in.hint = f->hint;
		in.value = form_val(mr, f->name);
		/* Assignment forms start with the user's own username. */
		if (mr->form == NULL && ((set == f_assign &&
		    strcmp(f->name, "examiner") == 0) ||
		    set == f_assign_officer))
			in.value = mr->claims.sub;
		in.error = err;
		in.width = f->width;
		page_field(sb, &in);
		return;
	case F_AREA:
		group_open(sb, err != NULL);
		field_label_hint_error(sb, f, err, 0);
		describedby(f, err, db, sizeof(db));
		html_start(sb, "textarea");
		html_attr(sb, "class", err != NULL ? "nhsuk-textarea "
		    "nhsuk-textarea--error" : "nhsuk-textarea");
		html_attr(sb, "id", f->name);
		html_attr(sb, "name", f->name);
		html_attr(sb, "rows", "4");
		if (db[0] != '\0')
			html_attr(sb, "aria-describedby", db);
		html_end(sb);
		html_text(sb, form_val(mr, f->name));
		html_raw(sb, "</textarea></div>");
		return;
	case F_DATE:
	case F_AT:
		now = time(NULL);
		(void)london_from_utc(now, &tm);
		snprintf(now_d[0], sizeof(now_d[0]), "%d", tm.tm_mday);
		snprintf(now_d[1], sizeof(now_d[1]), "%d", tm.tm_mon + 1);
		snprintf(now_d[2], sizeof(now_d[2]), "%d", tm.tm_year + 1900);
		snprintf(now_t, sizeof(now_t), "%02d:%02d", tm.tm_hour,
		    tm.tm_min);
		group_open(sb, err != NULL);
		describedby(f, err, db, sizeof(db));
		html_start(sb, "fieldset");
		html_attr(sb, "class", "nhsuk-fieldset");
		if (db[0] != '\0')
			html_attr(sb, "aria-describedby", db);
		html_attr(sb, "role", "group");
		html_end(sb);
		field_label_hint_error(sb, f, err, 1);
		snprintf(id, sizeof(id), "%s", f->name);
		html_start(sb, "div");
		html_attr(sb, "class", "nhsuk-date-input");
		html_attr(sb, "id", id);
		html_end(sb);
		for (i = 0; i < 3; i++) {
			static const char *const parts[][3] = {
			    { "day", "Day", "2" }, { "month", "Month", "2" },
			    { "year", "Year", "4" } };

			snprintf(label, sizeof(label), "%s-%s", f->name,
			    parts[i][0]);
			v = mr->form != NULL ? form_val(mr, label) :
			    (f->type == F_AT ? now_d[i] : NULL);
			date_part(sb, f->name, parts[i][0], parts[i][1], v,
			    parts[i][2], err != NULL);
		}
		if (f->type == F_AT) {
			snprintf(label, sizeof(label), "%s-time", f->name);
			v = mr->form != NULL ? form_val(mr, label) : now_t;
			snprintf(cls, sizeof(cls), "5");
			html_raw(sb, "<div class=\"nhsuk-date-input__item\">"
			    "<div class=\"nhsuk-form-group\">");
			html_start(sb, "label");
			html_attr(sb, "class",
			    "nhsuk-label nhsuk-date-input__label");
			html_attr(sb, "for", label);
			html_end(sb);
			html_raw(sb, "Time (24-hour, UK time)</label>");
			html_start(sb, "input");
			html_attr(sb, "class", err != NULL ? "nhsuk-input "
			    "nhsuk-input--width-5 nhsuk-input--error" :
			    "nhsuk-input nhsuk-input--width-5");
			html_attr(sb, "id", label);
			html_attr(sb, "name", label);
			html_attr(sb, "type", "text");
			if (v != NULL)
				html_attr(sb, "value", v);
			html_raw(sb, "></div></div>");
		}
		html_raw(sb, "</div></fieldset></div>");
		return;
	case F_RADIOS:
	case F_YESNO:
	case F_CHECKS:
	case F_CHECK:
		group_open(sb, err != NULL);
		describedby(f, err, db, sizeof(db));
		html_start(sb, "fieldset");
		html_attr(sb, "class", "nhsuk-fieldset");
		if (db[0] != '\0')
			html_attr(sb, "aria-describedby", db);
		html_end(sb);
		if (f->type == F_CHECK) {
			html_raw(sb, "<legend class=\"nhsuk-fieldset__legend "
			    "nhsuk-fieldset__legend--s\">Confirm</legend>");
			if (err != NULL) {
				snprintf(id, sizeof(id), "%s-error", f->name);
				html_start(sb, "span");
				html_attr(sb, "class", "nhsuk-error-message");
				html_attr(sb, "id", id);
				html_end(sb);
				html_raw(sb, "<span class=\"nhsuk-u-visually-"
				    "hidden\">Error: </span>");
				html_text(sb, err);
				html_raw(sb, "</span>");
			}
		} else
			field_label_hint_error(sb, f, err, 1);
		if ((f->type == F_RADIOS || f->type == F_YESNO) &&
		    reveal_of(set, f->name, NULL) != NULL)
			html_raw(sb, "<div class=\"nhsuk-radios\" "
			    "data-module=\"nhsuk-radios\">");
		else if (f->type == F_RADIOS || f->type == F_YESNO)
			html_raw(sb, "<div class=\"nhsuk-radios\">");
		else
			html_raw(sb, "<div class=\"nhsuk-checkboxes\">");
		n = 0;
		if (f->type == F_CHECK)
			n = 1;
		else
			while (f->codes[n] != NULL)
				n++;
		for (i = 0; i < n; i++) {
			const char *code = f->type == F_CHECK ? "yes" :
			    f->codes[i];

			/* The first input takes the field's id (for links). */
			if (i == 0)
				snprintf(id, sizeof(id), "%s", f->name);
			else
				snprintf(id, sizeof(id), "%s-%zu", f->name, i);
			checked = 0;
			if (f->type == F_CHECKS) {
				for (k = 0; mr->form != NULL &&
				    k < form_count(mr->form, f->name); k++) {
					if (strcmp(form_get_nth(mr->form,
					    f->name, k), code) == 0)
						checked = 1;
				}
			} else if ((v = form_val(mr, f->name)) != NULL &&
			    strcmp(v, code) == 0)
				checked = 1;
			if (f->type == F_CHECK)
				snprintf(label, sizeof(label), "%s", "");
			else
				code_label(code, label, sizeof(label));
			if (f->type == F_RADIOS || f->type == F_YESNO)
				html_raw(sb,
				    "<div class=\"nhsuk-radios__item\">");
			else
				html_raw(sb,
				    "<div class=\"nhsuk-checkboxes__item\">");
			html_start(sb, "input");
			html_attr(sb, "class", f->type == F_RADIOS ||
			    f->type == F_YESNO ? "nhsuk-radios__input" :
			    "nhsuk-checkboxes__input");
			html_attr(sb, "id", id);
			html_attr(sb, "name", f->name);
			html_attr(sb, "type", f->type == F_RADIOS ||
			    f->type == F_YESNO ? "radio" : "checkbox");
			html_attr(sb, "value", code);
			if (checked)
				html_raw(sb, " checked");
			rv = f->type == F_RADIOS || f->type == F_YESNO ?
			    reveal_of(set, f->name, code) : NULL;
			snprintf(cid, sizeof(cid), "conditional-%s", id);
			if (rv != NULL)
				html_attr(sb, "data-aria-controls", cid);
			html_end(sb);
			html_start(sb, "label");
			html_attr(sb, "class", f->type == F_RADIOS ||
			    f->type == F_YESNO ?
			    "nhsuk-label nhsuk-radios__label" :
			    "nhsuk-label nhsuk-checkboxes__label");
			html_attr(sb, "for", id);
			html_end(sb);
			html_text(sb, f->type == F_CHECK ? f->label : label);
			html_raw(sb, "</label></div>");
			if (rv != NULL)
				render_reveal(mr, pc, sb, set, rv, cid, checked);
		}
		html_raw(sb, "</div></fieldset></div>");
		return;
	}
}

/* Sets key ("a" or "a.b") in o. */
static void
json_put(json_t *o, const char *key, json_t *v)
{
	const char	*dot;
	char		 head[64];
	json_t		*sub;

	if ((dot = strchr(key, '.')) == NULL) {
		json_object_set_new(o, key, v);
		return;
	}
	snprintf(head, sizeof(head), "%.*s", (int)(dot - key), key);
	if ((sub = json_object_get(o, head)) == NULL) {
		sub = json_object();
		json_object_set_new(o, head, sub);
	}
	json_object_set_new(sub, dot + 1, v);
}

static int
all_digits(const char *s)
{
	return (s != NULL && *s != '\0' && strspn(s, "0123456789") ==
	    strlen(s));
}

static int
all_digits_n(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

/* The date of a date input, or NULL if empty; "x" if not numbers. */
static int
form_date(struct medex_req *mr, const char *name, char *buf, size_t len)
{
	const char	*d, *m, *y;
	char		 k[96];

	snprintf(k, sizeof(k), "%s-day", name);
	d = form_val(mr, k);
	snprintf(k, sizeof(k), "%s-month", name);
	m = form_val(mr, k);
	snprintf(k, sizeof(k), "%s-year", name);
	y = form_val(mr, k);
	if ((d == NULL || *d == '\0') && (m == NULL || *m == '\0') &&
	    (y == NULL || *y == '\0'))
		return (0);
	if (!all_digits(d) || !all_digits(m) || !all_digits(y) ||
	    strlen(y) != 4 || strlen(d) > 2 || strlen(m) > 2)
		snprintf(buf, len, "not a date");
	else
		snprintf(buf, len, "%s-%02d-%02d", y, atoi(m), atoi(d));
	return (1);
}

/*
 * A date input's "YYYY-MM-DD" and a time "HH:MM" read as Europe/London
 * wall-clock time, as RFC 3339 UTC; "not a time" when they are not.
 */
static void
form_at(const char *date, const char *hm, char *buf, size_t len)
{
	struct tm	tm;
	time_t		t;
	int		y, m, d, hh, mm, n;

	n = 0;
	if (hm == NULL || strlen(hm) != 5 || hm[2] != ':' ||
	    !all_digits_n(hm, 2) || !all_digits_n(hm + 3, 2) ||
	    sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    sscanf(hm, "%2d:%2d", &hh, &mm) != 2 ||
	    london_to_utc(y, m, d, hh, mm, &t) != 0) {
		snprintf(buf, len, "not a time");
		return;
	}
	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:00Z", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* The JSON body the API takes, from the form's fields. */
static void
form_to_json(struct medex_req *mr, const struct fspec *fs, json_t *o)
{
	const struct fspec	*f;
	const char		*v;
	char			 buf[64], k[96];
	json_t			*a;
	size_t			 i;

	for (f = fs; f->name != NULL; f++) {
		v = form_val(mr, f->name);
		switch (f->type) {
		case F_HIDDEN:
			json_put(o, f->key, json_string(f->codes[0]));
			break;
		case F_TEXT:
		case F_AREA:
		case F_RADIOS:
			if (v != NULL && *v != '\0')
				json_put(o, f->key, json_string(v));
			break;
		case F_YESNO:
			if (v != NULL && strcmp(v, "yes") == 0)
				json_put(o, f->key, json_true());
			else if (v != NULL && strcmp(v, "no") == 0)
				json_put(o, f->key, json_false());
			break;
		case F_CHECK:
			json_put(o, f->key, v != NULL &&
			    strcmp(v, "yes") == 0 ? json_true() : json_false());
			break;
		case F_CHECKS:
			a = json_array();
			for (i = 0; mr->form != NULL &&
			    i < form_count(mr->form, f->name); i++)
				json_array_append_new(a, json_string(
				    form_get_nth(mr->form, f->name, i)));
			json_put(o, f->key, a);
			break;
		case F_DATE:
			if (form_date(mr, f->name, buf, sizeof(buf)))
				json_put(o, f->key, json_string(buf));
			break;
		case F_AT:
			if (!form_date(mr, f->name, buf, sizeof(buf)))
				break;
			snprintf(k, sizeof(k), "%s-time", f->name);
			form_at(buf, form_val(mr, k), k, sizeof(k));
			json_put(o, f->key, json_string(k));
			break;
		}
	}
}

/* The error summary for pc->errors, fields in the form's order first. */
static size_t
render_errors(struct pc *pc, const struct fspec *const *sets, size_t nsets,
    struct sbuf *sb)
{
	struct page_error	 errs[32];
	static char		 msgs[32][512];
	const struct fspec	*f;
	const char		*key, *m, *first;
	json_t			*v;
	size_t			 n, i;
	int			 found;

	if (pc->errors == NULL)
		return (0);
	n = 0;
	first = NULL;
	for (i = 0; i < nsets; i++) {
		for (f = sets[i]; f != NULL && f->name != NULL; f++) {
			if (f->type == F_HIDDEN)
				continue;
			if (first == NULL)
				first = f->name;
			if ((m = field_error(pc, f)) == NULL || n >= 32)
				continue;
			snprintf(msgs[n], sizeof(msgs[n]), "%s", m);
			errs[n].field = f->type == F_DATE || f->type == F_AT ?
			    NULL : f->name;
			if (errs[n].field == NULL) {
				static char ids[32][96];

				snprintf(ids[n], sizeof(ids[n]), "%s-day",
				    f->name);
				errs[n].field = ids[n];
			}
			errs[n].message = msgs[n];
			n++;
		}
	}
	json_object_foreach(pc->errors, key, v) {
		found = 0;
		for (i = 0; i < nsets; i++) {
			for (f = sets[i]; f != NULL && f->name != NULL; f++) {
				if (strcmp(f->key, key) == 0)
					found = 1;
			}
		}
		if (found || n >= 32 || !json_is_string(v))
			continue;
		snprintf(msgs[n], sizeof(msgs[n]), "%s", json_string_value(v));
		errs[n].field = NULL;
		errs[n].message = msgs[n];
		n++;
	}
	(void)first;
	page_error_summary(sb, errs, n);
	return (n);
}

/*
 * The fields' errors in words: "Date of birth is in the future".  The
 * checks name a field by its JSON key and say what is wrong with it.
 */
static void
word_errors(struct pc *pc, const struct fspec *const *sets, size_t nsets)
{
	const struct fspec	*f;
	const char		*key, *label;
	json_t			*v, *out;
	char			 buf[512], lab[128];
	size_t			 i;

	if (pc->errors == NULL)
		return;
	out = json_object();
	json_object_foreach(pc->errors, key, v) {
		if (!json_is_string(v))
			continue;
		label = NULL;
		for (i = 0; i < nsets && label == NULL; i++) {
			for (f = sets[i]; f != NULL && f->name != NULL; f++) {
				if (strcmp(f->key, key) == 0) {
					label = f->label;
					break;
				}
			}
		}
		if (label == NULL) {
			code_label(key, lab, sizeof(lab));
			label = lab;
		}
		snprintf(buf, sizeof(buf), "%s: %s", label,
		    json_string_value(v));
		json_object_set_new(out, key, json_string(buf));
	}
	json_decref(pc->errors);
	pc->errors = out;
}

/* The summary list's rows. */
static void
sl_row(struct sbuf *sb, const char *key, const char *value)
{
	html_raw(sb, "<div class=\"nhsuk-summary-list__row\"><dt "
	    "class=\"nhsuk-summary-list__key\">");
	html_text(sb, key);
	html_raw(sb, "</dt><dd class=\"nhsuk-summary-list__value\">");
	html_text(sb, value != NULL && *value != '\0' ? value : "Not known");
	html_raw(sb, "</dd></div>");
}

/* Days from date of birth to date of death, or -1. */
static long
age_days(json_t *k)
{
	struct tm	a, b;
	const char	*dob, *dod;

	dob = jstr(k, "date_of_birth");
	dod = jstr(k, "date_of_death");
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (dob == NULL || dod == NULL ||
	    sscanf(dob, "%d-%d-%d", &a.tm_year, &a.tm_mon, &a.tm_mday) != 3 ||
	    sscanf(dod, "%d-%d-%d", &b.tm_year, &b.tm_mon, &b.tm_mday) != 3)
		return (-1);
	a.tm_year -= 1900;
	b.tm_year -= 1900;
	a.tm_mon--;
	b.tm_mon--;
	return ((long)((timegm(&b) - timegm(&a)) / 86400));
}

/* The action of a row "/cases/{id}/<slug>" of the route table. */
static const struct act *
act_of_route(const struct route_def *rd)
{
	const char	*slash;

	if (rd == NULL || (slash = strrchr(rd->pattern, '/')) == NULL)
		return (NULL);
	return (act_find(slash + 1));
}

static const struct act *
act_find(const char *slug)
{
	size_t	i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (strcmp(acts[i].slug, slug) == 0)
			return (&acts[i]);
	}
	return (NULL);
}

/*
 * May this user be offered this action on this case now?  The role
 * from the route table (and, for ME-only records, case_state.h's
 * examiner rule), the state from the table of transitions: an action
 * is offered in the states from which its work leads somewhere.
 */
static int
act_offered(struct medex_req *mr, const struct act *a, json_t *k)
{
	enum case_state	 st;
	enum role	 role;
	json_t		*cr;
	long		 days;

	role = pc_role(mr);
	if (!role_may(mr, a->api) || !role_in(a->roles, role))
		return (0);
	if (case_state_from_str(jstr(k, "state"), &st) != 0 ||
	    case_state_is_final(st))
		return (0);
	if (a->fields == NULL)
		return (0);
	cr = json_object_get(k, "coroner_referral");
	days = age_days(k);
	if (strcmp(a->slug, "cause-of-death") == 0 && days >= 0 && days < 28)
		return (0);
	if (strcmp(a->slug, "cause-of-death-neonatal") == 0 &&
	    !(days >= 0 && days < 28))
		return (0);
	if (strcmp(a->slug, "coroner-referral") == 0)
		return ((st == CASE_NOTIFIED || st == CASE_IN_SCRUTINY ||
		    st == CASE_AWAITING_MCCD) && (json_is_null(cr) ||
		    cr == NULL || jstr(cr, "decision") != NULL));
	if (strcmp(a->slug, "coroner-decision") == 0)
		return (cr != NULL && !json_is_null(cr) &&
		    jstr(cr, "decision") == NULL);
	if (strcmp(a->slug, "final-actions") == 0)
		return (st == CASE_MCCD_ISSUED);
	if (strcmp(a->slug, "urgent-release") == 0 ||
	    strcmp(a->slug, "representative") == 0 ||
	    strcmp(a->slug, "assignment") == 0 ||
	    strcmp(a->slug, "assign-officer") == 0)
		return (1);
	if (strcmp(a->slug, "contact") == 0 ||
	    strcmp(a->slug, "contact-exhausted") == 0)
		return (st == CASE_NOTIFIED || st == CASE_IN_SCRUTINY);
	if (strcmp(a->slug, "governance") == 0)
		return (st == CASE_IN_SCRUTINY || st == CASE_AWAITING_MCCD ||
		    st == CASE_MCCD_ISSUED);
	/* record review, discussion, cause of death: scrutiny's work. */
	if (st != CASE_IN_SCRUTINY)
		return (0);
	if (role != ROLE_LEAD_MEDICAL_EXAMINER && (jstr(k, "examiner") ==
	    NULL || strcmp(jstr(k, "examiner"), mr->claims.sub) != 0))
		return (0);
	return (1);
}

static void
task_row(struct sbuf *sb, const char *name, const char *status, int done)
{
	html_raw(sb, "<li class=\"nhsuk-task-list__item\"><div "
	    "class=\"nhsuk-task-list__name-and-hint\"><span>");
	html_text(sb, name);
	html_raw(sb, "</span></div><div class=\"nhsuk-task-list__status\">");
	if (done)
		html_text(sb, status);
	else {
		html_raw(sb, "<strong class=\"nhsuk-tag nhsuk-tag--blue\">");
		html_text(sb, status);
		html_raw(sb, "</strong>");
	}
	html_raw(sb, "</div></li>");
}

static int
any_match(json_t *arr, const char *key, const char *val)
{
	json_t	*x;
	size_t	 i;

	json_array_foreach(arr, i, x) {
		if (val == NULL && json_is_true(json_object_get(x, key)))
			return (1);
		if (val != NULL && jstr(x, key) != NULL &&
		    strcmp(jstr(x, key), val) == 0)
			return (1);
	}
	return (0);
}

/* The scrutiny task list, from the whole case. */
static void
render_tasks(struct sbuf *sb, json_t *k)
{
	json_t		*notes, *cod, *cr, *gov, *contacts;
	int		 full, disc, agreed, reached, exhausted, concerns;
	char		 buf[128];

	notes = json_object_get(k, "notes");
	full = notes != NULL;
	cod = json_object_get(k, "cause_of_death");
	cr = json_object_get(k, "coroner_referral");
	gov = json_object_get(k, "governance_referrals");
	contacts = json_object_get(k, "contacts");
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Scrutiny</h2>"
	    "<ul class=\"nhsuk-task-list\">");
	if (full)
		task_row(sb, "Medical records reviewed",
		    any_match(notes, "kind", "record_review") ? "Completed" :
		    "Not started", any_match(notes, "kind", "record_review"));
	disc = full && any_match(json_object_get(k,
	    "practitioner_discussions"), "happened", NULL);
	agreed = cod != NULL && json_is_true(json_object_get(cod,
	    "agreed_with_attending_practitioner"));
	if (full)
		task_row(sb, "Discussion with the attending practitioner and "
		    "cause of death", disc && agreed ? "Completed" :
		    disc || agreed ? "In progress" : "Not started",
		    disc && agreed);
	reached = any_match(contacts, "outcome", "reached");
	exhausted = json_array_size(json_object_get(k,
	    "contacts_exhausted")) > 0;
	task_row(sb, "Bereaved given the chance to ask questions",
	    reached ? "Completed" : exhausted ? "Attempts exhausted" :
	    json_array_size(contacts) > 0 ? "In progress" : "Not started",
	    reached || exhausted);
	if (cr == NULL || json_is_null(cr))
		task_row(sb, "Coroner", "Not referred", 1);
	else if (jstr(cr, "decision") == NULL)
		task_row(sb, "Coroner", "Awaiting the coroner's decision", 0);
	else {
		code_label(jstr(cr, "decision"), buf, sizeof(buf));
		task_row(sb, "Coroner", buf, 1);
	}
	concerns = any_match(contacts, "concerns_raised", NULL);
	if (full)
		task_row(sb, "Clinical governance", json_array_size(gov) > 0 ?
		    "Decided" : concerns ? "Concern needs a decision" :
		    "No concerns raised", json_array_size(gov) > 0 ||
		    !concerns);
	if (jstr(k, "mccd_issued_on") != NULL) {
		char	when[64];

		fmt_time(jstr(k, "mccd_issued_on"), when, sizeof(when));
		snprintf(buf, sizeof(buf), "Issued %s", when);
		task_row(sb, "MCCD", buf, 1);
	} else
		task_row(sb, "MCCD", "Not issued", 0);
	html_raw(sb, "</ul>");
}

/* The bereaved people to contact (representatives), if any. */
static void
render_people(struct sbuf *sb, json_t *people)
{
	json_t	*x;
	size_t	 i;
	char	 buf[600];

	if (json_array_size(people) == 0)
		return;
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Bereaved people to "
	    "contact</h2><dl class=\"nhsuk-summary-list\" id=\"people\">");
	json_array_foreach(people, i, x) {
		snprintf(buf, sizeof(buf), "%s%s%s%s%s",
		    jstr(x, "relationship") != NULL ? jstr(x, "relationship") :
		    "", jstr(x, "phone") != NULL ? ", " : "",
		    jstr(x, "phone") != NULL ? jstr(x, "phone") : "",
		    jstr(x, "email") != NULL ? ", " : "",
		    jstr(x, "email") != NULL ? jstr(x, "email") : "");
		sl_row(sb, jstr(x, "name") != NULL ? jstr(x, "name") : "-",
		    buf);
	}
	html_raw(sb, "</dl>");
}

static void
render_case(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	const struct case_transition	*t;
	json_t				*k = pc->kase, *ap, *e, *items;
	enum case_state			 st;
	char				 name[600], buf[256], href[256];
	char				 when[64];
	size_t				 i, pos;
	int				 any;

	name_of(k, name, sizeof(name));
	pc_begin(mr, pc, sb, name, 0);
	html_raw(sb, "<a class=\"nhsuk-back-link\" href=\"/cases\">"
	    "Back to cases</a>");
	html_raw(sb, "<span class=\"nhsuk-caption-l\">Case ");
	html_text(sb, jstr(k, "id"));
	html_raw(sb, "</span><h1 class=\"nhsuk-heading-l\">");
	html_text(sb, name);
	html_raw(sb, "</h1><p class=\"nhsuk-body\">");
	state_tag(sb, jstr(k, "state"));
	fmt_time(jstr(k, "deadline"), when, sizeof(when));
	html_raw(sb, " Deadline: ");
	html_text(sb, when);
	if (json_is_true(json_object_get(k, "overdue")))
		html_raw(sb, " <strong class=\"nhsuk-tag nhsuk-tag--red\">"
		    "Overdue</strong>");
	html_raw(sb, "</p>");

	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">The deceased</h2>"
	    "<dl class=\"nhsuk-summary-list\">");
	sl_row(sb, "Given names", jstr(k, "given_name"));
	sl_row(sb, "Family name", jstr(k, "family_name"));
	fmt_nhs(jstr(k, "nhs_number"), buf, sizeof(buf));
	sl_row(sb, "NHS number", buf);
	fmt_time(jstr(k, "date_of_birth"), buf, sizeof(buf));
	sl_row(sb, "Date of birth", buf);
	fmt_time(jstr(k, "date_of_death"), buf, sizeof(buf));
	if (jstr(k, "time_of_death") != NULL)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %s",
		    jstr(k, "time_of_death"));
	sl_row(sb, "Date of death", buf);
	code_label(jstr(k, "place_of_death"), buf, sizeof(buf));
	if (jstr(k, "place_detail") != NULL)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", %s",
		    jstr(k, "place_detail"));
	sl_row(sb, "Place of death", buf);
	ap = json_object_get(k, "attending_practitioner");
	snprintf(buf, sizeof(buf), "%s (GMC %s)", jstr(ap, "name") != NULL ?
	    jstr(ap, "name") : "", jstr(ap, "gmc_number") != NULL ?
	    jstr(ap, "gmc_number") : "");
	sl_row(sb, "Attending practitioner", buf);
	sl_row(sb, "Medical examiner", jstr(k, "examiner") != NULL ?
	    jstr(k, "examiner") : "Not assigned");
	sl_row(sb, "Medical examiner officer", jstr(k, "officer") != NULL ?
	    jstr(k, "officer") : "Not assigned");
	html_raw(sb, "</dl>");
	render_people(sb, json_object_get(k, "representatives"));

	render_tasks(sb, k);

	/* The next actions: case_state.h's table, then the records. */
	html_raw(sb, "<h2 class=\"nhsuk-heading-m\">What you can do</h2>"
	    "<ul class=\"nhsuk-list\" id=\"actions\">");
	any = 0;
	if (case_state_from_str(jstr(k, "state"), &st) == 0) {
		pos = 0;
		while ((t = case_transitions_for(st, pc_role(mr), &pos)) !=
		    NULL) {
			if ((t->guards & GUARD_EXAMINER) &&
			    pc_role(mr) != ROLE_LEAD_MEDICAL_EXAMINER &&
			    (jstr(k, "examiner") == NULL ||
			    strcmp(jstr(k, "examiner"), mr->claims.sub) != 0))
				continue;
			snprintf(href, sizeof(href),
			    "/cases/%s/transition?to=%s", pc->id,
			    case_state_str(t->to));
			snprintf(buf, sizeof(buf), "Move to: %s",
			    case_state_label(t->to));
			html_raw(sb, "<li>");
			a_link(sb, href, buf, 0);
			html_raw(sb, "</li>");
			any = 1;
		}
	}
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (!act_offered(mr, &acts[i], k))
			continue;
		snprintf(href, sizeof(href), "/cases/%s/%s", pc->id,
		    acts[i].slug);
		html_raw(sb, "<li>");
		a_link(sb, href, acts[i].title, 0);
		html_raw(sb, "</li>");
		any = 1;
	}
	if (!any)
		html_raw(sb, "<li>There is nothing for you to do on this case "
		    "now.</li>");
	html_raw(sb, "</ul>");

	if (pc->events != NULL) {
		items = json_object_get(pc->events, "items");
		html_raw(sb, "<h2 class=\"nhsuk-heading-m\">Timeline</h2>"
		    "<p class=\"nhsuk-body\">What was done, oldest first "
		    "(who read the case is in the audit trail).</p>");
		/* Before the list: an <ol> holds only <li>s. */
		if (json_is_true(json_object_get(pc->events, "earlier")))
			html_raw(sb, "<p class=\"nhsuk-body\">Only the latest "
			    "changes are shown; the earlier ones are in the "
			    "audit trail.</p>");
		html_raw(sb, "<ol class=\"nhsuk-list nhsuk-list--bullet\" "
		    "id=\"timeline\">");
		json_array_foreach(items, i, e) {
			fmt_time(jstr(e, "at"), when, sizeof(when));
			code_label(jstr(e, "action"), buf, sizeof(buf));
			html_raw(sb, "<li>");
			html_text(sb, when);
			html_raw(sb, ": ");
			html_text(sb, buf);
			html_raw(sb, " by ");
			html_text(sb, jstr(e, "actor"));
			html_raw(sb, "</li>");
		}
		html_raw(sb, "</ol>");
	}
	page_end(sb);
}

int
pages_case(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;
	const char	*p[4];

	pc = pc_new(mr);
	pc->render = render_case;
	p[0] = pc->id;
	p[1] = case_role_ok(mr->claims.role, R_CASES_GET);
	p[2] = role_may(mr, R_CASES_EVENTS) ? "true" : "false";
	p[3] = TIMELINE_MAX;
	pc_add(pc, sql_page_case, 4, p, &pc->page, 0);
	return (pc_run(req, mr));
}

/* The fields of an action; a transition's come from its row's guards. */
static size_t
act_fields(struct pc *pc, const struct fspec **sets)
{
	const struct case_transition	*t;
	enum case_state			 from, to;
	size_t				 n;

	n = 0;
	if (pc->act == NULL)
		sets[n++] = f_create;
	else if (pc->act->fields != NULL)
		sets[n++] = pc->act->fields;
	else if (pc->kase != NULL && case_state_from_str(jstr(pc->kase,
	    "state"), &from) == 0 && case_state_from_str(pc->to, &to) == 0 &&
	    (t = case_transition_find(from, to)) != NULL) {
		if (t->guards & GUARD_INDEPENDENT)
			sets[n++] = f_tr_independent;
		if (t->guards & GUARD_REASON)
			sets[n++] = f_tr_reason;
		if (t->guards & GUARD_MCCD_DATE)
			sets[n++] = f_tr_mccd;
	}
	return (n);
}

static void
render_form(struct medex_req *mr, struct pc *pc, struct sbuf *sb)
{
	const struct fspec	*sets[4], *f;
	enum case_state		 to;
	char			 title[256], name[600], action[256];
	char			 ver[32];
	size_t			 n, i;
	int			 errs;

	n = act_fields(pc, sets);
	word_errors(pc, sets, n);
	if (pc->act == NULL)
		snprintf(title, sizeof(title), "Add a new case");
	else if (pc->act->fields == NULL && case_state_from_str(pc->to,
	    &to) == 0)
		snprintf(title, sizeof(title), "Move the case to: %s",
		    case_state_label(to));
	else
		snprintf(title, sizeof(title), "%s", pc->act->title);
	errs = pc->errors != NULL && json_object_size(pc->errors) > 0;
	pc_begin(mr, pc, sb, title, errs || pc->banner != NULL);
	html_raw(sb, "<div class=\"nhsuk-grid-row\"><div "
	    "class=\"nhsuk-grid-column-two-thirds\">");
	if (pc->act != NULL) {
		snprintf(action, sizeof(action), "/cases/%s", pc->id);
		html_start(sb, "a");
		html_attr(sb, "class", "nhsuk-back-link");
		html_attr(sb, "href", action);
		html_end(sb);
		html_raw(sb, "Back to the case</a>");
	} else
		html_raw(sb, "<a class=\"nhsuk-back-link\" href=\"/cases\">"
		    "Back to cases</a>");
	if (pc->banner != NULL) {
		struct page_error	e = { NULL, pc->banner };

		page_error_summary(sb, &e, 1);
	} else
		render_errors(pc, sets, n, sb);
	if (pc->kase != NULL) {
		name_of(pc->kase, name, sizeof(name));
		page_h1(sb, name, title);
	} else
		page_h1(sb, NULL, title);
	if (pc->act == NULL)
		snprintf(action, sizeof(action), "/cases/new");
	else if (pc->act->fields == NULL)
		snprintf(action, sizeof(action), "/cases/%s/transition",
		    pc->id);
	else
		snprintf(action, sizeof(action), "/cases/%s/%s", pc->id,
		    pc->act->slug);
	html_start(sb, "form");
	html_attr(sb, "action", action);
	html_attr(sb, "method", "post");
	html_raw(sb, " novalidate>");
	page_csrf_field(sb, mr->page_csrf);
	page_key_field(sb);
	if (pc->kase != NULL) {
		snprintf(ver, sizeof(ver), "%lld", (long long)
		    json_integer_value(json_object_get(pc->kase, "version")));
		html_raw(sb, "<input type=\"hidden\" name=\"version\"");
		html_attr(sb, "value", ver);
		html_raw(sb, ">");
	}
	if (pc->act != NULL && pc->act->fields == NULL) {
		html_raw(sb, "<input type=\"hidden\" name=\"to\"");
		html_attr(sb, "value", pc->to);
		html_raw(sb, ">");
		if (n == 0)
			page_p(sb, "Check the case, then continue.");
	}
	for (i = 0; i < n; i++) {
		for (f = sets[i]; f->name != NULL; f++) {
			if (!revealed(sets[i], f->name))
				render_field(mr, pc, sb, sets[i], f);
		}
	}
	page_button(sb, pc->act != NULL ? pc->act->button : "Add the case");
	html_raw(sb, "</form></div></div>");
	page_end(sb);
}

/* GET /cases/new */
int
pages_case_new(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;

	pc = pc_new(mr);
	pc->render = render_form;
	pc_add(pc, sql_me, 0, NULL, &pc->me, 0);
	return (pc_run(req, mr));
}

/* The 409 of a form key sent again with other answers (idem_replay). */
static int
key_conflict(json_t *j)
{
	const char	*m;

	m = json_string_value(json_object_get(json_object_get(j, "error"),
	    "message"));
	return (m != NULL && strstr(m, "Idempotency-Key") != NULL);
}

/*
 * The form's key (form_key): 1 with *key, NULL when the form has none;
 * 0 when it is not 1-128 printable characters, as the API's
 * Idempotency-Key.
 */
static int
form_key(struct medex_req *mr, const char **key)
{
	const char	*v;
	size_t		 i, n;

	*key = NULL;
	if ((v = form_val(mr, "form_key")) == NULL)
		return (1);
	n = strlen(v);
	if (n < 1 || n > 128)
		return (0);
	for (i = 0; i < n; i++) {
		if (v[i] < 0x21 || v[i] > 0x7e)
			return (0);
	}
	*key = v;
	return (1);
}

/* The request's hash for its key: path, version and the API's body. */
static void
form_hash(struct http_request *req, json_t *j, long long version,
    char hash[65])
{
	struct sbuf	 sb;
	char		*canon;

	canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	sbuf_init(&sb, API_BODY_MAX * 2);
	sbuf_appendf(&sb, "%lld\n%s", version, canon != NULL ? canon : "");
	api_request_hash(req, sb.data != NULL ? sb.data : "", hash);
	sbuf_free(&sb);
	free(canon);
}

/*
 * The answer of a write: 2xx goes to the case page; 422 and 412 show
 * the form again (with the case, read afresh); the rest are pages.
 */
static void
pc_write_cb(struct http_request *req, struct medex_req *mr,
    struct kore_pgsql *sql)
{
	struct pc	*pc = mr->step_data;
	json_t		*j, *fields;
	const char	*id;

	pc_row(mr, sql);
	j = json_loadb(mr->body.data, mr->body.len, 0, NULL);
	if (mr->status >= 200 && mr->status < 300) {
		id = pc->act == NULL ? jstr(j, "id") : pc->id;
		snprintf(pc->location, sizeof(pc->location), "/cases/%s",
		    id != NULL ? id : "");
		pc->redirect_to = pc->location;
		pages_redirect(req, mr, pc->location);
	} else if (mr->status == 422) {
		fields = json_object_get(json_object_get(j, "error"),
		    "fields");
		pc->errors = fields != NULL ? json_deep_copy(fields) :
		    json_object();
		if (json_object_size(pc->errors) == 0)
			json_object_set_new(pc->errors, "body",
			    json_string("is not valid"));
		pc->status = 422;
	} else if (mr->status == 412 || mr->status == 428) {
		pc->banner = "Someone else changed this case while you were "
		    "on this page. The case below is as it is now: check it, "
		    "then send the form again.";
		pc->status = 412;
	} else {
		pc->failed = 1;
		if (mr->status == 409 && key_conflict(j)) {
			sbuf_reset(&mr->body);
			sbuf_appends(&mr->body, "{\"error\":{\"code\":"
			    "\"conflict\",\"message\":\"This form was "
			    "already sent with other answers. Open the case "
			    "again to see what was saved.\"}}");
		}
		pages_refused(req, mr);
	}
	if (j != NULL)
		json_decref(j);
}

/* After the write: the form again needs the case (and the header). */
static int
pc_after_write(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc = mr->step_data;
	const char	*p[2];

	if (pc->failed || pc->redirect_to != NULL)
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	pc->render = render_form;
	pc->ncalls = 0;
	pc_add(pc, sql_me, 0, NULL, &pc->me, 0);
	if (pc->act != NULL) {
		p[0] = pc->id;
		p[1] = "true";
		pc_add(pc, sql_case_get, 2, p, &pc->kase, 0);
	}
	return (pc_run(req, mr));
}

static int
pc_write(struct http_request *req, struct medex_req *mr,
    struct case_call *cc)
{
	const char	*params[DB_PARAMS_MAX];
	int		 i, ret;

	params[0] = mr->claims.jti;
	params[1] = mr->claims.sub;
	params[2] = mr->claims.role;
	params[3] = mr->claims.office;
	params[4] = mr->csrf;
	params[5] = mr->address;
	for (i = 0; i < cc->n && i + 6 < DB_PARAMS_MAX; i++)
		params[6 + i] = cc->params[i];
	mr->on_complete = pc_after_write;
	ret = db_call(req, mr, cc->sql, cc->n + 6, params, pc_write_cb);
	return (ret);
}

/* POST /cases/new */
int
pages_case_create(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;
	struct ferrs	 fe;
	json_t		*j, *out;
	char		*data, hash[65];
	const char	*p[3], *key;
	size_t		 i;
	int		 ret;

	pc = pc_new(mr);
	if (!form_key(mr, &key))
		return (pages_error(req, mr, 400, KEY_BAD_MSG));
	j = json_object();
	form_to_json(mr, f_create, j);
	ferr_init(&fe);
	out = json_object();
	case_body_check(CASE_BODY_CREATE, j, time(NULL), &fe, out);
	if (fe.n > 0) {
		pc->errors = json_object();
		for (i = 0; i < fe.n; i++)
			json_object_set_new(pc->errors, fe.pairs[i][0],
			    json_string(fe.pairs[i][1]));
		pc->status = 422;
		json_decref(out);
		json_decref(j);
		return (pc_after_write(req, mr));
	}
	data = json_dumps(out, JSON_COMPACT);
	form_hash(req, j, 0, hash);
	p[0] = key;
	p[1] = key != NULL ? hash : NULL;
	p[2] = data;
	{
		struct case_call	cc;

		memset(&cc, 0, sizeof(cc));
		cc.sql = sql_case_create;
		cc.n = 3;
		cc.params[0] = p[0];
		cc.params[1] = p[1];
		cc.params[2] = p[2];
		ret = pc_write(req, mr, &cc);
	}
	free(data);
	json_decref(out);
	json_decref(j);
	return (ret);
}

/* GET /cases/{id}/{action} */
int
pages_case_form(struct http_request *req, struct medex_req *mr)
{
	struct pc	*pc;
	const char	*p[2];
	enum case_state	 st;

	pc = pc_new(mr);
	if ((pc->act = act_of_route(mr->route)) == NULL)
		return (pages_error(req, mr, 404, NULL));
	/* A transition names its target; without one, the case's list. */
	if (pc->act->fields == NULL && strcmp(page_role_ok(mr), "true") == 0 &&
	    (query_get(req->query_string, "to", pc->to, sizeof(pc->to)) !=
	    QUERY_FOUND || case_state_from_str(pc->to, &st) != 0)) {
		snprintf(pc->location, sizeof(pc->location), "/cases/%s",
		    pc->id);
		pages_redirect(req, mr, pc->location);
		return (medex_respond(req, mr, mr->status, mr->content_type,
		    mr->body.data, mr->body.len));
	}
	pc->render = render_form;
	pc_add(pc, sql_me, 0, NULL, &pc->me, 0);
	p[0] = pc->id;
	p[1] = page_role_ok(mr);
	pc_add(pc, sql_case_get, 2, p, &pc->kase, 0);
	return (pc_run(req, mr));
}

/* POST /cases/{id}/{action}: the API route's call, from the form. */
int
pages_case_action(struct http_request *req, struct medex_req *mr)
{
	struct pc		*pc;
	struct case_call	 cc;
	const struct fspec	*sets[4];
	json_t			*j;
	const char		*v, *role_ok, *key;
	char			 hash[65];
	long long		 version;
	size_t			 n, i;
	int			 ret;

	pc = pc_new(mr);
	if ((pc->act = act_of_route(mr->route)) == NULL)
		return (pages_error(req, mr, 404, NULL));
	if (!form_key(mr, &key))
		return (pages_error(req, mr, 400, KEY_BAD_MSG));
	version = 0;
	if ((v = form_val(mr, "version")) != NULL && all_digits(v) &&
	    strlen(v) < 10)
		version = atoll(v);
	role_ok = page_role_ok(mr);
	j = json_object();
	if (pc->act->fields == NULL) {
		if ((v = form_val(mr, "to")) != NULL)
			kore_strlcpy(pc->to, v, sizeof(pc->to));
		json_object_set_new(j, "to", json_string(pc->to));
		/* Every input a transition may take; the checks pick. */
		sets[0] = f_tr_independent;
		sets[1] = f_tr_reason;
		sets[2] = f_tr_mccd;
		n = 3;
		for (i = 0; i < n; i++)
			form_to_json(mr, sets[i], j);
		if (json_is_false(json_object_get(j, "independent")))
			json_object_del(j, "independent");
		form_hash(req, j, version, hash);
		case_transition_prepare(&cc, pc->id, role_ok, mr->claims.role,
		    j, version);
		cc.sql = sql_page_case_transition;
		cc.params[cc.n++] = key;
		cc.params[cc.n++] = key != NULL ? hash : NULL;
	} else {
		form_to_json(mr, pc->act->fields, j);
		form_hash(req, j, pc->act->put ? version : 0, hash);
		case_write_prepare(&cc, pc->id, role_ok, pc->act->kind,
		    pc->act->body, j, pc->act->put ? version : 0, key,
		    key != NULL ? hash : NULL);
		cc.sql = sql_page_case_write;
	}
	ret = pc_write(req, mr, &cc);
	case_call_free(&cc);
	json_decref(j);
	return (ret);
}
