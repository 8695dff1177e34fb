/*
 * Cases (API.md "Cases").  Each handler validates its body in C into
 * two JSON objects, what is wrong (the 422 `fields`) and what to write
 * (under the database's column names), and makes one call of an
 * api_case_* function (migrations/0004_cases.sql).  The 422 is not
 * answered here but passed down, so that the database answers 404, 403
 * and 428/412 first, as API.md orders the checks.
 *
 * Transitions take their decisions from case_state.c's table: for the
 * caller's role and the target state the handler computes, for every
 * state the case could be in, the table's answer, and the database
 * applies the one for the state it finds under the row lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medex.h"
#include "case_state.h"
#include "nhs_number.h"
#include "query.h"
#include "validate.h"

/* A client clock a little ahead of ours is not "in the future". */
#define CLOCK_SKEW		120
#define NAME_MAX_CP		200
#define TEXT_MAX_CP		5000
#define NOTE_MAX_CP		20000
#define COD_LINE_MAX_CP		500

static const char sql_case_create[] =
    "SELECT * FROM api_case_create($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9::jsonb)";
static const char sql_case_get[] =
    "SELECT * FROM api_case_get($1, $2, $3, $4, $5, $6, $7, $8::boolean)";
static const char sql_case_events[] =
    "SELECT * FROM api_case_events($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10)";
static const char sql_case_notes[] =
    "SELECT * FROM api_case_notes($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10)";
static const char sql_case_list[] =
    "SELECT * FROM api_case_list($1, $2, $3, $4, $5, $6, $7::integer, $8, "
    "$9, $10, $11, $12::boolean, $13::boolean, $14::boolean, $15, $16)";
static const char sql_case_summary[] =
    "SELECT * FROM api_case_summary($1, $2, $3, $4, $5, $6)";
static const char sql_reference[] =
    "SELECT * FROM api_reference($1, $2, $3, $4, $5, $6, $7::jsonb)";
static const char sql_case_write[] =
    "SELECT * FROM api_case_write($1, $2, $3, $4, $5, $6, $7, $8::boolean, "
    "$9, $10::integer, $11, $12, $13::jsonb, $14::jsonb)";
static const char sql_case_transition[] =
    "SELECT * FROM api_case_transition($1, $2, $3, $4, $5, $6, $7, "
    "$8::boolean, $9::integer, $10::jsonb, $11, $12::jsonb, $13::jsonb, "
    "$14, $15::boolean, $16::date)";

static const char *const sex_codes[] = { "female", "male", "indeterminate",
    "unknown", NULL };
static const char *const place_codes[] = { "hospital", "hospice",
    "care_home", "home", "other", NULL };
static const char *const urgent_reasons[] = { "faith", "organ_donation",
    "other", NULL };
static const char *const urgent_outcomes[] = { "achieved", "not_achieved",
    NULL };
static const char *const contact_methods[] = { "phone", "video",
    "in_person", "email", "letter", NULL };
static const char *const contact_outcomes[] = { "reached", "no_answer",
    "voicemail", "declined", "wrong_number", NULL };
static const char *const exhausted_reasons[] = { "declined", "no_response",
    "no_contacts", "other", NULL };
static const char *const referral_categories[] = { "poisoning",
    "exposure_to_toxic_substance", "medicinal_product_or_drug", "violence",
    "trauma_or_injury", "self_harm", "neglect", "treatment_or_procedure",
    "employment_related", "other_unnatural", "unknown_cause",
    "in_custody_or_state_detention", "no_attending_practitioner",
    "practitioner_not_available", "identity_unknown", NULL };
static const char *const coroner_decisions[] = { "investigating",
    "not_investigating", NULL };
static const char *const governance_kinds[] = {
    "structured_judgement_review", "patient_safety", "learning_from_deaths",
    "pals", "other", "none", NULL };
static const char *const note_kinds[] = { "admission", "officer_summary",
    "medical_history", "record_review", "other", NULL };
static const char *const circumstances[] = { "expected", "unexpected",
    "sudden_not_unexpected", NULL };
static const char *const proposed_outcomes[] = { "mccd", "coroner", NULL };
static const char *const discussion_outcomes[] = { "agreed", "revised",
    "refer_to_coroner", "not_held", NULL };
static const char *const disposals[] = { "burial", "cremation",
    "repatriation", "other", "unknown", NULL };
static const char *const implants[] = { "none", "present_removed",
    "present_not_removed", "unknown", NULL };
static const char *const gp_notified[] = { "notified", "unable",
    "not_applicable", NULL };

/*
 * One body being read: the input object, the dotted prefix of its
 * fields ("attending_practitioner."), the errors and the output.
 */
struct cv {
	json_t		*in;
	const char	*prefix;
	struct ferrs	*fe;
	json_t		*out;
	int		 patch;		/* every field optional */
};

static void
cv_err(struct cv *v, const char *key, const char *msg)
{
	char	name[FERR_NAME];

	snprintf(name, sizeof(name), "%s%s", v->prefix, key);
	ferr_add(v->fe, name, msg);
}

/*
 * The member key: NULL when absent (an error when required), the JSON
 * null when present as null and nullable, else the value.
 */
static json_t *
cv_get(struct cv *v, const char *key, int required)
{
	json_t	*x;

	x = json_object_get(v->in, key);
	if (x == NULL && required && !v->patch)
		cv_err(v, key, VALIDATE_PHRASE_REQUIRED);
	if (x != NULL && json_is_null(x) && required) {
		cv_err(v, key, VALIDATE_PHRASE_REQUIRED);
		return (NULL);
	}
	return (x);
}

static void
cv_put(struct cv *v, const char *col, json_t *val)
{
	if (col != NULL && v->out != NULL)
		json_object_set_new(v->out, col, val);
	else
		json_decref(val);
}

