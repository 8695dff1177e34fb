/*
 * The bodies of the case routes (API.md "Cases"), checked field by
 * field: see case_body.h.  Pure: jansson and app/core only, and "now"
 * comes from the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_body.h"
#include "case_field.h"
#include "case_state.h"
#include "nhs_number.h"
#include "referral_doc.h"
#include "validate.h"

#define NAME_MAX_CP		200
#define TEXT_MAX_CP		5000
#define NOTE_MAX_CP		20000
#define COD_LINE_MAX_CP		500
#define ASSIGN_REASON_MAX_CP	500

const char *const case_sex_codes[] = { "female", "male", "indeterminate",
    "unknown", NULL };
/* The NHS Data Dictionary's codes: no I, O or Q; Z is "not stated". */
const char *const case_ethnicity_codes[] = { "A", "B", "C", "D", "E", "F",
    "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", NULL };
const char *const case_place_codes[] = { "hospital", "hospice",
    "care_home", "home", "other", NULL };
const char *const case_urgent_reasons[] = { "faith", "organ_donation",
    "other", NULL };
const char *const case_urgent_outcomes[] = { "achieved", "not_achieved",
    NULL };
const char *const case_contact_methods[] = { "phone", "video",
    "in_person", "email", "letter", NULL };
const char *const case_contact_outcomes[] = { "reached", "no_answer",
    "voicemail", "declined", "wrong_number", NULL };
const char *const case_exhausted_reasons[] = { "declined", "no_response",
    "no_contacts", "other", NULL };
const char *const case_referral_categories[] = { "poisoning",
    "exposure_to_toxic_substance", "medicinal_product_or_drug", "violence",
    "trauma_or_injury", "self_harm", "neglect", "treatment_or_procedure",
    "employment_related", "other_unnatural", "unknown_cause",
    "in_custody_or_state_detention", "no_attending_practitioner",
    "practitioner_not_available", "identity_unknown", NULL };
const char *const case_coroner_decisions[] = { "investigating",
    "not_investigating", NULL };
const char *const case_governance_kinds[] = {
    "structured_judgement_review", "patient_safety", "learning_from_deaths",
    "pals", "other", "none", NULL };
const char *const case_note_kinds[] = { "admission", "officer_summary",
    "medical_history", "record_review", "other", NULL };
const char *const case_circumstances[] = { "expected", "unexpected",
    "sudden_not_unexpected", NULL };
const char *const case_proposed_outcomes[] = { "mccd", "coroner", NULL };
const char *const case_discussion_outcomes[] = { "agreed", "revised",
    "refer_to_coroner", "not_held", NULL };
const char *const case_disposals[] = { "burial", "cremation",
    "repatriation", "other", "unknown", NULL };
const char *const case_implants[] = { "none", "present_removed",
    "present_not_removed", "unknown", NULL };
const char *const case_gp_notified[] = { "notified", "unable",
    "not_applicable", NULL };

/*
 * LeDeR and SMI (issue 19): two flags, and the day LeDeR was told
 * (null clears it; not in the future, not before the death when the
 * body gives it: the database checks it against the kept one).
 */
static void
case_flags(struct cv *v, const struct vdate *dod, const struct vdate *today)
{
	struct vdate	 d;
	json_t		*x;
	int		 b;

	cv_bool(v, "learning_disability_or_autism",
	    "learning_disability_or_autism", 0, &b);
	cv_bool(v, "severe_mental_illness", "severe_mental_illness", 0, &b);
	x = json_object_get(v->in, "leder_notified_at");
	if (x != NULL && json_is_null(x)) {
		cv_put(v, "leder_notified_at", json_null());
		return;
	}
	if (!cv_date(v, "leder_notified_at", NULL, 0, &d))
		return;
	if (vdate_cmp(&d, today) > 0)
		cv_err(v, "leder_notified_at", "is in the future");
	else if (dod != NULL && vdate_cmp(&d, dod) < 0)
		cv_err(v, "leder_notified_at", "is before the death");
	else
		cv_put(v, "leder_notified_at", json_copy(x));
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
	    "urgent_release", "learning_disability_or_autism",
	    "severe_mental_illness", "leder_notified_at", NULL };
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
	cv_enum(v, "sex", "sex", 1, case_sex_codes);
	cv_today(v, &today);
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
	cv_enum(v, "place_of_death", "place_of_death", 1, case_place_codes);
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
		if (validate_enum(s, case_ethnicity_codes) < 0)
			cv_err(v, "ethnicity", "must be an NHS ethnic category "
			    "code, A-S (not I, O or Q) or Z");
		else
			cv_put(v, "ethnicity", json_string(s));
	}

	case_flags(v, has_dod ? &dod : NULL, &today);

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
		    case_urgent_reasons) == NULL && !requested)
			cv_put(v, "urgent_reason", json_null());
	}
}