static const char *
cv_string(struct cv *v, const char *key, int required)
{
	json_t	*x;

	if ((x = cv_get(v, key, required)) == NULL || json_is_null(x))
		return (NULL);
	if (!json_is_string(x)) {
		cv_err(v, key, "must be a string");
		return (NULL);
	}
	if (strlen(json_string_value(x)) != json_string_length(x)) {
		cv_err(v, key, "may not contain NUL characters");
		return (NULL);
	}
	return (json_string_value(x));
}

/* Free text, normalised; stored under col.  1 when a value was put. */
static int
cv_text(struct cv *v, const char *key, const char *col, int required,
    size_t max, int multiline)
{
	enum text_result	 tr;
	const char		*s;
	char			*nfc;
	json_t			*x;

	x = json_object_get(v->in, key);
	s = cv_string(v, key, required);
	if (s == NULL) {
		if (x != NULL && json_is_null(x) && !required)
			cv_put(v, col, json_null());
		return (0);
	}
	if ((tr = validate_text(s, max, multiline, &nfc)) != TEXT_OK) {
		cv_err(v, key, validate_text_error_str(tr));
		return (0);
	}
	cv_put(v, col, json_string(nfc));
	free(nfc);
	return (1);
}

static const char *
cv_enum(struct cv *v, const char *key, const char *col, int required,
    const char *const *allowed)
{
	const char	*s;
	json_t		*x;

	x = json_object_get(v->in, key);
	if ((s = cv_string(v, key, required)) == NULL) {
		if (x != NULL && json_is_null(x) && !required)
			cv_put(v, col, json_null());
		return (NULL);
	}
	if (validate_enum(s, allowed) < 0) {
		cv_err(v, key, VALIDATE_PHRASE_ENUM);
		return (NULL);
	}
	cv_put(v, col, json_string(s));
	return (s);
}

/* 1 with *out set when present and boolean. */
static int
cv_bool(struct cv *v, const char *key, const char *col, int required,
    int *out)
{
	json_t	*x;

	if ((x = cv_get(v, key, required)) == NULL)
		return (0);
	if (json_is_null(x)) {
		cv_put(v, col, json_null());
		return (0);
	}
	if (!json_is_boolean(x)) {
		cv_err(v, key, "must be true or false");
		return (0);
	}
	*out = json_is_true(x);
	cv_put(v, col, json_boolean(*out));
	return (1);
}

static int
cv_date(struct cv *v, const char *key, const char *col, int required,
    struct vdate *out)
{
	const char	*s;

	if ((s = cv_string(v, key, required)) == NULL)
		return (0);
	if (!validate_date(s, out)) {
		cv_err(v, key, VALIDATE_PHRASE_DATE);
		return (0);
	}
	cv_put(v, col, json_string(s));
	return (1);
}

/* An RFC 3339 time not in the future. */
static int
cv_time(struct cv *v, const char *key, const char *col, int required,
    long long *epoch)
{
	const char	*s;

	if ((s = cv_string(v, key, required)) == NULL)
		return (0);
	if (!validate_timestamp(s, epoch)) {
		cv_err(v, key, VALIDATE_PHRASE_TIMESTAMP);
		return (0);
	}
	if (*epoch > (long long)time(NULL) + CLOCK_SKEW) {
		cv_err(v, key, "is in the future");
		return (0);
	}
	cv_put(v, col, json_string(s));
	return (1);
}

static void
cv_gmc(struct cv *v, const char *key, const char *col, int required)
{
	const char	*s;

	if ((s = cv_string(v, key, required)) == NULL)
		return;
	if (!validate_gmc(s)) {
		cv_err(v, key, VALIDATE_PHRASE_GMC);
		return;
	}
	cv_put(v, col, json_string(s));
}

/* An identifier of another record: digits, as a string. */
static void
cv_ref(struct cv *v, const char *key, const char *col)
{
	const char	*s;
	size_t		 n;

	if ((s = cv_string(v, key, 0)) == NULL)
		return;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] != '\0') {
		cv_err(v, key, "is not an identifier of this case's records");
		return;
	}
	cv_put(v, col, json_string(s));
}

/* A nested object; NULL when absent or wrong (an error is added). */
static json_t *
cv_object(struct cv *v, const char *key, int required)
{
	json_t	*x;

	if ((x = cv_get(v, key, required)) == NULL || json_is_null(x))
		return (NULL);
	if (!json_is_object(x)) {
		cv_err(v, key, "must be an object");
		return (NULL);
	}
	return (x);
}

static void
cv_unknown(struct cv *v, const char *const *allowed)
{
	reqbody_unknown(v->in, allowed, v->prefix, v->fe);
}

static int
today_london(struct vdate *d)
{
	return (vdate_today_london(time(NULL), d));
}

/*
 * The deceased's details, for POST /cases and PATCH /cases/{id}.  Dates
 * are checked against each other when both are in the body; the
 * database checks a PATCH against what it keeps.
 */
static void
case_details(struct cv *v)
{
	static const char *const allowed[] = { "given_name", "family_name",
	    "nhs_number", "date_of_birth", "sex", "date_of_death",
	    "time_of_death", "place_of_death", "place_detail",
	    "attending_practitioner", "notified_at", "ethnicity", "priority",
	    "urgent_release", NULL };
	static const char *const ap_allowed[] = { "name", "gmc_number",
	    NULL };
	static const char *const prio_allowed[] = { "child", "faith",
	    "cultural", "coroner", "other", "detail", NULL };
	static const char *const prio_flags[][2] = { { "child", "prio_child" },
	    { "faith", "prio_faith" }, { "cultural", "prio_cultural" },
	    { "coroner", "prio_coroner" }, { "other", "prio_other" } };
	static const char *const ur_allowed[] = { "requested", "reason",
	    NULL };
	struct vdate	 dob, dod, today, nd;
	struct cv	 sub;
	enum nhs_result	 nr;
	json_t		*x, *o;
	const char	*s;
	char		 nhs[NHS_NUMBER_LEN];
	long long	 notified;
	size_t		 i;
	int		 has_dob, has_dod, has_notified, b, requested;
	unsigned int	 hh, mm, ss;
	char		 tail;

	cv_unknown(v, allowed);
	cv_text(v, "given_name", "given_name", 1, NAME_MAX_CP, 0);
	cv_text(v, "family_name", "family_name", 1, NAME_MAX_CP, 0);

	x = json_object_get(v->in, "nhs_number");
	if (x != NULL && json_is_null(x))
		cv_put(v, "nhs_number", json_null());
	else if ((s = cv_string(v, "nhs_number", 0)) != NULL) {
		if ((nr = nhs_number_normalise(s, nhs)) != NHS_OK)
			cv_err(v, "nhs_number", nhs_number_error_str(nr));
		else
			cv_put(v, "nhs_number", json_string(nhs));
	}

	has_dob = cv_date(v, "date_of_birth", "date_of_birth", 1, &dob);
	has_dod = cv_date(v, "date_of_death", "date_of_death", 1, &dod);
	cv_enum(v, "sex", "sex", 1, sex_codes);
	today_london(&today);
	if (has_dob && vdate_cmp(&dob, &today) > 0) {
		cv_err(v, "date_of_birth", "is in the future");
		has_dob = 0;
	}
	if (has_dod && vdate_cmp(&dod, &today) > 0) {
		cv_err(v, "date_of_death", "is in the future");
		has_dod = 0;
	}
	if (has_dob && has_dod && vdate_cmp(&dob, &dod) > 0)
		cv_err(v, "date_of_death", "is before the date of birth");

	x = json_object_get(v->in, "time_of_death");
	if (x != NULL && json_is_null(x))
		cv_put(v, "time_of_death", json_null());
	else if ((s = cv_string(v, "time_of_death", 0)) != NULL) {
		ss = 0;
		tail = '\0';
		if ((strlen(s) != 5 && strlen(s) != 8) ||
		    (sscanf(s, "%2u:%2u%c", &hh, &mm, &tail) < 2 &&
		    sscanf(s, "%2u:%2u:%2u", &hh, &mm, &ss) < 3) ||
		    strspn(s, "0123456789:") != strlen(s) || s[2] != ':' ||
		    hh > 23 || mm > 59 || ss > 59)
			cv_err(v, "time_of_death", "must be a time as HH:MM");
		else
			cv_put(v, "time_of_death", json_string(s));
	}
	cv_enum(v, "place_of_death", "place_of_death", 1, place_codes);
	cv_text(v, "place_detail", "place_detail", 0, 500, 0);

	if ((o = cv_object(v, "attending_practitioner", 1)) != NULL) {
		sub = *v;
		sub.in = o;
		sub.prefix = "attending_practitioner.";
		cv_unknown(&sub, ap_allowed);
		cv_text(&sub, "name", "ap_name", 1, NAME_MAX_CP, 0);
		cv_gmc(&sub, "gmc_number", "ap_gmc", 1);
	}

	has_notified = cv_time(v, "notified_at", "notified_at", 0, &notified);
	if (has_notified && has_dod && london_date_of(notified, &nd) &&
	    vdate_cmp(&nd, &dod) < 0)
		cv_err(v, "notified_at", "is before the death");

	x = json_object_get(v->in, "ethnicity");
	if (x != NULL && json_is_null(x))
		cv_put(v, "ethnicity", json_null());
	else if ((s = cv_string(v, "ethnicity", 0)) != NULL) {
		if (strlen(s) != 1 || ((s[0] < 'A' || s[0] > 'S') &&
		    s[0] != 'Z'))
			cv_err(v, "ethnicity", "must be an NHS ethnic category "
			    "code, A-S or Z");
		else
			cv_put(v, "ethnicity", json_string(s));
	}

	if ((o = cv_object(v, "priority", 0)) != NULL) {
		sub = *v;
		sub.in = o;
		sub.prefix = "priority.";
		sub.patch = 1;
		cv_unknown(&sub, prio_allowed);
		for (i = 0; i < sizeof(prio_flags) / sizeof(prio_flags[0]);
		    i++) {
			if (!cv_bool(&sub, prio_flags[i][0], prio_flags[i][1],
			    0, &b) && json_object_get(o, prio_flags[i][0]) ==
			    NULL)
				cv_put(v, prio_flags[i][1], json_false());
		}
		if (!cv_text(&sub, "detail", "prio_detail", 0, 500, 0) &&
		    json_object_get(o, "detail") == NULL)
			cv_put(v, "prio_detail", json_null());
	}

	if ((o = cv_object(v, "urgent_release", 0)) != NULL) {
		sub = *v;
		sub.in = o;
		sub.prefix = "urgent_release.";
		sub.patch = 0;
		cv_unknown(&sub, ur_allowed);
		requested = 0;
		cv_bool(&sub, "requested", "urgent_requested", 1, &requested);
		if (cv_enum(&sub, "reason", "urgent_reason", requested,
		    urgent_reasons) == NULL && !requested)
			cv_put(v, "urgent_reason", json_null());
	}
}

/* The fields of a ferrs as a JSON object text, or NULL when none. */
static char *
fields_json(struct ferrs *fe)
{
	json_t	*o;
	char	*s;
	size_t	 i;

	if (fe->n == 0)
		return (NULL);
	o = json_object();
	for (i = 0; i < fe->n; i++)
		json_object_set_new(o, fe->pairs[i][0],
		    json_string(fe->pairs[i][1]));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return (s);
}

static const char *
role_ok(struct medex_req *mr)
{
	enum role	r;

	if (role_from_str(mr->claims.role, &r) != 0)
		return ("false");
	return (role_in(mr->route->roles, r) ? "true" : "false");
}

static int
bad_request(struct http_request *req, struct medex_req *mr, const char *msg)
{
	return (api_error(req, mr, 400, "bad_request", msg));
}

static int
idem(struct http_request *req, json_t *j, const char **key, char hash[65])
{
	char	*canon;

	if (!api_idem_key(req, key))
		return (0);
	canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	api_request_hash(req, canon, hash);
	free(canon);
	return (1);
}