static void
v_patch(struct cv *v)
{
	case_details(v);
	if (json_object_size(v->in) == 0)
		cv_err(v, "body", "names no field to change");
}

static void
v_note(struct cv *v)
{
	static const char *const allowed[] = { "kind", "text", "amends",
	    "circumstances", "proposed_outcome", NULL };
	const char	*kind;
	int		 review;

	cv_unknown(v, allowed);
	kind = cv_enum(v, "kind", "kind", 1, case_note_kinds);
	cv_text(v, "text", "text", 1, NOTE_MAX_CP, 1);
	cv_ref(v, "amends", "amends");
	review = kind != NULL && strcmp(kind, "record_review") == 0;
	if (review) {
		cv_enum(v, "circumstances", "circumstances", 1, case_circumstances);
		cv_enum(v, "proposed_outcome", "proposed_outcome", 1,
		    case_proposed_outcomes);
	} else {
		if (json_object_get(v->in, "circumstances") != NULL)
			cv_err(v, "circumstances", "is only for record_review "
			    "notes");
		if (json_object_get(v->in, "proposed_outcome") != NULL)
			cv_err(v, "proposed_outcome", "is only for "
			    "record_review notes");
	}
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
	cv_enum(v, "outcome", "outcome", 1, case_discussion_outcomes);
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
	cv_enum(v, "method", "method", 1, case_contact_methods);
	cv_enum(v, "outcome", "outcome", 1, case_contact_outcomes);
	cv_time(v, "at", "at", 1, &at);
	cv_text(v, "questions", "questions", 0, TEXT_MAX_CP, 1);
	raised = 0;
	cv_bool(v, "concerns_raised", "concerns_raised", 1, &raised);
	cv_text(v, "concerns", "concerns", raised, TEXT_MAX_CP, 1);
	cv_ref(v, "representative_id", "representative_id");
}