int
api_cases_create(struct http_request *req, struct medex_req *mr)
{
	struct ferrs	 fe;
	struct cv	 v;
	json_t		*j, *out;
	const char	*key, *params[3];
	char		*data, hash[65];
	int		 ret;

	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	out = json_object();
	data = NULL;
	memset(&v, 0, sizeof(v));
	v.in = j;
	v.prefix = "";
	v.fe = &fe;
	v.out = out;
	case_details(&v);
	if (fe.n > 0) {
		ret = api_validation(req, mr, &fe);
		goto cleanup;
	}
	if (!idem(req, j, &key, hash)) {
		ret = bad_request(req, mr, "Idempotency-Key must be 1-128 "
		    "printable characters.");
		goto cleanup;
	}
	data = json_dumps(out, JSON_COMPACT);
	params[0] = key;
	params[1] = hash;
	params[2] = data;
	ret = api_call(req, mr, sql_case_create, 3, params);

cleanup:
	free(data);
	json_decref(out);
	json_decref(j);
	return (ret);
}

int
api_cases_get(struct http_request *req, struct medex_req *mr)
{
	const char	*params[2];

	params[0] = mr->cap.value[0];
	params[1] = role_ok(mr);
	return (api_call(req, mr, sql_case_get, 2, params));
}

static int
case_sublist(struct http_request *req, struct medex_req *mr,
    const char *sql)
{
	const char	*params[4];
	char		 limit[16], after[130];
	int		 has_after;

	if (!api_page(req, limit, sizeof(limit), after, sizeof(after),
	    &has_after))
		return (bad_request(req, mr, "limit must be 1-200 and cursor "
		    "one given by a previous page."));
	params[0] = mr->cap.value[0];
	params[1] = role_ok(mr);
	params[2] = limit;
	params[3] = has_after ? after : NULL;
	return (api_call(req, mr, sql, 4, params));
}

int
api_cases_events(struct http_request *req, struct medex_req *mr)
{
	return (case_sublist(req, mr, sql_case_events));
}

int
api_cases_notes_list(struct http_request *req, struct medex_req *mr)
{
	return (case_sublist(req, mr, sql_case_notes));
}

/* A true/false query parameter: 1 with *out, 0 absent, -1 bad. */
static int
query_bool(struct http_request *req, const char *name, const char **out)
{
	char	buf[8];
	int	q;

	*out = NULL;
	if ((q = query_get(req->query_string, name, buf, sizeof(buf))) ==
	    QUERY_BAD)
		return (-1);
	if (q == QUERY_ABSENT)
		return (0);
	if (strcmp(buf, "true") == 0)
		*out = "true";
	else if (strcmp(buf, "false") == 0)
		*out = "false";
	else
		return (-1);
	return (1);
}

int
api_cases_list(struct http_request *req, struct medex_req *mr)
{
	static const char *const sorts[] = { "newest", "oldest", "urgency",
	    NULL };
	enum case_state	 st;
	const char	*params[10];
	char		 limit[16], after[130], state[32], examiner[80];
	char		 officer[80], q[400], sort[16];
	int		 has_after, qs;

	if (!api_page(req, limit, sizeof(limit), after, sizeof(after),
	    &has_after))
		return (bad_request(req, mr, "limit must be 1-200 and cursor "
		    "one given by a previous page."));
	params[0] = limit;
	params[1] = has_after ? after : NULL;
	qs = query_get(req->query_string, "state", state, sizeof(state));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    case_state_from_str(state, &st) != 0))
		return (bad_request(req, mr, "state must be a case state."));
	params[2] = qs == QUERY_FOUND ? state : NULL;
	qs = query_get(req->query_string, "examiner", examiner,
	    sizeof(examiner));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    !validate_username(examiner)))
		return (bad_request(req, mr, "examiner must be a username."));
	username_lower(examiner);
	params[3] = qs == QUERY_FOUND ? examiner : NULL;
	qs = query_get(req->query_string, "officer", officer,
	    sizeof(officer));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    !validate_username(officer)))
		return (bad_request(req, mr, "officer must be a username."));
	username_lower(officer);
	params[4] = qs == QUERY_FOUND ? officer : NULL;
	if (query_bool(req, "unassigned", &params[5]) < 0 ||
	    query_bool(req, "overdue", &params[6]) < 0 ||
	    query_bool(req, "priority", &params[7]) < 0)
		return (bad_request(req, mr, "unassigned, overdue and priority "
		    "must be true or false."));
	qs = query_get(req->query_string, "q", q, sizeof(q));
	if (qs == QUERY_BAD)
		return (bad_request(req, mr, "q must be at most 200 "
		    "characters of text."));
	params[8] = qs == QUERY_FOUND && q[strspn(q, " ")] != '\0' ? q : NULL;
	qs = query_get(req->query_string, "sort", sort, sizeof(sort));
	if (qs == QUERY_BAD || (qs == QUERY_FOUND &&
	    validate_enum(sort, sorts) < 0))
		return (bad_request(req, mr, "sort must be newest, oldest or "
		    "urgency."));
	params[9] = qs == QUERY_FOUND ? sort : "newest";
	return (api_call(req, mr, sql_case_list, 10, params));
}

int
api_cases_summary(struct http_request *req, struct medex_req *mr)
{
	return (api_call(req, mr, sql_case_summary, 0, NULL));
}

/*
 * A case write other than a transition: parse the body, run the
 * validator, and let the database answer in API.md's order.
 */
typedef void	(*case_validator)(struct cv *);

static int
case_write(struct http_request *req, struct medex_req *mr,
    const char *kind, case_validator fn)
{
	struct ferrs	 fe;
	struct cv	 v;
	json_t		*j, *out;
	const char	*key, *params[8];
	char		*data, *invalid, hash[65], ifm[24];
	long long	 version;
	int		 ret;

	if ((version = api_if_match(req)) < 0)
		return (bad_request(req, mr, "If-Match must be a quoted "
		    "version, e.g. \"3\"."));
	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	out = json_object();
	memset(&v, 0, sizeof(v));
	v.in = j;
	v.prefix = "";
	v.fe = &fe;
	v.out = out;
	v.patch = strcmp(kind, "patch") == 0;
	fn(&v);
	invalid = fields_json(&fe);
	data = json_dumps(out, JSON_COMPACT);
	if (!idem(req, j, &key, hash)) {
		ret = bad_request(req, mr, "Idempotency-Key must be 1-128 "
		    "printable characters.");
		goto cleanup;
	}
	snprintf(ifm, sizeof(ifm), "%lld", version);
	params[0] = mr->cap.value[0];
	params[1] = role_ok(mr);
	params[2] = kind;
	params[3] = version > 0 ? ifm : NULL;
	params[4] = key;
	params[5] = hash;
	params[6] = invalid;
	params[7] = data;
	ret = api_call(req, mr, sql_case_write, 8, params);

cleanup:
	free(invalid);
	free(data);
	json_decref(out);
	json_decref(j);
	return (ret);
}

static void
v_patch(struct cv *v)
{
	case_details(v);
	if (json_object_size(v->in) == 0)
		cv_err(v, "body", "names no field to change");
}

int
api_cases_patch(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "patch", v_patch));
}

static void
v_note(struct cv *v)
{
	static const char *const allowed[] = { "kind", "text", "amends",
	    "circumstances", "proposed_outcome", NULL };
	const char	*kind;
	int		 review;

	cv_unknown(v, allowed);
	kind = cv_enum(v, "kind", "kind", 1, note_kinds);
	cv_text(v, "text", "text", 1, NOTE_MAX_CP, 1);
	cv_ref(v, "amends", "amends");
	review = kind != NULL && strcmp(kind, "record_review") == 0;
	if (review) {
		cv_enum(v, "circumstances", "circumstances", 1, circumstances);
		cv_enum(v, "proposed_outcome", "proposed_outcome", 1,
		    proposed_outcomes);
	} else {
		if (json_object_get(v->in, "circumstances") != NULL)
			cv_err(v, "circumstances", "is only for record_review "
			    "notes");
		if (json_object_get(v->in, "proposed_outcome") != NULL)
			cv_err(v, "proposed_outcome", "is only for "
			    "record_review notes");
	}
}

int
api_cases_notes_add(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "note", v_note));
}

static void
v_discussion(struct cv *v)
{
	static const char *const allowed[] = { "practitioner", "at",
	    "happened", "reason_not", "proposed_cause", "outcome", NULL };
	static const char *const p_allowed[] = { "name", "gmc_number", NULL };
	struct cv	 sub;
	json_t		*o;
	long long	 at;
	int		 happened;

	cv_unknown(v, allowed);
	if ((o = cv_object(v, "practitioner", 1)) != NULL) {
		sub = *v;
		sub.in = o;
		sub.prefix = "practitioner.";
		cv_unknown(&sub, p_allowed);
		cv_text(&sub, "name", "name", 1, NAME_MAX_CP, 0);
		cv_gmc(&sub, "gmc_number", "gmc_number", 1);
	}
	cv_time(v, "at", "at", 1, &at);
	happened = 1;
	cv_bool(v, "happened", "happened", 1, &happened);
	cv_text(v, "reason_not", "reason_not", !happened, TEXT_MAX_CP, 1);
	cv_text(v, "proposed_cause", "proposed_cause", 0, TEXT_MAX_CP, 1);
	cv_enum(v, "outcome", "outcome", 1, discussion_outcomes);
}

int
api_cases_discussions(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "discussion", v_discussion));
}

static void
v_cause(struct cv *v)
{
	static const char *const std_allowed[] = { "form", "part1a",
	    "part1b", "part1c", "part1d", "part2",
	    "agreed_with_attending_practitioner", NULL };
	static const char *const neo_allowed[] = { "form", "infant_main",
	    "infant_other", "maternal_main", "maternal_other",
	    "other_relevant", "agreed_with_attending_practitioner", NULL };
	static const char *const forms[] = { "standard", "neonatal", NULL };
	static const char *const lines[] = { "part1a", "part1b", "part1c",
	    "part1d" };
	struct cv	 sub;
	json_t		*cod, *x;
	const char	*form;
	size_t		 i;
	int		 agreed, above;

	cod = json_object();
	sub = *v;
	sub.out = cod;
	form = cv_enum(&sub, "form", "form", 1, forms);
	if (form != NULL && strcmp(form, "neonatal") == 0) {
		cv_unknown(v, neo_allowed);
		cv_text(&sub, "infant_main", "infant_main", 1,
		    COD_LINE_MAX_CP, 0);
		cv_text(&sub, "infant_other", "infant_other", 0,
		    COD_LINE_MAX_CP, 0);
		cv_text(&sub, "maternal_main", "maternal_main", 0,
		    COD_LINE_MAX_CP, 0);
		cv_text(&sub, "maternal_other", "maternal_other", 0,
		    COD_LINE_MAX_CP, 0);
		cv_text(&sub, "other_relevant", "other_relevant", 0,
		    COD_LINE_MAX_CP, 0);
	} else {
		cv_unknown(v, std_allowed);
		/* A line of Part I only if the one above is filled. */
		above = 1;
		for (i = 0; i < 4; i++) {
			x = json_object_get(v->in, lines[i]);
			if (x != NULL && !json_is_null(x) && !above) {
				cv_err(v, lines[i], "needs the line above it");
				continue;
			}
			above = cv_text(&sub, lines[i], lines[i], i == 0,
			    COD_LINE_MAX_CP, 0);
		}
		cv_text(&sub, "part2", "part2", 0, COD_LINE_MAX_CP, 0);
	}
	cv_bool(&sub, "agreed_with_attending_practitioner",
	    "agreed_with_attending_practitioner", 1, &agreed);
	json_object_set_new(v->out, "cause_of_death", cod);
}