static void
v_exhausted(struct cv *v)
{
	static const char *const allowed[] = { "reason", "detail", NULL };
	const char	*r;

	cv_unknown(v, allowed);
	r = cv_enum(v, "reason", "reason", 1, case_exhausted_reasons);
	cv_text(v, "detail", "detail", r != NULL && strcmp(r, "other") == 0,
	    TEXT_MAX_CP, 1);
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
			    json_string_value(c), case_referral_categories) < 0) {
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

static void
v_coroner_decision(struct cv *v)
{
	static const char *const allowed[] = { "decision", "decided_at",
	    "coroner_reference", NULL };
	long long	at;

	cv_unknown(v, allowed);
	cv_enum(v, "decision", "decision", 1, case_coroner_decisions);
	cv_time(v, "decided_at", "decided_at", 1, &at);
	cv_text(v, "coroner_reference", "coroner_reference", 0, 100, 0);
}

/* Issue 23: how and when the referral went, and the coroner's answer. */
static void
v_referral_sent(struct cv *v)
{
	static const char *const allowed[] = { "sent_at", "method", NULL };
	long long	at;

	cv_unknown(v, allowed);
	cv_time(v, "sent_at", "sent_at", 1, &at);
	cv_enum(v, "method", "method", 1, referral_send_methods);
}

static void
v_referral_ack(struct cv *v)
{
	static const char *const allowed[] = { "acknowledged_at",
	    "reference", NULL };
	long long	at;

	cv_unknown(v, allowed);
	cv_time(v, "acknowledged_at", "acknowledged_at", 1, &at);
	cv_text(v, "reference", "reference", 0, 100, 0);
}

static void
v_governance(struct cv *v)
{
	static const char *const allowed[] = { "kind", "reason",
	    "contact_id", NULL };

	cv_unknown(v, allowed);
	cv_enum(v, "kind", "kind", 1, case_governance_kinds);
	cv_text(v, "reason", "reason", 1, TEXT_MAX_CP, 1);
	cv_ref(v, "contact_id", "contact_id");
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
	cv_enum(&sub, "disposal", "disposal", 1, case_disposals);
	cv_text(&sub, "funeral_director", "funeral_director", 0,
	    NAME_MAX_CP, 0);
	cv_enum(&sub, "implants", "implants", 1, case_implants);
	cv_text(&sub, "implant_detail", "implant_detail", 0, TEXT_MAX_CP, 0);
	cv_enum(&sub, "gp_notified", "gp_notified", 1, case_gp_notified);
	json_object_set_new(v->out, "final_actions", fa);
}

static void
v_assignment(struct cv *v)
{
	static const char *const allowed[] = { "examiner", "officer",
	    "reason", NULL };
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
	/* Whether it is required (a reallocation) only the case says. */
	cv_text(v, "reason", "reason", 0, ASSIGN_REASON_MAX_CP, 1);
}

static void
v_urgent_release(struct cv *v)
{
	static const char *const allowed[] = { "requested", "reason",
	    "outcome", NULL };
	json_t	*x;
	int	 requested;

	cv_unknown(v, allowed);
	requested = 0;
	cv_bool(v, "requested", "urgent_requested", 1, &requested);
	if (cv_enum(v, "reason", "urgent_reason", requested,
	    case_urgent_reasons) == NULL && !requested)
		cv_put(v, "urgent_reason", json_null());
	x = json_object_get(v->in, "outcome");
	/* An outcome counts in urgent_release_achieved: only when asked. */
	if (x != NULL && !json_is_null(x) && !requested) {
		cv_err(v, "outcome", "is only for a requested urgent release");
		return;
	}
	if (cv_enum(v, "outcome", "urgent_outcome", 0, case_urgent_outcomes) ==
	    NULL)
		cv_put(v, "urgent_outcome", json_null());
}

/* The body of POST /cases/{id}/transitions. */
static void
v_transition(struct cv *v)
{
	static const char *const allowed[] = { "to", "reason", "independent",
	    "mccd_issued_on", NULL };
	struct vdate	 d, today;
	enum case_state	 to;
	const char	*s;
	int		 indep;

	cv_unknown(v, allowed);
	if ((s = cv_string(v, "to", 1)) != NULL) {
		if (case_state_from_str(s, &to) != 0)
			cv_err(v, "to", "is not a case state");
		else
			cv_put(v, "to", json_string(s));
	}
	cv_text(v, "reason", "reason", 0, TEXT_MAX_CP, 1);
	cv_bool(v, "independent", "independent", 0, &indep);
	if (cv_date(v, "mccd_issued_on", "mccd_issued_on", 0, &d) &&
	    cv_today(v, &today) && vdate_cmp(&d, &today) > 0)
		cv_err(v, "mccd_issued_on", "is in the future");
}

static void
v_create(struct cv *v)
{
	case_details(v);
}

static const struct {
	enum case_body_kind	  kind;
	void			(*fn)(struct cv *);
} validators[] = {
	{ CASE_BODY_CREATE, v_create },
	{ CASE_BODY_PATCH, v_patch },
	{ CASE_BODY_NOTE, v_note },
	{ CASE_BODY_DISCUSSION, v_discussion },
	{ CASE_BODY_CAUSE_OF_DEATH, v_cause },
	{ CASE_BODY_REPRESENTATIVE, v_representative },
	{ CASE_BODY_CONTACT, v_contact },
	{ CASE_BODY_EXHAUSTED, v_exhausted },
	{ CASE_BODY_CORONER_REFERRAL, v_coroner_referral },
	{ CASE_BODY_CORONER_DECISION, v_coroner_decision },
	{ CASE_BODY_GOVERNANCE, v_governance },
	{ CASE_BODY_FINAL_ACTIONS, v_final_actions },
	{ CASE_BODY_ASSIGNMENT, v_assignment },
	{ CASE_BODY_URGENT_RELEASE, v_urgent_release },
	{ CASE_BODY_TRANSITION, v_transition },
	{ CASE_BODY_REFERRAL_SENT, v_referral_sent },
	{ CASE_BODY_REFERRAL_ACK, v_referral_ack },
};

void
case_body_check(enum case_body_kind kind, json_t *in, time_t now,
    struct ferrs *fe, json_t *out)
{
	struct cv	v;
	size_t		i;

	memset(&v, 0, sizeof(v));
	v.in = in;
	v.prefix = "";
	v.fe = fe;
	v.out = out;
	v.patch = kind == CASE_BODY_PATCH;
	v.now = now;
	for (i = 0; i < sizeof(validators) / sizeof(validators[0]); i++) {
		if (validators[i].kind == kind) {
			validators[i].fn(&v);
			return;
		}
	}
	ferr_add(fe, "body", "cannot be checked");
}