int
api_cases_cause(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "cause_of_death", v_cause));
}

static void
v_representative(struct cv *v)
{
	static const char *const allowed[] = { "name", "relationship",
	    "phone", "email", "present_at_death", "is_informant", NULL };
	int	b;

	cv_unknown(v, allowed);
	cv_text(v, "name", "name", 1, NAME_MAX_CP, 0);
	cv_text(v, "relationship", "relationship", 1, NAME_MAX_CP, 0);
	cv_text(v, "phone", "phone", 0, 50, 0);
	cv_text(v, "email", "email", 0, 254, 0);
	cv_bool(v, "present_at_death", "present_at_death", 0, &b);
	cv_bool(v, "is_informant", "is_informant", 0, &b);
}

int
api_cases_representatives(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "representative", v_representative));
}

static void
v_contact(struct cv *v)
{
	static const char *const allowed[] = { "person_name", "relationship",
	    "method", "outcome", "at", "questions", "concerns_raised",
	    "concerns", "representative_id", NULL };
	long long	at;
	int		raised;

	cv_unknown(v, allowed);
	cv_text(v, "person_name", "person_name", 1, NAME_MAX_CP, 0);
	cv_text(v, "relationship", "relationship", 1, NAME_MAX_CP, 0);
	cv_enum(v, "method", "method", 1, contact_methods);
	cv_enum(v, "outcome", "outcome", 1, contact_outcomes);
	cv_time(v, "at", "at", 1, &at);
	cv_text(v, "questions", "questions", 0, TEXT_MAX_CP, 1);
	raised = 0;
	cv_bool(v, "concerns_raised", "concerns_raised", 1, &raised);
	cv_text(v, "concerns", "concerns", raised, TEXT_MAX_CP, 1);
	cv_ref(v, "representative_id", "representative_id");
}

int
api_cases_contacts(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "contact", v_contact));
}

static void
v_exhausted(struct cv *v)
{
	static const char *const allowed[] = { "reason", "detail", NULL };
	const char	*r;

	cv_unknown(v, allowed);
	r = cv_enum(v, "reason", "reason", 1, exhausted_reasons);
	cv_text(v, "detail", "detail", r != NULL && strcmp(r, "other") == 0,
	    TEXT_MAX_CP, 1);
}

int
api_cases_exhausted(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "exhausted", v_exhausted));
}

static void
v_coroner_referral(struct cv *v)
{
	static const char *const allowed[] = { "categories", "reason", NULL };
	json_t		*x, *c, *arr;
	size_t		 i, k;
	int		 bad;

	cv_unknown(v, allowed);
	x = cv_get(v, "categories", 1);
	if (x != NULL) {
		bad = !json_is_array(x) || json_array_size(x) == 0;
		arr = json_array();
		for (i = 0; !bad && i < json_array_size(x); i++) {
			c = json_array_get(x, i);
			if (!json_is_string(c) || validate_enum(
			    json_string_value(c), referral_categories) < 0) {
				bad = 1;
				break;
			}
			for (k = 0; k < i; k++) {
				if (json_equal(c, json_array_get(x, k)))
					bad = 1;
			}
			json_array_append(arr, c);
		}
		if (bad) {
			cv_err(v, "categories", "must be a list of one or more "
			    "different referral category codes");
			json_decref(arr);
		} else
			cv_put(v, "categories", arr);
	}
	cv_text(v, "reason", "reason", 1, TEXT_MAX_CP, 1);
}

int
api_cases_coroner_referral(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "coroner_referral", v_coroner_referral));
}

static void
v_coroner_decision(struct cv *v)
{
	static const char *const allowed[] = { "decision", "decided_at",
	    "coroner_reference", NULL };
	long long	at;

	cv_unknown(v, allowed);
	cv_enum(v, "decision", "decision", 1, coroner_decisions);
	cv_time(v, "decided_at", "decided_at", 1, &at);
	cv_text(v, "coroner_reference", "coroner_reference", 0, 100, 0);
}

int
api_cases_coroner_decision(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "coroner_decision", v_coroner_decision));
}

static void
v_governance(struct cv *v)
{
	static const char *const allowed[] = { "kind", "reason",
	    "contact_id", NULL };

	cv_unknown(v, allowed);
	cv_enum(v, "kind", "kind", 1, governance_kinds);
	cv_text(v, "reason", "reason", 1, TEXT_MAX_CP, 1);
	cv_ref(v, "contact_id", "contact_id");
}

int
api_cases_governance(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "governance", v_governance));
}

static void
v_final_actions(struct cv *v)
{
	static const char *const allowed[] = { "disposal",
	    "funeral_director", "implants", "implant_detail", "gp_notified",
	    NULL };
	struct cv	 sub;
	json_t		*fa;

	cv_unknown(v, allowed);
	fa = json_object();
	sub = *v;
	sub.out = fa;
	cv_enum(&sub, "disposal", "disposal", 1, disposals);
	cv_text(&sub, "funeral_director", "funeral_director", 0,
	    NAME_MAX_CP, 0);
	cv_enum(&sub, "implants", "implants", 1, implants);
	cv_text(&sub, "implant_detail", "implant_detail", 0, TEXT_MAX_CP, 0);
	cv_enum(&sub, "gp_notified", "gp_notified", 1, gp_notified);
	json_object_set_new(v->out, "final_actions", fa);
}

int
api_cases_final_actions(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "final_actions", v_final_actions));
}

static void
v_assignment(struct cv *v)
{
	static const char *const allowed[] = { "examiner", "officer", NULL };
	static const char *const who[] = { "examiner", "officer" };
	const char	*s;
	char		 lower[80];
	json_t		*x;
	size_t		 i;

	cv_unknown(v, allowed);
	if (json_object_get(v->in, "examiner") == NULL &&
	    json_object_get(v->in, "officer") == NULL)
		cv_err(v, "examiner", "examiner or officer is required");
	for (i = 0; i < 2; i++) {
		x = json_object_get(v->in, who[i]);
		if (x != NULL && json_is_null(x)) {
			cv_put(v, who[i], json_null());
			continue;
		}
		if ((s = cv_string(v, who[i], 0)) == NULL)
			continue;
		if (!validate_username(s)) {
			cv_err(v, who[i], VALIDATE_PHRASE_USERNAME);
			continue;
		}
		snprintf(lower, sizeof(lower), "%s", s);
		username_lower(lower);
		cv_put(v, who[i], json_string(lower));
	}
}

int
api_cases_assignment(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "assignment", v_assignment));
}

static void
v_urgent_release(struct cv *v)
{
	static const char *const allowed[] = { "requested", "reason",
	    "outcome", NULL };
	int	requested;

	cv_unknown(v, allowed);
	requested = 0;
	cv_bool(v, "requested", "urgent_requested", 1, &requested);
	if (cv_enum(v, "reason", "urgent_reason", requested,
	    urgent_reasons) == NULL && !requested)
		cv_put(v, "urgent_reason", json_null());
	if (cv_enum(v, "outcome", "urgent_outcome", 0, urgent_outcomes) ==
	    NULL)
		cv_put(v, "urgent_outcome", json_null());
}

int
api_cases_urgent_release(struct http_request *req, struct medex_req *mr)
{
	return (case_write(req, mr, "urgent_release", v_urgent_release));
}

/* The SQL names of the guards, for api_case_transition()'s facts. */
static const struct {
	unsigned int	 bit;
	const char	*name;
} guard_names[] = {
	{ GUARD_INDEPENDENT, "independent" },
	{ GUARD_REFERRAL_CATEGORIES, "referral_categories" },
	{ GUARD_REASON, "reason" },
	{ GUARD_CORONER_NOT_INVESTIGATING, "coroner_not_investigating" },
	{ GUARD_CORONER_INVESTIGATING, "coroner_investigating" },
	{ GUARD_RECORD_REVIEW, "record_review" },
	{ GUARD_AP_DISCUSSION, "ap_discussion" },
	{ GUARD_CAUSE_AGREED, "cause_agreed" },
	{ GUARD_BEREAVED, "bereaved" },
	{ GUARD_NO_OPEN_REFERRAL, "no_open_referral" },
	{ GUARD_MCCD_DATE, "mccd_date" },
	{ GUARD_CONCERNS_DECIDED, "concerns_decided" },
	{ GUARD_FINAL_ACTIONS, "final_actions" },
};

/*
 * The table's answer for (every state, to, role) and the guards'
 * phrases, as case_state.c words them, for api_case_transition().
 */
static void
transition_rules(enum case_state to, int to_known, enum role role,
    json_t *rules, json_t *msgs)
{
	static const char *const decisions[] = { "none", "investigating",
	    "not_investigating" };
	const struct case_transition	*row;
	struct case_transition		 one;
	struct case_facts		 f;
	struct guard_failure		 gf[CASE_GUARDS_MAX];
	enum transition_result		 tr;
	json_t				*r, *g;
	size_t				 i, d, pos;
	int				 any, s;
	char				 key[64];

	/* Can this role make any transition at all? */
	any = 0;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		pos = 0;
		if (case_transitions_for((enum case_state)s, role, &pos) !=
		    NULL)
			any = 1;
	}
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		r = json_object();
		g = json_array();
		row = NULL;
		if (!to_known)
			tr = any ? TRANSITION_INVALID : TRANSITION_FORBIDDEN;
		else {
			tr = case_transition_check((enum case_state)s, to, role);
			row = case_transition_find((enum case_state)s, to);
		}
		json_object_set_new(r, "d", json_string(
		    tr == TRANSITION_OK ? "o" :
		    tr == TRANSITION_FORBIDDEN ? "f" : "i"));
		for (i = 0; row != NULL &&
		    i < sizeof(guard_names) / sizeof(guard_names[0]); i++) {
			if (row->guards & guard_names[i].bit)
				json_array_append_new(g,
				    json_string(guard_names[i].name));
		}
		json_object_set_new(r, "g", g);
		json_object_set_new(r, "x", json_boolean(row != NULL &&
		    (row->guards & GUARD_EXAMINER)));
		json_object_set_new(rules,
		    case_state_str((enum case_state)s), r);
	}

	/* Each guard failing alone, for every coroner decision. */
	for (i = 0; i < sizeof(guard_names) / sizeof(guard_names[0]); i++) {
		for (d = 0; d < 3; d++) {
			memset(&f, 0, sizeof(f));
			f.open_coroner_referral = 1;
			f.open_concerns_without_decision = 1;
			f.coroner_decision = (enum coroner_decision)d;
			one.from = CASE_NOTIFIED;
			one.to = CASE_NOTIFIED;
			one.roles = 0;
			one.guards = guard_names[i].bit;
			if (case_guards_check(&one, &f, gf, CASE_GUARDS_MAX) !=
			    1)
				continue;
			if (guard_names[i].bit &
			    (GUARD_CORONER_INVESTIGATING |
			    GUARD_CORONER_NOT_INVESTIGATING))
				snprintf(key, sizeof(key), "%s/%s",
				    guard_names[i].name, decisions[d]);
			else if (d == 0)
				snprintf(key, sizeof(key), "%s",
				    guard_names[i].name);
			else
				continue;
			json_object_set_new(msgs, key, json_pack("[ss]",
			    gf[0].field, gf[0].message));
		}
	}
}

int
api_cases_transition(struct http_request *req, struct medex_req *mr)
{
	static const char *const allowed[] = { "to", "reason", "independent",
	    "mccd_issued_on", NULL };
	struct ferrs	 fe;
	struct cv	 v;
	struct vdate	 d, today;
	enum case_state	 to;
	enum role	 role;
	json_t		*j, *out, *rules, *msgs, *x;
	const char	*s, *params[10];
	char		*invalid, *rules_s, *msgs_s, ifm[24];
	long long	 version;
	int		 ret, to_known, indep, has_indep;

	if ((version = api_if_match(req)) < 0)
		return (bad_request(req, mr, "If-Match must be a quoted "
		    "version, e.g. \"3\"."));
	if ((j = api_body(req, mr, &ret)) == NULL)
		return (ret);
	ferr_init(&fe);
	out = json_object();
	memset(&v, 0, sizeof(v));
	v.in = j;
	v.prefix = "";
	v.fe = &fe;
	v.out = out;
	cv_unknown(&v, allowed);
	to_known = 0;
	to = CASE_NOTIFIED;
	if ((s = cv_string(&v, "to", 1)) != NULL) {
		if (case_state_from_str(s, &to) != 0)
			cv_err(&v, "to", "is not a case state");
		else
			to_known = 1;
	}
	cv_text(&v, "reason", "reason", 0, TEXT_MAX_CP, 1);
	indep = 0;
	has_indep = cv_bool(&v, "independent", "independent", 0, &indep);
	if (cv_date(&v, "mccd_issued_on", "mccd_issued_on", 0, &d) &&
	    today_london(&today) && vdate_cmp(&d, &today) > 0)
		cv_err(&v, "mccd_issued_on", "is in the future");

	rules = json_object();
	msgs = json_object();
	if (role_from_str(mr->claims.role, &role) != 0)
		role = ROLE_ADMIN;
	transition_rules(to, to_known, role, rules, msgs);
	invalid = fields_json(&fe);
	rules_s = json_dumps(rules, JSON_COMPACT);
	msgs_s = json_dumps(msgs, JSON_COMPACT);
	snprintf(ifm, sizeof(ifm), "%lld", version);

	params[0] = mr->cap.value[0];
	params[1] = role_ok(mr);
	params[2] = version > 0 ? ifm : NULL;
	params[3] = invalid;
	params[4] = to_known ? case_state_str(to) : s;
	params[5] = rules_s;
	params[6] = msgs_s;
	x = json_object_get(out, "reason");
	params[7] = x != NULL && json_is_string(x) ? json_string_value(x) :
	    NULL;
	params[8] = has_indep ? (indep ? "true" : "false") : NULL;
	x = json_object_get(out, "mccd_issued_on");
	params[9] = fe.n == 0 && x != NULL && json_is_string(x) ?
	    json_string_value(x) : NULL;
	ret = api_call(req, mr, sql_case_transition, 10, params);

	free(invalid);
	free(rules_s);
	free(msgs_s);
	json_decref(rules);
	json_decref(msgs);
	json_decref(out);
	json_decref(j);
	return (ret);
}

/* Code lists as [{"code","label"}]; labels are the codes made readable. */
static json_t *
code_list(const char *const *codes)
{
	json_t	*a;
	char	 label[80];
	size_t	 i, k;

	a = json_array();
	for (i = 0; codes[i] != NULL; i++) {
		snprintf(label, sizeof(label), "%s", codes[i]);
		for (k = 0; label[k] != '\0'; k++) {
			if (label[k] == '_')
				label[k] = ' ';
		}
		if (label[0] >= 'a' && label[0] <= 'z')
			label[0] = (char)(label[0] - 'a' + 'A');
		json_array_append_new(a, json_pack("{ss ss}", "code", codes[i],
		    "label", label));
	}
	return (a);
}

int
api_reference(struct http_request *req, struct medex_req *mr)
{
	static const char *const ethnicity[] = { "A", "B", "C", "D", "E",
	    "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z",
	    NULL };
	json_t		*o, *a, *roles;
	const char	*params[1];
	char		*body;
	size_t		 i;
	int		 r, s;

	o = json_object();
	a = json_array();
	for (s = 0; s < CASE_STATE_COUNT; s++)
		json_array_append_new(a, json_pack("{ss ss}", "code",
		    case_state_str((enum case_state)s), "label",
		    case_state_label((enum case_state)s)));
	json_object_set_new(o, "states", a);
	a = json_array();
	for (i = 0; i < case_transitions_count; i++) {
		roles = json_array();
		for (r = 0; r < ROLE_COUNT; r++) {
			if (role_in(case_transitions[i].roles, (enum role)r))
				json_array_append_new(roles,
				    json_string(role_str((enum role)r)));
		}
		json_array_append_new(a, json_pack("{ss ss so}", "from",
		    case_state_str(case_transitions[i].from), "to",
		    case_state_str(case_transitions[i].to), "roles", roles));
	}
	json_object_set_new(o, "transitions", a);
	json_object_set_new(o, "sex", code_list(sex_codes));
	json_object_set_new(o, "ethnicity", code_list(ethnicity));
	json_object_set_new(o, "place_of_death", code_list(place_codes));
	json_object_set_new(o, "referral_categories",
	    code_list(referral_categories));
	json_object_set_new(o, "governance_kinds", code_list(governance_kinds));
	json_object_set_new(o, "contact_methods", code_list(contact_methods));
	json_object_set_new(o, "contact_outcomes", code_list(contact_outcomes));
	json_object_set_new(o, "exhausted_reasons",
	    code_list(exhausted_reasons));
	json_object_set_new(o, "note_kinds", code_list(note_kinds));
	json_object_set_new(o, "coroner_decisions",
	    code_list(coroner_decisions));
	json_object_set_new(o, "urgent_release_reasons",
	    code_list(urgent_reasons));
	json_object_set_new(o, "disposals", code_list(disposals));
	json_object_set_new(o, "implants", code_list(implants));
	json_object_set_new(o, "gp_notified", code_list(gp_notified));
	a = json_array();
	for (r = 0; r < ROLE_COUNT; r++)
		json_array_append_new(a, json_pack("{ss ss}", "code",
		    role_str((enum role)r), "label", role_label((enum role)r)));
	json_object_set_new(o, "roles", a);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	params[0] = body;
	r = api_call(req, mr, sql_reference, 1, params);
	free(body);
	return (r);
}
